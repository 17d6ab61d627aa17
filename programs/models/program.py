from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Mod
from django.utils.translation import gettext_lazy as _

from ziat.models import localized

from ..enums import HOUR_FIELDS, FormOfStudy, Language, ProgramStatus, SectionLanguage


def validate_half_hours(value):
    """Academic hours are whole or halves (0.5), never 0.3."""
    if value is not None and (value * 2) % 1:
        raise ValidationError(
            _("Hours are counted in whole and half hours: %(value)s is neither."), params={"value": value}
        )


HOURS = {
    "max_digits": 5,
    "decimal_places": 1,
    "default": Decimal("0"),
    "validators": [MinValueValidator(0), validate_half_hours],
}


class Program(models.Model):
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT)
    form_of_study = models.CharField(
        _("form of study"),
        max_length=30,
        choices=FormOfStudy.choices,
        default=FormOfStudy.WITHOUT_LEAVING_WORK,
    )
    language = models.CharField(
        _("language of instruction"), max_length=10, choices=Language.choices, default=Language.KK_RU
    )
    current_version = models.ForeignKey(
        "ProgramVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_version = models.ForeignKey(
        "ProgramVersion",
        verbose_name=_("approved version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_order_number = models.CharField(_("approval order No."), max_length=50, blank=True)
    is_internship = models.BooleanField(
        _("TVET internship"), default=False, help_text=_("An internship of TVET teachers at an enterprise.")
    )
    authors = models.TextField(_("authors"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-created_at"]
        permissions = [("approve_program", _("Can approve programs"))]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title_kk="", title_ru=""), name="program_has_a_title"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_version__isnull=False),
                name="program_approved_has_version",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return localized(self, "title")


class ProgramVersion(models.Model):
    """One version of a program's text; frozen once sent to discussion, the state body or approved."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    frozen = models.BooleanField(_("frozen"), default=False)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("program version")
        verbose_name_plural = _("program versions")
        ordering = ["program", "number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="program_version_unique")]

    def __str__(self):
        return _("%(program)s, version %(number)s") % {"program": self.program, "number": self.number}

    @property
    def label(self):
        return _("version %(number)s") % {"number": self.number}


class VersionText(models.Model):
    """The text sections of one version in one language (000 §2.8); section 5 is the plan of modules."""

    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=2, choices=SectionLanguage.choices)
    general_provisions = models.TextField(_("1. General provisions"), blank=True)
    glossary = models.JSONField(_("2. Glossary"), default=list, blank=True, help_text=_("[term, definition] pairs"))
    subject = models.TextField(_("3. Topic of the program"), blank=True)
    goal = models.TextField(_("4. Goal"), blank=True)
    objectives = models.JSONField(_("4. Objectives"), default=list, blank=True)
    expected_results = models.JSONField(_("4. Expected results"), default=list, blank=True)
    structure = models.TextField(_("5. Structure and content"), blank=True)
    organisation = models.TextField(_("6. Organisation of the learning process"), blank=True)
    methodical_support = models.TextField(_("7. Educational-methodical support"), blank=True)
    assessment = models.TextField(_("8. Assessment of learning outcomes"), blank=True)
    postcourse = models.TextField(_("9. Post-course support"), blank=True)
    literature_main = models.JSONField(_("10. Main literature"), default=list, blank=True)
    literature_additional = models.JSONField(_("10. Additional literature"), default=list, blank=True)

    class Meta:
        verbose_name = _("text of a version")
        verbose_name_plural = _("texts of versions")
        constraints = [models.UniqueConstraint(fields=["version", "language"], name="version_text_unique")]

    def __str__(self):
        return f"{self.version} ({self.get_language_display()})"


class Module(models.Model):
    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveIntegerField(_("No."))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    content_kk = models.TextField(_("content (Kazakh)"), blank=True)
    content_ru = models.TextField(_("content (Russian)"), blank=True)
    is_final_assessment = models.BooleanField(
        _("final assessment"),
        default=False,
        help_text=_("The final-assessment rows of the thematic plan; not a module of the appendix."),
    )

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="module_position_unique"),
            models.CheckConstraint(condition=~models.Q(title_kk="", title_ru=""), name="module_has_a_title"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return localized(self, "title")

    @property
    def hours(self):
        """Total academic hours of the module, computed from its topics (prefetch ``topics``)."""
        return sum((t.total for t in self.topics.all()), Decimal("0"))


class Topic(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="topics")
    position = models.PositiveIntegerField(_("order"))
    code = models.CharField(_("No."), max_length=20, blank=True, help_text=_("As in the plan: 1.1, СРС № 1"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    lecture = models.DecimalField(_("lecture"), **HOURS)
    self_study = models.DecimalField(_("self-study"), **HOURS)
    question_answer = models.DecimalField(_("question-answer"), **HOURS)
    case = models.DecimalField(_("case"), **HOURS)
    independent = models.DecimalField(_("independent work"), **HOURS)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["module", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="topic_position_unique"),
            models.CheckConstraint(condition=~models.Q(title_kk="", title_ru=""), name="topic_has_a_title"),
            *[
                models.CheckConstraint(condition=models.Q(**{f"{f}__gte": 0}), name=f"topic_{f}_not_negative")
                for f in HOUR_FIELDS
            ],
            *[
                models.CheckConstraint(
                    condition=models.lookups.Exact(Mod(models.F(f) * 2, 1), 0), name=f"topic_{f}_in_halves"
                )
                for f in HOUR_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    @property
    def title(self):
        return localized(self, "title")

    @property
    def total(self):
        return sum((getattr(self, f) for f in HOUR_FIELDS), Decimal("0"))


class ProgramStatusChange(models.Model):
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="history")
    version = models.ForeignKey(
        ProgramVersion, verbose_name=_("version"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ProgramStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ProgramStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at"]

    def __str__(self):
        if self.from_status:
            return f"{self.program}: {self.get_from_status_display()} → {self.get_to_status_display()}"
        return f"{self.program}: {self.get_to_status_display()}"
