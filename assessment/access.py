"""How the assessment records lead to their cohort and their listener (see ``ziat.access``).

A program's test bank and its assessment rules are the centre's own, like the program they belong to: the
methodists keep them for every cohort of the program.
"""

from ziat import access

from .models import (
    AssessmentScheme,
    Attempt,
    AttemptItem,
    BankVersion,
    CohortTest,
    CriterionScore,
    ExternalAssessment,
    FinalResult,
    ModuleGrade,
    Option,
    ProjectWork,
    Question,
    Reassessment,
    RubricCriterion,
)

LISTENER = "enrolment__listener__user"


def register():
    access.register_centre(BankVersion, Question, Option, AssessmentScheme, RubricCriterion)
    access.register(CohortTest, cohort="cohort")
    for model in (Attempt, FinalResult, ModuleGrade, ProjectWork, ExternalAssessment, Reassessment):
        access.register(model, cohort="enrolment__cohort", person=LISTENER)
    access.register(AttemptItem, cohort="attempt__enrolment__cohort", person=f"attempt__{LISTENER}")
    access.register(CriterionScore, cohort="work__enrolment__cohort", person=f"work__{LISTENER}")
