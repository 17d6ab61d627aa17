"""Tests of a cohort drawn from the bank: the final test (000 §3.6, 001 §24, 004 §8) and the diagnostics
(000 §4.5), the listeners' attempts, and re-assessment (000 §3.10)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enrolment.models import Cohort, Enrolment

from ..enums import SubmittedBy, TestKind
from .bank import BankVersion, Question


class CohortTest(models.Model):
    """What a cohort's test draws and when it may be taken.

    ``draw`` maps a module's number (as text) to the number of questions drawn from it.
    The pass mark and maximum of the final test are the cohort's; the grade scale is here.
    """

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="tests")
    kind = models.CharField(_("kind"), max_length=10, choices=TestKind.choices, default=TestKind.FINAL)
    title = models.CharField(_("title"), max_length=200, blank=True)
    bank = models.ForeignKey(
        BankVersion, verbose_name=_("test bank version"), on_delete=models.PROTECT, related_name="tests"
    )
    draw = models.JSONField(_("questions per module"), default=dict)
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit, minutes"), default=40, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    excellent_from = models.PositiveIntegerField(_("“excellent” from"), null=True, blank=True)
    good_from = models.PositiveIntegerField(_("“good” from"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("test of a cohort")
        verbose_name_plural = _("tests of cohorts")
        ordering = ["cohort_id", "opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort"], condition=models.Q(kind="final"), name="cohort_test_one_final"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="cohort_test_window"),
            models.CheckConstraint(condition=models.Q(time_limit_minutes__gte=1), name="cohort_test_time_limit"),
        ]

    def __str__(self):
        return self.title or f"{self.cohort.code}: {self.get_kind_display()}"

    @property
    def question_count(self):
        return sum(int(n) for n in self.draw.values())


class Reassessment(models.Model):
    """A second chance at the final test (000 §3.10): in a later window of the listener's own cohort
    test (at most once in 12 months) or with the next cohort of the same program."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reassessments")
    test = models.ForeignKey(CohortTest, verbose_name=_("test"), on_delete=models.PROTECT, related_name="reassessments")
    with_next_cohort = models.BooleanField(_("with the next cohort"), default=False)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    reason = models.CharField(_("basis"), max_length=500, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("re-assessment")
        verbose_name_plural = _("re-assessments")
        ordering = ["enrolment_id", "-granted_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="reassessment_window"),
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.opens_at:%d.%m.%Y}"


class Attempt(models.Model):
    """One listener's sitting of a test. Never deleted: a re-assessment is a new attempt beside it."""

    test = models.ForeignKey(CohortTest, verbose_name=_("test"), on_delete=models.PROTECT, related_name="attempts")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attempts")
    reassessment = models.OneToOneField(
        Reassessment, on_delete=models.PROTECT, null=True, blank=True, related_name="attempt"
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.CharField(_("submitted"), max_length=10, choices=SubmittedBy.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1, null=True, blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=1, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["test_id", "enrolment_id", "started_at"]
        constraints = [
            # One attempt per test and listener; a re-assessment is the only other one (000 §3.10).
            models.UniqueConstraint(
                fields=["test", "enrolment"],
                condition=models.Q(reassessment__isnull=True),
                name="attempt_one_per_test",
            ),
            models.CheckConstraint(condition=models.Q(deadline__gt=models.F("started_at")), name="attempt_deadline"),
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.test}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class AttemptItem(models.Model):
    """A drawn question of an attempt, with its options in the order shown and the options chosen."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("No."))
    option_order = models.JSONField(default=list)
    chosen = models.JSONField(default=list)
    answered_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("question of an attempt")
        verbose_name_plural = _("questions of attempts")
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position_unique"),
            models.UniqueConstraint(fields=["attempt", "question"], name="attempt_item_question_unique"),
        ]

    def __str__(self):
        return f"{self.attempt}: {self.position}"
