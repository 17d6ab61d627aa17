"""Background tasks of enrolment: thin wrappers that take ids and call a service (see ziat.tasking)."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat.errors import DomainError
from ziat.exports import export_builder
from ziat.jobs import job_done, job_run

from .enums import RequestStatus
from .models import Cohort, TeacherRequest
from .notifications import course_start_reminders, mail_written
from .services import nobd, planning
from .services.attendance_sheet import attendance_readable, attendance_workbook
from .services.attendance_warnings import attendance_warn_all
from .services.payments import payments_workbook
from .services.requests import request_accept
from .services.schedule import schedule_workbook


@task
def accept_request(job_id, request_id, user_id):
    """Accept a partner's request with its progress shown on the job's page.

    Run again (after its worker died, or twice), it creates nothing twice: the acceptance is one
    transaction, and a request already accepted is reported as such.
    """
    with job_run(job_id) as progress:
        if progress is None:
            return "finished before"
        teacher_request = TeacherRequest.objects.select_related("cohort").filter(pk=request_id).first()
        if teacher_request is None:
            raise DomainError(_("The request no longer exists; nothing was accepted."))
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise DomainError(_("The account that asked for the acceptance no longer exists; nothing was accepted."))
        if teacher_request.status == RequestStatus.ACCEPTED:
            job_done(job_id, message=_("The request was already accepted."))
            return "already accepted"
        request_accept(teacher_request, by=user, progress=progress)
        count = teacher_request.teachers.count()
        job_done(
            job_id,
            message=_("The request is accepted: %(count)s teachers are admitted to %(code)s.")
            % {"count": count, "code": teacher_request.cohort.code},
            total=2 * count,
        )
        return "accepted"


@task
def remind_course_start(days=3):
    """Daily: remind enrolled listeners that their course starts soon (each is reminded once)."""
    with transaction.atomic():
        return course_start_reminders(timezone.localdate(), days_ahead=days)


@task
def planning_reminders():
    """Daily: remind the levels of the planning chain of the plans and lists due soon (001 §§11-14)."""
    with transaction.atomic():
        return planning.planning_reminders(timezone.localdate())


@task
def attendance_warnings():
    """Daily: warn the listeners whose 80% attendance is at risk or out of reach (each warning once)."""
    return len(attendance_warn_all(today=timezone.now()))


# --- exports written by ziat.tasks.build_export ---------------------------------------------------------


@export_builder
def payments_file(*, filters=""):
    """The payments workbook of the invoices as filtered on the page (its query string)."""
    return payments_workbook(filters)


@export_builder
def schedule_file(*, year, filters=""):
    """The schedule of courses of a year, as filtered on the page (its query string)."""
    return schedule_workbook(year, filters)


@export_builder(writes_file=True)
def attendance_file(*, out, progress, cohort_id, user_id):
    """The attendance sheet of a cohort, for a user who may still read it when the file is written."""
    cohort = Cohort.objects.select_related("program").filter(pk=cohort_id).first()
    if cohort is None:
        raise DomainError(_("The cohort no longer exists; nothing was exported."))
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not attendance_readable(user, cohort):
        raise DomainError(_("You may not read the attendance of this cohort; nothing was exported."))
    attendance_workbook(cohort, out, progress=progress)


@task
def mail_messages(message_ids):
    """E-mail the messages of a sending to the listeners (enqueued when the sending commits)."""
    return mail_written(message_ids)


def _nobd_user(user_id):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise DomainError(_("The account that uploaded the file no longer exists; nothing was changed."))
    return user


@task
def nobd_read(job_id):
    """Read the NOBD export kept with the job and keep its rows and errors for the preview (nothing else
    is written: the listeners change only when the preview is confirmed). Run again, it reads again."""
    from ziat.models import Job

    with job_run(job_id) as progress:
        if progress is None:
            return "finished before"
        job = Job.objects.get(pk=job_id)
        if not job.input_file:
            raise DomainError(_("The uploaded file is no longer kept; upload it again."))
        with job.input_file.open("rb") as handle:
            upload = ContentFile(handle.read(), name=job.input_file.name.rsplit("/", 1)[-1])
        rows, errors = nobd.nobd_parse(upload, progress=progress)
        Job.objects.filter(pk=job_id).update(
            result={"rows": rows, "errors": [list(e) for e in errors]}, total=max(len(rows) + len(errors), 1)
        )
    return "read"


@task
def nobd_apply(job_id, read_job_id, user_id):
    """Apply a confirmed NOBD preview, all or nothing; the diff is computed again from today's data, so a
    run again after its worker died changes nothing twice."""
    from ziat.models import Job

    with job_run(job_id) as progress:
        if progress is None:
            return "finished before"
        user = _nobd_user(user_id)
        read = Job.objects.filter(pk=read_job_id, owner_id=user_id).first()
        if read is None:
            raise DomainError(_("The preview no longer exists; upload the file again."))
        rows, _errors = nobd.nobd_read_result(read)
        changed = nobd.nobd_apply(rows=rows, by=user, progress=progress)
        job_done(
            job_id,
            message=_("The NOBD data are applied: %(count)s listeners changed.") % {"count": changed},
            total=max(changed, 1),
        )
    return "applied"
