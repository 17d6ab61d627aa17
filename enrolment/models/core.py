from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.enums import ActivityKind, Language
from programs.models import Program, ProgramVersion, Topic

from ..enums import ATTENDED, AttendanceStatus, EnrolmentStatus, Funding, Region, Sex

# Bounds of the numbers staff type in (a capacity of 10^11 is a typo, not a course).
MAX_CAPACITY = 1000
MAX_TEST_SCORE = 1000


class Listener(models.Model):
    """A teacher taking courses; personal data stay inside the centre (never on public pages)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="listener")
    iin = models.CharField(_("IIN"), max_length=12, unique=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    workplace = models.CharField(_("workplace"), max_length=300, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    # The questionnaire (003 App. 2); personal data may come from the NOBD export (001 §24, 003 §6.9).
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(_("education"), max_length=300, blank=True)
    category = models.CharField(_("qualification category"), max_length=100, blank=True)
    category_valid_until = models.DateField(_("category valid until"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    experience_total = models.PositiveSmallIntegerField(_("total experience, years"), null=True, blank=True)
    experience_teaching = models.PositiveSmallIntegerField(_("teaching experience, years"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    additional = models.TextField(_("additional information"), blank=True)

    class Meta:
        verbose_name = _("listener")
        verbose_name_plural = _("listeners")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(iin__regex=r"^[0-9]{12}$"),
                name="listener_iin_12_digits",
                violation_error_message=_("An IIN is exactly 12 digits."),
            )
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
    capacity = models.PositiveIntegerField(
        _("capacity"), default=30, validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    price = models.DecimalField(
        _("price per listener, tenge"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_published = models.BooleanField(
        _("open for applications"), default=False, help_text=_("Shown in the public schedule with the seats left.")
    )
    test_max_score = models.PositiveIntegerField(
        _("final test: maximum score"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TEST_SCORE)],
    )
    test_pass_score = models.PositiveIntegerField(
        _("final test: pass mark"), default=17, validators=[MaxValueValidator(MAX_TEST_SCORE)]
    )
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
            models.CheckConstraint(
                condition=models.Q(funding="state") | models.Q(price__isnull=False), name="cohort_paid_has_price"
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.program}"


class StudyGroup(models.Model):
    """A group of a cohort (a cohort is split into groups of listeners)."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group"), max_length=50)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=25, validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["cohort", "name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "name"], name="group_name_unique")]

    def __str__(self):
        return f"{self.cohort.code} / {self.name}"


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
    group = models.ForeignKey(
        StudyGroup, verbose_name=_("group"), on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments"
    )
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, blank=True)
    admission_order = models.ForeignKey(
        "AdmissionOrder",
        verbose_name=_("admission order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    # Attendance and results earned before an interruption or transfer are kept on the earlier enrolment.
    continues = models.ForeignKey(
        "self",
        verbose_name=_("continues"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continued_by",
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    # When the listener and the registrar were warned about attendance (001 §24), so each warning goes once.
    warned_at_risk_at = models.DateTimeField(_("warned: at risk of missing 80%"), null=True, blank=True)
    warned_unreachable_at = models.DateTimeField(_("warned: out of reach of 80%"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", "listener__user__last_name", "listener__user__first_name"]
        permissions = [("mark_attendance", _("Can mark attendance"))]
        constraints = [models.UniqueConstraint(fields=["cohort", "listener"], name="enrolment_unique")]

    def __str__(self):
        return f"{self.listener} — {self.cohort.code}"


class Attendance(models.Model):
    """A listener's mark for one session (001 §24): present, late (both attended), absent, excused."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.ABSENT
    )
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique")]

    def __str__(self):
        return f"{self.enrolment} {self.session}: {self.get_status_display()}"

    @property
    def present(self):
        return self.status in ATTENDED
