"""The NOBD reporting deadline of each finished cohort (001 §19)."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import NobdDeadline
from monitoring.nobd import nobd_confirm, nobd_deadlines_ensure, nobd_remind_overdue
from monitoring.tasks import nobd_deadlines as nobd_task
from monitoring.tasks import nobd_deadlines_ensure as ensure_task
from tests.factories import cohort, page_queries, program, staff_user, write_statements
from ziat import roles
from ziat.calendar_decisions import calendar_day_record, calendar_day_withdraw
from ziat.errors import DomainError
from ziat.models import ActivityLog, CalendarDay


def _ended(ends_on, **kwargs):
    return cohort(starts_on=ends_on - datetime.timedelta(days=4), ends_on=ends_on, **kwargs)


def test_deadline_is_five_working_days_after_a_course_ending_before_nauryz_001_19(org):
    # Friday 20 March 2026; 21-25 March are Nauryz with its days off: the five days are 26, 27, 30, 31 March
    # and 1 April.
    c = _ended(datetime.date(2026, 3, 20))
    nobd_deadlines_ensure(today=datetime.date(2026, 3, 20))
    assert NobdDeadline.objects.get(cohort=c).due_on == datetime.date(2026, 4, 1)


def test_government_transfer_of_a_working_saturday_counts_001_19(org):
    CalendarDay.objects.create(date=datetime.date(2026, 3, 28), is_working=True, note="перенос")
    c = _ended(datetime.date(2026, 3, 20))
    nobd_deadlines_ensure(today=datetime.date(2026, 3, 21))
    assert NobdDeadline.objects.get(cohort=c).due_on == datetime.date(2026, 3, 31)


def test_only_finished_cohorts_get_a_deadline_once_001_19(org):
    today = datetime.date(2026, 5, 4)
    done = _ended(today)
    running = cohort(starts_on=today, ends_on=today + datetime.timedelta(days=3))
    assert nobd_deadlines_ensure(today=today) == 1
    assert nobd_deadlines_ensure(today=today) == 0
    assert list(NobdDeadline.objects.values_list("cohort", flat=True)) == [done.pk]
    assert not NobdDeadline.objects.filter(cohort=running).exists()


def test_registrar_confirms_once_with_who_and_when_001_19(org, registrar):
    c = _ended(datetime.date(2026, 3, 20))
    nobd_deadlines_ensure(today=datetime.date(2026, 3, 25))
    d = NobdDeadline.objects.get(cohort=c)
    nobd_confirm(d, by=registrar)
    assert d.confirmed_by == registrar and d.confirmed_at is not None
    entry = ActivityLog.objects.get(action="monitoring.nobd.confirmed", object_id=d.pk)
    assert entry.actor == registrar and entry.cohort_id == c.pk
    at = d.confirmed_at
    with pytest.raises(DomainError):
        nobd_confirm(d, by=staff_user(roles.DIRECTOR))
    d.refresh_from_db()
    assert (d.confirmed_by, d.confirmed_at) == (registrar, at)


@pytest.mark.parametrize("role", [roles.TRAINER, roles.METHODIST, roles.MONITORING, roles.ACCOUNTANT])
def test_other_roles_may_not_confirm_001_19(client, org, role):
    c = _ended(datetime.date(2026, 3, 20))
    nobd_deadlines_ensure(today=datetime.date(2026, 3, 25))
    d = NobdDeadline.objects.get(cohort=c)
    user = staff_user(role)
    with pytest.raises(DomainError):
        nobd_confirm(d, by=user)
    client.force_login(user)
    response = client.post(f"/monitoring/nobd/{d.pk}/confirm/")
    assert response.status_code == 403
    d.refresh_from_db()
    assert d.confirmed_at is None


def test_a_deadline_still_running_moves_with_a_day_off_inside_its_five_days_and_back_001_19(
    org, registrar, director, monkeypatch
):
    """Cohorts that ended on Thursday 5 and Friday 6 November 2026 are due on 12 and 13 November; when the
    government makes Wednesday 11 November a day off, the one not yet confirmed is due on 16 November, and on
    the 13th again when the decision is withdrawn. The confirmed one keeps its date."""
    today = datetime.date(2026, 11, 9)
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: today if value is None else real(value, tz))
    confirmed, running = _ended(datetime.date(2026, 11, 5)), _ended(datetime.date(2026, 11, 6))
    nobd_deadlines_ensure(today=today)
    nobd_confirm(NobdDeadline.objects.get(cohort=confirmed), by=registrar)
    deadline = NobdDeadline.objects.get(cohort=running)
    assert deadline.due_on == datetime.date(2026, 11, 13)

    decision = calendar_day_record(date=datetime.date(2026, 11, 11), is_working=False, note="Decree 77", by=director)
    assert decision.moved == 1
    assert NobdDeadline.objects.get(cohort=running).due_on == datetime.date(2026, 11, 16)
    assert NobdDeadline.objects.get(cohort=confirmed).due_on == datetime.date(2026, 11, 12)
    assert calendar_day_withdraw(decision, by=director) == 1
    assert NobdDeadline.objects.get(cohort=running).due_on == datetime.date(2026, 11, 13)

    moves = ActivityLog.objects.filter(action="monitoring.nobd.recounted").order_by("pk")
    assert [(e.object_id, e.cohort_id, e.actor) for e in moves] == [(deadline.pk, running.pk, director)] * 2
    assert [(e.data["before"], e.data["after"]) for e in moves] == [
        ({"due_on": "2026-11-13"}, {"due_on": "2026-11-16"}),
        ({"due_on": "2026-11-16"}, {"due_on": "2026-11-13"}),
    ]


def _now(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_overdue_cohorts_are_reminded_to_registrars_and_the_director_once_a_day_001_19(
    org, django_capture_on_commit_callbacks
):
    staff_user(roles.REGISTRAR, email="registrar@example.kz")
    staff_user(roles.DIRECTOR, email="director@example.kz")
    staff_user(roles.TRAINER, email="trainer@example.kz")
    late = _ended(datetime.date(2026, 3, 20), code="LATE-1")  # due 1 April
    on_time = _ended(datetime.date(2026, 3, 30), code="ONTIME-1")
    nobd_deadlines_ensure(today=datetime.date(2026, 4, 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert nobd_remind_overdue(today=datetime.date(2026, 4, 1), now=_now(datetime.date(2026, 4, 1))) == 0
        assert nobd_remind_overdue(today=datetime.date(2026, 4, 2), now=_now(datetime.date(2026, 4, 2))) == 1
        assert nobd_remind_overdue(today=datetime.date(2026, 4, 2), now=_now(datetime.date(2026, 4, 2), 18)) == 0
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["director@example.kz", "registrar@example.kz"]
    assert late.code in mail.outbox[0].body and on_time.code not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert nobd_remind_overdue(today=datetime.date(2026, 4, 3), now=_now(datetime.date(2026, 4, 3))) == 1
    assert len(mail.outbox) == 2
    nobd_confirm(NobdDeadline.objects.get(cohort=late), by=staff_user(roles.REGISTRAR))
    with django_capture_on_commit_callbacks(execute=True):
        assert nobd_remind_overdue(today=datetime.date(2026, 4, 6), now=_now(datetime.date(2026, 4, 6))) == 0


def test_daily_task_makes_the_deadlines_001_19(org, settings):
    c = _ended(timezone.localdate() - datetime.timedelta(days=1))
    nobd_task.call()
    assert NobdDeadline.objects.filter(cohort=c).exists()
    assert settings.PERIODIC_TASKS["nobd_deadlines"]["task"] == "monitoring.tasks.nobd_deadlines"


def test_the_deadlines_of_cohorts_just_finished_are_made_every_few_minutes_not_by_the_page_001_19(
    client, org, registrar, settings
):
    assert settings.PERIODIC_TASKS["nobd_deadlines_ensure"]["every_minutes"] <= 15
    c = _ended(timezone.localdate(), code="TODAY-1")
    client.force_login(registrar)
    with CaptureQueriesContext(connection) as reading:
        assert "TODAY-1" not in client.get("/monitoring/nobd/").content.decode()
    assert write_statements(reading) == [] and not NobdDeadline.objects.exists()
    assert ensure_task.call() == 1
    assert NobdDeadline.objects.filter(cohort=c).exists()
    assert "TODAY-1" in client.get("/monitoring/nobd/").content.decode()


def test_page_lists_due_overdue_and_confirmed_with_filters_and_confirms_001_19(client, org, registrar):
    today = timezone.localdate()
    old = _ended(today - datetime.timedelta(days=30), code="OLD-1")
    fresh = _ended(today, code="FRESH-1")
    other = _ended(today - datetime.timedelta(days=40), code="OTHER-1", prog=program(title_ru="Другая"))
    ensure_task.call()  # as the scheduler does every few minutes
    client.force_login(registrar)
    with CaptureQueriesContext(connection) as reading:
        html = client.get("/monitoring/nobd/").content.decode()
    assert write_statements(reading) == []  # the page only reads
    assert all(c.code in html for c in (old, fresh, other))
    assert "/monitoring/nobd/" in html  # the nav line
    d = NobdDeadline.objects.get(cohort=other)
    response = client.post(f"/monitoring/nobd/{d.pk}/confirm/", {"next": "state=overdue"})
    assert response.status_code == 302 and response.url.endswith("/monitoring/nobd/?state=overdue")
    assert "OTHER-1" in client.get(response.url).content.decode()  # the message that it is confirmed
    overdue = client.get("/monitoring/nobd/?state=overdue").content.decode()
    assert old.code in overdue and fresh.code not in overdue and other.code not in overdue
    due = client.get("/monitoring/nobd/?state=due").content.decode()
    assert fresh.code in due and old.code not in due
    confirmed = client.get("/monitoring/nobd/?state=confirmed").content.decode()
    assert other.code in confirmed and old.code not in confirmed
    by_program = client.get(f"/monitoring/nobd/?program={old.program_id}").content.decode()
    assert old.code in by_program and other.code not in by_program


def test_page_is_refused_to_a_trainer_and_a_listener(client, org, trainer):
    client.force_login(trainer)
    assert client.get("/monitoring/nobd/").status_code == 403


@pytest.mark.parametrize("count", [1, 60])
def test_nobd_page_queries_do_not_grow_with_rows(client, org, registrar, count):
    today = timezone.localdate()
    prog = program()
    for i in range(count):
        _ended(today - datetime.timedelta(days=i), prog=prog)
    nobd_deadlines_ensure(today=today)
    for d in NobdDeadline.objects.all()[:5]:
        nobd_confirm(d, by=registrar)
    client.force_login(registrar)
    assert page_queries(client, "/monitoring/nobd/") == 8
