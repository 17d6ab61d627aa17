"""The task worker for real: `db_worker` processes against the test database, one of them killed mid-task."""

import signal

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from enrolment.enums import RequestStatus
from enrolment.models import Contract, Enrolment, Listener, Message, TeacherRequest
from tests import processes
from tests.enrolment.test_requests_services import make_representative, submitted
from tests.factories import staff_user
from tests.ziat.worker_tasks import accept_slowly
from ziat.jobs import job_create
from ziat.models import Job

pytestmark = pytest.mark.django_db(transaction=True)

TEACHERS = 6


def _start_worker(worker_id, log):
    return processes.start_worker(worker_id, log, settings_module="ziat.settings.test", interval="0.2", verbosity="2")


def test_a_worker_killed_half_way_leaves_nothing_half_done_and_another_finishes_the_task_once(tmp_path):
    registrar = staff_user("registrar")
    item = submitted(make_representative(), count=TEACHERS)
    job = job_create(kind="test.accept", title="accept", owner=registrar, total=2 * TEACHERS)
    flag = tmp_path / "slept"
    result = accept_slowly.using(backend="database").enqueue(job.pk, item.pk, registrar.pk, str(flag))
    client = Client()
    client.force_login(registrar)
    log = (tmp_path / "workers.log").open("w")
    first = _start_worker("first", log)
    second = None
    try:
        processes.wait(flag.exists, "the first worker to reach the middle of the acceptance")
        # Progress is committed while the acceptance's own transaction is still open, and the page shows it.
        processes.wait(lambda: Job.objects.get(pk=job.pk).done == TEACHERS, "the progress to be written")
        page = client.get(reverse("job", args=[job.pk]))
        assert page.status_code == 200
        assert f"{TEACHERS} / {2 * TEACHERS}" in page.content.decode()
        assert 'data-refresh-seconds="2"' in page.content.decode()
        assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)

        # Nothing of the half-done acceptance is kept; the task is still marked running, by a dead worker.
        assert not Listener.objects.exists()
        assert not Enrolment.objects.exists()
        assert TeacherRequest.objects.get(pk=item.pk).status == RequestStatus.SUBMITTED
        assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

        second = _start_worker("second", log)
        processes.wait(
            lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
            "the second worker to finish the task",
        )
    finally:
        processes.stop(first)
        if second is not None:
            processes.stop(second)
        log.close()

    done = DBTaskResult.objects.get(pk=result.id)
    assert done.worker_ids == ["first", "second"]
    assert done.return_value == "accepted"
    assert TeacherRequest.objects.get(pk=item.pk).status == RequestStatus.ACCEPTED
    assert Listener.objects.count() == TEACHERS
    assert Enrolment.objects.filter(cohort=item.cohort).count() == TEACHERS
    assert Contract.objects.filter(enrolment__cohort=item.cohort).count() == TEACHERS
    assert Message.objects.filter(kind="admitted").count() == TEACHERS
    finished = Job.objects.get(pk=job.pk)
    assert (finished.status, finished.done, finished.total) == (Job.Status.DONE, 2 * TEACHERS, 2 * TEACHERS)


def test_a_task_whose_worker_keeps_dying_is_failed_with_a_clear_message_not_run_for_ever(settings):
    from ziat.tasking import requeue_stale_tasks

    settings.TASK_MAX_ATTEMPTS = 2
    registrar = staff_user("registrar")
    job = job_create(kind="test.accept", title="accept", owner=registrar)
    result = accept_slowly.using(backend="database").enqueue(job.pk, 0, registrar.pk, "/nonexistent")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("gone-1")
    assert requeue_stale_tasks() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    row.claim("gone-2")
    assert requeue_stale_tasks() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "ziat.tasking.WorkerLost"
    assert "stopped 2 times" in row.traceback
