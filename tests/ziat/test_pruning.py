"""The daily pruning (ziat.pruning): finished jobs with their files, old task results and the scheduler's slots,
and drafts never sent go once older than their retention; recent ones, and every issued document, stay."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.references import reference_register
from enrolment.enums import ApplicationStatus, RequestStatus
from enrolment.models import Application, ApplicationDocument, ReferralOrder, RequestedTeacher, TeacherRequest
from enrolment.services.admission import admission_order_sign
from enrolment.tasks import remind_course_start
from tests.certificates.helpers import course, enrol, issued
from tests.enrolment.test_admission import admit, prepare
from tests.enrolment.test_requests_services import make_representative, teacher
from tests.factories import cohort, listener, program, staff_user
from ziat.jobs import job_attach_file, job_create
from ziat.models import ActivityLog, Job, ScheduledRun, StoredDocument
from ziat.tasks import prune

NOW = timezone.now()


def _days_ago(days):
    return NOW - datetime.timedelta(days=days)


def _prune(django_capture_on_commit_callbacks):
    """Run the daily task as the scheduler does; the files go once the deletions commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return prune.enqueue().return_value


def _job(owner, *, days, status=Job.Status.DONE, file=True):
    job = job_create(kind="export", title="Export", owner=owner, total=1)
    if file:
        job_attach_file(job.pk, content=b"PK-workbook", filename="export.xlsx")
    finished = _days_ago(days) if status in (Job.Status.DONE, Job.Status.FAILED) else None
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=finished, created_at=_days_ago(days))
    job.refresh_from_db()
    return job


def test_finished_jobs_older_than_the_retention_go_with_their_files(db, settings, django_capture_on_commit_callbacks):
    settings.RETENTION_JOBS_DAYS = 14
    owner = staff_user("registrar")
    old, failed, recent = _job(owner, days=15), _job(owner, days=20, status=Job.Status.FAILED), _job(owner, days=13)
    running = _job(owner, days=1, status=Job.Status.RUNNING, file=False)
    dead = _job(owner, days=30, status=Job.Status.RUNNING, file=False)
    old_file = old.file.name
    assert default_storage.exists(old_file)
    counts = _prune(django_capture_on_commit_callbacks)
    assert counts["jobs"] == 3
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not default_storage.exists(old_file)
    assert default_storage.exists(recent.file.name)
    assert {old.pk, failed.pk, dead.pk}.isdisjoint(Job.objects.values_list("pk", flat=True))


def test_old_task_results_and_scheduler_slots_go_recent_and_unfinished_stay(
    db, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_TASK_RESULTS_DAYS = 30

    def result(status, days):
        made = remind_course_start.using(backend="database").enqueue()
        finished = _days_ago(days) if status != "READY" else None
        DBTaskResult.objects.filter(pk=made.id).update(status=status, finished_at=finished)
        return str(made.id)

    old_ok, old_failed = result("SUCCESSFUL", 31), result("FAILED", 40)
    recent, waiting = result("SUCCESSFUL", 29), result("READY", 0)
    ScheduledRun.objects.create(job="remind_course_start", slot=_days_ago(31))
    kept_slot = ScheduledRun.objects.create(job="remind_course_start", slot=_days_ago(1))
    _prune(django_capture_on_commit_callbacks)
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {recent, waiting}
    assert {old_ok, old_failed}.isdisjoint(str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True))
    assert list(ScheduledRun.objects.values_list("pk", flat=True)) == [kept_slot.pk]


def test_the_current_slots_are_kept_whatever_the_retention(db, settings, django_capture_on_commit_callbacks):
    """A slot still current must stay recorded, or the scheduler would enqueue it a second time."""
    settings.RETENTION_TASK_RESULTS_DAYS = 0
    slot = ScheduledRun.objects.create(job="prune", slot=_days_ago(1))
    _prune(django_capture_on_commit_callbacks)
    assert ScheduledRun.objects.filter(pk=slot.pk).exists()


# ------------------------------------------------------------------------------------------------ drafts


@pytest.fixture
def courses(db, org):
    today = timezone.localdate()
    prog = program()
    return {
        "long_started": cohort(prog, starts_on=today - datetime.timedelta(days=100), ends_on=today),
        "just_started": cohort(prog, starts_on=today - datetime.timedelta(days=10), ends_on=today),
        "to_come": cohort(
            prog, starts_on=today + datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=15)
        ),
    }


def _application(c, status=ApplicationStatus.DRAFT, **kwargs):
    return Application.objects.create(
        listener=listener(), cohort=c, language="ru", funding=c.funding, status=status, **kwargs
    )


