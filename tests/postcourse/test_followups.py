"""The follow-up questionnaires at 3, 6 and 12 months after the course (001 §34, SPEC 6.2)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from certificates.services import certificate_issue
from enrolment.models import Message
from postcourse.enums import Applying
from postcourse.followups import follow_up_answer, follow_ups_mail_due
from postcourse.models import FollowUp
from postcourse.services import support_period_open
from programs.models import VersionText
from tests.certificates.helpers import course, enrol
from ziat.dates import add_months
from ziat.errors import DomainError
from ziat.models import ActivityLog


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the English messages; the catalogues' Kazakh and Russian are checked elsewhere."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


RESULTS = ["Слушатели применяют цифровые инструменты.", "Слушатели проектируют урок."]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 6), 3, datetime.date(2026, 6, 6)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 15), 12, datetime.date(2027, 12, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 10, 31), 0, datetime.date(2026, 10, 31)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def _supported(ends_on=datetime.date(2026, 3, 6), **kwargs):
    c = course(starts_on=ends_on - datetime.timedelta(days=4), ends_on=ends_on, **kwargs)
    VersionText.objects.create(version=c.version, language="ru", expected_results=RESULTS)
    e = enrol(c)
    support_period_open(e)
    return e


def test_follow_up_is_due_three_six_and_twelve_months_after_the_course_001_34(
    org, director, django_capture_on_commit_callbacks
):
    c = course(starts_on=datetime.date(2026, 8, 24), ends_on=datetime.date(2026, 8, 31))
    e = enrol(c)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue(e, by=director, on=datetime.date(2026, 9, 2))
    due = dict(FollowUp.objects.filter(enrolment=e).values_list("months", "due_on"))
    assert due == {
        3: datetime.date(2026, 11, 30),
        6: datetime.date(2027, 2, 28),
        12: datetime.date(2027, 8, 31),
    }


def test_opening_the_support_twice_plans_the_follow_ups_once_001_34(org):
    e = _supported()
    support_period_open(e)
    assert FollowUp.objects.filter(enrolment=e).count() == 3


def _now(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_due_questionnaire_is_mailed_once_and_reminded_once_a_week_later_001_34(
    org, django_capture_on_commit_callbacks
):
    e = _supported()
    three = FollowUp.objects.get(enrolment=e, months=3)
    day = three.due_on
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_ups_mail_due(
            today=day - datetime.timedelta(days=1), now=_now(day) - datetime.timedelta(days=1)
        ) == (0, 0)
        assert follow_ups_mail_due(today=day, now=_now(day)) == (1, 0)
        assert follow_ups_mail_due(today=day, now=_now(day)) == (0, 0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [e.listener.user.email]
    assert f"/cabinet/follow-up/{three.pk}/" in mail.outbox[0].body
    later = day + datetime.timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_ups_mail_due(today=later, now=_now(later)) == (0, 0)
    week = day + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_ups_mail_due(today=week, now=_now(week)) == (0, 1)
        assert follow_ups_mail_due(
            today=week + datetime.timedelta(days=7), now=_now(week) + datetime.timedelta(days=7)
        ) == (0, 0)
    assert len(mail.outbox) == 2
    three.refresh_from_db()
    assert three.sent_at == _now(day) and three.reminded_at == _now(week)
    assert Message.objects.filter(listener=e.listener, kind__startswith="follow_up").count() == 2


def test_answered_questionnaire_is_not_reminded_001_34(org, django_capture_on_commit_callbacks):
    e = _supported()
    three = FollowUp.objects.get(enrolment=e, months=3)
    with django_capture_on_commit_callbacks(execute=True):
        follow_ups_mail_due(today=three.due_on, now=_now(three.due_on))
    follow_up_answer(three, by=e.listener.user, applying=Applying.SOMETIMES, today=three.due_on)
    week = three.due_on + datetime.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_ups_mail_due(today=week, now=_now(week)) == (0, 0)
    assert len(mail.outbox) == 1


def test_periodic_task_is_registered_daily(settings):
    assert settings.PERIODIC_TASKS["send_follow_ups"]["task"] == "postcourse.tasks.send_follow_ups"


def test_cabinet_shows_the_due_questionnaire_and_the_answer_is_saved_001_34(client, org):
    e = _supported(ends_on=timezone.localdate() - datetime.timedelta(days=100))
    three = FollowUp.objects.get(enrolment=e, months=3)
    client.force_login(e.listener.user)
    cabinet = client.get("/cabinet/").content.decode()
    assert f"/cabinet/follow-up/{three.pk}/" in cabinet
    assert "/cabinet/follow-up/" + str(FollowUp.objects.get(enrolment=e, months=6).pk) + "/" not in cabinet
    page = client.get(f"/cabinet/follow-up/{three.pk}/").content.decode()
    assert RESULTS[0] in page and RESULTS[1] in page
    response = client.post(
        f"/cabinet/follow-up/{three.pk}/",
        {
            "applying": Applying.REGULARLY,
            "results_applied": [RESULTS[1]],
            "example": "Урок с онлайн-доской в 7 классе.",
            "obstacles": "Слабый интернет.",
            "wants_support": "on",
        },
    )
    assert response.status_code == 302
    three.refresh_from_db()
    assert three.answered_at is not None
    assert (three.applying, three.results_applied, three.wants_support) == (Applying.REGULARLY, [RESULTS[1]], True)
    assert three.example == "Урок с онлайн-доской в 7 классе."
    assert ActivityLog.objects.filter(action="postcourse.follow_up.answered", object_id=three.pk).exists()
    assert "answered on" in client.get("/cabinet/").content.decode()


def _state(follow_up):
    follow_up.refresh_from_db()
    return (follow_up.answered_at, follow_up.applying, follow_up.results_applied, follow_up.example)


def test_second_answer_is_refused_and_the_first_stays_001_34(client, org):
    e = _supported(ends_on=timezone.localdate() - datetime.timedelta(days=100))
    three = FollowUp.objects.get(enrolment=e, months=3)
    follow_up_answer(three, by=e.listener.user, applying=Applying.SOMETIMES, example="первый")
    before = _state(three)
    with pytest.raises(DomainError):
        follow_up_answer(three, by=e.listener.user, applying=Applying.REGULARLY, example="второй")
    assert _state(three) == before
    client.force_login(e.listener.user)
    client.post(f"/cabinet/follow-up/{three.pk}/", {"applying": Applying.NOT_YET, "example": "третий"})
    assert _state(three) == before


def test_answer_before_the_due_day_is_refused_001_34(client, org):
    e = _supported(ends_on=timezone.localdate() - datetime.timedelta(days=10))
    three = FollowUp.objects.get(enrolment=e, months=3)
    before = _state(three)
    with pytest.raises(DomainError, match="opens on"):
        follow_up_answer(three, by=e.listener.user, applying=Applying.SOMETIMES)
    client.force_login(e.listener.user)
    response = client.post(f"/cabinet/follow-up/{three.pk}/", {"applying": Applying.SOMETIMES})
    assert response.status_code == 400
    assert "opens on" in response.content.decode()
    assert _state(three) == before


def test_another_listener_may_not_answer_or_read_the_questionnaire_001_34(client, org, director):
    e = _supported(ends_on=timezone.localdate() - datetime.timedelta(days=100))
    other = enrol(e.cohort)
    three = FollowUp.objects.get(enrolment=e, months=3)
    before = _state(three)
    for by in (other.listener.user, director):
        with pytest.raises(DomainError):
            follow_up_answer(three, by=by, applying=Applying.SOMETIMES)
    client.force_login(other.listener.user)
    assert client.get(f"/cabinet/follow-up/{three.pk}/").status_code == 404
    assert client.post(f"/cabinet/follow-up/{three.pk}/", {"applying": Applying.SOMETIMES}).status_code == 404
    assert _state(three) == before


def test_a_result_not_in_the_program_is_refused_000_4_2(org):
    e = _supported(ends_on=timezone.localdate() - datetime.timedelta(days=100))
    three = FollowUp.objects.get(enrolment=e, months=3)
    with pytest.raises(DomainError):
        follow_up_answer(three, by=e.listener.user, applying=Applying.SOMETIMES, results_applied=["выдумано"])
    assert _state(three)[0] is None


def test_a_request_for_more_support_is_mailed_to_the_cohorts_active_trainers_else_the_methodists_001_34(
    org, django_capture_on_commit_callbacks
):
    from tests.factories import staff_user, teach

    methodist = staff_user("methodist", email="methodist@example.kz")
    taught, untaught = _supported(), _supported(code="UNTAUGHT-1")
    trainer = staff_user("trainer", email="trainer@example.kz")
    teach(taught.cohort, trainer)
    # The other cohort's trainer has left: the methodists are told instead.
    teach(untaught.cohort, staff_user("trainer", email="left@example.kz", is_active=False))
    for e, wants in ((taught, False), (taught, True), (untaught, True)):
        questionnaire = FollowUp.objects.filter(enrolment=e, answered_at__isnull=True).order_by("months").first()
        with django_capture_on_commit_callbacks(execute=True):
            follow_up_answer(
                questionnaire,
                by=e.listener.user,
                applying=Applying.TRYING,
                obstacles="Сынып толы.",
                wants_support=wants,
                today=questionnaire.due_on,
            )
    with translation.override("kk"):  # the cohorts' language
        subject = translation.gettext("A listener asks for more support after the course")
    assert subject != "A listener asks for more support after the course"
    assert [(m.to, m.subject) for m in mail.outbox] == [([trainer.email], subject), ([methodist.email], subject)]
    first = mail.outbox[0].body
    assert taught.listener.user.full_name in first and "Сынып толы." in first
    assert f"/staff/support/cohort/{taught.cohort_id}/follow-ups/?support=waiting" in first
