"""The program records are the centre's own (see ``ziat.access``).

The centre studies the needs, develops, discusses, agrees and approves each program as a whole: no cohort,
person or organisation owns a program or a record of its way to approval, and only the centre-wide roles (the
methodist and the director) hold permissions to change them. Services still name the record they act on.
"""

from ziat import access

from .models import (
    ComplexItem,
    CouncilMinutes,
    DevelopmentOrder,
    Discussion,
    DiscussionComment,
    LegislationReview,
    Module,
    NeedsSurvey,
    Program,
    ProgramStatusChange,
    ProgramVersion,
    StateRemark,
    Submission,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    Topic,
    VersionText,
)


def register():
    access.register_centre(
        Program,
        ProgramVersion,
        VersionText,
        Module,
        Topic,
        ProgramStatusChange,
        NeedsSurvey,
        SurveyQuestion,
        SurveyOption,
        # Answers to a needs survey are anonymous: they lead to no person.
        SurveyResponse,
        SurveyAnswer,
        LegislationReview,
        CouncilMinutes,
        DevelopmentOrder,
        Discussion,
        DiscussionComment,
        Submission,
        StateRemark,
        ComplexItem,
    )
