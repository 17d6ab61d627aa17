"""Expulsion for breach of the training contract by the director's order after the commission's decision,
with a written notice to the employer (001 §32, 003 §7.5)."""

import datetime
import re

import pypdfium2 as pdfium
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from enrolment.enums import EnrolmentStatus, PartnerKind
from enrolment.models import Attendance, Enrolment, Expulsion, Message, Partner
from enrolment.services.movements import enrolment_expel
from tests.factories import cohort, enrolment, listener, pdf_response, program, sessions
from ziat.errors import DomainError

pytestmark = pytest.mark.django_db

ORDER_DATE = datetime.date(2026, 3, 5)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def school():
    return Partner.objects.create(name="№ 12 мектеп-гимназия", kind=PartnerKind.SCHOOL, email="school12@example.kz")


@pytest.fixture
def listed(org):
    prog = program(title_kk="Педагогтің кәсіби өсуі", title_ru="Профессиональный рост педагога")
    group = cohort(prog, code="ПК-2026-07")
    return enrolment(group, listener(last_name="Қасымова", first_name="Гүлнұр", workplace="№ 12 мектеп-гимназия"))


def _expel(enrolment_, by, **kwargs):
    data = {
        "reason": "Пропуск более 20% занятий без уважительной причины",
        "commission_decision": "№ 4 от 04.03.2026",
        "order_number": "17-О",
        "order_date": ORDER_DATE,
    }
    data.update(kwargs)
    return enrolment_expel(enrolment_, by=by, **data)


def _text(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf_bytes)
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return re.sub(r"\s+", " ", text)


def test_the_director_expels_by_order_after_the_commissions_decision_001_32(director, listed, school):
    expulsion = _expel(listed, director, employer=school)
    listed.refresh_from_db()
    assert listed.status == EnrolmentStatus.EXPELLED
    assert (expulsion.order_number, expulsion.order_date, expulsion.by) == ("17-О", ORDER_DATE, director)
    assert (expulsion.employer, expulsion.employer_name, expulsion.employer_email) == (
        school,
        school.name,
        "school12@example.kz",
    )
    message = Message.objects.get(listener=listed.listener)
    assert "17-О" in message.body


def test_only_the_director_expels_003_7_5(registrar, trainer, listed, client):
    for user in (registrar, trainer):
        with pytest.raises(DomainError, match="Only the director"):
            _expel(listed, user, employer_name="School")
    client.force_login(registrar)
    response = client.post(
        reverse("enrolment:enrolment_expel", args=[listed.pk]),
        {"reason": "x", "commission_decision": "1", "order_number": "1", "order_date": "2026-03-05"},
    )
    assert response.status_code == 403
    assert Enrolment.objects.get(pk=listed.pk).status == EnrolmentStatus.ENROLLED
    assert not Expulsion.objects.exists()


def test_the_commissions_decision_and_the_employer_are_required_001_32(director, listed):
    with pytest.raises(DomainError, match="commission's decision"):
        _expel(listed, director, commission_decision="", employer_name="School")
    with pytest.raises(DomainError, match="employer"):
        _expel(listed, director)
    assert not Expulsion.objects.exists()
    assert Enrolment.objects.get(pk=listed.pk).status == EnrolmentStatus.ENROLLED


def test_an_expelled_listener_is_not_expelled_twice(director, listed):
    _expel(listed, director, employer_name="School")
    with pytest.raises(DomainError, match="already expelled"):
        _expel(listed, director, employer_name="School")


def test_the_order_and_the_letter_are_read_back_from_the_pdfs(client, director, listed, school):
    expulsion = _expel(listed, director, employer=school)
    client.force_login(director)
    order = pdf_response(client, reverse("enrolment:expulsion_order", args=[expulsion.pk]))
    assert order["Content-Type"] == "application/pdf"
    text = _text(order.content)
    # The letter-spaced title comes out of the PDF as separate letters.
    assert "БҰЙРЫҚ/ПРИКАЗ" in text.replace(" ", "")
    for expected in (
        "№ 17-О",
        "05.03.2026",
        "Қасымова Гүлнұр",
        "Профессиональный рост педагога",
        "Педагогтің кәсіби өсуі",
        "ПК-2026-07",
        "Пропуск более 20% занятий",
        "№ 4 от 04.03.2026",
        "«ZIAT» ғылыми-әдістемелік орталығы",
        "Научно-методический центр «ZIAT»",
        "С. Мұратова",
        "Директор",
        "подпись",
    ):
        assert expected in text, expected
    letter = _text(pdf_response(client, reverse("enrolment:expulsion_letter", args=[expulsion.pk])).content)
    for expected in ("№ 12 мектеп-гимназия", "Қасымова Гүлнұр", "приказом № 17-О от 05.03.2026", "С. Мұратова"):
        assert expected in letter, expected


def test_the_employer_is_emailed_the_letter_on_commit_003_7_5(
    director, listed, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        expulsion = _expel(listed, director, employer=school)
    to_employer = [m for m in mail.outbox if m.to == ["school12@example.kz"]]
    assert len(to_employer) == 1
    letter = to_employer[0]
    assert "Қасымова Гүлнұр" in letter.subject and "17-О" in letter.body
    ((name, content, mimetype),) = letter.attachments
    assert (name, mimetype) == ("expulsion-17-О.pdf", "application/pdf")
    assert "Қасымова Гүлнұр" in _text(content)
    expulsion.refresh_from_db()
    assert expulsion.notified_at is not None
    # The listener has their own message, by e-mail too.
    assert [m.to for m in mail.outbox if m.to != ["school12@example.kz"]] == [["aigerim@example.kz"]]


def test_a_typed_employer_without_an_address_gets_the_letter_by_post(
    director, listed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        expulsion = _expel(listed, director, employer_name="Школа-лицей № 5")
    assert all(m.to == ["aigerim@example.kz"] for m in mail.outbox)
    expulsion.refresh_from_db()
    assert expulsion.notified_at is None
    assert expulsion.employer_name == "Школа-лицей № 5"


def test_the_director_expels_through_the_listeners_page(client, director, listed, django_capture_on_commit_callbacks):
    client.force_login(director)
    page = client.get(reverse("enrolment:enrolment_detail", args=[listed.pk])).content.decode()
    assert 'id="expel-form"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enrolment:enrolment_expel", args=[listed.pk]),
            {
                "reason": "Нарушение дисциплины",
                "commission_decision": "№ 4 от 04.03.2026",
                "order_number": "18-О",
                "order_date": "2026-03-05",
                "employer_name": "Гимназия № 1",
                "employer_email": "gym1@example.kz",
            },
        )
    assert response.status_code == 302
    expulsion = Expulsion.objects.get()
    assert expulsion.notified_at is not None
    page = client.get(reverse("enrolment:enrolment_detail", args=[listed.pk])).content.decode()
    assert reverse("enrolment:expulsion_order", args=[expulsion.pk]) in page
    assert reverse("enrolment:expulsion_letter", args=[expulsion.pk]) in page
    assert 'id="expel-form"' not in page and 'id="transfer-form"' not in page


def test_an_expelled_listener_keeps_the_attendance_in_the_cabinet(client, director, listed):
    day = sessions(listed.cohort, ["4"])[0]
    Attendance.objects.create(session=day, enrolment=listed, status="present", marked_by=director)
    _expel(listed, director, employer_name="School")
    client.force_login(listed.listener.user)
    page = client.get(reverse("enrolment:cabinet")).content.decode()
    assert f'id="course-{listed.pk}"' in page
    assert "Expelled" in page
    assert "attended 4 of" in page
