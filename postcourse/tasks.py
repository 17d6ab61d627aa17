"""Background tasks of post-course support: thin wrappers that call a service (see ziat.tasking)."""

from django.tasks import task

from .followups import follow_ups_mail_due


@task
def send_follow_ups():
    """Daily: send the follow-up questionnaires that are due and remind once of the unanswered (001 §34)."""
    sent, reminded = follow_ups_mail_due()
    return {"sent": sent, "reminded": reminded}
