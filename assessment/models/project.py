"""The program's assessment rules and the project work scored by its rubric (004 §8)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment
from programs.models import Program
from ziat.models import localized

from ..enums import ModuleGradeRule


class AssessmentScheme(models.Model):
    """How a program assesses (001 §28): whether a project work is scored, its grade scale, module grades."""

    program = models.OneToOneField(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="assessment_scheme"
    )
    has_project = models.BooleanField(_("project work"), default=True)
    project_excellent_from = models.PositiveSmallIntegerField(_("project: “excellent” from"), default=9)
    project_good_from = models.PositiveSmallIntegerField(_("project: “good” from"), default=7)
    project_pass_from = models.PositiveSmallIntegerField(_("project: “satisfactory” from"), default=5)
    module_grade_rule = models.CharField(
        _("module grades"), max_length=20, choices=ModuleGradeRule.choices, default=ModuleGradeRule.TEST_SHARE
    )

    class Meta:
        verbose_name = _("assessment rules")
        verbose_name_plural = _("assessment rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project_excellent_from__gte=models.F("project_good_from"))
                & models.Q(project_good_from__gte=models.F("project_pass_from")),
                name="scheme_project_scale_order",
            ),
        ]

    def __str__(self):
        return str(self.program)


class RubricCriterion(models.Model):
    """A criterion of the project work's rubric (004 §8: five criteria of 0-2 points)."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField(_("No."))
    name_kk = models.CharField(_("criterion (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("criterion (Russian)"), max_length=300, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), default=2, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "position"], name="criterion_position_unique"),
            models.CheckConstraint(condition=~models.Q(name_kk="", name_ru=""), name="criterion_has_name"),
            models.CheckConstraint(condition=models.Q(max_points__gte=1), name="criterion_max_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    @property
    def description(self):
        return localized(self, "description")


class ProjectWork(models.Model):
    """The listener's project work and the trainer's scoring of it."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="project_work")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="projects/%Y/")
    original_name = models.CharField(max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    comment = models.TextField(_("comment"), blank=True)
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("project work")
        verbose_name_plural = _("project works")
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.title


class CriterionScore(models.Model):
    work = models.ForeignKey(ProjectWork, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [models.UniqueConstraint(fields=["work", "criterion"], name="criterion_score_unique")]

    def __str__(self):
        return f"{self.work}: {self.criterion} = {self.points}"
