"""Background work through its public surface: stored documents, jobs with progress, the scheduler."""

import datetime
import hashlib
import re
import threading

import pypdfium2 as pdfium
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from enrolment.enums import Funding, RequestStatus
from enrolment.models import Contract, Enrolment, Listener, TeacherRequest
from enrolment.tasks import accept_request
from tests.certificates.helpers import issued
from tests.enrolment.test_admission import admit, prepare
from tests.enrolment.test_requests_services import make_representative, submitted
from tests.factories import cohort, pdf_response, program, staff_user, write_statements
from ziat.jobs import job_create
from ziat.models import Job, Organisation, ScheduledRun, StoredDocument
from ziat.scheduler import scheduler_tick
from ziat.stored_documents import document_render
from ziat.tasks import render_document


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _text(pdf):
    return re.sub(r"\s+", " ", " ".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(pdf)))


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def signed_order(db, org, registrar, director):
    from enrolment.services.admission import admission_order_sign

    state = cohort(program(), funding=Funding.STATE)
    admit(state, registrar, last_name="Абаева")
    order = prepare(state, registrar)
    admission_order_sign(order, by=director)
    return order


# --------------------------------------------------------------------------------------- stored documents


def test_a_pdf_requested_twice_is_the_same_file(signed_order, registrar):
    client = _client(registrar)
    url = f"/staff/enrolment/orders/{signed_order.pk}/order.pdf"
    first, second = pdf_response(client, url), pdf_response(client, url)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content
    document = StoredDocument.objects.get(kind="enrolment.admission_order")
    assert document.sha256 == hashlib.sha256(first.content).hexdigest()
    assert document.size == len(first.content)
    assert first["ETag"] == second["ETag"] == f'"{document.sha256}"'
    # A browser that has the file already is told so without the bytes.
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_signed_orders_file_does_not_change_when_the_organisation_is_renamed(signed_order, registrar, org):
    client = _client(registrar)
    url = f"/staff/enrolment/orders/{signed_order.pk}/order.pdf"
    before = pdf_response(client, url).content
    assert org.name_ru in _text(before)
    Organisation.objects.filter(pk=org.pk).update(name_ru="Переименованный центр", name_kk="Жаңа атау")
    after = pdf_response(client, url).content
    assert after == before
    assert "Переименованный центр" not in _text(after)


def test_an_issued_certificates_file_does_not_change_when_the_organisation_is_renamed(org, director):
    certificate = issued(director)
    client = _client(certificate.enrolment.listener.user)
    url = f"/cabinet/certificates/{certificate.pk}/certificate.pdf"
    before = pdf_response(client, url)
    assert before.status_code == 200 and before["Content-Type"] == "application/pdf"
    Organisation.objects.filter(pk=org.pk).update(name_ru="Переименованный центр", name_kk="Жаңа атау")
    assert pdf_response(client, url).content == before.content


def test_a_draft_order_is_printed_as_it_stands_never_stale(db, org, registrar):
    from enrolment.services.admission import admission_order_update

    state = cohort(program(), funding=Funding.STATE)
    admit(state, registrar)
    order = prepare(state, registrar, number="12-Қ")
    client = _client(registrar)
    url = f"/staff/enrolment/orders/{order.pk}/order.pdf"
    assert "№ 12-Қ" in _text(pdf_response(client, url).content)
    admission_order_update(order, by=registrar, number="99-Қ", issued_on=order.issued_on, responsible="Б. Б.")
    text = _text(pdf_response(client, url).content)
    assert "№ 99-Қ" in text and "№ 12-Қ" not in text
    assert StoredDocument.objects.filter(kind="enrolment.admission_order").count() == 2


def test_reading_a_drafts_pdf_asks_for_nothing_its_page_asks_by_a_post(db, org, registrar):
    state = cohort(program(), funding=Funding.STATE)
    admit(state, registrar)
    order = prepare(state, registrar, number="12-Қ")
    client = _client(registrar)
    url = f"/staff/enrolment/orders/{order.pk}/order.pdf"
    with CaptureQueriesContext(connection) as reading:
        page = client.get(url)
    assert write_statements(reading) == []
    assert not StoredDocument.objects.exists()
    html = page.content.decode()
    assert page.status_code == 202
    assert f'<form method="post" action="{url}" data-auto-submit' in html and "ziat/js/auto-submit.js" in html
    assert client.post(url).status_code == 302
    assert StoredDocument.objects.get(kind="enrolment.admission_order").status == StoredDocument.Status.READY
    # A role that may not read the order asks for nothing by a POST either.
    assert _client(staff_user("trainer")).post(url).status_code in (403, 404)
    assert StoredDocument.objects.count() == 1


