"""The assessment's panel of the cabinet: attendance, the final test, the outcome and its reasons."""

from enrolment.cabinet import Panel, register
from enrolment.models import Enrolment

from .outcomes import outcomes_for, reference_available


def _results(enrolments, *, today):
    started = [e.pk for e in enrolments if e.cohort.starts_on <= today]
    if not started:
        return {}
    return {
        o.enrolment.pk: {"outcome": o, "reference": reference_available(o, today)}
        for o in outcomes_for(Enrolment.objects.filter(pk__in=started))
    }


register(Panel("results", "assessment/cabinet/results.html", 20, _results))
