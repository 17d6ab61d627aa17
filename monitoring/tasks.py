"""Background tasks of monitoring: thin wrappers that call a service (see ziat.tasking)."""

from django.tasks import task

from .nobd import nobd_deadlines_ensure, nobd_remind_overdue


@task
def nobd_deadlines():
    """Daily: the NOBD deadline of every finished cohort, and one reminder of the overdue ones (001 §19)."""
    made = nobd_deadlines_ensure()
    return {"made": made, "reminded": nobd_remind_overdue()}
