"""How the assessment records lead to their cohort and their listener (see ``ziat.access``)."""

from ziat import access

from .models import (
    Attempt,
    AttemptItem,
    CohortTest,
    CriterionScore,
    ExternalAssessment,
    FinalResult,
    ModuleGrade,
    ProjectWork,
    Reassessment,
)

LISTENER = "enrolment__listener__user"


def register():
    access.register(CohortTest, cohort="cohort")
    for model in (Attempt, FinalResult, ModuleGrade, ProjectWork, ExternalAssessment, Reassessment):
        access.register(model, cohort="enrolment__cohort", person=LISTENER)
    access.register(AttemptItem, cohort="attempt__enrolment__cohort", person=f"attempt__{LISTENER}")
    access.register(CriterionScore, cohort="work__enrolment__cohort", person=f"work__{LISTENER}")
