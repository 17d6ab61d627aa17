"""The online test taken in the listener's cabinet (000 §3.6, 001 §24, §28, 004 §8; SPEC 4.1-4.2).

Everything is decided on the server: who may start, which questions are drawn, the time limit, the score.

- The final test admits only listeners who are not expelled, interrupted or transferred and who attended
  at least 80% of the cohort's scheduled hours, inside the test's window, once. A second attempt needs a
  re-assessment (000 §3.10) whose window is open; it may be a test of a later cohort of the same program,
  taken on the listener's original enrolment.
- Entrance and milestone diagnostics (000 §4.5) have no attendance gate: once each, inside the window.
- An attempt ends at ``min(start + time limit, window close)``. The server submits it at that moment even
  if the listener has gone: any read of an attempt past its deadline submits it first, and the command
  ``close_expired_attempts`` submits the rest.
- Scoring: a question counts only when the chosen options are exactly its correct options (a multiple
  choice question is all or nothing); the points are the weights of the questions answered correctly.
  The final test's score is ``points / max points × the cohort's maximum score``, rounded down to 0.1 so
  that rounding never lifts anyone over the pass mark; it becomes the enrolment's FinalResult.
  A diagnostic's score is the percent of its maximum points, also rounded down to 0.1; it is kept on the
  attempt only (it is not graded and does not touch the final result).
"""

import contextlib
import datetime
import functools
import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.models import Organisation
from ziat.pass_marks import effective_pass_score
from ziat.prepared import fetchone_prepared

from ..enums import Grade, QuestionKind, SubmittedBy, TestKind
from ..models import Attempt, AttemptItem, CohortTest, FinalResult, Option, Question, Reassessment
from ..outcomes import outcome_for

# Enrolments that may not sit any test.
BLOCKED_STATUSES = (EnrolmentStatus.EXPELLED, EnrolmentStatus.INTERRUPTED, EnrolmentStatus.TRANSFERRED)
# Without a scale of its own, a test grades "excellent" from 90% and "good" from 80% of the maximum
# (004 §8: 23 and 20 of 25).
DEFAULT_EXCELLENT_SHARE = Decimal("0.9")
DEFAULT_GOOD_SHARE = Decimal("0.8")
TENTH = Decimal("0.1")


class AttemptClosedError(DomainError):
    """The attempt is submitted or its time is over: answers can no longer change."""


def _now(now):
    return now or timezone.now()


def _when(moment):
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


# --------------------------------------------------------------------------- admission
@dataclass(frozen=True)
class Refusal:
    """Why a listener may not start a test: ``code`` for pages, ``message`` (translated) for people."""

    code: str  # blocked, attendance, not_open, closed, taken, foreign
    message: str


def _refusal(enrolment, test, now, *, attempts, reassessments, outcome):
    """The reason ``enrolment`` may not start a new attempt at ``test`` now, or None.

    ``attempts`` are the enrolment's attempts at this test, ``reassessments`` the ones granted to it for
    this test; ``outcome`` is a callable giving the enrolment's outcome (asked only for the final test).
    """
    if enrolment.status in BLOCKED_STATUSES:
        return Refusal(
            "blocked",
            _("You may not take tests: your enrolment is “%(status)s”.") % {"status": enrolment.get_status_display()},
        )
    if test.kind == TestKind.FINAL:
        result = outcome()
        if not result.attendance_ok:
            return Refusal(
                "attendance",
                _(
                    "Your attendance is %(percent)s%% of the course's academic hours, below 80%%: "
                    "you are not admitted to the final test."
                )
                % {"percent": result.attendance_display},
            )
    own = test.cohort_id == enrolment.cohort_id
    if own and not attempts:
        if now < test.opens_at:
            return Refusal("not_open", _("The test opens on %(date)s.") % {"date": _when(test.opens_at)})
        if now < test.closes_at:
            return None
    # Another chance only by a re-assessment whose window is open and which has not been used (000 §3.10).
    used = {a.reassessment_id for a in attempts}
    unused = [r for r in reassessments if r.pk not in used]
    if any(r.opens_at <= now < r.closes_at for r in unused):
        return None
    upcoming = [r.opens_at for r in unused if now < r.opens_at]
    if upcoming:
        return Refusal("not_open", _("Your re-assessment opens on %(date)s.") % {"date": _when(min(upcoming))})
    if attempts:
        return Refusal("taken", _("You have already taken this test."))
    if not own:
        return Refusal("foreign", _("This test is not of your course."))
    return Refusal("closed", _("The test closed on %(date)s.") % {"date": _when(test.closes_at)})


