"""The planning chain of budget-funded courses (001 §§10-18, 003 §4.1-4.3).

A teacher applies to their own organisation (001 §10, App. 1; App. 2 for a course abroad) and the head
decides. The organisation's perspective plan and annual request (due 1 June) is built from the accepted
applications; the district or city department consolidates its organisations' plans (due 1 July); the
region distributes its teachers over the centre's courses for the coming financial year (due 1 September).
The centre agrees its annual schedule course by course with the region (001 §15); two months before a
course the region sends its list of teachers (001 §14) with the heads' referral orders (001 §16), and the
region's letter is the basis of the admission order (001 §18).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.enums import Language

from ..enums import AbroadTerm, PlanApplicationStatus, PlanStatus
from .core import Cohort
from .requests import Partner, TeacherRequest


class PlanApplication(models.Model):
    """A teacher's application to their organisation for a budget-funded course (001 §10, App. 1 and 2)."""

    organisation = models.ForeignKey(
        Partner, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="plan_applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("financial year"))
    iin = models.CharField(_("IIN"), max_length=12)
    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    birth_date = models.DateField(_("date of birth"))
    position = models.CharField(_("position"), max_length=200)
    subject = models.CharField(_("subject taught"), max_length=200, blank=True)
    language = models.CharField(_("language of instruction"), max_length=10, choices=Language.choices)
    topic = models.CharField(_("course wished for"), max_length=300, blank=True)
    abroad = models.BooleanField(_("course abroad"), default=False)
    country = models.CharField(_("country of study"), max_length=100, blank=True)
    abroad_term = models.CharField(_("term abroad"), max_length=10, choices=AbroadTerm.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanApplicationStatus.choices, default=PlanApplicationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("head's note"), blank=True)

    class Meta:
        verbose_name = _("teacher's application to the organisation")
        verbose_name_plural = _("teachers' applications to the organisation")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "iin"], name="plan_application_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(iin__regex=r"^[0-9]{12}$"),
                name="plan_application_iin",
                violation_error_message=_("An IIN is exactly 12 digits."),
            ),
            models.CheckConstraint(
                condition=models.Q(abroad=False) | ~models.Q(country=""),
                name="plan_application_abroad_country",
                violation_error_message=_("Name the country of a course abroad (001 App. 2)."),
            ),
        ]

    def __str__(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class Plan(models.Model):
    """A level's plan of teachers' courses for a financial year: an organisation's perspective plan and
    request, a department's consolidated plan or a region's plan distributing teachers over courses."""

    partner = models.ForeignKey(Partner, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveIntegerField(_("financial year"))
    perspective = models.TextField(_("perspective plan of development"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = _("plan of teachers' courses")
        verbose_name_plural = _("plans of teachers' courses")
        ordering = ["-year", "partner__name"]
        constraints = [models.UniqueConstraint(fields=["partner", "year"], name="plan_one_per_year")]

    def __str__(self):
        return _("Plan of %(partner)s for %(year)s") % {"partner": self.partner, "year": self.year}


class PlanLine(models.Model):
    """One teacher of a plan, with their organisation and, in the region's plan, the course (cohort)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField(_("row"))
    organisation = models.ForeignKey(
        Partner, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        PlanApplication, verbose_name=_("application"), on_delete=models.SET_NULL, null=True, blank=True
    )
    iin = models.CharField(_("IIN"), max_length=12)
    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    birth_date = models.DateField(_("date of birth"))
    position = models.CharField(_("position"), max_length=200, blank=True)
    subject = models.CharField(_("subject taught"), max_length=200, blank=True)
    topic = models.CharField(_("course wished for"), max_length=300, blank=True)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("course"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("teacher of a plan")
        verbose_name_plural = _("teachers of a plan")
        ordering = ["plan", "row"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "iin"], name="plan_line_teacher_once"),
            models.CheckConstraint(condition=models.Q(iin__regex=r"^[0-9]{12}$"), name="plan_line_iin"),
        ]

    def __str__(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class ScheduleAgreement(models.Model):
    """A course of the annual schedule agreed with a region (and the ministry for the republican budget), with
    the places agreed for the region's teachers (001 §15): who agreed, when, and the document."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("course"), on_delete=models.PROTECT, related_name="agreements")
    partner = models.ForeignKey(
        Partner, verbose_name=_("agreed with"), on_delete=models.PROTECT, related_name="agreements"
    )
    places = models.PositiveIntegerField(_("places agreed"))
    agreed_by_name = models.CharField(_("agreed by (name and position)"), max_length=300)
    agreed_on = models.DateField(_("agreed on"))
    document = models.FileField(_("document of agreement"), upload_to="agreements/%Y/")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement of the schedule")
        verbose_name_plural = _("agreements of the schedule")
        ordering = ["cohort__starts_on", "partner__name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "partner"], name="agreement_once_per_body")]

    def __str__(self):
        return f"{self.cohort.code} · {self.partner}"


class ReferralOrder(models.Model):
    """A head's order sending teachers to a course (001 §16), attached to the region's list."""

    request = models.ForeignKey(
        TeacherRequest, verbose_name=_("list of teachers"), on_delete=models.CASCADE, related_name="referrals"
    )
    issued_by = models.ForeignKey(
        Partner, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="referral_orders"
    )
    number = models.CharField(_("order No."), max_length=100)
    issued_on = models.DateField(_("order date"))
    file = models.FileField(_("scan of the order"), upload_to="referrals/%Y/")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral order")
        verbose_name_plural = _("referral orders")
        ordering = ["issued_on", "pk"]

    def __str__(self):
        return _("Order No. %(number)s of %(date)s") % {"number": self.number, "date": f"{self.issued_on:%d.%m.%Y}"}


class LateDecision(models.Model):
    """The centre's decision to accept a plan or a list sent after its deadline, with its reason."""

    plan = models.OneToOneField(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, null=True, blank=True, related_name="late_decision"
    )
    request = models.OneToOneField(
        TeacherRequest,
        verbose_name=_("list of teachers"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="late_decision",
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision on a late plan or list")
        verbose_name_plural = _("decisions on late plans and lists")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=False, request__isnull=True)
                | models.Q(plan__isnull=True, request__isnull=False),
                name="late_decision_one_object",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="late_decision_has_reason"),
        ]

    def __str__(self):
        return str(self.plan or self.request)
