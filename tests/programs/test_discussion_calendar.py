"""A public discussion's last day, stored when the draft is published, follows the government's later decisions
on the calendar: 10 working days under the calendar in force (000 §2.9, SPEC 1.7), never changed once ended."""

import datetime

import pytest
from django.utils import timezone

from programs.models import Discussion, ProgramStatusChange
from programs.services.workflow import discussion_window, program_publish_for_discussion
from tests.factories import draft_program, staff_user
from ziat.calendar_decisions import calendar_day_record, calendar_day_withdraw
from ziat.models import ActivityLog

pytestmark = pytest.mark.django_db
D = datetime.date
ACT = "Decree No. 77 of 1.10.2026"


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


@pytest.fixture
def today(monkeypatch):
    """Set the clock to a given day (``today(day)``)."""
    real = timezone.localdate

    def set_to(day):
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: day if value is None else real(value, tz)
        )

    return set_to


def _published(methodist, on):
    return program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=on)


def _ends_on(discussion):
    return Discussion.objects.get(pk=discussion.pk).ends_on


def test_a_weekday_made_a_day_off_moves_the_last_day_and_its_withdrawal_moves_it_back_000_2_9(
    methodist, director, today
):
    """Published on Monday 2 November 2026, the discussion is open to the end of Monday 16 November; when the
    government makes Wednesday 11 November a day off, to the end of Tuesday 17 November; when the decision is
    withdrawn, to 16 November again."""
    today(D(2026, 11, 2))
    discussion = _published(methodist, D(2026, 11, 2))
    assert discussion.ends_on == D(2026, 11, 16)
    # A day after the tenth working day changes nothing.
    assert calendar_day_record(date=D(2026, 11, 18), is_working=False, note=ACT, by=director).moved == 0
    assert _ends_on(discussion) == D(2026, 11, 16)

    decision = calendar_day_record(date=D(2026, 11, 11), is_working=False, note=ACT, by=director)
    assert decision.moved == 1
    assert _ends_on(discussion) == D(2026, 11, 17) == discussion_window(D(2026, 11, 2))
    assert calendar_day_withdraw(decision, by=director) == 1
    assert _ends_on(discussion) == D(2026, 11, 16) == discussion_window(D(2026, 11, 2))

    moves = ActivityLog.objects.filter(action="programs.discussion.recounted", object_id=discussion.pk).order_by("pk")
    assert [(e.data["before"], e.data["after"]) for e in moves] == [
        ({"ends_on": "2026-11-16"}, {"ends_on": "2026-11-17"}),
        ({"ends_on": "2026-11-17"}, {"ends_on": "2026-11-16"}),
    ]
    assert {e.actor for e in moves} == {director}
    assert {e.program_id for e in moves} == {discussion.version.program_id}
    notes = list(
        ProgramStatusChange.objects.filter(program=discussion.version.program, by=director)
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert len(notes) == 2
    assert "17.11.2026" in notes[0] and "16.11.2026" in notes[0] and ACT in notes[0]
    assert notes[1].index("16.11.2026") < notes[1].index("17.11.2026") and ACT in notes[1]


def test_a_finished_discussion_keeps_its_last_day_when_a_day_of_it_is_made_a_day_off_000_2_9(
    methodist, director, today
):
    """A decision recorded late, on 28 October 2026, makes Tuesday 27 October a day off: the discussion published
    on 12 October ended on the 27th and stays ended; the one published on 19 October, open to 3 November, now
    runs to 4 November."""
    today(D(2026, 10, 28))
    finished = _published(methodist, D(2026, 10, 12))
    running = _published(methodist, D(2026, 10, 19))
    assert (finished.ends_on, running.ends_on) == (D(2026, 10, 27), D(2026, 11, 3))

    assert calendar_day_record(date=D(2026, 10, 27), is_working=False, note=ACT, by=director).moved == 1
    assert (_ends_on(finished), _ends_on(running)) == (D(2026, 10, 27), D(2026, 11, 4))
    assert discussion_window(D(2026, 10, 12)) == D(2026, 10, 28)  # what the new calendar would have said
    moved = ActivityLog.objects.filter(action="programs.discussion.recounted")
    assert list(moved.values_list("object_id", flat=True)) == [running.pk]


@pytest.mark.parametrize(
    ("on", "ends_on"),
    [
        (D(2026, 11, 2), D(2026, 11, 13)),  # the tenth working day is now Friday 13 November
        (D(2026, 11, 14), D(2026, 11, 14)),  # the 13th has passed: open to the end of today
        (D(2026, 11, 16), D(2026, 11, 16)),  # the last day promised is today: it stays
    ],
)
def test_a_saturday_made_a_working_day_shortens_an_open_discussion_but_never_closes_it_before_today_000_2_9(
    methodist, director, today, on, ends_on
):
    """Saturday 7 November 2026 made a working day brings the tenth working day from 16 to 13 November; a
    discussion is never closed behind the readers' backs, before the end of the day the decision is recorded."""
    today(D(2026, 11, 2))
    discussion = _published(methodist, D(2026, 11, 2))
    today(on)
    decision = calendar_day_record(date=D(2026, 11, 7), is_working=True, note=ACT, by=director)
    assert _ends_on(discussion) == ends_on
    assert decision.moved == (ends_on != D(2026, 11, 16))


@pytest.mark.django_db(transaction=True)
def test_a_discussion_published_while_a_decision_is_being_recorded_counts_with_it_000_2_9(methodist, director, today):
    """A draft published while the director's decision on a day inside its ten working days is not yet committed
    waits for the decision, and then counts with it: its last day is not the one of the calendar before."""
    import threading

    from django.db import connection, transaction

    today(D(2026, 11, 2))
    draft = draft_program(by=methodist)
    recorded, release, found = threading.Event(), threading.Event(), {}

    def decide():
        try:
            with transaction.atomic():
                calendar_day_record(date=D(2026, 11, 11), is_working=False, note=ACT, by=director)
                recorded.set()
                release.wait(30)
        finally:
            connection.close()

    def publish():
        try:
            found["discussion"] = program_publish_for_discussion(draft, by=methodist, on=D(2026, 11, 2))
        finally:
            connection.close()

    decider = threading.Thread(target=decide)
    decider.start()
    assert recorded.wait(30)
    publisher = threading.Thread(target=publish)
    publisher.start()
    # The publication either finishes at once (nothing orders it after the decision) or waits on the lock.
    with connection.cursor() as cursor:
        for _ in range(300):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cursor.fetchone()[0] or not publisher.is_alive():
                break
            publisher.join(0.02)
    release.set()
    decider.join(30)
    publisher.join(30)
    assert _ends_on(found["discussion"]) == D(2026, 11, 17)
