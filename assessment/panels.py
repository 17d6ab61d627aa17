"""The assessment's panel of the cabinet: attendance, the final test, the outcome and its reasons."""

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.cabinet import Panel, Step, register
from enrolment.models import Enrolment

from .enums import TestKind
from .models import Attempt, CohortTest
from .outcomes import outcomes_for, reference_available


def _open_tests(started, now):
    """The tests of the started courses' cohorts open at ``now`` and not yet handed in by the listener,
    by cohort (one query)."""
    handed_in = Attempt.objects.filter(
        test=OuterRef("pk"), enrolment_id__in=[e.pk for e in started], submitted_at__isnull=False
    )
    found = (
        CohortTest.objects.filter(cohort_id__in={e.cohort_id for e in started}, opens_at__lte=now, closes_at__gt=now)
        .exclude(Exists(handed_in))
        .order_by("closes_at", "pk")
    )
    by_cohort = defaultdict(list)
    for test in found:
        by_cohort[test.cohort_id].append(test)
    return by_cohort


def _steps(enrolment, outcome, tests):
    """What the listener should do next for this course: the open test first, then a failed test's way on."""
    url = reverse("assessment:my_tests", args=[enrolment.pk])
    steps = []
    for test in tests:
        closes = timezone.localtime(test.closes_at).strftime("%d.%m.%Y %H:%M")
        text = (
            _("The final test is open until %(closes)s: take it now.")
            if test.kind == TestKind.FINAL
            else _("A test is open until %(closes)s: take it now.")
        )
        steps.append(Step(text % {"closes": closes}, url, urgent=True, label=_("Take the test")))
    if not tests and outcome.score is not None and not outcome.final_test_ok:
        steps.append(
            Step(
                _(
                    "The final test is not passed. A re-assessment may be granted once a year or with the next "
                    "cohort: ask the centre; a granted re-assessment opens among your tests."
                ),
                url,
                label=_("My tests"),
            )
        )
    return steps


# A cohort's own tests are held during the course (the final one on its last day); their windows are looked
# for in the cohorts that ended at most this long ago, so that a cabinet of past courses reads nothing more.
TEST_LOOKUP_DAYS = 30


def _results(enrolments, *, today):
    started = [e for e in enrolments if e.cohort.starts_on <= today]
    if not started:
        return {}
    recent = [e for e in started if e.cohort.ends_on >= today - datetime.timedelta(days=TEST_LOOKUP_DAYS)]
    tests = _open_tests(recent, timezone.now()) if recent else {}
    contexts = {}
    for o in outcomes_for(Enrolment.objects.filter(pk__in=[e.pk for e in started])):
        e = o.enrolment
        contexts[e.pk] = {
            "outcome": o,
            "reference": reference_available(o, today),
            "next": _steps(e, o, tests.get(e.cohort_id, [])),
        }
    return contexts


register(Panel("results", "assessment/cabinet/results.html", 20, _results))
