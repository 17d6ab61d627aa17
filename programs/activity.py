"""The logged actions of programs and of the needs analysis."""

from django.utils.translation import gettext_lazy as _

from ziat.activity import register_actions

from .enums import CommentStatus, ComplexPart, Conclusion, ProgramStatus

register_actions(
    ("programs.program.created", _("Program created"), {"choices": {"status": ProgramStatus}}),
    ("programs.program.status", _("Program status changed"), {"choices": {"status": ProgramStatus}}),
    ("programs.program.terms_saved", _("Program's titles and terms saved")),
    ("programs.version.text_saved", _("Program text saved")),
    ("programs.version.plan_saved", _("Thematic plan saved")),
    ("programs.discussion.summarised", _("Discussion summarised")),
    (
        "programs.discussion.recounted",
        _("Discussion's last day moved by the working-day calendar"),
        {"fields": {"ends_on": _("open until")}},
    ),
    ("programs.comment.decided", _("Comment moderated"), {"choices": {"status": CommentStatus}}),
    ("programs.submission.concluded", _("State body's conclusion recorded"), {"choices": {"conclusion": Conclusion}}),
    ("programs.remark.answered", _("Remark answered")),
    ("programs.complex.added", _("Material added to the methodical complex"), {"choices": {"part": ComplexPart}}),
    ("programs.complex.removed", _("Material removed from the methodical complex"), {"choices": {"part": ComplexPart}}),
    ("programs.needs.survey_saved", _("Needs survey saved")),
    ("programs.needs.survey_opened", _("Needs survey opened")),
    ("programs.needs.survey_closed", _("Needs survey closed")),
    ("programs.needs.question_saved", _("Survey question saved")),
    ("programs.needs.question_removed", _("Survey question removed")),
    ("programs.needs.review_saved", _("Legislation review saved")),
    ("programs.needs.minutes_saved", _("Council minutes saved")),
    ("programs.needs.order_created", _("Development order issued")),
)
