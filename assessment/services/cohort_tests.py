"""The tests of a cohort as the staff set them up: the final test (000 §3.6, 001 §24, 004 §8) and the
diagnostics of effectiveness (000 §4.5: the entrance diagnostic and milestone controls), each drawing its
questions per module from a version of the program's test bank (000 §2.11); and the export of their results
(the pages read them through ``assessment.selectors``).

How the final test's points meet the cohort's scale
---------------------------------------------------
The pass mark and the maximum of the final test are the cohort's (``test_pass_score`` of
``test_max_score``); a listener's ``score`` is on that scale. When every drawn module's questions carry
one weight, the points of any draw are known in advance (questions × weight per module) and must equal the
cohort's maximum: with 004 §8, 25 questions of 1 point for a maximum of 25. A draw worth more or fewer
points is refused, because the pass mark would then mean something other than the program says. When a
drawn module mixes weights, the points vary from one draw to another; the score is then the points brought
to the cohort's scale (points × maximum ÷ the attempt's maximum points), and any number of questions is
accepted.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Module
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.excel import workbook
from ziat.models import Organisation
from ziat.pass_marks import effective_pass_score

from ..enums import TestKind
from ..models import CohortTest, Question
from ..selectors import result_rows

# The 25 questions of 004 §8: what a new final test draws unless the staff change it.
DEFAULT_QUESTION_TOTAL = 25
MAX_TIME_LIMIT_MINUTES = 24 * 60
TITLE_MAX_LENGTH = CohortTest._meta.get_field("title").max_length


# ------------------------------------------------------------------------------------- the draw


def draw_modules(cohort):
    """The modules a test of the cohort may draw from: those of its program version, not the final rows."""
    return list(Module.objects.filter(version_id=cohort.version_id, is_final_assessment=False).order_by("position"))


def bank_question_counts(bank):
    """{module number: number of the bank version's questions of that module}."""
    if bank is None:
        return {}
    rows = Question.objects.filter(bank=bank).order_by().values("module_number").annotate(n=Count("pk"))
    return {r["module_number"]: r["n"] for r in rows}


def bank_module_weights(bank, module_numbers):
    """{module number: set of the weights its questions carry} for the given modules."""
    weights = {}
    rows = Question.objects.filter(bank=bank, module_number__in=module_numbers).values_list("module_number", "weight")
    for number, weight in rows.distinct():
        weights.setdefault(number, set()).add(weight)
    return weights


def default_draw(cohort, bank, total=DEFAULT_QUESTION_TOTAL):
    """``total`` questions spread evenly over the cohort's modules, the first modules taking the remainder.

    A module cannot give more questions than the bank version holds for it; what it cannot give goes to
    the others. The result maps the module's number (as text) to its count and leaves out modules drawing
    none; it holds fewer than ``total`` questions only when the bank has fewer.
    """
    numbers = [m.position for m in draw_modules(cohort)]
    available = bank_question_counts(bank) if bank is not None else dict.fromkeys(numbers, total)
    want = dict.fromkeys(numbers, 0)
    remaining = max(int(total), 0)
    room = [n for n in numbers if available.get(n, 0) > 0]
    while remaining and room:
        share, extra = divmod(remaining, len(room))
        for i, number in enumerate(room):
            give = min(share + (1 if i < extra else 0), available[number] - want[number])
            want[number] += give
            remaining -= give
        room = [n for n in room if want[n] < available[n]]
    return {str(n): count for n, count in want.items() if count}


def _whole(value):
    """A whole number from an int or its text, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return None


def _clean_draw(cohort, bank, draw):
    """The draw as {module number as text: count}, every rule checked."""
    modules = {m.position: m for m in draw_modules(cohort)}
    available = bank_question_counts(bank)
    cleaned = {}
    for raw_number, raw_count in dict(draw or {}).items():
        number = _whole(raw_number)
        if number is None or number not in modules:
            raise DomainError(
                _("Module %(number)s is not a module of the cohort's program version.") % {"number": raw_number}
            )
        count = _whole(raw_count)
        if count is None or count < 1:
            raise DomainError(
                _("Module %(number)s: the number of questions is a whole number of at least 1, not “%(count)s”.")
                % {"number": number, "count": raw_count}
            )
        if count > available.get(number, 0):
            raise DomainError(
                _("Module %(number)s: the bank version has %(available)s questions; %(count)s cannot be drawn.")
                % {"number": number, "available": available.get(number, 0), "count": count}
            )
        cleaned[str(number)] = count
    if not cleaned:
        raise DomainError(_("Draw at least one question."))
    return {key: cleaned[key] for key in sorted(cleaned, key=int)}


def _check_final_points(cohort, bank, draw):
    """When the points of every draw are known in advance they must be the cohort's maximum (see above)."""
    weights = bank_module_weights(bank, [int(n) for n in draw])
    if any(len(w) != 1 for w in weights.values()):
        return
    points = sum(count * next(iter(weights[int(n)])) for n, count in draw.items())
    if points != cohort.test_max_score:
        raise DomainError(
            _(
                "Drawn this way the final test is worth %(points)s points, but the cohort's final test is scored "
                "out of %(max)s: draw questions worth %(max)s points, or change the cohort's maximum score."
            )
            % {"points": points, "max": cohort.test_max_score}
        )


def number_text(value):
    """A decimal as people write it: 20.0 -> 20, 12.5 -> 12.5 (never in exponent form)."""
    return format(Decimal(value).normalize(), "f")


def pass_score(cohort):
    """The pass mark in force for the cohort's final test (never below the floor; 000 §3.6)."""
    floor = Organisation.current().pass_floor_percent
    return effective_pass_score(cohort.test_pass_score, cohort.test_max_score, floor)


def _check_scale(cohort, kind, excellent_from, good_from):
    if kind != TestKind.FINAL:
        if excellent_from is not None or good_from is not None:
            raise DomainError(_("Only the final test is graded; leave the grade scale of a diagnostic empty."))
        return None, None
    if excellent_from is None and good_from is None:
        return None, None
    if excellent_from is None or good_from is None:
        raise DomainError(_("Give both the “good” and the “excellent” thresholds, or neither."))
    excellent, good = _whole(excellent_from), _whole(good_from)
    if excellent is None or good is None or excellent < 0 or good < 0:
        raise DomainError(_("The grade thresholds are whole numbers of points."))
    passing = pass_score(cohort)
    if not (passing <= good <= excellent <= cohort.test_max_score):
        raise DomainError(
            _(
                "The scale must rise: pass mark %(pass)s ≤ “good” from %(good)s ≤ “excellent” from "
                "%(excellent)s ≤ maximum %(max)s."
            )
            % {"pass": number_text(passing), "good": good, "excellent": excellent, "max": cohort.test_max_score}
        )
    return excellent, good


def _check_terms(cohort, *, kind, title, bank):
    """The test's kind, title and bank version checked; the title with its spaces made single."""
    if kind not in TestKind.values:
        raise DomainError(_("Choose the kind of the test."))
    title = " ".join(str(title or "").split())
    if len(title) > TITLE_MAX_LENGTH:
        raise DomainError(_("A title has at most %(max)s characters.") % {"max": TITLE_MAX_LENGTH})
    if bank is None:
        raise DomainError(_("Choose a version of the test bank."))
    if bank.program_id != cohort.program_id:
        raise DomainError(_("This test bank version belongs to another program."))
    return title


def _check_time(time_limit_minutes, opens_at, closes_at):
    """The time limit in whole minutes, and the window that closes after it opens."""
    limit = _whole(time_limit_minutes)
    if limit is None or not 1 <= limit <= MAX_TIME_LIMIT_MINUTES:
        raise DomainError(
            _("The time limit is a whole number of minutes from 1 to %(max)s.") % {"max": MAX_TIME_LIMIT_MINUTES}
        )
    if opens_at is None or closes_at is None:
        raise DomainError(_("Give the date and time the test opens and closes."))
    if closes_at <= opens_at:
        raise DomainError(_("The test must close after it opens."))
    return limit


@transaction.atomic
def cohort_test_save(
    *,
    cohort,
    by,
    kind,
    bank,
    draw,
    time_limit_minutes,
    opens_at,
    closes_at,
    title="",
    shuffle_questions=True,
    excellent_from=None,
    good_from=None,
    test=None,
):
    """Create a test of the cohort, or change ``test``; every rule is checked before anything is saved.

    The bank version is the cohort's program's; the draw names modules of the cohort's program version
    with 1 to as many questions as the bank holds for each; a cohort has one final test, whose points meet
    the cohort's maximum (see the module's note) and whose scale rises from the pass mark to the maximum;
    the window closes after it opens. Once a listener has started the test, its kind, bank and draw stay
    as they were; its window, time limit and scale may still change (e.g. the window extended).
    """
    if test is None:
        access.require(by, "assessment.add_cohorttest", cohort, _("You may not set up the tests of a cohort."))
    else:
        access.require(by, "assessment.change_cohorttest", test, _("You may not change the tests of a cohort."))
        test = CohortTest.objects.select_for_update().get(pk=test.pk)
        if test.cohort_id != cohort.pk:
            raise DomainError(_("This test belongs to another cohort."))
    title = _check_terms(cohort, kind=kind, title=title, bank=bank)
    draw = _clean_draw(cohort, bank, draw)
    limit = _check_time(time_limit_minutes, opens_at, closes_at)
    if kind == TestKind.FINAL:
        others = CohortTest.objects.filter(cohort=cohort, kind=TestKind.FINAL)
        if test is not None:
            others = others.exclude(pk=test.pk)
        if others.exists():
            raise DomainError(_("The cohort already has a final test; change that one."))
        _check_final_points(cohort, bank, draw)
    excellent, good = _check_scale(cohort, kind, excellent_from, good_from)
    changes_what_was_drawn = test is not None and (
        test.kind != kind or test.bank_id != bank.pk or _clean_stored(test.draw) != draw
    )
    if changes_what_was_drawn and test.attempts.exists():
        raise DomainError(
            _(
                "Listeners have already started this test: its kind, bank version and questions stay as they "
                "were. Its window, time limit and scale may still change."
            )
        )
    values = {
        "kind": kind,
        "title": title,
        "bank": bank,
        "draw": draw,
        "shuffle_questions": bool(shuffle_questions),
        "time_limit_minutes": limit,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "excellent_from": excellent,
        "good_from": good,
    }
    before = {name: getattr(test, name) for name in values} if test is not None else None
    try:
        with transaction.atomic():
            if test is None:
                test = CohortTest.objects.create(cohort=cohort, created_by=by, **values)
            else:
                for name, value in values.items():
                    setattr(test, name, value)
                test.save(update_fields=list(values))
    except IntegrityError:
        raise DomainError(_("The cohort already has a final test; change that one.")) from None
    log_action(test, "assessment.test.saved", by=by, before=before, after=values)
    return test


def _clean_stored(draw):
    return {str(k): int(v) for k, v in sorted((draw or {}).items(), key=lambda kv: int(kv[0]))}


# ------------------------------------------------------------------------------------- the results' export


def _local(value):
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def results_workbook(test, rows=None):
    """The results of ``test`` as an .xlsx: one line per listener and attempt."""
    rows = result_rows(test) if rows is None else rows
    header = [
        _("Listener"),
        _("IIN"),
        _("Cohort"),
        _("Re-assessment"),
        _("Started"),
        _("Submitted"),
        _("How"),
        _("Points"),
        _("Maximum points"),
        _("Score"),
        _("Percent"),
        _("Grade"),
    ]

    def lines():
        for row in rows:
            a = row.attempt
            yield [
                row.enrolment.listener.user.full_name,
                row.enrolment.listener.iin,
                row.enrolment.cohort.code,
                _("yes") if row.reassessment else "",
                _local(a.started_at) if a else "",
                _local(a.submitted_at) if a else "",
                str(row.submitted_how),
                a.points if a and a.points is not None else None,
                a.max_points if a and a.max_points is not None else None,
                a.score if a and a.is_submitted and a.score is not None else None,
                row.percent,
                str(row.grade_label),
            ]

    return workbook([(test.cohort.code, header, lines())])
