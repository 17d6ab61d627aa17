"""Events for exchanging experience (000 §4.3 3), 001 §37 3)): announced by the methodist, open to the
listeners of their programs in their support year, registered once while places remain; the attended
participant of an event that gives one gets a participation certificate with a QR code to its verification."""

import datetime
import re

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone

from postcourse import events as services
from postcourse.enums import EventKind
from postcourse.models import EventRegistration, SupportEvent
from tests.factories import page_queries, staff_user
from tests.postcourse.helpers import EXPIRED_END, certified_cohort
from ziat import roles
from ziat.errors import DomainError
from ziat.models import ActivityLog, StoredDocument


@pytest.fixture
def methodist(db):
    return staff_user(roles.METHODIST, last_name="Әдіскер")


def _event(methodist, **kwargs):
    values = {
        "kind": EventKind.ROUND_TABLE,
        "title_kk": "Тәжірибе алмасу дөңгелек үстелі",
        "title_ru": "Круглый стол по обмену опытом",
        "starts_at": timezone.now() + datetime.timedelta(days=7),
        "place": "https://meet.example.kz/rt",
        "capacity": 30,
        "gives_certificate": True,
    }
    values.update(kwargs)
    return services.support_event_announce(by=methodist, **values)


def _register(event, e):
    return services.event_register(event, e, by=e.listener.user)


def test_methodist_announces_and_the_listener_registers_from_the_cabinet_000_4_3(client, org, director, methodist):
    c, (e,) = certified_cohort(director)
    client.force_login(methodist)
    response = client.post(
        reverse("postcourse:events_staff"),
        {
            "kind": "seminar",
            "title_kk": "Семинар",
            "title_ru": "Семинар выпускников",
            "starts_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "10",
            "programs": [c.program_id],
        },
    )
    assert response.status_code == 302
    event = SupportEvent.objects.get()
    assert list(event.programs.all()) == [c.program]
    client.force_login(e.listener.user)
    page = client.get(reverse("postcourse:my_events", args=[e.pk])).content.decode()
    assert "Семинар" in page
    assert client.post(reverse("postcourse:my_events", args=[e.pk]), {"event": event.pk}).status_code == 302
    assert EventRegistration.objects.filter(event=event, enrolment=e).exists()
    assert ActivityLog.objects.filter(action="postcourse.registration.created").exists()


def test_an_event_of_another_program_is_neither_listed_nor_open_001_37(client, org, director, methodist):
    _c, (e,) = certified_cohort(director)
    other, _x = certified_cohort(director, listeners=0)
    event = _event(methodist, programs=[other.program])
    everyone = _event(methodist, title_ru="Для всех", programs=[])
    assert list(services.events_for_listener(e)) == [everyone]
    with pytest.raises(DomainError):
        _register(event, e)
    assert not EventRegistration.objects.filter(event=event).exists()


def test_registration_is_refused_after_the_support_year_001_36(client, org, director, methodist):
    _c, (e,) = certified_cohort(director, ended=EXPIRED_END)
    event = _event(methodist)
    client.force_login(e.listener.user)
    response = client.post(reverse("postcourse:my_events", args=[e.pk]), {"event": event.pk})
    assert response.status_code == 400
    assert not EventRegistration.objects.exists()


def test_an_event_after_the_end_of_the_support_year_is_refused_000_4_1(org, director, methodist):
    _c, (e,) = certified_cohort(director)
    event = _event(methodist, starts_at=timezone.now() + datetime.timedelta(days=400))
    with pytest.raises(DomainError):
        _register(event, e)
    assert not EventRegistration.objects.exists()


def test_a_full_event_and_a_second_registration_are_refused_000_4_3(org, director, methodist):
    _c, (first, second) = certified_cohort(director, listeners=2)
    event = _event(methodist, capacity=1)
    _register(event, first)
    with pytest.raises(DomainError, match="already registered"):
        _register(event, first)
    with pytest.raises(DomainError, match="no places"):
        _register(event, second)
    assert EventRegistration.objects.filter(event=event).count() == 1


def test_a_listener_registers_only_themselves_001_37(org, director, methodist):
    _c, (e, other) = certified_cohort(director, listeners=2)
    event = _event(methodist)
    with pytest.raises(DomainError):
        services.event_register(event, e, by=other.listener.user)
    assert not EventRegistration.objects.exists()