def _current_reassessment(enrolment, test, now, *, attempts, reassessments):
    """The re-assessment an attempt starting now belongs to, or None for the test's own window."""
    if test.cohort_id == enrolment.cohort_id and not attempts and test.opens_at <= now < test.closes_at:
        return None
    used = {a.reassessment_id for a in attempts}
    current = [r for r in reassessments if r.pk not in used and r.opens_at <= now < r.closes_at]
    return min(current, key=lambda r: r.closes_at) if current else None


def _admission_data(enrolment, test):
    attempts = list(Attempt.objects.filter(enrolment=enrolment, test=test).order_by("started_at"))
    reassessments = list(Reassessment.objects.filter(enrolment=enrolment, test=test).order_by("opens_at"))
    return attempts, reassessments


def attempt_refusal(enrolment, test, now=None):
    """None when ``enrolment`` may start ``test`` now, else the translated reason why not."""
    now = _now(now)
    attempts, reassessments = _admission_data(enrolment, test)
    refusal = _refusal(
        enrolment,
        test,
        now,
        attempts=attempts,
        reassessments=reassessments,
        outcome=lambda: outcome_for(enrolment),
    )
    return refusal.message if refusal else None


# --------------------------------------------------------------------------- start
def _draw(test):
    """The drawn question ids in the order shown (and their options, shuffled): [(question id, [option ids])]."""
    draw = {}
    for module, count in (test.draw or {}).items():
        try:
            module, count = int(module), int(count)
        except (TypeError, ValueError):
            raise DomainError(_("The test's draw of questions is not valid; ask the methodist to fix it.")) from None
        if count > 0:
            draw[module] = count
    if not draw:
        raise DomainError(_("This test draws no questions; ask the methodist to set it up."))
    pool = defaultdict(list)
    for pk, module in (
        Question.objects.filter(bank_id=test.bank_id, module_number__in=draw)
        .order_by("position")
        .values_list("pk", "module_number")
    ):
        pool[module].append(pk)
    for module, count in sorted(draw.items()):
        if len(pool[module]) < count:
            raise DomainError(
                _(
                    "The test bank has %(have)s questions for module %(module)s but the test draws %(need)s; "
                    "ask the methodist to complete the bank."
                )
                % {"have": len(pool[module]), "module": module, "need": count}
            )
    rng = random.SystemRandom()
    chosen = []
    for module, count in sorted(draw.items()):
        picked = set(rng.sample(pool[module], count))
        chosen += [pk for pk in pool[module] if pk in picked]  # bank order unless shuffled
    if test.shuffle_questions:
        rng.shuffle(chosen)
    options = defaultdict(list)
    for question_id, pk in (
        Option.objects.filter(question_id__in=chosen).order_by("position").values_list("question_id", "pk")
    ):
        options[question_id].append(pk)
    drawn = []
    for question_id in chosen:
        order = options[question_id]
        rng.shuffle(order)
        drawn.append((question_id, order))
    return drawn


def _unfinished(enrolment, test):
    return Attempt.objects.filter(enrolment=enrolment, test=test, submitted_at__isnull=True).order_by("pk").first()


