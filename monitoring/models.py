"""Monitoring of programs' effectiveness (000 §4.4-4.5, 001 §19, §38).

Monitoring reads every earlier stage; what it keeps of its own:

- the satisfaction questionnaire asked during the course (000 §4.5 4)), kept so that no answer can be
  traced to a person: ``SatisfactionTally`` counts the scores per cohort, aspect and score (no row per
  answer, so no order and no time), ``SatisfactionComment`` keeps free text under a random key with no
  time, and ``SatisfactionReceipt`` records only *that* a listener answered (once), not what;
- ``SelfAnalysis``: trainers' and organisers' self-analysis after a cohort (000 §4.5 6));
- ``EffectivenessReview``: the review of a program at least every three years (000 §4.4, 001 §38),
  assembled from the six components, concluded by the methodist and approved by the director;
- ``NobdDeadline``: the date by which a finished cohort's data must be in the NOBD (001 §19), and who
  confirmed it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enrolment.models import Cohort, Enrolment
from programs.models import Program

from .enums import ReviewStatus, SatisfactionAspect, SelfAnalysisRole

SCORES = (1, 2, 3, 4, 5)


class SatisfactionTally(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="+")
    aspect = models.CharField(_("aspect"), max_length=20, choices=SatisfactionAspect.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    count = models.PositiveIntegerField(_("answers"), default=0)

    class Meta:
        verbose_name = _("satisfaction score count")
        verbose_name_plural = _("satisfaction score counts")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "aspect", "score"], name="satisfaction_tally_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="satisfaction_score_range"),
        ]

    def __str__(self):
        return f"{self.cohort_id} {self.aspect} {self.score}: {self.count}"


class SatisfactionComment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("satisfaction comment")
        verbose_name_plural = _("satisfaction comments")
        ordering = ["id"]

    def __str__(self):
        return self.text[:60]


class SatisfactionReceipt(models.Model):
    """That a listener has answered the satisfaction questionnaire: once per listener and course."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="satisfaction_receipt")

    class Meta:
        verbose_name = _("satisfaction questionnaire answered")
        verbose_name_plural = _("satisfaction questionnaires answered")

    def __str__(self):
        return str(_("answered"))


class SelfAnalysis(models.Model):
    """A trainer's or organiser's self-analysis after a cohort (000 §4.5 6))."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="self_analyses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=20, choices=SelfAnalysisRole.choices)
    goals_met = models.PositiveSmallIntegerField(_("how far the course's goals were met, 1-5"))
    what_worked = models.TextField(_("what worked"))
    difficulties = models.TextField(_("difficulties"), blank=True)
    improvements = models.TextField(_("what to change next time"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-analysis")
        verbose_name_plural = _("self-analyses")
        ordering = ["cohort", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "author"], name="self_analysis_unique"),
            models.CheckConstraint(condition=models.Q(goals_met__gte=1, goals_met__lte=5), name="self_analysis_scale"),
        ]

    def __str__(self):
        return f"{self.cohort}: {self.author}"


class EffectivenessReview(models.Model):
    """The effectiveness review of a program over a period (000 §4.4, 001 §38). ``components`` keeps the six
    components as assembled (000 §4.5), so that the concluded review does not change with later data."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="effectiveness_reviews"
    )
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    components = models.JSONField(_("components"), default=dict)
    conclusion = models.TextField(_("conclusion"), blank=True)
    measures = models.TextField(_("measures decided"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("assembled"), auto_now_add=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("effectiveness review")
        verbose_name_plural = _("effectiveness reviews")
        ordering = ["program", "-period_to", "-pk"]
        permissions = [("approve_effectivenessreview", _("Can approve an effectiveness review"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_to__gte=models.F("period_from")), name="review_period"),
            models.CheckConstraint(
                condition=~models.Q(status=ReviewStatus.APPROVED) | models.Q(approved_at__isnull=False),
                name="review_approved_dated",
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.period_from:%d.%m.%Y} – {self.period_to:%d.%m.%Y}"


class NobdDeadline(models.Model):
    """A finished cohort's NOBD data: due five working days after the course's end (001 §19)."""

    cohort = models.OneToOneField(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="nobd_deadline"
    )
    due_on = models.DateField(_("due on"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("NOBD deadline")
        verbose_name_plural = _("NOBD deadlines")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True, confirmed_by__isnull=True)
                | models.Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="nobd_confirmed_by_whom",
            )
        ]

    def __str__(self):
        return f"{self.cohort}: {self.due_on:%d.%m.%Y}"


class CohortFigures(models.Model):
    """A finished cohort's outcome figures as the monitoring dashboard last computed them (a cache).

    What ``monitoring.selectors`` adds up per cohort from the outcome rule: listeners enrolled, completed and
    passed, and the sum and count of their attendance. Written by a periodic task (``monitoring.figures``), read
    back by the dashboard while ``watermark`` (the latest activity-log entries of the cohort and of its program,
    and the organisation's pass mark floor) is the current one; anything else is computed live. Safe to empty at
    any time.
    """

    cohort = models.OneToOneField(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="+")
    enrolled = models.PositiveIntegerField(_("enrolled"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    passed = models.PositiveIntegerField(_("passed"), default=0)
    # The exact sum of the listeners' attendance percentages (not rounded: the average is rounded once shown).
    attendance_total = models.DecimalField(_("attendance total"), max_digits=60, decimal_places=30, default=0)
    attendance_listeners = models.PositiveIntegerField(_("listeners with attendance"), default=0)
    watermark = models.CharField(_("watermark"), max_length=80)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cohort outcome figures")
        verbose_name_plural = _("cohort outcome figures")

    def __str__(self):
        return f"{self.cohort_id}: {self.passed}/{self.completed}"
