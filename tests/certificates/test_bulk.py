"""A cohort's certificates issued by a background job with its progress (000 §3.7, 003 §7.6, SPEC 5.4), and ZIP
files of issued certificates and appendices for staff and for a partner's representative (SPEC 5.1-5.2).

The tests run the tasks at once (the immediate backend), except the one that kills a real worker process half-way
through a cohort and lets another finish.
"""

import datetime
import io
import signal
import zipfile

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from certificates.bulk import (
    certificates_zip_build,
    cohort_issue_run,
    cohort_issue_start,
    enrolment_issue_for_job,
    zip_entry_names,
)
from certificates.documents import stored_document
from certificates.models import Certificate, RegisterSequence
from certificates.services import certificate_issue, certificate_revoke
from certificates.tasks import issue_cohort_certificates
from enrolment.models import Partner, Representative, RequestedTeacher, TeacherRequest
from tests import processes
from tests.certificates.helpers import course, enrol
from tests.factories import UserFactory, listener, staff_user
from ziat.jobs import job_create
from ziat.models import ActivityLog, Job, StoredDocument

ON = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _cohort_url(c):
    return reverse("certificates:cohort_certificates", args=[c.pk])


def _job_url(job):
    return reverse("job", args=[job.pk])


def _issue_job(c):
    return Job.objects.get(kind=f"certificates.issue:{c.pk}")


def _refused(response):
    return response.status_code == 403 and 'class="site-header"' in response.content.decode()


# --- the director's job -------------------------------------------------------------------------------------------


def test_the_directors_post_starts_a_job_that_issues_the_eligible_and_lists_who_is_left_and_why_5_4_000_3_7(
    client, org, director
):
    c = course()
    passed = [enrol(c, last_name=f"Өтті{i}") for i in range(3)]
    low = enrol(c, hours=2, last_name="Келмеді")  # 20% attendance
    client.force_login(director)
    response = client.post(_cohort_url(c), {"issue": "1"})
    job = _issue_job(c)
    assert response.status_code == 302 and response["Location"] == _job_url(job)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.owner) == (Job.Status.DONE, 4, 4, director)
    # The job's outcome: how many were issued, who was left without one and why.
    assert job.message.startswith("Certificates issued: 3. Left without a certificate: 1.")
    assert "Келмеді" in job.message and "80%" in job.message
    assert {cert.enrolment for cert in Certificate.objects.filter(enrolment__cohort=c)} == set(passed)
    refusal = ActivityLog.objects.get(action="certificates.certificate.withheld")
    assert (refusal.object_id, refusal.cohort_id, refusal.listener_id) == (low.pk, c.pk, low.listener_id)
    # The finished job leads back to the cohort's page, which lists every listener with a number or the reasons.
    page = client.get(_job_url(job), follow=True)
    assert page.redirect_chain[-1] == (_cohort_url(c), 302)
    html = page.content.decode()
    assert "Certificates issued: 3." in html
    for certificate in Certificate.objects.filter(enrolment__cohort=c):
        assert certificate.registration_number in html
    assert 'id="issue-progress"' not in html


def test_a_listener_is_issued_one_certificate_with_its_documents_by_the_job_5_4(client, org, director):
    c = course()
    e = enrol(c)
    client.force_login(director)
    client.post(_cohort_url(c), {"issue": "1"})
    certificate = Certificate.objects.get(enrolment=e)
    assert certificate.registration_number == "ZIAT-2026-00001"
    assert certificate.lines.exists() and certificate.snapshot["holder"] == certificate.holder_name
    for part in ("certificate", "appendix"):
        assert stored_document(certificate, part).status == StoredDocument.Status.READY


def _planned(c, director):
    """A started job whose listeners' tasks are kept instead of run: the job is running, nothing issued yet."""
    tasks = []
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        job, started = cohort_issue_start(c, by=director, on=ON)
    assert started
    assert cohort_issue_run(job.pk, enqueue=lambda *args: tasks.append(args)) == f"planned {len(tasks)}"
    job.refresh_from_db()
    return job, tasks


def test_the_progress_page_and_the_cohorts_page_show_the_jobs_progress_5_4(client, org, director):
    c = course()
    for _i in range(4):
        enrol(c)
    job, tasks = _planned(c, director)
    assert (job.status, job.done, job.total) == (Job.Status.RUNNING, 0, 4)
    for args in tasks[:2]:
        assert enrolment_issue_for_job(*args) == "issued"
    client.force_login(director)
    page = client.get(_job_url(job)).content.decode()
    assert "2 / 4" in page and 'value="50"' in page and 'data-refresh-seconds="2"' in page
    cohort_page = client.get(_cohort_url(c)).content.decode()
    assert 'id="issue-progress"' in cohort_page and "2 / 4" in cohort_page and 'name="issue"' not in cohort_page
    for args in tasks[2:]:
        enrolment_issue_for_job(*args)
    job.refresh_from_db()
    assert (job.status, job.done) == (Job.Status.DONE, 4)


