"""Background tasks of assessment: thin wrappers that take ids and call a service (see ziat.tasking)."""

from django.tasks import task
from django.utils.translation import gettext as _

from ziat.errors import DomainError
from ziat.exports import export_builder

from .models import CohortTest
from .services.cohort_tests import results_workbook
from .services.testing import close_expired_attempts as close_expired


@task
def close_expired_attempts():
    """Every few minutes: submit and score the attempts past their deadline, as of their deadline."""
    return close_expired()


@export_builder
def results_file(*, test_id):
    """The results of a cohort's test (ziat.tasks.build_export writes it)."""
    test = CohortTest.objects.select_related("cohort").filter(pk=test_id).first()
    if test is None:
        raise DomainError(_("The test no longer exists; nothing was exported."))
    return results_workbook(test)
