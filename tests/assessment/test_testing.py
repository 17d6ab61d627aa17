"""The online test engine: admission, the draw, the time limit, scoring and grades
(000 §3.6, §3.10, 001 §24, §28, 004 §8; SPEC 4.1-4.2)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment import enums
from assessment.enums import Grade, QuestionKind, SubmittedBy
from assessment.models import Attempt, AttemptItem, FinalResult, Option, Reassessment
from assessment.outcomes import outcome_for
from assessment.services.testing import (
    AttemptClosedError,
    TestState,
    answer_save,
    attempt_refusal,
    attempt_start,
    attempt_submit,
    close_expired_attempts,
    final_score,
    listener_tests,
    score_grade,
)
from enrolment.enums import EnrolmentStatus
from enrolment.models import Cohort
from tests import factories
from tests.assessment import taking_factories as tf
from ziat.errors import DomainError
from ziat.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(org):
    """A cohort taught in five 2-hour sessions, a bank of 13 + 12 one-point questions, its final test."""
    group, version = tf.course()
    return group, version, tf.cohort_test(group, version)


def _take(test, enrolment, right, *, now=None):
    attempt = attempt_start(test=test, enrolment=enrolment, now=now)
    tf.answer(attempt, right, now=now)
    return attempt_submit(attempt=attempt, now=now)


def _chosen(attempt):
    return list(AttemptItem.objects.filter(attempt=attempt).order_by("position").values_list("chosen", flat=True))


# --------------------------------------------------------------------------- the draw
def test_the_draw_takes_its_count_per_module_and_shuffles_the_options_spec_4_2(course):
    group, version, test = course
    now = timezone.now()
    attempt = attempt_start(test=test, enrolment=tf.admitted(group), now=now)
    items = list(attempt.items.select_related("question"))
    assert len(items) == 25
    modules = [i.question.module_number for i in items]
    assert modules.count(1) == 13 and modules.count(2) == 12
    assert [i.position for i in items] == list(range(1, 26))
    assert len({i.question_id for i in items}) == 25
    for item in items:
        options = set(Option.objects.filter(question=item.question).values_list("pk", flat=True))
        assert sorted(item.option_order) == sorted(options)
        assert item.chosen == []
    assert attempt.started_at == now
    assert attempt.deadline == now + datetime.timedelta(minutes=40)


def test_the_draw_keeps_the_bank_order_when_not_shuffled(org):
    group, version = tf.course(modules={1: 3, 2: 2})
    test = tf.cohort_test(group, version, draw={"1": 3, "2": 2}, shuffle_questions=False)
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    positions = [i.question.position for i in attempt.items.select_related("question")]
    assert positions == [1, 2, 3, 4, 5]


def test_the_deadline_is_cut_at_the_close_of_the_window(course):
    group, version, test = course
    now = test.closes_at - datetime.timedelta(minutes=10)
    attempt = attempt_start(test=test, enrolment=tf.admitted(group), now=now)
    assert attempt.deadline == test.closes_at


def test_a_bank_with_too_few_questions_is_refused_clearly(org):
    group, version = tf.course(modules={1: 13, 2: 5})
    test = tf.cohort_test(group, version)
    with pytest.raises(DomainError, match="has 5 questions for module 2 but the test draws 12"):
        attempt_start(test=test, enrolment=tf.admitted(group))
    assert not Attempt.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_starts_make_one_attempt():
    factories.organisation()
    group, version = tf.course()
    test = tf.cohort_test(group, version)
    enrolment = tf.admitted(group)
    barrier = threading.Barrier(2)
    started, errors = [], []

    def start():
        try:
            barrier.wait()
            started.append(attempt_start(test=test, enrolment=enrolment).pk)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(started) == 2 and started[0] == started[1]
    assert Attempt.objects.filter(test=test, enrolment=enrolment).count() == 1
    assert AttemptItem.objects.filter(attempt_id=started[0]).count() == 25


# --------------------------------------------------------------------------- scoring
@pytest.mark.parametrize(
    ("right", "passed", "grade"),
    [(16, False, Grade.UNSATISFACTORY), (17, True, Grade.SATISFACTORY)],
)
def test_16_of_25_fails_and_17_passes_the_final_test_004_8(course, right, passed, grade):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = _take(test, enrolment, right)
    assert attempt.points == right and attempt.max_points == 25
    assert attempt.score == right  # 25 one-point questions and a maximum of 25: the score is the points
    assert attempt.submitted_by == SubmittedBy.LISTENER
    result = FinalResult.objects.get(enrolment=enrolment)
    assert result.score == right and result.attempt == attempt and result.recorded_by is None
    assert outcome_for(enrolment).final_test_ok is passed
    assert score_grade(attempt.score, test) == grade
    assert AttemptItem.objects.filter(attempt=attempt, is_correct=True).count() == right


def test_the_score_is_scaled_to_the_maximum_and_rounded_down_to_a_tenth_004_8(org):
    group, version = tf.course(modules={1: 7})
    test = tf.cohort_test(group, version, draw={"1": 7})
    enrolment = tf.admitted(group)
    attempt = _take(test, enrolment, 5)
    # 5 of 7 on a scale of 25 is 17.857…: 17.8, never 17.9.
    assert attempt.score == Decimal("17.8")
    assert FinalResult.objects.get(enrolment=enrolment).score == Decimal("17.8")
    assert final_score(2, 3, 25) == Decimal("16.6")
    assert final_score(17, 25, 25) == 17


def test_points_are_the_weights_of_the_questions_answered_correctly(org):
    group, _version = tf.course()
    version = tf.bank(group.program, modules={1: 5}, weight=2)
    test = tf.cohort_test(group, version, draw={"1": 5})
    attempt = _take(test, tf.admitted(group), 3)
    assert attempt.points == 6 and attempt.max_points == 10
    assert attempt.score == 15  # 6 / 10 × 25


def test_a_multiple_choice_question_counts_only_with_exactly_the_correct_options(org):
    group, _version = tf.course()
    version = tf.bank(group.program, modules={1: 3}, kind=QuestionKind.MULTIPLE)
    test = tf.cohort_test(group, version, draw={"1": 3})
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    first, second, third = attempt.items.order_by("position")
    correct = tf.correct_ids(first)
    answer_save(attempt=attempt, item_position=1, option_ids=correct[:1])  # one of two: wrong
    answer_save(attempt=attempt, item_position=2, option_ids=tf.correct_ids(second))  # both: right
    answer_save(attempt=attempt, item_position=3, option_ids=[*tf.correct_ids(third), tf.wrong_id(third)])
    attempt = attempt_submit(attempt=attempt)
    assert list(attempt.items.order_by("position").values_list("is_correct", flat=True)) == [False, True, False]
    assert attempt.points == 1


# --------------------------------------------------------------------------- grades
@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (16, Grade.UNSATISFACTORY),
        ("16.9", Grade.UNSATISFACTORY),
        (17, Grade.SATISFACTORY),
        (19, Grade.SATISFACTORY),
        ("19.9", Grade.SATISFACTORY),
        (20, Grade.GOOD),
        (22, Grade.GOOD),
        (23, Grade.EXCELLENT),
        (25, Grade.EXCELLENT),
    ],
)
@pytest.mark.parametrize("scale", [{"excellent_from": 23, "good_from": 20}, {}], ids=["set", "default"])
def test_grade_scale_boundaries_19_20_and_22_23_004_8(course, score, grade, scale):
    group, _version, test = course
    for name, value in scale.items():
        setattr(test, name, value)
    assert score_grade(Decimal(score), test) == grade


def test_the_pass_mark_never_falls_below_half_the_maximum_000_3_6():
    """The database keeps a cohort's pass mark at half the maximum or more; the grade applies the floor too."""
    from assessment.models import CohortTest

    test = CohortTest(kind=enums.TestKind.FINAL)
    lax = Cohort(test_max_score=25, test_pass_score=10)
    assert score_grade(Decimal("12.4"), test, cohort=lax, floor_percent=50) == Grade.UNSATISFACTORY
    assert score_grade(Decimal("12.5"), test, cohort=lax, floor_percent=50) == Grade.SATISFACTORY
    # A floor set below 50% is not obeyed.
    assert score_grade(Decimal("12.4"), test, cohort=lax, floor_percent=30) == Grade.UNSATISFACTORY


