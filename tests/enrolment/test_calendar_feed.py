"""A listener's and a trainer's timetable (001 §17) in the cabinet and as an iCalendar feed (RFC 5545) that
calendar apps fetch without a session cookie, through a signed address."""

import datetime
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.calendar_feed import escape_text, feed_token_create, fold
from enrolment.enums import EnrolmentStatus
from enrolment.models import CalendarFeed, Enrolment, Session, Trainer
from programs.models import Topic
from tests.factories import UserFactory, cohort, enrolment, listener, program, staff_user

pytestmark = pytest.mark.django_db

LONG_TITLE = "Педагогтің кәсіби құзыреттілігін арттыру, оқытудың жаңа әдістері; цифрлық сауаттылық және зерттеу"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _group(**kwargs):
    start = timezone.localdate() + datetime.timedelta(days=7)
    prog = program(title_kk=LONG_TITLE, title_ru=LONG_TITLE)
    return cohort(prog, starts_on=start, ends_on=start + datetime.timedelta(days=4), **kwargs)


def _session(group, day=0, **kwargs):
    terms = {
        "cohort": group,
        "date": group.starts_on + datetime.timedelta(days=day),
        "starts_at": datetime.time(9),
        "ends_at": datetime.time(10, 30),
        "topic": Topic.objects.filter(module__version=group.version).order_by("module__position").first(),
        "hours": Decimal("2"),
        "place": "Room 2, floor 3; east wing",
    }
    terms.update(kwargs)
    return Session.objects.create(**terms)


def _feed(client, user):
    response = client.get(reverse("enrolment:calendar_feed", kwargs={"token": feed_token_create(user, by=user)}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def _unfold(raw):
    """The content lines of an iCalendar text (RFC 5545 §3.1)."""
    return raw.decode().replace("\r\n ", "").split("\r\n")[:-1]


def _events(lines):
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    return events


def _unescape(value):
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


# ---------------------------------------------------------------------------------------------- the feed


def test_the_listeners_feed_is_valid_icalendar_with_one_event_per_session_001_17(client):
    group = _group()
    student = listener()
    enrolment(group, student)
    trainer = staff_user("trainer", last_name="Омарова", first_name="Дана")
    first = _session(group, trainer=trainer)
    second = _session(group, day=1, starts_at=datetime.time(14), ends_at=datetime.time(15, 30), place="")

    raw = _feed(client, student.user)
    assert raw.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))  # the long summary was folded
    raw.decode()  # a fold never splits a Kazakh letter
    lines = _unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)

    events = _events(lines)
    assert len(events) == 2
    by_uid = {e["UID"]: e for e in events}
    one, two = by_uid[f"session-{first.pk}@testserver"], by_uid[f"session-{second.pk}@testserver"]
    # Almaty is UTC+5: 09:00 local is 04:00 UTC.
    assert one["DTSTART"] == f"{first.date:%Y%m%d}T040000Z"
    assert one["DTEND"] == f"{first.date:%Y%m%d}T053000Z"
    assert two["DTSTART"] == f"{second.date:%Y%m%d}T090000Z"
    assert all("DTSTAMP" in e for e in events)
    # Commas, semicolons and newlines are escaped, and read back as they were.
    assert one["LOCATION"] == "Room 2\\, floor 3\\; east wing"
    assert _unescape(one["LOCATION"]) == "Room 2, floor 3; east wing"
    assert _unescape(one["SUMMARY"]) == f"{LONG_TITLE}: 1.1 Тема 1.1"
    description = _unescape(one["DESCRIPTION"]).split("\n")
    assert description[0] == "Topic: 1.1 Тема 1.1"
    assert f"Cohort {group.code}" in description
    assert "Trainer: Омарова Дана" in description
    assert "LOCATION" not in two


