"""Post-course support (000 §4, 001 §34-37): the year of support, its plan and its forms.

- ``SupportPeriod``: one calendar year from the end of the course, for each certified listener;
- ``SupportActivity``: the plan of a cohort's support, made by the program's head from the program's
  expected results (000 §4.2);
- ``Consultation`` with its ``ConsultationMessage`` thread: methodical and consulting support (000 §4.3 1));
- ``Publication`` with its ``PublicationComment`` thread: help with publications (000 §4.3 2));
- ``SupportEvent`` and ``EventRegistration``: events for exchanging experience and professional
  communities (000 §4.3 3));
- ``FollowUp`` and ``SchoolObservation``: the questionnaires at 3, 6 and 12 months on applying what was
  learned (001 §34) and the school's own observation (001 §35).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from enrolment.models import Cohort, Enrolment, Partner
from programs.models import Program

from .enums import (
    ActivityStatus,
    Applying,
    ConsultationKind,
    ConsultationStatus,
    EventKind,
    PublicationStatus,
    SupportForm,
)

FOLLOW_UP_MONTHS = (3, 6, 12)


class SupportPeriod(models.Model):
    """One calendar year of post-course support from the end of the course (000 §4.1, 001 §36)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="support_period")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("post-course support period")
        verbose_name_plural = _("post-course support periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="support_period_order")
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.starts_on:%d.%m.%Y} – {self.ends_on:%d.%m.%Y}"


class SupportActivity(models.Model):
    """One planned activity of a cohort's support (000 §4.2): what, when, who, and which expected result of
    the program it serves."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="support_activities"
    )
    form = models.CharField(_("form of support"), max_length=20, choices=SupportForm.choices)
    title = models.CharField(_("activity"), max_length=300)
    expected_result = models.TextField(_("expected result of the program it serves"), blank=True)
    planned_on = models.DateField(_("planned on"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible trainer"),
        on_delete=models.PROTECT,
        related_name="support_activities",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    event = models.ForeignKey(
        "SupportEvent",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support activity")
        verbose_name_plural = _("support plan")
        ordering = ["cohort", "planned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ActivityStatus.HELD) | models.Q(held_on__isnull=False),
                name="support_activity_held_has_date",
            )
        ]

    def __str__(self):
        return self.title


class Consultation(models.Model):
    """A listener's question or request for a consultation in the support year (000 §4.3 1), 001 §37 1))."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("listener's course"), on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConsultationKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    preferred_time = models.CharField(_("preferred time"), max_length=200, blank=True)
    scheduled_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    place = models.CharField(_("room or online link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    # When the staff were reminded of it, still unanswered (``consultations_remind``): once.
    reminded_at = models.DateTimeField(_("staff reminded"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="consultation_status")]

    def __str__(self):
        return self.subject


class ConsultationMessage(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation message")
        verbose_name_plural = _("consultation messages")
        ordering = ["consultation", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]


def publication_path(instance, filename):
    return f"postcourse/publications/{instance.enrolment_id}/{filename}"


class Publication(models.Model):
    """A listener's draft publication reviewed by a trainer until it is published (000 §4.3 2))."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("listener's course"), on_delete=models.CASCADE, related_name="publications"
    )
    title = models.CharField(_("title"), max_length=500)
    venue = models.CharField(_("journal, collection or site"), max_length=300, blank=True)
    file = models.FileField(_("draft"), upload_to=publication_path)
    status = models.CharField(
        _("status"), max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.SUBMITTED
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_publications",
    )
    reference = models.CharField(_("reference of the publication"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=PublicationStatus.PUBLISHED) | ~models.Q(reference=""),
                name="publication_published_has_reference",
            )
        ]

    def __str__(self):
        return self.title


class PublicationComment(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a publication")
        verbose_name_plural = _("comments on publications")
        ordering = ["publication", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class SupportEvent(models.Model):
    """An event for exchanging experience or a professional community's meeting (000 §4.3 3), 001 §37 3)),
    open to listeners in their support year; ``programs`` empty: open to every program's listeners."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("room or online link"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    gives_certificate = models.BooleanField(_("participants receive a certificate"), default=False)
    programs = models.ManyToManyField(Program, verbose_name=_("programs"), blank=True, related_name="support_events")
    is_published = models.BooleanField(_("announced"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support event")
        verbose_name_plural = _("support events")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title_ru or self.title_kk


class EventRegistration(models.Model):
    """A listener registered for an event within their support year; attendance and, where the event gives
    one, the participation certificate (a stored document with its number and QR)."""

    event = models.ForeignKey(
        SupportEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("listener's course"), on_delete=models.CASCADE, related_name="event_registrations"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate No."), max_length=50, blank=True)
    certificate_token = models.CharField(_("verification code"), max_length=64, blank=True)
    certificate_document = models.ForeignKey(
        "ziat.StoredDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("registration for an event")
        verbose_name_plural = _("registrations for events")
        ordering = ["event", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "enrolment"], name="event_registration_unique"),
            models.UniqueConstraint(
                fields=["certificate_token"], condition=~models.Q(certificate_token=""), name="event_certificate_token"
            ),
        ]

    def __str__(self):
        return f"{self.event}: {self.enrolment}"


def months_after_course(months):
    """The name of a follow-up questionnaire: "3 months after the course"."""
    return ngettext("%(months)s month after the course", "%(months)s months after the course", months) % {
        "months": months
    }


class FollowUp(models.Model):
    """The questionnaire on applying what was learned (001 §34), due 3, 6 and 12 months after the course."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("listener's course"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(_("months after the course"))
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    applying = models.CharField(
        _("how often do you apply what you learned?"), max_length=20, choices=Applying.choices, blank=True
    )
    results_applied = models.JSONField(_("expected results applied"), default=list, blank=True)
    example = models.TextField(_("an example from your practice"), blank=True)
    obstacles = models.TextField(_("what gets in the way"), blank=True)
    wants_support = models.BooleanField(_("would like more support"), default=False)
    # A request for more support is handled when a staff member marks it so (``follow_up_support_handle``).
    support_handled_at = models.DateTimeField(_("support request handled"), null=True, blank=True)
    support_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    support_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("follow-up questionnaire")
        verbose_name_plural = _("follow-up questionnaires")
        ordering = ["enrolment", "months"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "months"], name="follow_up_unique"),
            models.CheckConstraint(condition=models.Q(months__in=FOLLOW_UP_MONTHS), name="follow_up_months"),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(applying=""), name="follow_up_answered"
            ),
            models.CheckConstraint(
                condition=models.Q(support_handled_at__isnull=True)
                | models.Q(wants_support=True, support_handled_by__isnull=False),
                name="follow_up_support_handled",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.months}"

    @property
    def label(self):
        return months_after_course(self.months)


class SchoolObservation(models.Model):
    """The school's own observation of how its teacher applies the course (001 §35 1)), written by the
    organisation's representative."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("listener's course"), on_delete=models.CASCADE, related_name="school_observations"
    )
    partner = models.ForeignKey(Partner, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    observed_on = models.DateField(_("observed on"))
    applying = models.CharField(_("how often the teacher applies it"), max_length=20, choices=Applying.choices)
    text = models.TextField(_("observation"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("school's observation")
        verbose_name_plural = _("schools' observations")
        ordering = ["enrolment", "-observed_on", "-pk"]

    def __str__(self):
        return f"{self.enrolment}: {self.observed_on:%d.%m.%Y}"