def test_the_organisations_higher_floor_raises_the_pass_mark_000_3_6(org):
    Organisation.objects.filter(pk=1).update(pass_floor_percent=60)
    group, version = tf.course(test_pass_score=13)
    test = tf.cohort_test(group, version)
    # 60% of 25 is 15: 14 fails although the cohort's mark is 13.
    assert score_grade(14, test) == Grade.UNSATISFACTORY
    assert score_grade(15, test) == Grade.SATISFACTORY
    enrolment = tf.admitted(group)
    _take(test, enrolment, 14)
    assert not outcome_for(enrolment).final_test_ok


def test_diagnostics_are_not_graded_and_keep_a_percent_000_4_5(org):
    group, version = tf.course()
    test = tf.cohort_test(group, version, kind=enums.TestKind.ENTRANCE, draw={"1": 4})
    enrolment = tf.admitted(group)
    attempt = _take(test, enrolment, 3)
    assert attempt.score == 75  # percent of the maximum points
    assert score_grade(attempt.score, test) is None
    assert not FinalResult.objects.filter(enrolment=enrolment).exists()


# --------------------------------------------------------------------------- the time limit
def test_an_answer_after_the_deadline_is_refused_and_the_attempt_submitted_at_the_deadline_spec_4_2(course):
    group, version, test = course
    enrolment = tf.admitted(group)
    start = timezone.now()
    attempt = attempt_start(test=test, enrolment=enrolment, now=start)
    first = attempt.items.get(position=1)
    answer_save(attempt=attempt, item_position=1, option_ids=tf.correct_ids(first), now=start)
    late = start + datetime.timedelta(minutes=40, seconds=1)
    second = attempt.items.get(position=2)
    with pytest.raises(AttemptClosedError, match="time for this test is over"):
        answer_save(attempt=attempt, item_position=2, option_ids=tf.correct_ids(second), now=late)
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.deadline == start + datetime.timedelta(minutes=40)
    assert attempt.submitted_by == SubmittedBy.DEADLINE
    assert attempt.points == 1
    assert AttemptItem.objects.get(pk=second.pk).chosen == []
    assert FinalResult.objects.get(enrolment=enrolment).score == 1