def attempt_start(*, test, enrolment, now=None, by=None):
    """Start ``enrolment``'s attempt at ``test``, or resume the unfinished one.

    Draws ``test.draw`` questions per module from the test's bank version, shuffles them (when the test says
    so) and each question's options, and sets the deadline to the start plus the time limit, cut at the close
    of the window. ``by``, when given, must be the listener who owns the enrolment. Two simultaneous starts
    make one attempt: the enrolment's row is locked, and the database allows one attempt per test besides
    re-assessments.
    """
    now = _now(now)
    if by is not None and not Enrolment.objects.filter(pk=enrolment.pk, listener__user_id=by.pk).exists():
        raise DomainError(_("This is not your enrolment."))
    close_expired_attempts(now=now, enrolment=enrolment, test=test)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        resumed = _unfinished(enrolment, test)
        if resumed is not None:
            return resumed
        attempts, reassessments = _admission_data(enrolment, test)
        refusal = _refusal(
            enrolment,
            test,
            now,
            attempts=attempts,
            reassessments=reassessments,
            outcome=lambda: outcome_for(enrolment),
        )
        if refusal is not None:
            raise DomainError(refusal.message)
        reassessment = _current_reassessment(enrolment, test, now, attempts=attempts, reassessments=reassessments)
        drawn = _draw(test)
        closes_at = reassessment.closes_at if reassessment else test.closes_at
        deadline = min(now + datetime.timedelta(minutes=test.time_limit_minutes), closes_at)
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    test=test, enrolment=enrolment, reassessment=reassessment, started_at=now, deadline=deadline
                )
                AttemptItem.objects.bulk_create(
                    AttemptItem(attempt=attempt, question_id=question_id, position=n, option_order=order)
                    for n, (question_id, order) in enumerate(drawn, start=1)
                )
        except IntegrityError:
            # Started at the same moment elsewhere: that attempt is the one.
            resumed = _unfinished(enrolment, test)
            if resumed is None:
                raise DomainError(_("You have already taken this test.")) from None
            return resumed
    return attempt


# --------------------------------------------------------------------------- answers
def _option_ids(raw):
    """Distinct option ids from text or numbers; a non-number is refused."""
    ids = []
    for value in raw or ():
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise DomainError(_("An answer names an option that does not exist.")) from None
        if pk not in ids:
            ids.append(pk)
    return ids


def _check_answer(item, ids):
    """The chosen ids in the order shown, or DomainError when they do not fit the item's question."""
    shown = item.option_order
    if any(pk not in shown for pk in ids):
        raise DomainError(_("An option of another question was sent for question %(n)s.") % {"n": item.position})
    if item.question.kind == QuestionKind.SINGLE and len(ids) > 1:
        raise DomainError(_("Question %(n)s takes one answer only.") % {"n": item.position})
    return [pk for pk in shown if pk in ids]


def _closed_error(attempt):
    if attempt.submitted_by == SubmittedBy.DEADLINE:
        return AttemptClosedError(
            _("The time for this test is over; it was submitted with the answers saved before the deadline.")
        )
    return AttemptClosedError(_("This test has been submitted; answers can no longer change."))


def answer_save(*, attempt, option_ids, item_position=None, item_id=None, now=None):
    """Save the options chosen for one question of ``attempt`` (by its position or its item id).

    Two queries: the item with its question, locking the attempt's row, and the update. Refused, with
    nothing changed, for an item not of this attempt, an option not of the item's question, two options on
    a single-choice question, or a submitted attempt. After the deadline the attempt is submitted (at the
    deadline) and the answer refused. Returns the item; ``item.attempt`` is the attempt as locked.
    """
    now = _now(now)
    ids = _option_ids(option_ids)
    lookup = {"pk": item_id} if item_id is not None else {"position": item_position}
    closed = None
    with transaction.atomic():
        item = (
            AttemptItem.objects.select_for_update(of=("attempt",))
            .select_related("attempt", "question")
            .filter(attempt_id=attempt.pk, **lookup)
            .order_by("pk")  # not the default ordering, which joins the attempt's test and cohort
            .first()
        )
        locked = item.attempt if item else Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is None and now >= locked.deadline:
            _score_and_close(locked, now, by_deadline=True)
        if locked.submitted_at is not None:
            closed = _closed_error(locked)
        elif item is None:
            raise DomainError(_("This question is not part of your test."))
        else:
            item.chosen = _check_answer(item, ids)
            item.answered_at = now
            AttemptItem.objects.filter(pk=item.pk).update(chosen=item.chosen, answered_at=now)
    if closed is not None:
        raise closed
    return item


