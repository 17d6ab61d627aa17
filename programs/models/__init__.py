from .approval import ComplexItem, Discussion, DiscussionComment, StateRemark, Submission
from .needs import (
    CouncilMinutes,
    DevelopmentOrder,
    LegislationReview,
    NeedsSurvey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
)
from .program import Module, Program, ProgramStatusChange, ProgramVersion, Topic, VersionText

__all__ = [
    "ComplexItem",
    "CouncilMinutes",
    "DevelopmentOrder",
    "Discussion",
    "DiscussionComment",
    "LegislationReview",
    "Module",
    "NeedsSurvey",
    "Program",
    "ProgramStatusChange",
    "ProgramVersion",
    "StateRemark",
    "Submission",
    "SurveyAnswer",
    "SurveyOption",
    "SurveyQuestion",
    "SurveyResponse",
    "Topic",
    "VersionText",
]