def test_reposting_while_the_job_runs_starts_nothing_and_issues_no_one_twice_5_4(client, org, director):
    c = course()
    enrolments = [enrol(c) for _i in range(3)]
    job, tasks = _planned(c, director)
    enrolment_issue_for_job(*tasks[0])
    client.force_login(director)
    again = client.post(_cohort_url(c), {"issue": "1"})
    assert again.status_code == 302 and again["Location"] == _job_url(job)
    other = staff_user("director")
    client.force_login(other)
    elsewhere = client.post(_cohort_url(c), {"issue": "1"}, follow=True)
    assert elsewhere.redirect_chain[-1] == (_cohort_url(c), 302)
    assert "being issued already" in elsewhere.content.decode()
    assert Job.objects.filter(kind=f"certificates.issue:{c.pk}").count() == 1
    # A listener's task run again (its worker died after its commit) issues nothing more and counts once.
    for args in tasks + tasks:
        enrolment_issue_for_job(*args)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 3, 3)
    assert sorted(Certificate.objects.values_list("enrolment_id", flat=True)) == sorted(e.pk for e in enrolments)
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2, 3]
    # The plan's task run again does nothing either.
    assert cohort_issue_run(job.pk, enqueue=lambda *args: pytest.fail("planned twice")) == "started before"


def test_a_listener_already_holding_a_certificate_is_not_planned_and_nobody_waiting_ends_the_job_5_4(
    client, org, director
):
    c = course()
    certificate_issue(enrol(c), by=director, on=ON)
    client.force_login(director)
    client.post(_cohort_url(c), {"issue": "1"})
    job = _issue_job(c)
    assert (job.status, job.total, job.message) == (Job.Status.DONE, 0, "Nobody is waiting for a certificate.")
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize("role", ["registrar", "methodist", "trainer", "accountant", "monitoring"])
def test_only_the_director_starts_the_issuing_job_5_4(client, org, role):
    c = course()
    enrol(c)
    client.force_login(staff_user(role))
    assert _refused(client.post(_cohort_url(c), {"issue": "1"}))
    assert not Job.objects.exists() and not Certificate.objects.exists()


def test_a_listener_or_a_representative_cannot_start_the_job_5_4(client, org):
    c = course()
    enrol(c)
    for user in (listener().user, _representative(Partner.objects.create(name="Мектеп", kind="school"))):
        client.force_login(user)
        assert client.post(_cohort_url(c), {"issue": "1"}).status_code in (302, 403)
    assert not Job.objects.exists() and not Certificate.objects.exists()


# --- ZIP files ----------------------------------------------------------------------------------------------------


def _zip_of(client, response):
    """The ZIP offered on the job's page the POST led to."""
    assert response.status_code == 302
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert job.status == Job.Status.DONE, job.message
    page = client.get(_job_url(job)).content.decode()
    assert reverse("job_file", args=[job.pk]) in page
    download = client.get(reverse("job_file", args=[job.pk]))
    assert download.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))), job


def _stored_bytes(certificate, part):
    with stored_document(certificate, part).file.open("rb") as handle:
        return handle.read()


def test_staff_download_the_cohorts_certificates_and_appendices_as_one_zip_of_the_stored_files_5_1_5_2(
    client, org, director
):
    c = course(code="ZIP-1")
    certificates = [certificate_issue(enrol(c, last_name=f"Әлі{i}"), by=director, on=ON) for i in range(3)]
    revoked = certificate_issue(enrol(c), by=director, on=ON)
    certificate_revoke(revoked, by=director, category="issued_in_error")
    enrol(c, hours=2)  # no certificate
    client.force_login(staff_user("registrar"))  # reads certificates, does not issue them
    page = client.get(_cohort_url(c)).content.decode()
    assert reverse("certificates:cohort_certificates_zip", args=[c.pk]) in page
    archive, job = _zip_of(client, client.post(reverse("certificates:cohort_certificates_zip", args=[c.pk])))
    assert job.filename == "certificates-ZIP-1.zip"
    expected = {}
    for certificate in certificates:
        names = zip_entry_names(certificate)
        assert names["certificate"] == (
            f"{certificate.registration_number} {certificate.holder_name}/"
            f"certificate-{certificate.registration_number}.pdf"
        )
        for part in ("certificate", "appendix"):
            expected[names[part]] = _stored_bytes(certificate, part)
    assert sorted(archive.namelist()) == sorted(expected)
    for name, data in expected.items():
        assert archive.read(name) == data and data.startswith(b"%PDF")


