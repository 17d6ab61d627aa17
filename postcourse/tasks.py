"""Background tasks of post-course support: thin wrappers that call a service (see ziat.tasking)."""

from django.tasks import task

from .consultations import consultations_remind
from .followups import follow_ups_mail_due


@task
def send_follow_ups():
    """Daily: send the follow-up questionnaires that are due and remind once of the unanswered (001 §34)."""
    sent, reminded = follow_ups_mail_due()
    return {"sent": sent, "reminded": reminded}


@task
def remind_consultations():
    """Daily: recall to the staff the consultations still unanswered two working days after they were asked."""
    return {"reminded": consultations_remind()}
