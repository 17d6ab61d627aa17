from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISCUSSION = "discussion", _("Public discussion")
    SUBMITTED = "submitted", _("Submitted to the state body")
    REWORK = "rework", _("Rework requested")
    AGREED = "agreed", _("Agreed by the state body")
    APPROVED = "approved", _("Approved")
    ARCHIVED = "archived", _("Archived")


# The states in which the current version may still be edited.
EDITABLE_STATES = {ProgramStatus.DRAFT, ProgramStatus.REWORK}


class FormOfStudy(models.TextChoices):
    WITHOUT_LEAVING_WORK = "without_leaving_work", _("Without leaving work (incl. distance)")
    LEAVING_WORK = "leaving_work", _("Leaving work with salary kept")
    ABROAD = "abroad", _("Abroad")
    BLENDED = "blended", _("Blended (in-person and distance)")


class Language(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    KK_RU = "kk_ru", _("Kazakh and Russian")


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    SELF_STUDY = "self_study", _("Self-study")
    QUESTION_ANSWER = "question_answer", _("Question-answer")
    CASE = "case", _("Case")
    INDEPENDENT = "independent", _("Independent work")


# The columns of the thematic plan (004), in order, as Topic field names.
HOUR_FIELDS = [kind.value for kind in ActivityKind]


class SectionLanguage(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


class DurationClass(models.TextChoices):
    """Duration classes of 001 §23 and 000 §3.5, derived from the plan's hours and the form of study."""

    SHORT = "short", _("Short course (36-108 hours)")
    LONG = "long", _("Long course (over 108 hours)")
    INTERNSHIP = "internship", _("TVET internship (36 hours or more)")
    ABROAD_SHORT = "abroad_short", _("Abroad, short (36-80 hours)")
    ABROAD_LONG = "abroad_long", _("Abroad, long (up to a year)")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One answer")
    MULTIPLE = "multiple", _("Several answers")
    TEXT = "text", _("Free text")


class CouncilDecision(models.TextChoices):
    DEVELOP = "develop", _("Develop the program")
    DO_NOT_DEVELOP = "do_not_develop", _("Do not develop")


class CommentStatus(models.TextChoices):
    NEW = "new", _("Not yet considered")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Conclusion(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    REWORK = "rework", _("Rework needed")


class ComplexPart(models.TextChoices):
    """The parts of the educational-methodical complex (000 §2.11)."""

    TEXTBOOKS = "textbooks", _("Textbooks")
    DIDACTIC = "didactic", _("Didactic materials")
    METHODICAL = "methodical", _("Methodical materials")
    TEST_BANK = "test_bank", _("Bank of test items")
    PORTFOLIO = "portfolio", _("Portfolio")