def test_a_cohort_without_certificates_gets_no_zip_but_a_clear_message(client, org, director):
    c = course()
    enrol(c)
    client.force_login(director)
    response = client.post(reverse("certificates:cohort_certificates_zip", args=[c.pk]))
    assert response.status_code == 400 and "no issued certificates" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", ["trainer"])
def test_staff_without_the_right_to_read_certificates_get_no_zip(client, org, director, role):
    c = course()
    certificate_issue(enrol(c), by=director, on=ON)
    client.force_login(staff_user(role))
    assert _refused(client.post(reverse("certificates:cohort_certificates_zip", args=[c.pk])))
    assert not Job.objects.exists()


def test_a_document_still_being_made_is_rendered_by_the_zip_job(org, director):
    c = course()
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        certificate = certificate_issue(enrol(c), by=director, on=ON)
    assert stored_document(certificate, "certificate").status == StoredDocument.Status.PENDING
    job = job_create(kind="certificates.zip", title="zip", owner=director, total=1)
    assert certificates_zip_build(job.pk, [certificate.pk], "c.zip") == "packed 1"
    job.refresh_from_db()
    certificate = Certificate.objects.get(pk=certificate.pk)
    with job.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    for part, name in zip_entry_names(certificate).items():
        assert stored_document(certificate, part).status == StoredDocument.Status.READY
        assert archive.read(name) == _stored_bytes(certificate, part)


def _representative(partner):
    user = UserFactory(last_name="Өкіл", first_name="Бақыт")
    Representative.objects.create(user=user, partner=partner)
    return user


def _accepted_request(partner, c, representative, *teachers):
    item = TeacherRequest.objects.create(partner=partner, cohort=c, created_by=representative, status="accepted")
    for row, e in enumerate(teachers, start=1):
        user = e.listener.user
        RequestedTeacher.objects.create(
            request=item,
            row=row,
            iin=e.listener.iin,
            last_name=user.last_name,
            first_name=user.first_name,
            birth_date=e.listener.birth_date,
            listener=e.listener,
        )
    return item


def test_a_representative_downloads_only_their_own_teachers_certificates_5_1_5_2(client, org, director):
    c = course(code="ZIP-P")
    ours = [enrol(c, last_name=f"Біздің{i}") for i in range(2)]
    theirs = enrol(c, last_name="Басқаның")
    not_listed = enrol(c, last_name="Тізімде жоқ")
    ours_certificates = [certificate_issue(e, by=director, on=ON) for e in ours]
    for e in (theirs, not_listed):
        certificate_issue(e, by=director, on=ON)
    school = Partner.objects.create(name="Мектеп 1", kind="school")
    other = Partner.objects.create(name="Мектеп 2", kind="school")
    representative, other_representative = _representative(school), _representative(other)
    item = _accepted_request(school, c, representative, *ours)
    _accepted_request(other, c, other_representative, theirs)
    client.force_login(representative)
    home = client.get(reverse("enrolment:partner_home")).content.decode()
    assert reverse("certificates:partner_certificates_zip") in home
    detail = client.get(reverse("enrolment:partner_request_detail", args=[item.pk])).content.decode()
    assert 'name="request"' in detail
    archive, job = _zip_of(client, client.post(reverse("certificates:partner_certificates_zip")))
    expected = {
        zip_entry_names(cert)[part]: _stored_bytes(cert, part)
        for cert in ours_certificates
        for part in zip_entry_names(cert)
    }
    assert sorted(archive.namelist()) == sorted(expected)
    assert all(archive.read(name) == data for name, data in expected.items())
    assert job.owner == representative
    # One request's ZIP; another organisation's request is not found.
    archive, _job = _zip_of(client, client.post(reverse("certificates:partner_certificates_zip"), {"request": item.pk}))
    assert sorted(archive.namelist()) == sorted(expected)
    foreign = TeacherRequest.objects.get(partner=other)
    assert client.post(reverse("certificates:partner_certificates_zip"), {"request": foreign.pk}).status_code == 404
    # The other organisation's representative gets their own teacher's only, and cannot open this one's job.
    client.force_login(other_representative)
    archive, _job = _zip_of(client, client.post(reverse("certificates:partner_certificates_zip")))
    assert [n.split(" ", 1)[0] for n in archive.namelist()] == [theirs.certificates.get().registration_number] * 2
    assert client.get(_job_url(job)).status_code == 404
    assert client.get(reverse("job_file", args=[job.pk])).status_code == 404


def test_a_listener_staff_and_anonymous_users_get_no_partners_zip(client, org, director):
    c = course()
    e = enrol(c)
    certificate_issue(e, by=director, on=ON)
    url = reverse("certificates:partner_certificates_zip")
    client.force_login(e.listener.user)
    assert client.post(url).status_code == 403
    client.force_login(director)
    assert client.post(url).status_code == 403
    client.logout()
    assert client.post(url).status_code == 302
    assert not Job.objects.exists()


