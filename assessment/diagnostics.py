"""Entrance and final diagnostics for the monitoring of effectiveness (000 §4.5, SPEC 4.3).

A listener's percent at a test is the share of the attempt's maximum points they scored. Per cohort:

* the entrance diagnostic: each listener's first submitted attempt at an entrance test of the cohort;
* each milestone control: the submitted attempts at that test;
* the final test: each listener's first submitted attempt at the cohort's final test, re-assessments left
  out (the course's own result); a listener without one but with a final result recorded by a person
  counts with that score of the cohort's maximum;
* the gain: the average of (final % − entrance %) over the listeners who have both.

Averages are over listeners, to 0.1; None when nobody has one. Everything is read in a fixed number of
queries however many cohorts, listeners and attempts there are.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from enrolment.models import Cohort

from .enums import TestKind
from .models import Attempt, CohortTest, FinalResult

TENTH = Decimal("0.1")


def _average(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (sum(values, Decimal("0")) / len(values)).quantize(TENTH, ROUND_HALF_UP)


def _percent(points, maximum):
    if points is None or not maximum:
        return None
    return Decimal(points) * 100 / Decimal(maximum)


@dataclass
class Milestone:
    test: CohortTest
    average: Decimal | None = None
    count: int = 0


@dataclass
class Diagnostics:
    """The numbers of one cohort, or of a program over its cohorts (``cohorts`` then lists theirs)."""

    entrance_average: Decimal | None = None
    entrance_count: int = 0
    milestones: list = field(default_factory=list)
    milestone_average: Decimal | None = None
    final_average: Decimal | None = None
    final_count: int = 0
    both_count: int = 0
    gain_average: Decimal | None = None
    cohorts: list = field(default_factory=list)
    # Per listener (enrolment id): entrance and final percent, not rounded; used to pool a program.
    entrance: dict = field(default_factory=dict, repr=False)
    final: dict = field(default_factory=dict, repr=False)
    milestone_percents: list = field(default_factory=list, repr=False)

    @property
    def has_data(self):
        return bool(self.entrance or self.final or self.milestone_percents)


def _summarise(result, entrance, final, milestone_percents):
    result.entrance, result.final, result.milestone_percents = entrance, final, milestone_percents
    result.entrance_average, result.entrance_count = _average(entrance.values()), len(entrance)
    result.final_average, result.final_count = _average(final.values()), len(final)
    result.milestone_average = _average(milestone_percents)
    both = [final[pk] - entrance[pk] for pk in entrance.keys() & final.keys()]
    result.both_count, result.gain_average = len(both), _average(both)
    return result


def diagnostics_for_cohorts(cohorts):
    """{cohort id: Diagnostics} for the given cohorts (objects or ids), in three queries."""
    ids = [getattr(c, "pk", c) for c in cohorts]
    tests = list(CohortTest.objects.filter(cohort_id__in=ids).order_by("opens_at", "pk"))
    attempts = (
        Attempt.objects.filter(test__cohort_id__in=ids, submitted_at__isnull=False, reassessment__isnull=True)
        .order_by("submitted_at", "pk")
        .values_list("test_id", "enrolment_id", "points", "max_points")
    )
    tests_by_id = {t.pk: t for t in tests}
    entrance = {pk: {} for pk in ids}
    final = {pk: {} for pk in ids}
    milestone_values = {t.pk: [] for t in tests if t.kind == TestKind.MILESTONE}
    for test_id, enrolment_id, points, maximum in attempts:
        test = tests_by_id[test_id]
        percent = _percent(points, maximum)
        if percent is None:
            continue
        if test.kind == TestKind.ENTRANCE:
            entrance[test.cohort_id].setdefault(enrolment_id, percent)
        elif test.kind == TestKind.FINAL:
            # Only the listeners of the test's own cohort: one sitting with the next cohort is a re-assessment.
            final[test.cohort_id].setdefault(enrolment_id, percent)
        else:
            milestone_values[test_id].append(percent)
    recorded = FinalResult.objects.filter(enrolment__cohort_id__in=ids, attempt__isnull=True).values_list(
        "enrolment_id", "enrolment__cohort_id", "score", "enrolment__cohort__test_max_score"
    )
    for enrolment_id, cohort_id, score, maximum in recorded:
        percent = _percent(score, maximum)
        if percent is not None:
            final[cohort_id].setdefault(enrolment_id, percent)
    result = {}
    for pk in ids:
        milestones = [
            Milestone(test=t, average=_average(milestone_values[t.pk]), count=len(milestone_values[t.pk]))
            for t in tests
            if t.cohort_id == pk and t.kind == TestKind.MILESTONE
        ]
        pooled = [v for m in milestones for v in milestone_values[m.test.pk]]
        result[pk] = _summarise(Diagnostics(milestones=milestones), entrance[pk], final[pk], pooled)
    return result


def cohort_diagnostics(cohort):
    """The entrance, milestone and final averages of ``cohort`` and the listeners' average gain."""
    return diagnostics_for_cohorts([cohort])[cohort.pk]


def diagnostics_for_programs(programs):
    """{program id: Diagnostics pooled over its cohorts (with ``cohorts`` as (cohort, Diagnostics))}."""
    program_ids = [getattr(p, "pk", p) for p in programs]
    cohorts = list(Cohort.objects.filter(program_id__in=program_ids).order_by("starts_on", "code"))
    per_cohort = diagnostics_for_cohorts(cohorts)
    result = {}
    for pk in program_ids:
        result[pk] = pooled([(c, per_cohort[c.pk]) for c in cohorts if c.program_id == pk])
    return result


def pooled(cohorts):
    """The Diagnostics of ``cohorts`` ((cohort, Diagnostics) pairs) pooled over all their listeners."""
    entrance, final, milestones = {}, {}, []
    for _cohort, d in cohorts:
        entrance.update(d.entrance)
        final.update(d.final)
        milestones.extend(d.milestone_percents)
    return _summarise(Diagnostics(cohorts=list(cohorts)), entrance, final, milestones)


def program_diagnostics(program):
    """The same numbers as ``cohort_diagnostics`` pooled over every listener of the program's cohorts."""
    return diagnostics_for_programs([program])[program.pk]
