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


EDITABLE_STATES = {ProgramStatus.DRAFT, ProgramStatus.REWORK}
TEACHABLE_STATES = {ProgramStatus.APPROVED}


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
