"""The test bank of a program (000 §2.11): questions per module in Kazakh and Russian, in frozen versions.

A version is never edited: an import makes the next one, so an attempt always shows its questions
as they were when it was drawn.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from ziat.models import localized

from ..enums import QuestionKind


class BankVersion(models.Model):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="bank_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The background job that imported it: a job run again finds its version instead of making another.
    import_job = models.OneToOneField(
        "ziat.Job", verbose_name=_("import job"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("test bank version")
        verbose_name_plural = _("test bank versions")
        ordering = ["program_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="bank_version_unique")]

    def __str__(self):
        return f"{self.program} — {self.number}"


class Question(models.Model):
    bank = models.ForeignKey(BankVersion, on_delete=models.CASCADE, related_name="questions")
    module_number = models.PositiveIntegerField(_("module No."))
    position = models.PositiveIntegerField(_("No."))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    weight = models.PositiveSmallIntegerField(_("points"), default=1, validators=[MinValueValidator(1)])
    text_kk = models.TextField(_("question (Kazakh)"), blank=True)
    text_ru = models.TextField(_("question (Russian)"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "position"], name="question_position_unique"),
            models.CheckConstraint(condition=~models.Q(text_kk="", text_ru=""), name="question_has_text"),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="question_weight_positive"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def text(self):
        return localized(self, "text")


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(_("No."))
    text_kk = models.TextField(_("option (Kazakh)"), blank=True)
    text_ru = models.TextField(_("option (Russian)"), blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="option_position_unique"),
            models.CheckConstraint(condition=~models.Q(text_kk="", text_ru=""), name="option_has_text"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def text(self):
        return localized(self, "text")
