"""Background tasks of assessment: thin wrappers that take ids and call a service (see ziat.tasking)."""

from django.tasks import task

from .services.testing import close_expired_attempts as close_expired


@task
def close_expired_attempts():
    """Every few minutes: submit and score the attempts past their deadline, as of their deadline."""
    return close_expired()
