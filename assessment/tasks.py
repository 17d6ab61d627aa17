"""Background tasks of assessment: thin wrappers that take ids and call a service (see ziat.tasking)."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ziat.errors import DomainError
from ziat.exports import export_builder
from ziat.jobs import job_done, job_run
from ziat.models import Job

from .models import CohortTest
from .services import testing
from .services.bank import bank_import
from .services.cohort_tests import results_workbook


@task
def close_expired_attempts():
    """Every few minutes: submit and score the attempts past their deadline, as of their deadline."""
    return testing.close_expired_attempts()


@export_builder
def results_file(*, test_id):
    """The results of a cohort's test (ziat.tasks.build_export writes it)."""
    test = CohortTest.objects.select_related("cohort").filter(pk=test_id).first()
    if test is None:
        raise DomainError(_("The test no longer exists; nothing was exported."))
    return results_workbook(test)


@task
def import_bank(job_id, program_id, user_id, note=""):
    """Import the workbook kept with the job as the program's next bank version.

    The import is one transaction; a run again after it committed finds the version already made for
    this job (its note and source carry the job) and makes no second one.
    """
    from programs.models import Program

    with job_run(job_id) as progress:
        if progress is None:
            return "finished before"
        job = Job.objects.get(pk=job_id)
        program = Program.objects.filter(pk=program_id).first()
        if program is None:
            raise DomainError(_("The program no longer exists; nothing was imported."))
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise DomainError(_("The account that asked for the import no longer exists; nothing was imported."))
        if not job.input_file:
            raise DomainError(_("The uploaded file is no longer kept; nothing was imported."))
        progress(0, 1, _("Reading and saving the questions"))
        with job.input_file.open("rb") as handle:
            upload = ContentFile(handle.read(), name=job.input_file.name.rsplit("/", 1)[-1])
        version = bank_import(program=program, upload=upload, by=user, note=note, job_id=job_id)
        count = version.questions.count()
        job_done(
            job_id,
            message=ngettext(
                "Version %(number)s of the test bank is saved: %(count)s question.",
                "Version %(number)s of the test bank is saved: %(count)s questions.",
                count,
            )
            % {"number": version.number, "count": count},
        )
        return version.number
