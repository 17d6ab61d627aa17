"""Requests of education departments and schools with their lists of teachers (001 §11-18, 003 §4.1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import ORGANISATION_KINDS, PartnerKind, Region, RequestStatus
from .core import Cohort, Listener


class Partner(models.Model):
    """An education department or a school that sends its teachers to courses."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # The level above in the planning chain (001 §§11-13): a school's department, a department's region.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    republican = models.BooleanField(
        _("republican organisation"),
        default=False,
        help_text=_("Sends its request to the ministry, not to a department (001 §11)."),
    )

    class Meta:
        verbose_name = _("education department or school")
        verbose_name_plural = _("education departments and schools")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_organisation(self):
        return self.kind in ORGANISATION_KINDS


class Representative(models.Model):
    """A user who sends requests on behalf of a partner; sees only that partner's requests and teachers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="representative"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="representatives"
    )
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self):
        return f"{self.user} ({self.partner})"


class TeacherRequest(models.Model):
    """A partner's request for places in a cohort, with the list of its teachers."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="requests"
    )
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    letter_number = models.CharField(_("letter No."), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = _("request for places")
        verbose_name_plural = _("requests for places")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_reason=""), name="request_return_has_reason"
            )
        ]

    def __str__(self):
        return _("Request of %(partner)s for %(cohort)s") % {"partner": self.partner, "cohort": self.cohort.code}


class RequestedTeacher(models.Model):
    """One teacher of a request, as the partner listed them; linked to a listener when accepted."""

    request = models.ForeignKey(
        TeacherRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="teachers"
    )
    row = models.PositiveIntegerField(_("row"))
    iin = models.CharField(_("IIN"), max_length=12)
    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    birth_date = models.DateField(_("date of birth"))
    position = models.CharField(_("position"), max_length=200, blank=True)
    subject = models.CharField(_("subject taught"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    listener = models.ForeignKey(
        Listener, verbose_name=_("listener"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("teacher of a request")
        verbose_name_plural = _("teachers of a request")
        ordering = ["request", "row"]
        constraints = [
            models.UniqueConstraint(fields=["request", "iin"], name="requested_teacher_unique"),
            models.CheckConstraint(
                condition=models.Q(iin__regex=r"^[0-9]{12}$"),
                name="requested_teacher_iin",
                violation_error_message=_("An IIN is exactly 12 digits."),
            ),
        ]

    def __str__(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)