def _request(c, rep, status=RequestStatus.DRAFT):
    item = TeacherRequest.objects.create(partner=rep.representative.partner, cohort=c, created_by=rep, status=status)
    values = teacher()
    values.pop("email", None)
    RequestedTeacher.objects.create(request=item, row=1, **values)
    return item


def test_drafts_never_sent_of_a_course_started_long_ago_go(courses, settings, django_capture_on_commit_callbacks):
    settings.RETENTION_DRAFTS_DAYS = 90
    abandoned = _application(courses["long_started"])
    document = ApplicationDocument(application=abandoned, kind="diploma")
    document.file.save("diploma.pdf", ContentFile(b"%PDF-1.4 scan"))
    scan = document.file.name
    rep = make_representative()
    old_request = _request(courses["long_started"], rep)
    counts = _prune(django_capture_on_commit_callbacks)
    assert counts["enrolment.drafts"] == 2
    assert not Application.objects.filter(pk=abandoned.pk).exists()
    assert not ApplicationDocument.objects.exists() and not default_storage.exists(scan)
    assert not TeacherRequest.objects.filter(pk=old_request.pk).exists() and not RequestedTeacher.objects.exists()
    # The deletion is in the activity log of the course (the log itself is never pruned).
    logged = ActivityLog.objects.filter(action__endswith=".draft_deleted")
    assert sorted(logged.values_list("action", "cohort_id")) == [
        ("enrolment.application.draft_deleted", courses["long_started"].pk),
        ("enrolment.request.draft_deleted", courses["long_started"].pk),
    ]


def test_drafts_still_to_send_and_everything_sent_stay(courses, settings, django_capture_on_commit_callbacks):
    settings.RETENTION_DRAFTS_DAYS = 90
    rep = make_representative()
    kept = [
        _application(courses["just_started"]),
        _application(courses["to_come"]),
        _application(courses["long_started"], status=ApplicationStatus.SUBMITTED, submitted_at=NOW),
        _application(courses["long_started"], status=ApplicationStatus.WITHDRAWN),
    ]
    requests = [
        _request(courses["just_started"], rep),
        _request(courses["long_started"], rep, status=RequestStatus.SUBMITTED),
        referred := _request(courses["long_started"], rep),
    ]
    # A head's referral order attached to a list is a document of its own (001 §16): the list stays with it.
    ReferralOrder.objects.create(
        request=referred,
        issued_by=rep.representative.partner,
        number="7",
        issued_on=timezone.localdate(),
        file="referrals/order.pdf",
        added_by=rep,
    )
    counts = _prune(django_capture_on_commit_callbacks)
    assert counts["enrolment.drafts"] == 0
    assert set(Application.objects.values_list("pk", flat=True)) == {a.pk for a in kept}
    assert set(TeacherRequest.objects.values_list("pk", flat=True)) == {r.pk for r in requests}


# ------------------------------------------------------------------------------------------ issued documents


def test_issued_documents_and_their_files_stay_however_old(
    db, org, director, registrar, settings, django_capture_on_commit_callbacks
):
    """Certificates, references and orders are kept for good (000 §3.9, 001 §31-32): pruning never touches
    them, their stored files or the registers, even with every retention at zero."""
    settings.RETENTION_JOBS_DAYS = settings.RETENTION_TASK_RESULTS_DAYS = settings.RETENTION_DRAFTS_DAYS = 0
    certificate = issued(director)
    reference = reference_register(enrol(course(), hours=6, test=None), by=director)
    state = cohort(program())
    admit(state, registrar)
    order = prepare(state, registrar)
    admission_order_sign(order, by=director)
    documents = {d.pk: d.file.name for d in StoredDocument.objects.all()}
    assert len(documents) >= 3
    StoredDocument.objects.update(created_at=_days_ago(3650), finished_at=_days_ago(3650))
    logged = ActivityLog.objects.count()
    _prune(django_capture_on_commit_callbacks)
    assert {d.pk: d.file.name for d in StoredDocument.objects.all()} == documents
    assert all(default_storage.exists(name) for name in documents.values())
    certificate.refresh_from_db()
    reference.refresh_from_db()
    assert certificate.certificate_document_id and reference.document_id
    assert ActivityLog.objects.count() == logged


def test_the_command_prunes_by_hand_and_says_how_many(db, settings, django_capture_on_commit_callbacks):
    settings.RETENTION_JOBS_DAYS = 14
    _job(staff_user("registrar"), days=15)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune", stdout=out)
    assert "jobs: 1" in out.getvalue().splitlines()
    assert not Job.objects.exists()
