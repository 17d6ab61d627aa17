"""The attendance sheet's Excel export as a background job (SPEC 3.3, 001 §24): the page starts a job, the task
writes the workbook a batch of listeners at a time, only the one who started it downloads it."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from enrolment.models import Session
from enrolment.services import attendance_sheet
from enrolment.services.attendance_sheet import attendance_workbook
from tests.factories import cohort, enrolment, export_download, listener, program, sessions, staff_user
from ziat.jobs import job_create
from ziat.models import Job
from ziat.tasks import build_export


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def course(db, org, trainer):
    c = cohort(program())
    ss = sessions(c, ["4", "4", "2"])
    Session.objects.filter(pk__in=[s.pk for s in ss]).update(trainer=trainer)
    people = [enrolment(c, listener(last_name=name)) for name in ("Абаева", "Бекова", "Жұмабаев")]
    return c, people


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _url(c):
    return reverse("enrolment:attendance_xlsx", args=[c.pk])


def test_the_sheet_is_written_by_a_job_and_read_back_with_a_row_per_listener_001_24(course, trainer):
    c, people = course
    response = export_download(_client(trainer), _url(c))
    job = Job.objects.get()
    assert (job.status, job.owner_id, job.filename) == (Job.Status.DONE, trainer.pk, f"attendance-{c.code}.xlsx")
    assert job.title == f"Attendance sheet of {c.code}"
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Attendance", "Sessions"]
    rows = list(book["Attendance"].iter_rows(values_only=True))
    assert [r[:2] for r in rows[1:]] == [(1, people[0].listener.full_name), (2, people[1].listener.full_name)] + [
        (3, people[2].listener.full_name)
    ]
    assert len(list(book["Sessions"].iter_rows(values_only=True))) == 1 + 3


def test_the_workbook_reads_the_listeners_a_batch_at_a_time_and_reports_progress(course, monkeypatch):
    c, people = course
    monkeypatch.setattr(attendance_sheet, "BATCH", 2)
    reported = []
    out = io.BytesIO()
    attendance_workbook(c, out, progress=lambda done, total, message: reported.append((done, total)))
    assert reported == [(2, 3), (3, 3)]
    rows = list(load_workbook(io.BytesIO(out.getvalue()), read_only=True)["Attendance"].iter_rows(values_only=True))
    # The batches keep the sheet's order (by surname) and its numbering.
    assert [r[:2] for r in rows[1:]] == [(n, e.listener.full_name) for n, e in enumerate(people, start=1)]


def test_a_trainer_of_another_cohort_can_neither_start_the_export_nor_download_it(course, trainer):
    c, _people = course
    outsider = _client(staff_user("trainer", username="outsider"))
    assert outsider.get(_url(c)).status_code == 403
    assert not Job.objects.exists()
    export_download(_client(trainer), _url(c))
    job = Job.objects.get()
    assert outsider.get(reverse("job", args=[job.pk])).status_code == 404
    assert outsider.get(reverse("job_file", args=[job.pk])).status_code == 404


def test_a_vanished_cohort_ends_the_job_with_a_clear_message_and_it_is_not_run_again(db, trainer):
    job = job_create(kind="export", title="Attendance", owner=trainer, total=1)
    kwargs = {"cohort_id": 987654, "user_id": trainer.pk}
    result = build_export.enqueue(job.pk, "enrolment.tasks.attendance_file", kwargs, "attendance.xlsx")
    # The task itself ends normally: nothing is left for a worker to try again.
    assert result.status == "SUCCESSFUL"
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, "The cohort no longer exists; nothing was exported.")
    assert not job.file
    again = build_export.enqueue(job.pk, "enrolment.tasks.attendance_file", kwargs, "attendance.xlsx")
    assert again.return_value == "finished before"


def test_a_user_who_lost_the_cohort_before_the_file_was_written_gets_no_file(course):
    c, _people = course
    outsider = staff_user("trainer", username="outsider")
    job = job_create(kind="export", title="Attendance", owner=outsider, total=1)
    build_export.enqueue(
        job.pk, "enrolment.tasks.attendance_file", {"cohort_id": c.pk, "user_id": outsider.pk}, "a.xlsx"
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.file
    assert job.message == "You may not read the attendance of this cohort; nothing was exported."
