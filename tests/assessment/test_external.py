"""The external final assessment of a long course (SPEC 4.4, 000 §2.1.10), recorded by the registrar or the
director with its document."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import ExternalAssessment
from assessment.outcomes import outcome_for
from assessment.services.external import external_record
from tests.assessment.test_outcome_gates import LONG, started
from tests.assessment.test_project import PDF, PNG, download, pdf
from tests.certificates.helpers import enrol
from tests.factories import enrolment, listener, staff_user
from ziat.errors import DomainError


@pytest.fixture
def long_enrolment(db, org):
    return enrol(started(modules=LONG, session_hours=(60, 60)))


def record(e, by, **kwargs):
    data = {
        "held_on": timezone.localdate() - datetime.timedelta(days=1),
        "assessor": "Аттестационная комиссия управления образования",
        "result": "Уровень квалификации подтверждён",
        "passed": True,
        "document": pdf("протокол.pdf"),
    }
    data.update(kwargs)
    return external_record(enrolment=e, by=by, **data)


def test_the_registrar_records_the_external_assessment_of_a_long_course_000_2_1_10(long_enrolment, registrar):
    assert not outcome_for(long_enrolment).eligible
    saved = record(long_enrolment, registrar)
    saved.refresh_from_db()
    assert saved.passed and saved.recorded_by == registrar
    assert saved.original_name == "протокол.pdf"
    assert saved.document.read() == PDF
    saved.document.close()
    assert outcome_for(long_enrolment).eligible


def test_the_director_may_record_it_too_000_2_1_10(long_enrolment, director):
    assert record(long_enrolment, director).recorded_by == director


def test_a_short_course_has_no_external_assessment_000_2_1_10(db, org, registrar):
    e = enrol(started())  # 10 hours
    with pytest.raises(DomainError, match="Only a long course"):
        record(e, registrar)
    assert not ExternalAssessment.objects.exists()


def test_a_trainer_may_not_record_it(long_enrolment, trainer):
    with pytest.raises(DomainError, match="may not record"):
        record(long_enrolment, trainer)
    assert not ExternalAssessment.objects.exists()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (pdf("protocol.pdf", b"just text, not a pdf"), "not a PDF file"),
        (pdf("protocol.docx", PDF), "not accepted"),
        (None, "Attach the document"),
    ],
)
def test_a_bad_or_missing_document_is_refused_and_nothing_saved(long_enrolment, registrar, document, message):
    with pytest.raises(DomainError, match=message):
        record(long_enrolment, registrar, document=document)
    assert not ExternalAssessment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": timezone.localdate() + datetime.timedelta(days=1)}, "future"),
        ({"held_on": datetime.date(2000, 1, 1)}, "before the course starts"),
        ({"assessor": "  "}, "assessed by"),
        ({"result": ""}, "result"),
        ({"result": "x" * 301}, "at most 300"),
    ],
)
def test_wrong_details_are_refused_and_nothing_saved(long_enrolment, registrar, changes, message):
    with pytest.raises(DomainError, match=message):
        record(long_enrolment, registrar, **changes)
    assert not ExternalAssessment.objects.exists()


def test_a_correction_keeps_the_document_when_none_is_attached(
    long_enrolment, registrar, django_capture_on_commit_callbacks
):
    first = record(long_enrolment, registrar, passed=False)
    name = first.document.name
    corrected = record(long_enrolment, registrar, passed=True, document=None, result="Подтверждён после пересмотра")
    assert ExternalAssessment.objects.count() == 1
    assert corrected.document.name == name and corrected.passed
    with django_capture_on_commit_callbacks(execute=True):
        replaced = record(long_enrolment, registrar, document=pdf("scan.png", PNG))
    assert replaced.original_name == "scan.png"
    assert not first.document.storage.exists(name)
    assert replaced.document.storage.exists(replaced.document.name)


# --- pages -----------------------------------------------------------------------------------------------


def test_the_staff_form_records_it_over_http(client, long_enrolment, registrar):
    url = reverse("assessment:external_assessment", args=[long_enrolment.pk])
    client.force_login(registrar)
    assert 'id="external-form"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "held_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "assessor": "Комиссия",
            "result": "Подтверждён",
            "passed": "on",
            "document": pdf(),
        },
    )
    assert response.status_code == 302
    saved = ExternalAssessment.objects.get()
    assert saved.passed and saved.assessor == "Комиссия"
    page = client.get(url).content.decode()
    assert reverse("assessment:external_document", args=[long_enrolment.pk]) in page
    assert download(client, reverse("assessment:external_document", args=[long_enrolment.pk])) == (200, PDF)


def test_a_bad_document_over_http_shows_the_form_again(client, long_enrolment, registrar):
    client.force_login(registrar)
    response = client.post(
        reverse("assessment:external_assessment", args=[long_enrolment.pk]),
        {"held_on": timezone.localdate().isoformat(), "assessor": "К", "result": "Р", "document": pdf("a.pdf", b"no")},
    )
    assert response.status_code == 400
    assert "not a PDF file" in response.content.decode()
    assert not ExternalAssessment.objects.exists()


def test_the_form_of_a_short_course_offers_nothing_to_record(client, db, org, registrar):
    e = enrol(started())
    client.force_login(registrar)
    page = client.get(reverse("assessment:external_assessment", args=[e.pk])).content.decode()
    assert 'id="external-form"' not in page and "Only a long course" in page


def test_staff_without_the_permission_may_not_open_the_form(client, long_enrolment, trainer):
    client.force_login(trainer)
    assert client.get(reverse("assessment:external_assessment", args=[long_enrolment.pk])).status_code == 403


def test_the_listener_downloads_their_own_document_and_nobody_elses(client, long_enrolment, registrar):
    record(long_enrolment, registrar)
    own = reverse("assessment:my_external_document", args=[long_enrolment.pk])
    client.force_login(long_enrolment.listener.user)
    assert download(client, own) == (200, PDF)
    page = client.get(reverse("assessment:my_project", args=[long_enrolment.pk])).content.decode()
    assert own in page and "Уровень квалификации подтверждён" in page
    stranger = enrolment(long_enrolment.cohort, listener(last_name="Басқа"))
    client.force_login(stranger.listener.user)
    assert client.get(own).status_code == 404
    client.force_login(staff_user("accountant"))
    assert client.get(reverse("assessment:external_document", args=[long_enrolment.pk])).status_code == 403