def test_an_answer_at_the_last_second_is_saved(course):
    group, version, test = course
    start = timezone.now()
    attempt = attempt_start(test=test, enrolment=tf.admitted(group), now=start)
    item = attempt.items.get(position=3)
    last = attempt.deadline - datetime.timedelta(seconds=1)
    answer_save(attempt=attempt, item_position=3, option_ids=tf.correct_ids(item), now=last)
    assert AttemptItem.objects.get(pk=item.pk).chosen == tf.correct_ids(item)


def test_close_expired_attempts_command_submits_attempts_past_their_deadline_spec_4_2(course):
    group, version, test = course
    gone, working = tf.admitted(group), tf.admitted(group)
    now = timezone.now()
    expired = attempt_start(test=test, enrolment=gone, now=now - datetime.timedelta(minutes=45))
    tf.answer(expired, 18, now=now - datetime.timedelta(minutes=30))
    running = attempt_start(test=test, enrolment=working, now=now - datetime.timedelta(minutes=5))
    out = __import__("io").StringIO()
    call_command("close_expired_attempts", stdout=out)
    assert "1 expired attempt(s) submitted." in out.getvalue()
    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.submitted_by == SubmittedBy.DEADLINE and expired.submitted_at == expired.deadline
    assert FinalResult.objects.get(enrolment=gone).score == 18
    assert running.submitted_at is None
    assert close_expired_attempts() == 0


