"""How the monitoring's own records lead to their cohort and their author (see ``ziat.access``).

The satisfaction records lead to a cohort only: no record of an answer leads to a person. An effectiveness
review is of a program over a period, the centre's own like the program.
"""

from ziat import access

from .models import (
    EffectivenessReview,
    NobdDeadline,
    SatisfactionComment,
    SatisfactionReceipt,
    SatisfactionTally,
    SelfAnalysis,
)


def register():
    access.register_centre(EffectivenessReview)
    access.register(SatisfactionTally, cohort="cohort")
    access.register(SatisfactionComment, cohort="cohort")
    access.register(SatisfactionReceipt, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(SelfAnalysis, cohort="cohort", person="author")
    access.register(NobdDeadline, cohort="cohort")