def test_a_representative_without_certificates_is_told_so(client, org):
    client.force_login(_representative(Partner.objects.create(name="Мектеп", kind="school")))
    response = client.post(reverse("certificates:partner_certificates_zip"))
    assert response.status_code == 400 and "no issued certificates" in response.content.decode()


# --- issuers side by side ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_listeners_of_one_cohort_are_issued_side_by_side_without_waiting_for_the_cohorts_row_5_4(org, director):
    """Each listener's transaction locks only its enrolment (and, for a moment, the register's row): another
    transaction holding the cohort's row does not stop it, so several workers issue one cohort at once."""
    c = course()
    enrol(c)
    tasks = []
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        job, _started = cohort_issue_start(c, by=director, on=ON)
        cohort_issue_run(job.pk, enqueue=lambda *args: tasks.append(args))
        wrapper = connections["default"]
        holder = wrapper.get_new_connection(wrapper.get_connection_params())
        holder.autocommit = False
        try:
            with holder.cursor() as cursor:
                cursor.execute("SELECT id FROM enrolment_cohort WHERE id = %s FOR UPDATE", [c.pk])
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")
            assert enrolment_issue_for_job(*tasks[0]) == "issued"
        finally:
            holder.close()
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")


# --- a worker killed half-way -------------------------------------------------------------------------------------

COHORT = 30


def _blocked_backends():
    """Server processes of other connections waiting for a lock (an issuer waiting for the register's row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_through_a_cohort_leaves_whole_certificates_and_the_next_one_finishes_5_4_003_7_6(
    tmp_path, client, org, director
):
    c = course()
    eligible = [enrol(c, last_name=f"Тыңдаушы{i:02d}") for i in range(COHORT)]
    enrol(c, hours=2, last_name="Келмеген")  # left without a certificate, with the reason
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy), translation.override("en"):
        job, _started = cohort_issue_start(c, by=director, on=ON)
    issue_cohort_certificates.using(backend="database").enqueue(job.pk)
    client.force_login(director)
    # The 15th listener (in the plan's order, by name) is held here, so the worker stops there half-way.
    middle = eligible[COHORT // 2 - 1]
    wrapper = connections["default"]
    holder = wrapper.get_new_connection(wrapper.get_connection_params())
    holder.autocommit = False
    with holder.cursor() as cursor:
        cursor.execute("SELECT id FROM enrolment_enrolment WHERE id = %s FOR UPDATE", [middle.pk])
    log = (tmp_path / "workers.log").open("w")
    first = processes.start_worker("first", log)
    second = None
    try:
        processes.wait(lambda: _blocked_backends() >= 1, "the worker to reach the middle of the cohort")
        assert Certificate.objects.count() == COHORT // 2 - 1
        page = client.get(_job_url(job)).content.decode()
        assert f"{COHORT // 2} / {COHORT + 1}" in page and 'data-refresh-seconds="2"' in page
        with transaction.atomic():
            # Now the register's row is held instead: the worker takes the listener, works out the certificate
            # and waits for its number inside its transaction; it is killed there.
            RegisterSequence.objects.select_for_update().get(register="certificate", year=ON.year)
            holder.rollback()
            processes.wait(lambda: _blocked_backends() >= 1, "the worker to wait for the next number")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        killed_at = Certificate.objects.filter(enrolment__cohort=c).count()
        assert killed_at == COHORT // 2 - 1
        # Nothing half-done: every certificate so far is whole, with its appendix; the task is left running.
        assert not Certificate.objects.filter(lines__isnull=True).exists()
        assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, killed_at + 1))
        assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, worker_ids=["first"]).count() == 1
        assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING

        second = processes.start_worker("second", log)
        processes.wait(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, "the second worker to finish")
    finally:
        holder.close()
        processes.stop(first)
        if second is not None:
            processes.stop(second)
        log.close()
    finished = Job.objects.get(pk=job.pk)
    assert (finished.done, finished.total) == (COHORT + 1, COHORT + 1)
    assert finished.message.startswith(f"Certificates issued: {COHORT}. Left without a certificate: 1.")
    assert "Келмеген" in finished.message
    # Every eligible listener has exactly one certificate, and the numbers are 1..30 with no gap.
    assert sorted(Certificate.objects.values_list("enrolment_id", flat=True)) == sorted(e.pk for e in eligible)
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, COHORT + 1))
    assert RegisterSequence.objects.get(register="certificate", year=ON.year).last == COHORT
    assert not Certificate.objects.filter(certificate_document__isnull=True).exists()
    rerun = DBTaskResult.objects.get(worker_ids=["first", "second"])
    assert rerun.status == TaskResultStatus.SUCCESSFUL and rerun.return_value == "issued"
    assert "Traceback" not in (tmp_path / "workers.log").read_text()
