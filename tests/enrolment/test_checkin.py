"""Self check-in with a rotating QR code (SPEC 3.3): the clock is passed in (``now``) or frozen at the edge."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.models import Attendance, CheckIn, Session
from enrolment.services.checkin import checkin_code, checkin_record
from tests.factories import cohort, enrolment, program, staff_user
from ziat.errors import DomainError


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


DAY = datetime.date(2026, 3, 2)


def at(hour, minute=0, second=0):
    return timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(hour, minute, second)))


@pytest.fixture
def course(db, org, trainer):
    c = cohort(program())
    s = Session.objects.create(
        cohort=c, date=DAY, starts_at=datetime.time(9), ends_at=datetime.time(12), hours=4, trainer=trainer
    )
    e = enrolment(c)
    return c, s, e


def test_checkin_within_the_window_marks_present(course):
    _c, s, e = course
    now = at(9, 5)
    checkin = checkin_record(s, listener=e.listener, code=checkin_code(s, now=now), now=now)
    assert (checkin.session, checkin.enrolment) == (s, e)
    attendance = Attendance.objects.get()
    assert (attendance.session, attendance.enrolment, attendance.status) == (s, e, "present")
    assert attendance.marked_by == e.listener.user


def test_checkin_more_than_15_minutes_after_the_start_is_late(course):
    _c, s, e = course
    now = at(9, 15, 1)
    checkin_record(s, listener=e.listener, code=checkin_code(s, now=now), now=now)
    assert Attendance.objects.get().status == "late"


def test_the_previous_window_is_still_accepted_at_the_edge(course):
    _c, s, e = course
    now = at(9, 5)
    code = checkin_code(s, now=now - datetime.timedelta(seconds=30))
    checkin_record(s, listener=e.listener, code=code, now=now)
    assert CheckIn.objects.count() == 1


def _refused(s, e, code, now, message):
    with pytest.raises(DomainError, match=message):
        checkin_record(s, listener=e.listener, code=code, now=now)


def test_stale_code_is_refused_and_nothing_changes(course):
    _c, s, e = course
    now = at(9, 5)
    _refused(s, e, checkin_code(s, now=now - datetime.timedelta(seconds=61)), now, "expired")
    assert not CheckIn.objects.exists() and not Attendance.objects.exists()


def test_forged_code_is_refused(course):
    _c, s, e = course
    now = at(9, 5)
    code = checkin_code(s, now=now)
    _refused(s, e, code[:-1] + ("0" if code[-1] != "0" else "1"), now, "not valid")
    _refused(s, e, "nonsense", now, "not valid")
    assert not CheckIn.objects.exists()


def test_replayed_code_is_refused(course):
    _c, s, e = course
    now = at(9, 5)
    code = checkin_code(s, now=now)
    checkin_record(s, listener=e.listener, code=code, now=now)
    _refused(s, e, code, now + datetime.timedelta(seconds=10), "already checked in")
    assert CheckIn.objects.count() == 1


def test_code_of_another_session_is_refused(course, trainer):
    c, s, e = course
    other = Session.objects.create(
        cohort=c, date=DAY, starts_at=datetime.time(9), ends_at=datetime.time(12), hours=2, trainer=trainer
    )
    now = at(9, 5)
    _refused(s, e, checkin_code(other, now=now), now, "another session")
    assert not CheckIn.objects.exists() and not Attendance.objects.exists()


@pytest.mark.parametrize("now", [at(8, 59, 59), at(12), at(15)])
def test_checkin_outside_the_session_is_refused(course, now):
    _c, s, e = course
    _refused(s, e, checkin_code(s, now=now), now, "only while the session is running")
    assert not CheckIn.objects.exists()


def test_listener_not_enrolled_is_refused(course):
    _c, s, e = course
    now = at(9, 5)
    stranger = enrolment()  # enrolled in another cohort
    with pytest.raises(DomainError, match="not enrolled"):
        checkin_record(s, listener=stranger.listener, code=checkin_code(s, now=now), now=now)
    e.status = "interrupted"
    e.save(update_fields=["status"])
    _refused(s, e, checkin_code(s, now=now), now, "not enrolled")
    assert not CheckIn.objects.exists() and not Attendance.objects.exists()


def test_an_absence_marked_before_is_replaced_by_the_checkin(course, trainer):
    _c, s, e = course
    Attendance.objects.create(session=s, enrolment=e, status="absent", marked_by=trainer)
    now = at(9, 5)
    checkin_record(s, listener=e.listener, code=checkin_code(s, now=now), now=now)
    assert Attendance.objects.get().status == "present"


# ------------------------------------------------------------------------------------------------ pages


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=at(9, 20)):
        yield at(9, 20)


def test_listener_scans_the_code_and_is_marked(course, client, frozen):
    _c, s, e = course
    client.force_login(e.listener.user)
    response = client.get(reverse("enrolment:checkin", args=[s.pk, checkin_code(s, now=frozen)]))
    assert response.status_code == 200
    assert "marked late" in response.content.decode()
    assert Attendance.objects.get().status == "late"
    again = client.get(reverse("enrolment:checkin", args=[s.pk, checkin_code(s, now=frozen)]))
    assert again.status_code == 400 and "already checked in" in again.content.decode()


def test_a_stale_scan_is_told_plainly(course, client, frozen):
    _c, s, e = course
    client.force_login(e.listener.user)
    response = client.get(
        reverse("enrolment:checkin", args=[s.pk, checkin_code(s, now=frozen - datetime.timedelta(minutes=2))])
    )
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_staff_user_scanning_is_not_enrolled(course, client, frozen, trainer):
    _c, s, _e = course
    client.force_login(trainer)
    response = client.get(reverse("enrolment:checkin", args=[s.pk, checkin_code(s, now=frozen)]))
    assert response.status_code == 400 and "not enrolled" in response.content.decode()


def test_anonymous_scan_goes_to_the_login(course, client, frozen):
    _c, s, _e = course
    response = client.get(reverse("enrolment:checkin", args=[s.pk, checkin_code(s, now=frozen)]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_trainer_shows_a_qr_of_the_current_code_that_refreshes(course, client, frozen, trainer, settings):
    _c, s, e = course
    client.force_login(trainer)
    response = client.get(reverse("enrolment:checkin_display", args=[s.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    url = settings.SITE_URL + reverse("enrolment:checkin", args=[s.pk, checkin_code(s, now=frozen)])
    assert url in page and 'src="data:image/svg+xml;base64,' in page
    assert "location.reload" in page and 'http-equiv="refresh" content="30"' in page  # 9:20:00 is a window's start


def test_no_code_is_shown_outside_the_session(course, client, trainer):
    _c, s, _e = course
    client.force_login(trainer)
    with mock.patch("django.utils.timezone.now", return_value=at(13)):
        page = client.get(reverse("enrolment:checkin_display", args=[s.pk])).content.decode()
    assert "data:image/svg" not in page and "only while the session is running" in page


def test_another_trainer_may_not_show_the_code(course, client, frozen):
    _c, s, _e = course
    client.force_login(staff_user("trainer"))
    assert client.get(reverse("enrolment:checkin_display", args=[s.pk])).status_code == 403


def test_the_code_on_the_full_screen_names_the_session_and_counts_down_to_the_next_code(
    course, client, frozen, trainer, settings
):
    c, s, _e = course
    client.force_login(trainer)
    with mock.patch("django.utils.timezone.now", return_value=frozen + datetime.timedelta(seconds=12)):
        response = client.get(reverse("enrolment:checkin_display", args=[s.pk]), {"screen": "full"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="checkin-qr"' in page and 'src="data:image/svg+xml;base64,' in page
    assert c.code in page and "<h1>" in page
    assert 'data-countdown="18"' in page and 'http-equiv="refresh" content="18"' in page
    assert 'class="site-header"' not in page  # nothing but the code and its session on the projector


def test_another_trainer_may_not_show_the_code_on_the_full_screen(course, client, frozen):
    _c, s, _e = course
    client.force_login(staff_user("trainer"))
    assert client.get(reverse("enrolment:checkin_display", args=[s.pk]), {"screen": "full"}).status_code == 403
