from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment
from programs.models import Module

from ..enums import GradeSource


class FinalResult(models.Model):
    """The final test score of one listener in one cohort."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="final_result")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)])
    # Empty when the server scored an online attempt (``attempt``); a person otherwise.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attempt = models.ForeignKey("assessment.Attempt", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("final result")
        verbose_name_plural = _("final results")
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=0), name="final_result_score_not_negative")]

    def __str__(self):
        return f"{self.enrolment}: {self.score}"


class ModuleGrade(models.Model):
    """A listener's grade for a module, printed in the certificate's appendix (001 App. 4)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="module_grades")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=50)
    source = models.CharField(_("set"), max_length=10, choices=GradeSource.choices, default=GradeSource.TRAINER)

    class Meta:
        verbose_name = _("module grade")
        verbose_name_plural = _("module grades")
        constraints = [models.UniqueConstraint(fields=["enrolment", "module"], name="module_grade_unique")]

    def __str__(self):
        return f"{self.enrolment}: {self.module} — {self.grade}"