def test_attendance_is_marked_once_the_event_has_begun_by_staff_who_reach_the_listener_000_4_3(
    org, director, methodist, trainer
):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    event = _event(methodist, gives_certificate=False)
    registration = _register(event, e)
    with pytest.raises(DomainError):
        services.registration_mark_attendance(registration, by=trainer, attended=True)
    after = event.starts_at + datetime.timedelta(hours=2)
    with pytest.raises(DomainError):
        services.registration_mark_attendance(registration, by=staff_user(roles.TRAINER), attended=True, now=after)
    services.registration_mark_attendance(registration, by=trainer, attended=True, now=after)
    registration.refresh_from_db()
    assert registration.attended is True and registration.certificate_number == ""


def _text(pdf):
    page = pdfium.PdfDocument(pdf)[0]
    return page, re.sub(r"\s+", " ", page.get_textpage().get_text_range())


def test_the_attended_participant_gets_a_certificate_with_a_qr_to_its_verification_000_4_3(
    client, org, director, methodist, trainer, django_capture_on_commit_callbacks
):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    event = _event(methodist)
    registration = _register(event, e)
    after = event.starts_at + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_mark_attendance(registration, by=trainer, attended=True, now=after)
    registration.refresh_from_db()
    assert registration.certificate_number == f"{org.registration_prefix}-E{event.pk}-001"
    document = registration.certificate_document
    assert document.status == StoredDocument.Status.READY  # made by the background task
    client.force_login(e.listener.user)
    response = client.get(reverse("postcourse:my_event_certificate", args=[registration.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page, text = _text(response.content)
    width, height = page.get_size()
    assert (round(width), round(height)) == (595, 842)  # A4
    name = e.listener.user.full_name
    for printed in (org.name_kk, org.name_ru, name, event.title_kk, event.title_ru, registration.certificate_number):
        assert printed in text
    image = page.render(scale=200 / 72).to_pil()
    (qr,) = [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert qr.endswith(reverse("postcourse:event_certificate_verify", args=[registration.certificate_token]))
    client.logout()
    html = client.get(qr[qr.index("/support/") :]).content.decode()
    assert name in html and event.title_ru in html and 'data-state="valid"' in html
    listener = e.listener
    for secret in (listener.iin, listener.phone, listener.user.email):
        assert secret not in html
    # stored once: asked again, the same bytes from the same stored file
    client.force_login(e.listener.user)
    again = client.get(reverse("postcourse:my_event_certificate", args=[registration.pk]))
    assert again.status_code == 200 and again.content == response.content
    assert StoredDocument.objects.filter(kind="postcourse.event_certificate").count() == 1


def test_no_certificate_for_an_event_without_one_or_an_absent_participant_000_4_3(org, director, methodist, trainer):
    _c, (e, other) = certified_cohort(director, listeners=2, trainer=trainer)
    event = _event(methodist)
    absent = _register(event, other)
    after = event.starts_at + datetime.timedelta(hours=2)
    services.registration_mark_attendance(absent, by=trainer, attended=False, now=after)
    absent.refresh_from_db()
    assert absent.certificate_number == "" and absent.certificate_document is None


def test_an_issued_certificate_keeps_the_attendance_000_4_3(org, director, methodist, trainer):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    event = _event(methodist)
    registration = _register(event, e)
    after = event.starts_at + datetime.timedelta(hours=2)
    services.registration_mark_attendance(registration, by=trainer, attended=True, now=after)
    with pytest.raises(DomainError):
        services.registration_mark_attendance(registration, by=trainer, attended=False, now=after)
    registration.refresh_from_db()
    assert registration.attended is True


def test_an_unknown_verification_code_is_not_found_000_4_3(client, org):
    assert client.get(reverse("postcourse:event_certificate_verify", args=["no-such-code"])).status_code == 404


def test_a_trainer_cannot_announce_an_event_000_4_3(client, org, trainer):
    with pytest.raises(DomainError):
        _event(trainer)
    client.force_login(trainer)
    response = client.post(reverse("postcourse:events_staff"), {"kind": "seminar", "title_kk": "x", "title_ru": "x"})
    assert response.status_code == 403
    assert not SupportEvent.objects.exists()


@pytest.mark.parametrize("n", [1, 5])
def test_event_pages_read_in_constant_queries_000_4_3(client, org, director, methodist, n):
    _c, enrolments = certified_cohort(director, listeners=n)
    events = [_event(methodist, title_ru=f"Событие {i}") for i in range(n)]
    for e in enrolments:
        _register(events[0], e)
    client.force_login(methodist)
    assert page_queries(client, reverse("postcourse:events_staff")) <= 9
    assert page_queries(client, reverse("postcourse:event_staff", args=[events[0].pk])) <= 9
    client.force_login(enrolments[0].listener.user)
    assert page_queries(client, reverse("postcourse:my_events", args=[enrolments[0].pk])) <= 12
