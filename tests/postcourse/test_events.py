"""Events for exchanging experience (000 §4.3 3), 001 §37 3)): announced by the methodist, open to the
listeners of their programs in their support year, registered once while places remain; the attended
participant of an event that gives one gets a participation certificate with a QR code to its verification."""

import datetime
import re

import pypdfium2 as pdfium
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.models import Partner, Representative
from postcourse import events as services
from postcourse import selectors
from postcourse.enums import EventKind
from postcourse.models import EventRegistration, SupportEvent
from tests.factories import UserFactory, page_queries, staff_user
from tests.pdfs import qr_texts
from tests.postcourse.helpers import EXPIRED_END, certified_cohort
from ziat import roles
from ziat.access import AccessDenied
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
    assert list(selectors.events_for_listener(e)) == [everyone]
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
    with translation.override("en"), pytest.raises(DomainError, match="already registered"):
        _register(event, first)
    with translation.override("en"), pytest.raises(DomainError, match="no places"):
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
    (qr,) = qr_texts(page)
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
    # The list's filters offer the programs that events are meant for: one query more than before they had filters.
    assert page_queries(client, reverse("postcourse:events_staff")) <= 10
    assert page_queries(client, reverse("postcourse:event_staff", args=[events[0].pk])) <= 9
    client.force_login(enrolments[0].listener.user)
    assert page_queries(client, reverse("postcourse:my_events", args=[enrolments[0].pk])) <= 12


# ------------------------------------------------------------------------------------------ changing an event


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _change_data(event, **kwargs):
    """The edit form as the page fills it, with ``kwargs`` changed."""
    values = {
        "title_kk": event.title_kk,
        "title_ru": event.title_ru,
        "description": event.description,
        "starts_at": _local(event.starts_at),
        "place": event.place,
        "capacity": "" if event.capacity is None else str(event.capacity),
    }
    if event.gives_certificate:
        values["gives_certificate"] = "on"
    values.update(kwargs)
    return {k: v for k, v in values.items() if v is not None}


def _state(event):
    event.refresh_from_db()
    return tuple(getattr(event, name) for name in services.EVENT_TERMS)


def test_methodist_changes_the_time_and_place_and_registered_listeners_are_mailed_000_4_3(
    client, org, director, methodist, django_capture_on_commit_callbacks
):
    _c, (e, other) = certified_cohort(director, listeners=2)
    event = _event(methodist)
    _register(event, e)
    _register(event, other)
    client.force_login(methodist)
    url = reverse("postcourse:event_edit", args=[event.pk])
    assert url in client.get(reverse("postcourse:event_staff", args=[event.pk])).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{_local(event.starts_at)}"' in html and 'value="https://meet.example.kz/rt"' in html  # prefilled
    new_time = (timezone.localtime() + datetime.timedelta(days=9)).replace(hour=15, minute=30, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            _change_data(event, starts_at=_local(new_time), place="Ауд. 204", capacity="25", title_ru="Круглый стол"),
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.starts_at, event.place, event.capacity, event.title_ru) == (new_time, "Ауд. 204", 25, "Круглый стол")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([e.listener.user.email, other.listener.user.email])
    for message in mail.outbox:
        assert new_time.strftime("%d.%m.%Y %H:%M") in message.body and "Ауд. 204" in message.body
    (entry,) = ActivityLog.objects.filter(action="postcourse.event.changed", object_id=event.pk)
    assert entry.actor == methodist
    assert entry.data["before"]["place"] == "https://meet.example.kz/rt" and entry.data["after"]["place"] == "Ауд. 204"
    assert (entry.data["before"]["capacity"], entry.data["after"]["capacity"]) == (30, 25)
    assert "starts_at" in entry.data["before"] and "gives_certificate" not in entry.data["after"]  # only what changed


def test_a_change_of_the_title_alone_keeps_the_time_and_mails_no_one_000_4_3(
    client, org, director, methodist, django_capture_on_commit_callbacks
):
    _c, (e,) = certified_cohort(director)
    event = _event(methodist)  # its time has seconds, which the page does not show
    _register(event, e)
    starts_at = event.starts_at
    client.force_login(methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("postcourse:event_edit", args=[event.pk]), _change_data(event, title_kk="Жаңа атау")
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_kk, event.starts_at) == ("Жаңа атау", starts_at)
    assert not mail.outbox
    (entry,) = ActivityLog.objects.filter(action="postcourse.event.changed")
    assert set(entry.data["after"]) == {"title_kk"}