def test_a_document_being_made_shows_a_page_that_refreshes_itself_then_the_file(signed_order, registrar):
    # As when the worker has not yet taken the task: the document's row exists and waits.
    from ziat.documents import render_html

    document = StoredDocument.objects.create(
        kind="enrolment.admission_order",
        key=f"{signed_order.pk}:-",
        filename="order.pdf",
        source=render_html("documents/letterhead.html", {"org": Organisation.current()}),
    )
    client = _client(registrar)
    url = f"/staff/enrolment/orders/{signed_order.pk}/order.pdf"
    waiting = client.get(url)
    assert waiting.status_code == 202
    html = waiting.content.decode()
    assert "The document order.pdf is being prepared" in html
    assert 'data-refresh-seconds="2"' in html and "ziat/js/refresh.js" in html
    assert "<script>" not in html  # no inline script: the page stays within a strict Content-Security-Policy
    assert document_render(document.pk) == StoredDocument.Status.READY
    ready = client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    # Run again (a worker that died after the commit, or a second enqueue): the file is kept as it is.
    assert document_render(document.pk) == StoredDocument.Status.READY
    assert client.get(url).content == ready.content


def test_a_document_task_given_a_vanished_record_ends_with_a_clear_status(db):
    assert render_document.call(987654) == "missing"


# ------------------------------------------------------------------------------------------------ jobs


def _accept_job(registrar, item):
    return job_create(
        kind="enrolment.accept_request",
        title="Acceptance",
        owner=registrar,
        next_url=reverse("enrolment:request_detail", args=[item.pk]),
    )


def test_a_request_accepted_through_the_task_twice_creates_everything_once_001_18(db, registrar):
    item = submitted(make_representative(), count=3)
    first, second = _accept_job(registrar, item), _accept_job(registrar, item)
    accept_request.enqueue(first.pk, item.pk, registrar.pk)
    accept_request.enqueue(first.pk, item.pk, registrar.pk)  # the same job run again: left as it was
    accept_request.enqueue(second.pk, item.pk, registrar.pk)  # the request accepted twice
    assert TeacherRequest.objects.get(pk=item.pk).status == RequestStatus.ACCEPTED
    assert Listener.objects.count() == 3
    assert Enrolment.objects.count() == 3
    assert Contract.objects.count() == 3
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.done, first.total) == (Job.Status.DONE, 6, 6)
    assert "3 teachers are admitted" in first.message
    assert (second.status, second.message) == (Job.Status.DONE, "The request was already accepted.")


def test_accepting_over_http_goes_through_the_jobs_page_back_to_the_request(db, registrar):
    item = submitted(make_representative(), count=2)
    client = _client(registrar)
    response = client.post(reverse("enrolment:request_accept", args=[item.pk]))
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    page = client.get(response.url, follow=True)
    assert page.redirect_chain[-1][0] == reverse("enrolment:request_detail", args=[item.pk])
    assert "The request is accepted: 2 teachers are admitted" in page.content.decode()


def test_a_task_given_a_vanished_request_ends_the_job_with_a_clear_message(db, registrar):
    item = submitted(make_representative(), count=1)
    job = _accept_job(registrar, item)
    item.teachers.all().delete()
    TeacherRequest.objects.filter(pk=item.pk).delete()
    result = accept_request.enqueue(job.pk, item.pk, registrar.pk)
    assert result.status == "SUCCESSFUL"  # ended, not crashed: nothing to run again
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "The request no longer exists; nothing was accepted."
    page = _client(registrar).get(reverse("job", args=[job.pk]), follow=True)
    assert "The request no longer exists; nothing was accepted." in page.content.decode()


