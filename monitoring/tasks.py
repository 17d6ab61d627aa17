"""Background tasks of monitoring: thin wrappers that call a service (see ziat.tasking)."""

from django.tasks import task

from .figures import cohort_figures_refresh
from .nobd import nobd_deadlines_ensure as make_deadlines
from .nobd import nobd_remind_overdue


@task
def nobd_deadlines():
    """Daily: the NOBD deadline of every finished cohort, and one reminder of the overdue ones (001 §19)."""
    made = make_deadlines()
    return {"made": made, "reminded": nobd_remind_overdue()}


@task
def cohort_figures():
    """Every few minutes: keep the outcome figures of the finished cohorts changed since they were last kept (the
    dashboard reads them and never writes them, 000 §4.5)."""
    return cohort_figures_refresh()


@task
def nobd_deadlines_ensure():
    """Every few minutes: the NOBD deadline of every cohort just finished (001 §19), which the NOBD page reads."""
    return make_deadlines()