@dataclass(frozen=True)
class SavedAnswer:
    chosen: list  # the option ids chosen, in the order shown
    deadline: datetime.datetime  # the attempt's deadline


@functools.cache
def _own_answer_sql():
    """One statement that saves an answer only when every rule of ``answer_save`` holds (see ``answer_record``)."""
    listener = Enrolment._meta.get_field("listener").related_model
    attempt, item, enrolment, question, listener = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (Attempt, AttemptItem, Enrolment, Question, listener)
    )
    # Only the tables' names (from the models, quoted) are formatted in; every value is a parameter.
    return f"""
        WITH own AS (
            SELECT a.id, a.deadline FROM {attempt} a
            JOIN {enrolment} e ON e.id = a.enrolment_id
            JOIN {listener} l ON l.id = e.listener_id
            WHERE a.id = %(attempt)s AND l.user_id = %(user)s
              AND a.submitted_at IS NULL AND a.deadline > %(now)s
            FOR KEY SHARE OF a
        )
        UPDATE {item} i
        SET chosen = COALESCE(
                (SELECT jsonb_agg(o.value ORDER BY o.n)
                 FROM jsonb_array_elements(i.option_order) WITH ORDINALITY AS o(value, n)
                 WHERE %(ids)s::jsonb @> o.value),
                '[]'::jsonb),
            answered_at = %(now)s
        FROM own
        WHERE i.attempt_id = own.id AND i.position = %(position)s
          AND i.option_order @> %(ids)s::jsonb
          AND (jsonb_array_length(%(ids)s::jsonb) <= 1
               OR EXISTS (SELECT 1 FROM {question} q WHERE q.id = i.question_id AND q.kind = %(multiple)s))
        RETURNING i.chosen, own.deadline
    """  # noqa: S608


# The page of an attempt gives its owner a signed token for the autosave: the answer then needs neither the
# session nor the user read from the database. It names the attempt and its owner; the UPDATE still applies only
# to that owner's attempt, before its deadline and while it is not submitted, so a token outliving its test
# (it is refused after a day) saves nothing.
ANSWER_TOKEN_SALT = "assessment.attempt.answer"  # noqa: S105  (a signing namespace, not a secret)
ANSWER_TOKEN_MAX_AGE = datetime.timedelta(days=1)


def answer_token(attempt_pk, user_pk):
    """The token that the attempt's page gives its owner for saving answers."""
    return signing.dumps([attempt_pk, user_pk], salt=ANSWER_TOKEN_SALT, compress=False)