def test_a_task_given_a_changed_request_ends_the_job_with_the_rules_refusal(db, registrar):
    item = submitted(make_representative(), count=1)
    job = _accept_job(registrar, item)
    TeacherRequest.objects.filter(pk=item.pk).update(status=RequestStatus.RETURNED, return_reason="Wrong list")
    accept_request.enqueue(job.pk, item.pk, registrar.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Only a request sent to the centre can be accepted."
    assert not Enrolment.objects.exists()


def test_progress_is_visible_over_http_to_its_owner_only(db, registrar):
    job = job_create(kind="x", title="Export of payments", owner=registrar, total=10)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=3, message="Writing the rows")
    page = _client(registrar).get(reverse("job", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "3 / 10" in html and 'value="30"' in html and "Writing the rows" in html
    assert 'data-refresh-seconds="2"' in html
    assert _client(staff_user("registrar", username="other")).get(reverse("job", args=[job.pk])).status_code == 404


# ------------------------------------------------------------------------------------------- scheduler


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_enqueue_each_slot_once():
    now = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 7))
    barrier = threading.Barrier(2)
    enqueued = []

    def scheduler():
        try:
            barrier.wait()
            enqueued.extend(scheduler_tick(now=now, backend="database"))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    local = timezone.localtime(now)
    assert sorted(enqueued) == [
        ("attendance_warnings", local.replace(day=1, hour=20, minute=0)),
        ("close_expired_attempts", local.replace(minute=5)),
        ("cohort_figures", local.replace(minute=0)),
        ("nobd_deadlines", local.replace(hour=7, minute=0)),
        ("nobd_deadlines_ensure", local.replace(minute=0)),
        ("planning_reminders", local.replace(hour=8, minute=30)),
        ("prune", local.replace(hour=3, minute=30)),
        ("remind_consultations", local.replace(day=1, hour=9, minute=10)),
        ("remind_course_start", local.replace(hour=8, minute=0)),
        ("send_follow_ups", local.replace(hour=9, minute=0)),
    ]
    assert DBTaskResult.objects.count() == ScheduledRun.objects.count() == 10
    assert set(ScheduledRun.objects.values_list("task_id", flat=True)) == {
        str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)
    }
    # Later in the same slots nothing is enqueued; 9:10 brings the next attempt-closing, the next figures and the
    # day's consultations reminder only.
    assert scheduler_tick(now=now + datetime.timedelta(minutes=2), backend="database") == []
    assert sorted(scheduler_tick(now=now + datetime.timedelta(minutes=3), backend="database")) == [
        ("close_expired_attempts", local.replace(minute=10)),
        ("cohort_figures", local.replace(minute=10)),
        ("remind_consultations", local.replace(minute=10)),
    ]
    assert DBTaskResult.objects.count() == 13


# ------------------------------------------------------------------------------------------------ exports


def test_an_export_is_written_by_a_task_and_downloaded_by_its_owner_only(db, registrar):
    from tests.factories import export_download

    client = _client(registrar)
    response = export_download(client, reverse("enrolment:schedule_export") + "?year=2026")
    assert response["Content-Disposition"].endswith('schedule-2026.xlsx"')
    job = Job.objects.get()
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 1, 1)
    with job.file.open("rb") as handle:
        assert handle.read() == response.content
    other = _client(staff_user("registrar", username="other"))
    assert other.get(reverse("job_file", args=[job.pk])).status_code == 404


def test_an_export_of_a_vanished_cohort_ends_with_a_clear_message(db, registrar):
    from ziat.tasks import build_export

    job = job_create(kind="export", title="Payments", owner=registrar, total=1)
    build_export.enqueue(job.pk, "enrolment.tasks.payments_file", {"filters": "cohort=987654"}, "payments.xlsx")
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, "The cohort no longer exists; nothing was exported.")
    assert not job.file


def test_an_export_task_refuses_a_function_not_marked_as_an_export(db, registrar):
    from ziat.tasks import build_export

    job = job_create(kind="export", title="x", owner=registrar, total=1)
    build_export.enqueue(job.pk, "ziat.scheduler.scheduler_tick", {}, "x.xlsx")
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, "This export is not known.")
    assert not ScheduledRun.objects.exists()
