from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")


class TestKind(models.TextChoices):
    """The bank serves the final test and the diagnostics of effectiveness (000 §4.5)."""

    FINAL = "final", _("final test")
    ENTRANCE = "entrance", _("entrance diagnostic")
    MILESTONE = "milestone", _("milestone control")


class SubmittedBy(models.TextChoices):
    LISTENER = "listener", _("by the listener")
    DEADLINE = "deadline", _("at the time limit")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    SATISFACTORY = "satisfactory", _("satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("unsatisfactory")


class ModuleGradeRule(models.TextChoices):
    """How the grades of the appendix's modules are set (001 App. 4)."""

    TEST_SHARE = "test_share", _("from the final test: the share of the module's questions answered correctly")
    CREDIT = "credit", _("“credited” for every module of a listener who passed")
    TRAINER = "trainer", _("entered by the trainer")


class GradeSource(models.TextChoices):
    RULE = "rule", _("by the program's rule")
    TRAINER = "trainer", _("entered by the trainer")
