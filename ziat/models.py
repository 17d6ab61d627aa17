from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localized(obj, field):
    """The Kazakh or Russian variant of ``field`` for the active language, falling back to the other."""
    lang = (get_language() or "kk")[:2]
    first, second = ("ru", "kk") if lang in ("ru", "en") else ("kk", "ru")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class User(AbstractUser):
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def __str__(self):
        return self.full_name or self.username


# The organisation is read by every page (its names in the layout): it is kept in the shared cache, which every
# application process sees, and dropped from it whenever it changes.
ORGANISATION_CACHE_KEY = "ziat:organisation"
ORGANISATION_CACHE_SECONDS = 3600


def forget_organisation():
    """Drop the cached organisation now and once the current transaction commits (so that no process keeps a
    version read before the change was committed)."""
    cache.delete(ORGANISATION_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ORGANISATION_CACHE_KEY))


class OrganisationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        forget_organisation()
        return super().update(**kwargs)

    def delete(self):
        forget_organisation()
        return super().delete()


class Organisation(models.Model):
    """The single organisation this deployment serves (pk is always 1)."""

    ACADEMIC_HOUR_CHOICES = [(45, _("45 minutes")), (50, _("50 minutes"))]

    name_kk = models.CharField(_("official name (Kazakh)"), max_length=500)
    name_ru = models.CharField(_("official name (Russian)"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisation/", blank=True)
    city_kk = models.CharField(_("city (Kazakh)"), max_length=100, blank=True)
    city_ru = models.CharField(_("city (Russian)"), max_length=100, blank=True)
    head_title_kk = models.CharField(_("head's title (Kazakh)"), max_length=100, default="Директор")
    head_title_ru = models.CharField(_("head's title (Russian)"), max_length=100, default="Директор")
    head_name = models.CharField(_("head's name"), max_length=200, blank=True)
    academic_hour_minutes = models.PositiveSmallIntegerField(
        _("academic hour, minutes"), choices=ACADEMIC_HOUR_CHOICES, default=45
    )
    registration_prefix = models.CharField(
        _("registration-number prefix"),
        max_length=20,
        default="ZIAT",
        help_text=_("Printed before the year and the sequence number, e.g. ZIAT-2026-00017."),
    )
    pass_floor_percent = models.PositiveSmallIntegerField(
        _("pass mark floor, percent of the maximum"),
        default=50,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_("The law sets 50%; the organisation may require more, never less."),
    )
    staff_total = models.PositiveIntegerField(
        _("total staff"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The number of employees on the organisation's staff list. Qualified trainers must make at least "
            "40 per cent of it (001 §3.1)."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="organisation_singleton"),
            models.CheckConstraint(
                condition=models.Q(pass_floor_percent__gte=50, pass_floor_percent__lte=100),
                name="organisation_pass_floor_at_least_50",
                violation_error_message=_("The pass floor is a percentage from 50 to 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(academic_hour_minutes__in=[45, 50]),
                name="organisation_academic_hour",
                violation_error_message=_("An academic hour lasts 45 or 50 minutes."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        forget_organisation()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_organisation()
        return result

    @property
    def name(self):
        return localized(self, "name")

    @property
    def head_title(self):
        return localized(self, "head_title")

    @classmethod
    def current(cls):
        """The organisation, from the shared cache when it is there (one read of the database per change)."""
        org = cache.get(ORGANISATION_CACHE_KEY)
        if org is None:
            org = cls.objects.filter(pk=1).first()
            if org is None:
                return cls.unsaved_default()
            cache.set(ORGANISATION_CACHE_KEY, org, ORGANISATION_CACHE_SECONDS)
        return org

    @classmethod
    def unsaved_default(cls):
        """The organisation before it is configured; also what the 500 page names without the database."""
        return cls(pk=1, name_kk="Біліктілікті арттыру орталығы", name_ru="Центр повышения квалификации")


class CalendarDay(models.Model):
    """A day the government made a working day or a day off, overriding weekends and public holidays."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(
        _("working day"), help_text=_("Ticked: a Saturday or Sunday made a working day. Unticked: a day off.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("day transfer")
        verbose_name_plural = _("day transfers")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y}"


class ActivityLog(models.Model):
    """One change made by someone (or by the system) to one record, with the values before and after.

    Written only through ``ziat.activity.log_action`` / ``log_actions``; never changed afterwards. The ids
    of the program, cohort and listener the record belongs to are kept beside the object, so that a page
    reads the history of a listener, a cohort or a program with one query.
    """

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("who"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    program_id = models.PositiveBigIntegerField(_("program id"), null=True, blank=True)
    cohort_id = models.PositiveBigIntegerField(_("cohort id"), null=True, blank=True)
    listener_id = models.PositiveBigIntegerField(_("listener id"), null=True, blank=True)
    data = models.JSONField(_("values"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="activity_object_idx"),
            models.Index(fields=["listener_id", "-at"], name="activity_listener_idx"),
            models.Index(fields=["cohort_id", "-at"], name="activity_cohort_idx"),
            models.Index(fields=["program_id", "-at"], name="activity_program_idx"),
            models.Index(fields=["action", "-at"], name="activity_action_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.action} {self.object_label}"

    @property
    def before(self):
        return (self.data or {}).get("before") or {}

    @property
    def after(self):
        return (self.data or {}).get("after") or {}


def _stored_upload_to(instance, filename):
    return f"stored/{instance.kind}/{filename}"


class StoredDocument(models.Model):
    """A generated document kept as a file: the same bytes are served every time it is asked for.

    ``key`` names the object and language; for a record that can still change it also carries the
    fingerprint of the text it prints, so a changed draft is a new document and never a stale one.
    ``source`` is the HTML the file is made from, kept until the file is ready.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("key"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    file = models.FileField(_("file"), upload_to=_stored_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="stored_document_kind_key"),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (~models.Q(file="") & ~models.Q(sha256="")),
                name="stored_document_ready_has_file",
            ),
        ]

    def __str__(self):
        return self.filename


def _job_upload_to(instance, filename):
    return f"jobs/{instance.pk}/{filename}"


def _job_input_to(instance, filename):
    return f"jobs/{instance.pk}/input/{filename}"


class Job(models.Model):
    """Long work done by a task for a user: its progress, its message and, for an export, its file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        "ziat.User", verbose_name=_("owner"), on_delete=models.CASCADE, related_name="jobs", null=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    file = models.FileField(_("file"), upload_to=_job_upload_to, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    # What the work reads (an uploaded workbook), kept with the job so that a re-run reads the same.
    input_file = models.FileField(_("input file"), upload_to=_job_input_to, blank=True)
    next_url = models.CharField(_("next page"), max_length=500, blank=True)
    # What the work found, for the page it leads to (e.g. the rows read from a workbook, to be confirmed).
    result = models.JSONField(_("result"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="job_done_le_total")
        ]

    def __str__(self):
        return self.title

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else (100 if self.finished else 0)


class ScheduledRun(models.Model):
    """One slot of a periodic job, enqueued once however many schedulers run."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    enqueued_at = models.DateTimeField(_("enqueued"), auto_now_add=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_job_slot")]

    def __str__(self):
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"


class RateCounter(models.Model):
    """Requests of one client to one group of public pages in one window of time (ziat.ratelimit)."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self):
        return self.key