def test_the_listeners_feed_has_only_the_cohorts_they_hold_a_place_in_001_17(client):
    mine, other, left = _group(), _group(), _group()
    student = listener()
    enrolment(mine, student)
    Enrolment.objects.create(cohort=left, listener=student, status=EnrolmentStatus.TRANSFERRED)
    kept = _session(mine)
    _session(other)
    _session(left)
    uids = [e["UID"] for e in _events(_unfold(_feed(client, student.user)))]
    assert uids == [f"session-{kept.pk}@testserver"]


def test_the_trainers_feed_has_the_sessions_they_teach_003_5(client):
    first, second = _group(), _group()
    trainer = staff_user("trainer")
    Trainer.objects.create(user=trainer, kind="staff")
    taught = [_session(first, trainer=trainer), _session(second, day=2, trainer=trainer)]
    _session(first, day=1)
    uids = {e["UID"] for e in _events(_unfold(_feed(client, trainer)))}
    assert uids == {f"session-{s.pk}@testserver" for s in taught}


@pytest.mark.parametrize(
    "token",
    ["nonsense", signing.dumps({"u": 1}, salt="another.salt"), signing.dumps({"x": 1}, salt="enrolment.calendar_feed")],
)
def test_a_bad_feed_token_is_not_found(client, token):
    assert client.get(reverse("enrolment:calendar_feed", kwargs={"token": token})).status_code == 404


def test_a_tampered_or_inactive_users_token_is_not_found(client):
    student = listener()
    token = feed_token_create(student.user, by=student.user)
    assert client.get(reverse("enrolment:calendar_feed", kwargs={"token": token[:-2] + "xx"})).status_code == 404
    student.user.is_active = False
    student.user.save(update_fields=["is_active"])
    assert client.get(reverse("enrolment:calendar_feed", kwargs={"token": token})).status_code == 404


def test_the_feed_needs_no_session_cookie(client):
    student = listener()
    enrolment(_group(), student)
    assert "_auth_user_id" not in client.session
    assert _feed(client, student.user).startswith(b"BEGIN:VCALENDAR\r\n")


# ----------------------------------------------------------------------------------- the text writer


def test_text_is_escaped_per_rfc_5545():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_letter():
    line = "SUMMARY:" + "әңғ" * 60
    folded = fold(line).encode()
    parts = folded.split(b"\r\n")
    assert len(parts) > 1
    assert all(len(part) <= 75 for part in parts)
    assert all(part.startswith(b" ") for part in parts[1:])
    assert folded.decode().replace("\r\n ", "") == line
    assert fold("SHORT:line") == "SHORT:line"


# ------------------------------------------------------------------------------------- the cabinet page


def test_my_timetable_lists_upcoming_sessions_and_the_feed_address_001_17(client):
    group = _group()
    student = listener()
    enrolment(group, student)
    _session(group, place="Room 7")
    Session.objects.create(
        cohort=group,
        date=timezone.localdate() - datetime.timedelta(days=3),
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
        place="Past room",
    )
    client.force_login(student.user)
    page = client.get(reverse("enrolment:my_timetable")).content.decode()
    assert "Room 7" in page
    assert "Past room" not in page
    assert 'id="calendar-feed-create"' in page and "Subscribe to this address" not in page
    page = client.post(reverse("enrolment:calendar_feed_create"), follow=True).content.decode()
    token = CalendarFeed.objects.get(user=student.user).token
    assert reverse("enrolment:calendar_feed", kwargs={"token": token}) in page
    assert "Subscribe to this address" in page and 'id="calendar-feed-create"' not in page


def test_my_timetable_shows_a_trainer_their_sessions(client):
    trainer = staff_user("trainer")
    Trainer.objects.create(user=trainer, kind="staff")
    _session(_group(), trainer=trainer, place="Room 9")
    client.force_login(trainer)
    assert "Room 9" in client.get(reverse("enrolment:my_timetable")).content.decode()


def test_my_timetable_needs_a_login_and_a_listener_or_trainer(client):
    response = client.get(reverse("enrolment:my_timetable"))
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(reverse("enrolment:my_timetable")).status_code == 404
