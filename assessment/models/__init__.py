from .bank import BankVersion, Option, Question
from .external import ExternalAssessment
from .project import AssessmentScheme, CriterionScore, ProjectWork, RubricCriterion
from .results import FinalResult, ModuleGrade
from .testing import Attempt, AttemptItem, CohortTest, Reassessment

__all__ = [
    "AssessmentScheme",
    "Attempt",
    "AttemptItem",
    "BankVersion",
    "CohortTest",
    "CriterionScore",
    "ExternalAssessment",
    "FinalResult",
    "ModuleGrade",
    "Option",
    "ProjectWork",
    "Question",
    "Reassessment",
    "RubricCriterion",
]