# --------------------------------------------------------------------------- resume and second attempts
def test_starting_again_resumes_the_same_attempt_with_its_saved_answers_spec_4_2(course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    for item in attempt.items.filter(position__lte=5):
        answer_save(attempt=attempt, item_position=item.position, option_ids=[item.option_order[-1]])
    saved = _chosen(attempt)
    again = attempt_start(test=test, enrolment=enrolment)
    assert again.pk == attempt.pk
    assert _chosen(again) == saved and sum(1 for c in saved if c) == 5
    assert AttemptItem.objects.filter(attempt__enrolment=enrolment).count() == 25


def test_a_second_attempt_at_the_final_test_is_refused_000_3_10(course):
    group, version, test = course
    enrolment = tf.admitted(group)
    _take(test, enrolment, 16)
    assert attempt_refusal(enrolment, test) == "You have already taken this test."
    with pytest.raises(DomainError, match="already taken"):
        attempt_start(test=test, enrolment=enrolment)
    assert Attempt.objects.filter(enrolment=enrolment).count() == 1


def test_a_reassessment_allows_one_more_attempt_and_keeps_the_earlier_000_3_10(course, registrar):
    group, version, test = course
    enrolment = tf.admitted(group)
    first = _take(test, enrolment, 16)
    now = timezone.now()
    grant = Reassessment.objects.create(
        enrolment=enrolment,
        test=test,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=2),
        granted_by=registrar,
    )
    assert attempt_refusal(enrolment, test, now) is None
    second = attempt_start(test=test, enrolment=enrolment, now=now)
    assert second.pk != first.pk and second.reassessment == grant
    tf.answer(second, 21, now=now)
    attempt_submit(attempt=second, now=now)
    result = FinalResult.objects.get(enrolment=enrolment)
    assert result.score == 21 and result.attempt == second
    first.refresh_from_db()
    assert first.score == 16 and first.submitted_at is not None
    with pytest.raises(DomainError, match="already taken"):
        attempt_start(test=test, enrolment=enrolment, now=now)


def test_a_reassessment_not_open_yet_says_when_000_3_10(course, registrar):
    group, version, test = course
    enrolment = tf.admitted(group)
    _take(test, enrolment, 10)
    opens = timezone.now() + datetime.timedelta(days=30)
    Reassessment.objects.create(
        enrolment=enrolment,
        test=test,
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=1),
        granted_by=registrar,
    )
    assert "Your re-assessment opens on" in attempt_refusal(enrolment, test)


def test_a_reassessment_with_the_next_cohort_uses_the_original_enrolment_000_3_10(course, registrar):
    group, version, test = course
    enrolment = tf.admitted(group)
    _take(test, enrolment, 12)
    later = factories.cohort(group.program, starts_on=datetime.date(2026, 12, 1), ends_on=datetime.date(2026, 12, 5))
    later_test = tf.cohort_test(later, version)
    assert attempt_refusal(enrolment, later_test) == "This test is not of your course."
    now = timezone.now()
    Reassessment.objects.create(
        enrolment=enrolment,
        test=later_test,
        with_next_cohort=True,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(minutes=20),
        granted_by=registrar,
    )
    attempt = attempt_start(test=later_test, enrolment=enrolment, now=now)
    assert attempt.enrolment == enrolment and attempt.test == later_test
    assert attempt.deadline == now + datetime.timedelta(minutes=20)  # the re-assessment's window closes first
    tf.answer(attempt, 19, now=now)
    attempt_submit(attempt=attempt, now=now)
    assert FinalResult.objects.get(enrolment=enrolment).score == 19
    assert Attempt.objects.filter(enrolment=enrolment).count() == 2


# --------------------------------------------------------------------------- answers refused
def _foreign_option(attempt, item):
    other = attempt.items.exclude(pk=item.pk).first()
    return [other.option_order[0]]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_such_question", "not part of your test"),
        ("foreign_option", "option of another question"),
        ("two_on_single", "takes one answer only"),
        ("not_a_number", "does not exist"),
        ("unknown_option", "option of another question"),
    ],
)
def test_a_wrong_answer_is_refused_and_changes_nothing_spec_4_2(course, case, message):
    group, version, test = course
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    item = attempt.items.get(position=1)
    answer_save(attempt=attempt, item_position=1, option_ids=[item.option_order[0]])
    before = _chosen(attempt)
    position, ids = {
        "no_such_question": (26, [item.option_order[1]]),
        "foreign_option": (1, _foreign_option(attempt, item)),
        "two_on_single": (1, item.option_order[:2]),
        "not_a_number": (1, ["x"]),
        "unknown_option": (1, [10**9]),
    }[case]
    with pytest.raises(DomainError, match=message):
        answer_save(attempt=attempt, item_position=position, option_ids=ids)
    assert _chosen(attempt) == before


