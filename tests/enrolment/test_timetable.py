"""The timetable of a cohort (001 §17, SPEC 3.1): sessions within the cohort's dates, of topics of its plan,
with hours that fit the session at the centre's academic hour, no trainer in two places at once, rooms
flagged when taken twice, and the hours checked against the thematic plan."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from enrolment.enums import AttendanceStatus
from enrolment.models import Attendance, Session, Trainer
from enrolment.selectors import clashes, plan_check, timetable_sessions
from enrolment.services.timetable import session_delete, session_save
from programs.enums import ActivityKind
from programs.models import Topic
from programs.selectors import version_with_plan
from tests.factories import cohort, enrolment, listener, organisation, page_queries, program, staff_user
from ziat.errors import DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)  # the factories' cohort runs Monday 2 – Friday 6 March 2026
# The session, the user, two for the permissions, the user's roles (the access layer), the cohort, the version,
# its modules and topics, the sessions, their clashes, the organisation, the header's listener link and the
# trainers offered in the form, and the government's calendar decisions over the cohort's dates.
TIMETABLE_QUERIES = 15


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def teacher(db):
    user = staff_user("trainer", last_name="Омарова", first_name="Дана")
    Trainer.objects.create(user=user, kind="staff")
    return user


def _topic(group, code):
    return Topic.objects.get(module__version=group.version, code=code)


def _save(group, by, **changes):
    terms = {
        "date": MONDAY,
        "starts_at": datetime.time(9),
        "ends_at": datetime.time(10, 30),
        "topic": _topic(group, "1.1"),
        "kind": ActivityKind.LECTURE,
        "hours": Decimal("2"),
        "trainer": None,
        "place": "",
    }
    terms.update(changes)
    return session_save(by=by, cohort=group, **terms)


def _post(group, **changes):
    data = {
        "date": "2026-03-02",
        "starts_at": "09:00",
        "ends_at": "10:30",
        "topic": _topic(group, "1.1").pk,
        "kind": "lecture",
        "hours": "2",
        "trainer": "",
        "place": "",
    }
    data.update(changes)
    return data


# ----------------------------------------------------------------------------------- the plan check


def test_timetable_hours_are_checked_against_the_plan_001_17(client, registrar):
    # The default plan: 1.1 = lecture 2, self-study 1, independent 1; 2.1 = lecture 4, question-answer 2.
    group = cohort()
    _save(group, registrar, topic=_topic(group, "1.1"), kind="lecture", hours=Decimal("2"))
    _save(
        group,
        registrar,
        topic=_topic(group, "1.1"),
        kind="self_study",
        hours=Decimal("2"),
        starts_at=datetime.time(11),
        ends_at=datetime.time(12, 30),
    )
    _save(
        group,
        registrar,
        topic=_topic(group, "2.1"),
        kind="lecture",
        hours=Decimal("1.5"),
        date=MONDAY + datetime.timedelta(days=1),
    )

    check = plan_check(version_with_plan(group.version_id), timetable_sessions(group))
    first, second = check.rows
    lecture, self_study, qa, _case, independent = first.cells
    assert (lecture.planned, lecture.scheduled, lecture.state) == (2, 2, "ok")
    assert (self_study.diff, self_study.state) == (1, "over")
    assert (independent.diff, independent.state) == (-1, "under")
    assert (second.cells[0].diff, second.cells[0].state) == (Decimal("-2.5"), "under")
    assert (second.cells[2].diff, second.cells[2].state) == (-2, "under")
    assert (check.total.planned, check.total.scheduled) == (10, Decimal("5.5"))
    assert not check.matches

    client.force_login(registrar)
    page = client.get(reverse("enrolment:timetable", kwargs={"cohort_pk": group.pk})).content.decode()
    assert "over +1" in page
    assert "under −2.5" in page
    assert "5.5 of 10 academic hours scheduled" in page


def test_timetable_matching_the_plan_is_confirmed_001_17(client, registrar):
    group = cohort(program(modules=((("1.1", 2, 0, 0, 0, 0),),)))
    _save(group, registrar, hours=Decimal("2"))
    check = plan_check(version_with_plan(group.version_id), timetable_sessions(group))
    assert check.matches
    client.force_login(registrar)
    page = client.get(reverse("enrolment:timetable", kwargs={"cohort_pk": group.pk})).content.decode()
    assert "The timetable's hours match the program's hours." in page


def test_sessions_without_a_topic_show_outside_the_plan_001_17(registrar):
    group = cohort()
    Session.objects.create(
        cohort=group, date=MONDAY, starts_at=datetime.time(9), ends_at=datetime.time(13), hours=Decimal("3")
    )
    check = plan_check(version_with_plan(group.version_id), timetable_sessions(group))
    assert check.unplanned_total == 3
    assert check.total.scheduled == 3
    assert not check.matches


def test_a_topic_outside_the_cohorts_plan_is_refused_001_17(registrar):
    group, other = cohort(), cohort()
    with pytest.raises(DomainError, match="not in the thematic plan"):
        _save(group, registrar, topic=_topic(other, "1.1"))
    assert not Session.objects.exists()


# ------------------------------------------------------------------------------ hours and the dates


@pytest.mark.parametrize(
    ("minutes", "hours", "fits"),
    [(45, "2", True), (50, "2", False), (45, "2.5", False), (50, "1.5", True)],
)
def test_hours_must_fit_the_session_at_the_centres_academic_hour_001_17(registrar, minutes, hours, fits):
    organisation(academic_hour_minutes=minutes)
    group = cohort()
    # 09:00–10:30 is 90 minutes: two hours of 45 minutes, but not two of 50.
    if fits:
        assert _save(group, registrar, hours=Decimal(hours)).pk
    else:
        with pytest.raises(DomainError) as refused:
            _save(group, registrar, hours=Decimal(hours))
        need = Decimal(hours) * minutes
        assert f"take {need.normalize():f} minutes, but the session lasts only 90 minutes" in refused.value.message
        assert not Session.objects.exists()


def test_hours_that_do_not_fit_are_shown_on_the_form_001_17(client, registrar):
    organisation(academic_hour_minutes=50)
    group = cohort()
    client.force_login(registrar)
    response = client.post(reverse("enrolment:timetable_add", kwargs={"cohort_pk": group.pk}), _post(group))
    assert response.status_code == 400
    assert "2 academic hours of 50 minutes take 100 minutes" in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(2026, 3, 1), datetime.date(2026, 3, 7)])
def test_a_session_outside_the_cohorts_dates_is_refused_001_17(registrar, day):
    group = cohort()
    with pytest.raises(DomainError, match=r"within the cohort's dates, 02\.03\.2026 – 06\.03\.2026"):
        _save(group, registrar, date=day)
    assert not Session.objects.exists()


def test_a_session_on_the_first_and_last_day_is_accepted_001_17(registrar):
    group = cohort()
    assert _save(group, registrar, date=group.starts_on).pk
    assert _save(group, registrar, date=group.ends_on).pk


# --------------------------------------------------------------------------------------------- clashes


def test_a_trainer_in_two_overlapping_sessions_is_refused_and_nothing_saved_003_5(client, registrar, teacher):
    first, second = cohort(), cohort()
    _save(first, registrar, trainer=teacher)
    with pytest.raises(DomainError, match=f"already teaches cohort {first.code} on 02.03.2026, 09:00 – 10:30"):
        _save(second, registrar, trainer=teacher, starts_at=datetime.time(10), ends_at=datetime.time(11, 30))
    assert Session.objects.filter(cohort=second).count() == 0

    client.force_login(registrar)
    url = reverse("enrolment:timetable_add", kwargs={"cohort_pk": second.pk})
    response = client.post(url, _post(second, trainer=teacher.pk, starts_at="10:00", ends_at="11:30"))
    assert response.status_code == 400
    assert "a trainer cannot be in two sessions at once" in response.content.decode()
    assert Session.objects.filter(cohort=second).count() == 0


def test_a_trainer_may_teach_back_to_back_sessions_003_5(registrar, teacher):
    first, second = cohort(), cohort()
    _save(first, registrar, trainer=teacher)
    later = _save(second, registrar, trainer=teacher, starts_at=datetime.time(10, 30), ends_at=datetime.time(12))
    assert later.trainer == teacher


def test_changing_a_session_does_not_clash_with_itself_003_5(registrar, teacher):
    group = cohort()
    session = _save(group, registrar, trainer=teacher)
    _save(group, registrar, session=session, trainer=teacher, place="204")
    session.refresh_from_db()
    assert session.place == "204"


def test_only_an_active_trainer_is_assigned_003_5(registrar):
    group = cohort()
    stranger = staff_user("trainer")
    with pytest.raises(DomainError, match="not in the trainers' registry"):
        _save(group, registrar, trainer=stranger)
    Trainer.objects.create(user=stranger, kind="staff", is_active=False)
    with pytest.raises(DomainError, match="not an active trainer"):
        _save(group, registrar, trainer=stranger)
    assert not Session.objects.exists()


def test_a_room_taken_twice_at_once_is_flagged_not_refused_001_17(client, registrar):
    first, second = cohort(), cohort()
    mine = _save(first, registrar, place="Room 204")
    theirs = _save(second, registrar, place=" room  204 ", starts_at=datetime.time(10), ends_at=datetime.time(11, 30))
    _save(second, registrar, place="https://zoom.us/j/1", date=MONDAY + datetime.timedelta(days=1))
    _save(first, registrar, place="https://zoom.us/j/1", date=MONDAY + datetime.timedelta(days=1))

    found = clashes(timetable_sessions(first))
    assert [(c.other, c.reason) for c in found[mine.pk]] == [(theirs, "room")]
    assert sum(len(v) for v in found.values()) == 1  # an online link never clashes

    client.force_login(registrar)
    page = client.get(reverse("enrolment:timetable", kwargs={"cohort_pk": first.pk})).content.decode()
    assert f"The room is also taken by cohort {second.code} at 10:00–11:30." in page
    assert 'id="room-clashes"' in page


def test_saving_into_a_taken_room_warns_001_17(client, registrar):
    first, second = cohort(), cohort()
    _save(first, registrar, place="204")
    client.force_login(registrar)
    response = client.post(
        reverse("enrolment:timetable_add", kwargs={"cohort_pk": second.pk}), _post(second, place="204"), follow=True
    )
    assert Session.objects.filter(cohort=second).count() == 1
    assert f"The room 204 is also taken by cohort {first.code} at 09:00 – 10:30." in response.content.decode()


def test_a_trainer_clash_already_in_the_data_is_shown_on_the_page_003_5(client, registrar, teacher):
    first, second = cohort(), cohort()
    for group in (first, second):
        Session.objects.create(
            cohort=group, date=MONDAY, starts_at=datetime.time(9), ends_at=datetime.time(11), trainer=teacher
        )
    client.force_login(registrar)
    page = client.get(reverse("enrolment:timetable", kwargs={"cohort_pk": first.pk})).content.decode()
    assert f"The trainer also teaches cohort {second.code} at 09:00–11:00." in page
    assert 'id="trainer-clashes"' in page


# ------------------------------------------------------------------------------------- the pages


def test_the_registrar_adds_changes_and_removes_a_session_001_17(client, registrar, teacher):
    group = cohort()
    client.force_login(registrar)
    url = reverse("enrolment:timetable_add", kwargs={"cohort_pk": group.pk})
    response = client.post(url, _post(group, trainer=teacher.pk, place="204"))
    assert response.status_code == 302
    session = Session.objects.get(cohort=group)
    assert (session.trainer, session.place, session.hours) == (teacher, "204", 2)

    edit = reverse("enrolment:timetable_edit", kwargs={"cohort_pk": group.pk, "pk": session.pk})
    assert client.get(edit).status_code == 200
    response = client.post(edit, _post(group, topic=_topic(group, "2.1").pk, kind="question_answer", hours="1"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.topic.code, session.kind, session.hours, session.trainer) == ("2.1", "question_answer", 1, None)

    delete = reverse("enrolment:timetable_delete", kwargs={"cohort_pk": group.pk, "pk": session.pk})
    assert client.post(delete).status_code == 302
    assert not Session.objects.exists()


def test_a_session_with_attendance_is_not_removed_001_24(registrar):
    group = cohort()
    session = _save(group, registrar)
    Attendance.objects.create(
        session=session, enrolment=enrolment(group), status=AttendanceStatus.PRESENT, marked_by=registrar
    )
    with pytest.raises(DomainError, match="Attendance is already marked"):
        session_delete(session, by=registrar)
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_timetable_page_needs_a_staff_permission(client):
    group = cohort()
    url = reverse("enrolment:timetable", kwargs={"cohort_pk": group.pk})
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert (
        client.post(reverse("enrolment:timetable_add", kwargs={"cohort_pk": group.pk}), _post(group)).status_code == 302
    )

    client.force_login(listener().user)
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("enrolment:timetable_add", kwargs={"cohort_pk": group.pk}), _post(group)).status_code == 403
    )
    assert not Session.objects.exists()


def test_a_methodist_sees_the_timetable_but_does_not_change_it(client, registrar):
    group = cohort()
    session = _save(group, registrar)
    methodist = staff_user("methodist")
    client.force_login(methodist)
    page = client.get(reverse("enrolment:timetable", kwargs={"cohort_pk": group.pk}))
    assert page.status_code == 200
    assert b'id="session-form"' not in page.content
    assert (
        client.post(reverse("enrolment:timetable_add", kwargs={"cohort_pk": group.pk}), _post(group)).status_code == 403
    )
    delete = reverse("enrolment:timetable_delete", kwargs={"cohort_pk": group.pk, "pk": session.pk})
    assert client.post(delete).status_code == 403
    with pytest.raises(PermissionDeniedError):
        _save(group, methodist)
    with pytest.raises(PermissionDeniedError):
        session_delete(session, by=methodist)
    assert Session.objects.count() == 1


def test_a_session_of_another_cohort_is_not_found_through_this_one(client, registrar):
    group, other = cohort(), cohort()
    session = _save(other, registrar)
    client.force_login(registrar)
    edit = reverse("enrolment:timetable_edit", kwargs={"cohort_pk": group.pk, "pk": session.pk})
    assert client.get(edit).status_code == 404
    with pytest.raises(DomainError):
        _save(group, registrar, session=session)


@pytest.mark.parametrize("count", [1, 6])
def test_the_timetable_page_makes_the_same_queries_for_few_and_many_sessions(client, registrar, count):
    group = cohort()
    for i in range(count):
        user = staff_user("trainer")
        Trainer.objects.create(user=user, kind="staff")
        Session.objects.create(
            cohort=group,
            date=MONDAY + datetime.timedelta(days=i % 5),
            starts_at=datetime.time(9 + i // 5 * 2),
            ends_at=datetime.time(10 + i // 5 * 2),
            topic=_topic(group, "1.1" if i % 2 else "2.1"),
            hours=Decimal("1"),
            trainer=user,
            place=f"{200 + i}",
        )
    client.force_login(registrar)
    url = reverse("enrolment:timetable", kwargs={"cohort_pk": group.pk})
    assert page_queries(client, url) == TIMETABLE_QUERIES


# --- days off (SPEC 1.7: the Kazakhstan working-day calendar) ----------------------------------------------


@pytest.fixture
def over_nauryz(db, org):
    """A cohort from Friday 20 to Friday 27 March 2026: Nauryz (21-23 March) and its moved days off (24-25)."""
    return cohort(program(), starts_on=datetime.date(2026, 3, 20), ends_on=datetime.date(2026, 3, 27))


@pytest.mark.parametrize(
    "day",
    [datetime.date(2026, 3, 21), datetime.date(2026, 3, 23), datetime.date(2026, 3, 25)],
    ids=["saturday", "nauryz", "moved-day-off"],
)
def test_a_session_on_a_day_off_is_refused_unless_confirmed(over_nauryz, registrar, day):
    with pytest.raises(DomainError, match="day off"):
        _save(over_nauryz, registrar, date=day)
    assert not Session.objects.filter(cohort=over_nauryz).exists()
    session = _save(over_nauryz, registrar, date=day, on_day_off=True)
    assert session.date == day
    # Changing another field of a session already confirmed on a day off asks nothing again.
    assert _save(over_nauryz, registrar, session=session, date=day, place="204").place == "204"


def test_the_timetable_form_asks_to_confirm_a_day_off_and_the_page_flags_it(client, over_nauryz, registrar):
    client.force_login(registrar)
    url = reverse("enrolment:timetable_add", kwargs={"cohort_pk": over_nauryz.pk})
    refused = client.post(url, _post(over_nauryz, date="2026-03-23"))
    assert refused.status_code == 400
    assert "23.03.2026 is a day off in Kazakhstan" in refused.content.decode()
    assert not Session.objects.filter(cohort=over_nauryz).exists()
    assert client.post(url, _post(over_nauryz, date="2026-03-23", on_day_off="on")).status_code == 302
    assert client.post(url, _post(over_nauryz, date="2026-03-26")).status_code == 302
    page = client.get(reverse("enrolment:timetable", kwargs={"cohort_pk": over_nauryz.pk})).content.decode()
    assert "1 session is on a day off." in page
    assert page.count("day-off") == 1
    assert 'id="ends-on-day-off"' not in page


def test_a_course_ending_on_a_holiday_is_flagged(client, db, org, registrar):
    ending = cohort(program(), starts_on=datetime.date(2026, 3, 16), ends_on=datetime.date(2026, 3, 23))
    client.force_login(registrar)
    page = client.get(reverse("enrolment:timetable", kwargs={"cohort_pk": ending.pk})).content.decode()
    assert 'id="ends-on-day-off"' in page and "23.03.2026" in page