def answer_token_owner(token, attempt_pk):
    """The id of the user an answer token was given to for ``attempt_pk``; None when it is forged, of another
    attempt or too old."""
    try:
        named_attempt, user_pk = signing.loads(token, salt=ANSWER_TOKEN_SALT, max_age=ANSWER_TOKEN_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return user_pk if named_attempt == attempt_pk and isinstance(user_pk, int) else None


def answer_record(*, attempt_pk, by, item_position, option_ids, now=None):
    """Save the options ``by`` (the listener, or their user id) chose for the question at ``item_position`` of
    their attempt.

    The autosave of the test page, many times a minute for every listener sitting a test, so one statement:
    an UPDATE of the item that applies only when the attempt is ``by``'s, not submitted and before its deadline
    (its row is share-locked, so a submit cannot cross it), when every option is one of the options shown for
    that question, and when a single-choice question gets at most one. Answers are not graded here (the server
    scores the attempt when it is submitted) and leave no history row of their own.

    When the statement saves nothing, ``answer_save`` decides why, with its message (and submits an attempt
    past its deadline); an attempt that is not ``by``'s raises ``Attempt.DoesNotExist``, changing nothing.
    """
    now = _now(now)
    ids = _option_ids(option_ids)
    params = {
        "attempt": attempt_pk,
        "user": getattr(by, "pk", by),
        "now": now,
        "position": item_position,
        "ids": json.dumps(ids),
        "multiple": QuestionKind.MULTIPLE.value,
    }
    # Planned once per connection: the statement is the same text for every answer of every listener.
    row = fetchone_prepared(_own_answer_sql(), params)
    if row is not None:
        chosen = json.loads(row[0]) if isinstance(row[0], str) else row[0]
        return SavedAnswer(chosen=chosen, deadline=row[1])
    attempt = Attempt.objects.get(pk=attempt_pk, enrolment__listener__user_id=getattr(by, "pk", by))
    item = answer_save(attempt=attempt, item_position=item_position, option_ids=ids, now=now)
    return SavedAnswer(chosen=item.chosen, deadline=item.attempt.deadline)


def answers_save(*, attempt, answers, now=None):
    """Save the answers of the whole test page at once: ``answers`` maps an item's position to option ids.

    Every answer is checked first; one wrong answer refuses them all. Items whose answer did not change are
    not written. Past the deadline the attempt is submitted and the answers refused.
    """
    now = _now(now)
    parsed = {int(position): _option_ids(ids) for position, ids in answers.items()}
    closed = None
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is None and now >= locked.deadline:
            _score_and_close(locked, now, by_deadline=True)
        if locked.submitted_at is not None:
            closed = _closed_error(locked)
        else:
            items = {i.position: i for i in locked.items.select_related("question").order_by("position")}
            if any(position not in items for position in parsed):
                raise DomainError(_("This question is not part of your test."))
            changed = []
            for position, ids in parsed.items():
                item = items[position]
                chosen = _check_answer(item, ids)
                if chosen != item.chosen:
                    item.chosen, item.answered_at = chosen, now
                    changed.append(item)
            AttemptItem.objects.bulk_update(changed, ["chosen", "answered_at"])
    if closed is not None:
        raise closed
    return locked


# --------------------------------------------------------------------------- submit and score
def final_score(points, max_points, max_score):
    """The final test's score on the cohort's scale, rounded down to 0.1 (never up over the pass mark)."""
    return (Decimal(points) * Decimal(max_score) / Decimal(max_points)).quantize(TENTH, rounding=ROUND_DOWN)


def diagnostic_score(points, max_points):
    """A diagnostic's score: the percent of its maximum points, rounded down to 0.1."""
    return final_score(points, max_points, 100)


def _score_and_close(attempt, now, *, by_deadline):
    """Score a locked, unfinished attempt and record the result."""
    late = now >= attempt.deadline
    if by_deadline and not late:
        raise DomainError(_("The time for this test is not over yet."))
    items = list(AttemptItem.objects.filter(attempt_id=attempt.pk).select_related("question").order_by("position"))
    correct = defaultdict(set)
    for question_id, pk in (
        Option.objects.filter(question_id__in=[i.question_id for i in items], is_correct=True)
        .order_by()
        .values_list("question_id", "pk")
    ):
        correct[question_id].add(pk)
    points = max_points = 0
    for item in items:
        right = correct[item.question_id]
        item.is_correct = bool(right) and set(item.chosen) == right
        max_points += item.question.weight
        points += item.question.weight if item.is_correct else 0
    AttemptItem.objects.bulk_update(items, ["is_correct"])
    test = CohortTest.objects.only("kind").get(pk=attempt.test_id)
    attempt.points, attempt.max_points = Decimal(points), Decimal(max_points)
    if test.kind == TestKind.FINAL:
        max_score = Enrolment.objects.values_list("cohort__test_max_score", flat=True).get(pk=attempt.enrolment_id)
        attempt.score = final_score(points, max_points, max_score) if max_points else Decimal(0)
    else:
        attempt.score = diagnostic_score(points, max_points) if max_points else Decimal(0)
    attempt.submitted_at = attempt.deadline if late else now
    attempt.submitted_by = SubmittedBy.DEADLINE if late else SubmittedBy.LISTENER
    attempt.save(update_fields=["points", "max_points", "score", "submitted_at", "submitted_by"])
    if test.kind == TestKind.FINAL:
        # A re-assessment's attempt replaces the score; the earlier attempt stays as it was.
        before = FinalResult.objects.filter(enrolment_id=attempt.enrolment_id).values_list("score", flat=True).first()
        result, _created = FinalResult.objects.update_or_create(
            enrolment_id=attempt.enrolment_id,
            defaults={"score": attempt.score, "attempt": attempt, "recorded_by": None},
        )
        log_action(
            result,
            "assessment.final_result.scored",
            by=None,
            before=None if before is None else {"score": before},
            after={"score": attempt.score},
            data={"attempt": attempt.pk},
        )
    return attempt


def attempt_submit(*, attempt, now=None, by_deadline=False):
    """Submit and score ``attempt``. After its deadline it counts as submitted at the deadline.

    Refused for an attempt already submitted, and with ``by_deadline`` before the deadline.
    """
    now = _now(now)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is not None:
            raise AttemptClosedError(_("This test has already been submitted."))
        return _score_and_close(locked, now, by_deadline=by_deadline)


def close_expired_attempts(now=None, *, enrolment=None, test=None):
    """Submit every unfinished attempt past its deadline, at its deadline. Returns how many were submitted."""
    now = _now(now)
    expired = Attempt.objects.filter(submitted_at__isnull=True, deadline__lte=now).order_by("deadline")
    if enrolment is not None:
        expired = expired.filter(enrolment=enrolment)
    if test is not None:
        expired = expired.filter(test=test)
    closed = 0
    for attempt in expired.only("pk"):
        try:
            attempt_submit(attempt=attempt, now=now, by_deadline=True)
        except AttemptClosedError:
            continue  # submitted meanwhile
        closed += 1
    return closed


def attempt_refresh(attempt, now=None):
    """``attempt`` as it stands now: an unfinished attempt past its deadline is submitted first."""
    now = _now(now)
    if attempt.submitted_at is None and now >= attempt.deadline:
        with contextlib.suppress(AttemptClosedError):  # submitted meanwhile
            attempt_submit(attempt=attempt, now=now, by_deadline=True)
        attempt.refresh_from_db()
    return attempt


# --------------------------------------------------------------------------- grades
def score_grade(score, test, *, cohort=None, floor_percent=None):
    """The grade of a final test score (004 §8): below the pass mark in force (never below the legal or the
    organisation's floor) "unsatisfactory"; then "excellent" and "good" from the test's scale. Diagnostics
    are not graded (None)."""
    if score is None or test.kind != TestKind.FINAL:
        return None
    cohort = cohort or test.cohort
    if floor_percent is None:
        floor_percent = Organisation.current().pass_floor_percent
    score = Decimal(score)
    max_score = Decimal(cohort.test_max_score)
    if score < effective_pass_score(cohort.test_pass_score, max_score, floor_percent):
        return Grade.UNSATISFACTORY
    excellent = (
        test.excellent_from if test.excellent_from is not None else math.ceil(max_score * DEFAULT_EXCELLENT_SHARE)
    )
    good = test.good_from if test.good_from is not None else math.ceil(max_score * DEFAULT_GOOD_SHARE)
    if score >= excellent:
        return Grade.EXCELLENT
    if score >= good:
        return Grade.GOOD
    return Grade.SATISFACTORY


# --------------------------------------------------------------------------- the listener's list
class TestState:
    NOT_OPEN = "not_open"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CLOSED = "closed"
    NOT_ADMITTED = "not_admitted"


@dataclass
class TestRow:
    test: object
    state: str
    reason: str | None = None
    attempt: object = None  # the attempt in progress, else the latest submitted one
    grade: str | None = None
    attempts: list = field(default_factory=list)
    opens_at: object = None
    closes_at: object = None

    @property
    def can_start(self):
        return self.state == TestState.OPEN

    @property
    def can_resume(self):
        return self.state == TestState.IN_PROGRESS

    @property
    def grade_label(self):
        return Grade(self.grade).label if self.grade else ""


_REFUSAL_STATES = {"not_open": TestState.NOT_OPEN, "closed": TestState.CLOSED}


def listener_tests(enrolment, now=None):
    """The tests of the enrolment's cohort and those granted by a re-assessment, each with its state for the
    listener, in a fixed number of queries (more only when an attempt past its deadline is submitted)."""
    now = _now(now)
    close_expired_attempts(now=now, enrolment=enrolment)
    reassessments = list(Reassessment.objects.filter(enrolment=enrolment).order_by("opens_at"))
    tests = list(
        CohortTest.objects.filter(Q(cohort_id=enrolment.cohort_id) | Q(pk__in=[r.test_id for r in reassessments]))
        .select_related("cohort")
        .order_by()
    )
    tests.sort(key=lambda t: (t.cohort_id != enrolment.cohort_id, t.opens_at, t.pk))
    attempts = defaultdict(list)
    for attempt in Attempt.objects.filter(enrolment=enrolment).order_by("started_at"):
        attempts[attempt.test_id].append(attempt)
    granted = defaultdict(list)
    for r in reassessments:
        granted[r.test_id].append(r)
    cached = {}

    def outcome():
        if "outcome" not in cached:
            cached["outcome"] = outcome_for(enrolment)
        return cached["outcome"]

    floor = Organisation.current().pass_floor_percent if any(t.kind == TestKind.FINAL for t in tests) else None
    rows = []
    for test in tests:
        mine = attempts[test.pk]
        row = TestRow(test=test, state=TestState.OPEN, attempts=mine, opens_at=test.opens_at, closes_at=test.closes_at)
        unfinished = [a for a in mine if a.submitted_at is None]
        submitted = [a for a in mine if a.submitted_at is not None]
        if submitted:
            row.attempt = submitted[-1]
            row.grade = score_grade(row.attempt.score, test, cohort=enrolment.cohort, floor_percent=floor)
        open_grants = [r for r in granted[test.pk] if now < r.closes_at]
        if open_grants and (mine or test.cohort_id != enrolment.cohort_id or now >= test.closes_at):
            row.opens_at, row.closes_at = open_grants[0].opens_at, open_grants[0].closes_at
        if unfinished:
            row.state, row.attempt = TestState.IN_PROGRESS, unfinished[0]
            rows.append(row)
            continue
        refusal = _refusal(enrolment, test, now, attempts=mine, reassessments=granted[test.pk], outcome=outcome)
        if refusal is None:
            row.state = TestState.OPEN
        elif submitted and refusal.code in ("taken", "closed"):
            row.state = TestState.SUBMITTED
        else:
            row.state = _REFUSAL_STATES.get(refusal.code, TestState.NOT_ADMITTED)
            row.reason = refusal.message
            if submitted and row.state == TestState.NOT_OPEN:
                row.state = TestState.SUBMITTED  # a re-assessment is coming; the result stands until then
        rows.append(row)
    return rows