def test_a_question_of_another_attempt_is_refused(course):
    group, version, test = course
    mine = attempt_start(test=test, enrolment=tf.admitted(group))
    theirs = attempt_start(test=test, enrolment=tf.admitted(group))
    other_item = theirs.items.get(position=1)
    with pytest.raises(DomainError, match="not part of your test"):
        answer_save(attempt=mine, item_id=other_item.pk, option_ids=[other_item.option_order[0]])
    assert AttemptItem.objects.get(pk=other_item.pk).chosen == []


def test_a_submitted_attempt_takes_no_more_answers(course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = _take(test, enrolment, 17)
    item = attempt.items.get(position=25)
    before = _chosen(attempt)
    with pytest.raises(AttemptClosedError, match="submitted"):
        answer_save(attempt=attempt, item_position=25, option_ids=tf.correct_ids(item))
    assert _chosen(attempt) == before
    with pytest.raises(AttemptClosedError):
        attempt_submit(attempt=attempt)
    assert FinalResult.objects.get(enrolment=enrolment).score == 17


def test_saving_an_answer_takes_two_queries(course):
    group, version, test = course
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    item = attempt.items.get(position=4)
    with CaptureQueriesContext(connection) as queries:
        answer_save(attempt=attempt, item_position=4, option_ids=[item.option_order[2]])
    assert len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]) == 2


# --------------------------------------------------------------------------- admission
def test_below_80_percent_attendance_is_not_admitted_to_the_final_test_001_24(course):
    group, version, test = course
    low, enough = factories.enrolment(group), factories.enrolment(group)
    tf.attend(low, 3)  # 6 of 10 scheduled hours
    tf.attend(enough, 4)  # 8 of 10: exactly 80%
    reason = attempt_refusal(low, test)
    assert "60.00%" in reason and "below 80%" in reason
    with pytest.raises(DomainError, match="not admitted to the final test"):
        attempt_start(test=test, enrolment=low)
    assert not Attempt.objects.filter(enrolment=low).exists()
    assert attempt_refusal(enough, test) is None
    assert attempt_start(test=test, enrolment=enough).pk


@pytest.mark.parametrize("status", [EnrolmentStatus.EXPELLED, EnrolmentStatus.INTERRUPTED])
def test_an_expelled_or_interrupted_listener_is_not_admitted_000_3_6(course, status):
    group, version, test = course
    enrolment = tf.admitted(group)
    enrolment.status = status
    enrolment.save(update_fields=["status"])
    assert "You may not take tests" in attempt_refusal(enrolment, test)
    with pytest.raises(DomainError):
        attempt_start(test=test, enrolment=enrolment)


def test_the_test_is_taken_only_inside_its_window_spec_4_2(course):
    group, version, test = course
    enrolment = tf.admitted(group)
    before = test.opens_at - datetime.timedelta(seconds=1)
    assert attempt_refusal(enrolment, test, before).startswith("The test opens on")
    assert attempt_refusal(enrolment, test, test.closes_at).startswith("The test closed on")
    with pytest.raises(DomainError, match="closed"):
        attempt_start(test=test, enrolment=enrolment, now=test.closes_at)
    assert not Attempt.objects.exists()
    assert attempt_refusal(enrolment, test, test.opens_at) is None


def test_a_diagnostic_needs_no_attendance_but_is_taken_once_000_4_5(org):
    group, version = tf.course()
    test = tf.cohort_test(group, version, kind=enums.TestKind.ENTRANCE, draw={"1": 5})
    enrolment = factories.enrolment(group)  # no attendance yet
    assert attempt_refusal(enrolment, test) is None
    _take(test, enrolment, 2)
    with pytest.raises(DomainError, match="already taken"):
        attempt_start(test=test, enrolment=enrolment)