def test_places_cannot_fall_below_the_registered_listeners_000_4_3(
    client, org, director, methodist, django_capture_on_commit_callbacks
):
    _c, (first, second) = certified_cohort(director, listeners=2)
    event = _event(methodist, capacity=5)
    _register(event, first)
    _register(event, second)
    before = _state(event)
    with pytest.raises(DomainError) as refused:
        services.support_event_change(
            event, by=methodist, title_kk=event.title_kk, title_ru=event.title_ru, starts_at=event.starts_at, capacity=1
        )
    assert refused.value.field == "capacity"
    client.force_login(methodist)
    new_time = timezone.localtime() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("postcourse:event_edit", args=[event.pk]),
            _change_data(event, capacity="1", starts_at=_local(new_time), place="Басқа зал"),
        )
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('for="id_capacity"') :]
    assert 'class="errorlist' in field.split('<div class="field')[0]  # beside the places
    assert _state(event) == before
    assert not mail.outbox
    assert not ActivityLog.objects.filter(action="postcourse.event.changed").exists()
    services.support_event_change(  # exactly the registered: allowed
        event, by=methodist, title_kk=event.title_kk, title_ru=event.title_ru, starts_at=event.starts_at, capacity=2
    )
    event.refresh_from_db()
    assert event.capacity == 2


def test_the_certificate_is_not_taken_back_once_one_is_issued_000_4_3(org, director, methodist, trainer):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    event = _event(methodist)
    registration = _register(event, e)
    services.registration_mark_attendance(
        registration, by=trainer, attended=True, now=event.starts_at + datetime.timedelta(hours=2)
    )
    before = _state(event)
    terms = {"title_kk": event.title_kk, "title_ru": event.title_ru, "starts_at": event.starts_at}
    with pytest.raises(DomainError) as refused:
        services.support_event_change(event, by=methodist, **terms, place=event.place, gives_certificate=False)
    assert refused.value.field == "gives_certificate"
    with pytest.raises(DomainError) as refused:  # nor is the time moved once attendance is marked
        services.support_event_change(
            event,
            by=methodist,
            **{**terms, "starts_at": event.starts_at + datetime.timedelta(days=1)},
            place=event.place,
            gives_certificate=True,
        )
    assert refused.value.field == "starts_at"
    assert _state(event) == before
    assert not ActivityLog.objects.filter(action="postcourse.event.changed").exists()


def test_an_event_without_certificates_issued_may_stop_giving_them_000_4_3(org, director, methodist):
    _c, (e,) = certified_cohort(director)
    event = _event(methodist)
    _register(event, e)
    services.support_event_change(
        event, by=methodist, title_kk=event.title_kk, title_ru=event.title_ru, starts_at=event.starts_at
    )
    event.refresh_from_db()
    assert event.gives_certificate is False


def test_an_event_is_not_moved_into_the_past_or_beyond_a_registered_listeners_support_year_001_36(
    client, org, director, methodist
):
    _c, (e,) = certified_cohort(director)
    event = _event(methodist)
    _register(event, e)
    before = _state(event)
    client.force_login(methodist)
    url = reverse("postcourse:event_edit", args=[event.pk])
    late = timezone.localtime() + datetime.timedelta(days=400)
    for moment in (timezone.localtime() - datetime.timedelta(days=1), late):
        response = client.post(url, _change_data(event, starts_at=_local(moment)))
        assert response.status_code == 400
        html = response.content.decode()
        field = html[html.index('for="id_starts_at"') :]
        assert 'class="errorlist' in field.split('<div class="field')[0]
    assert _state(event) == before
    assert not ActivityLog.objects.filter(action="postcourse.event.changed").exists()


def test_a_trainer_cannot_change_an_event_000_4_3(client, org, director, methodist, trainer):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    event = _event(methodist)
    _register(event, e)
    before = _state(event)
    with pytest.raises(DomainError):
        services.support_event_change(
            event, by=trainer, title_kk="x", title_ru="x", starts_at=event.starts_at, capacity=1
        )
    client.force_login(trainer)
    url = reverse("postcourse:event_edit", args=[event.pk])
    assert url not in client.get(reverse("postcourse:event_staff", args=[event.pk])).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, _change_data(event, title_ru="Чужое", capacity="1")).status_code == 403
    assert _state(event) == before
    assert not ActivityLog.objects.filter(action="postcourse.event.changed").exists()


@pytest.mark.parametrize("who", ["trainer", "representative", "listener"])
def test_announcing_an_event_refuses_an_outsider_in_the_service_and_changes_nothing_000_4_3(org, director, who):
    """000 §4.3: the methodists and the director announce events for the listeners of every program; a trainer of
    a supported cohort, a representative or a listener in their support year is refused by the service itself."""
    trainer = staff_user(roles.TRAINER)
    _c, (e,) = certified_cohort(director, trainer=trainer)
    representative = UserFactory()
    Representative.objects.create(user=representative, partner=Partner.objects.create(name="№ 1 мектеп", kind="school"))
    outsider = {"trainer": trainer, "representative": representative, "listener": e.listener.user}
    logged = ActivityLog.objects.count()
    with pytest.raises(AccessDenied):
        _event(outsider[who])
    assert not SupportEvent.objects.exists() and ActivityLog.objects.count() == logged
