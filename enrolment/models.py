from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.enums import ActivityKind, Language
from programs.models import Program, ProgramVersion, Topic

from .enums import EnrolmentStatus, Funding


class Listener(models.Model):
    """A teacher taking courses; personal data stay inside the centre (never on public pages)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="listener")
    iin = models.CharField(_("IIN"), max_length=12, unique=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    workplace = models.CharField(_("workplace"), max_length=300, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("listener")
        verbose_name_plural = _("listeners")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(iin__regex=r"^[0-9]{12}$"), name="listener_iin_12_digits")
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return self.user.full_name


class Cohort(models.Model):
    """A stream ("поток") of an approved program with its dates and final-test pass mark."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="cohorts")
    version = models.ForeignKey(
        ProgramVersion, verbose_name=_("program version"), on_delete=models.PROTECT, related_name="cohorts"
    )
    code = models.CharField(_("code"), max_length=50, unique=True)
    language = models.CharField(
        _("language of instruction"), max_length=10, choices=Language.choices, default=Language.KK
    )
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, default=Funding.STATE)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    test_max_score = models.PositiveIntegerField(
        _("final test: maximum score"), default=25, validators=[MinValueValidator(1)]
    )
    test_pass_score = models.PositiveIntegerField(_("final test: pass mark"), default=17)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="cohort_dates_order"),
            models.CheckConstraint(condition=models.Q(test_max_score__gte=1), name="cohort_max_score_positive"),
            # The pass mark is never below half the maximum (001 §24, 000 §3.6).
            models.CheckConstraint(
                condition=models.Q(test_pass_score__gte=models.F("test_max_score") / 2.0)
                & models.Q(test_pass_score__lte=models.F("test_max_score")),
                name="cohort_pass_mark_at_least_half",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.program}"


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    kind = models.CharField(_("activity"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.LECTURE)
    hours = models.DecimalField(
        _("academic hours"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    place = models.CharField(_("room or online link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["cohort", "date", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="session_hours_positive"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_time_order"),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.starts_at:%H:%M}"


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="enrolments")
    listener = models.ForeignKey(
        Listener, verbose_name=_("listener"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", "listener__user__last_name", "listener__user__first_name"]
        permissions = [("mark_attendance", _("Can mark attendance"))]
        constraints = [models.UniqueConstraint(fields=["cohort", "listener"], name="enrolment_unique")]

    def __str__(self):
        return f"{self.listener} — {self.cohort.code}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=False)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique")]

    def __str__(self):
        return f"{self.enrolment} {self.session}: {'+' if self.present else '-'}"