def test_a_test_of_another_cohort_is_refused(course):
    group, version, test = course
    stranger = tf.admitted(tf.course()[0])
    assert attempt_refusal(stranger, test) == "This test is not of your course."


def test_the_listener_must_own_the_enrolment(course):
    group, version, test = course
    enrolment = tf.admitted(group)
    other = factories.listener()
    with pytest.raises(DomainError, match="not your enrolment"):
        attempt_start(test=test, enrolment=enrolment, by=other.user)
    assert attempt_start(test=test, enrolment=enrolment, by=enrolment.listener.user).pk


# --------------------------------------------------------------------------- the listener's list
def _diagnostic(group, version, opens, closes):
    return tf.cohort_test(
        group, version, kind=enums.TestKind.MILESTONE, draw={"1": 2}, opens_at=opens, closes_at=closes
    )


def test_the_listeners_tests_have_their_states(course):
    group, version, final = course
    enrolment = factories.enrolment(group)
    tf.attend(enrolment, 3)  # 60%: not admitted to the final test
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    past = _diagnostic(group, version, now - 3 * hour, now - 2 * hour)
    future = _diagnostic(group, version, now + 2 * hour, now + 3 * hour)
    running = _diagnostic(group, version, now - hour, now + hour)
    done = _diagnostic(group, version, now - hour, now + hour)
    fresh = _diagnostic(group, version, now - hour, now + hour)
    attempt_start(test=running, enrolment=enrolment, now=now)
    _take(done, enrolment, 1, now=now)
    states = {row.test.pk: row for row in listener_tests(enrolment, now)}
    assert states[final.pk].state == TestState.NOT_ADMITTED and "80%" in states[final.pk].reason
    assert states[past.pk].state == TestState.CLOSED
    assert states[future.pk].state == TestState.NOT_OPEN
    assert states[running.pk].state == TestState.IN_PROGRESS and states[running.pk].can_resume
    assert states[done.pk].state == TestState.SUBMITTED and states[done.pk].attempt.score == 50
    assert states[fresh.pk].state == TestState.OPEN and states[fresh.pk].can_start


def test_the_listeners_list_submits_an_attempt_past_its_deadline(course):
    group, version, test = course
    enrolment = tf.admitted(group)
    now = timezone.now()
    attempt_start(test=test, enrolment=enrolment, now=now - datetime.timedelta(minutes=50))
    (row,) = listener_tests(enrolment, now)
    assert row.state == TestState.SUBMITTED
    assert row.attempt.submitted_by == SubmittedBy.DEADLINE
    assert row.grade == Grade.UNSATISFACTORY


def test_the_listeners_list_shows_a_granted_reassessment_of_the_next_cohort(course, registrar):
    group, version, test = course
    enrolment = tf.admitted(group)
    later = factories.cohort(group.program)
    later_test = tf.cohort_test(later, version)
    now = timezone.now()
    Reassessment.objects.create(
        enrolment=enrolment,
        test=later_test,
        with_next_cohort=True,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
        granted_by=registrar,
    )
    rows = listener_tests(enrolment, now)
    assert [r.test.pk for r in rows] == [test.pk, later_test.pk]
    assert rows[1].state == TestState.OPEN and rows[1].closes_at == now + datetime.timedelta(hours=1)


def _list_queries(enrolment, now):
    Organisation.current()  # the organisation is read from the cache, as on a running site
    with CaptureQueriesContext(connection) as queries:
        listener_tests(enrolment, now)
    return len(queries)


def test_the_listeners_list_takes_a_fixed_number_of_queries(course):
    group, version, test = course
    enrolment = tf.admitted(group)
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    _take(_diagnostic(group, version, now - hour, now + hour), enrolment, 1, now=now)
    few = _list_queries(enrolment, now)
    for _n in range(4):
        _take(_diagnostic(group, version, now - hour, now + hour), enrolment, 1, now=now)
    _diagnostic(group, version, now + hour, now + 2 * hour)
    assert _list_queries(enrolment, now) == few
