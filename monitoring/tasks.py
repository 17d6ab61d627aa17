"""Background tasks of monitoring: thin wrappers that call a service (see ziat.tasking)."""

from django.tasks import task

from . import nobd
from .figures import cohort_figures_refresh


@task
def nobd_deadlines():
    """Daily: the NOBD deadline of every finished cohort, and one reminder of the overdue ones (001 §19)."""
    made = nobd.nobd_deadlines_ensure()
    return {"made": made, "reminded": nobd.nobd_remind_overdue()}


@task
def cohort_figures():
    """Every few minutes: keep the outcome figures of the finished cohorts changed since they were last kept (the
    dashboard reads them and never writes them, 000 §4.5)."""
    return cohort_figures_refresh()


@task
def nobd_deadlines_ensure():
    """Every few minutes: the NOBD deadline of every cohort just finished (001 §19), which the NOBD page reads."""
    return nobd.nobd_deadlines_ensure()
