"""How the post-course records lead to their cohort, their listener and their organisation (see ``ziat.access``).

A support event is the centre's own: it is announced to the listeners in their support year of every program
(or of the programs it names), not to one cohort.
"""

from ziat import access

from .models import (
    Consultation,
    ConsultationMessage,
    EventRegistration,
    FollowUp,
    Publication,
    PublicationComment,
    SchoolObservation,
    SupportActivity,
    SupportEvent,
    SupportPeriod,
)

LISTENER = "enrolment__listener__user"


def register():
    access.register_centre(SupportEvent)
    access.register(SupportPeriod, cohort="enrolment__cohort", person=LISTENER)
    access.register(SupportActivity, cohort="cohort", person="responsible")
    access.register(Consultation, cohort="enrolment__cohort", person=LISTENER)
    access.register(ConsultationMessage, cohort="consultation__enrolment__cohort", person=f"consultation__{LISTENER}")
    access.register(Publication, cohort="enrolment__cohort", person=LISTENER)
    access.register(PublicationComment, cohort="publication__enrolment__cohort", person=f"publication__{LISTENER}")
    access.register(EventRegistration, cohort="enrolment__cohort", person=LISTENER)
    access.register(FollowUp, cohort="enrolment__cohort", person=LISTENER)
    access.register(SchoolObservation, cohort="enrolment__cohort", partner="partner")
