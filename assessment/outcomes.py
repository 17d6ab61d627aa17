"""A listener's outcome: both gates, the reasons when a gate is not met, eligibility for a certificate."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, Subquery, Sum
from django.utils.translation import gettext as _

from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment, Session
from enrolment.selectors import enrolments_with_attendance
from programs.models import Module, ProgramVersion
from programs.selectors import plan_totals
from ziat.models import Organisation

from . import rules


@dataclass
class Outcome:
    enrolment: Enrolment
    course_hours: Decimal
    attended_hours: Decimal
    score: Decimal | None
    max_score: int
    pass_score: Decimal
    expelled: bool = False
    reasons: list = field(default_factory=list)
    # The hours of all the cohort's sessions (SPEC 3.3): the base of attendance; None when it has none.
    scheduled_hours: Decimal | None = None

    @property
    def attendance_base_hours(self):
        """The scheduled academic hours of the cohort, or the program's hours when it has no timetable."""
        return self.scheduled_hours if self.scheduled_hours else self.course_hours

    @property
    def attendance_percent(self):
        return rules.attendance_percent(self.attended_hours, self.attendance_base_hours)

    @property
    def attendance_display(self):
        return rules.display_percent(self.attendance_percent)

    @property
    def attendance_ok(self):
        return rules.attendance_admits(self.attendance_percent)

    @property
    def test_ok(self):
        return self.score is not None and Decimal(self.score) >= self.pass_score

    @property
    def eligible(self):
        return not self.expelled and self.attendance_ok and self.test_ok


def course_hours(version):
    return plan_totals(version).total


def _versions_with_plan(version_ids):
    modules = Module.objects.prefetch_related("topics")
    return {
        v.pk: v
        for v in ProgramVersion.objects.filter(pk__in=version_ids).prefetch_related(Prefetch("modules", modules))
    }


def outcomes_for(enrolments):
    """Outcomes of many enrolments in a fixed number of queries."""
    scheduled = (
        Session.objects.filter(cohort=OuterRef("cohort"))
        .order_by()
        .values("cohort")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    enrolments = list(
        enrolments_with_attendance(enrolments)
        .select_related("final_result", "cohort")
        .annotate(scheduled_hours=Subquery(scheduled, output_field=DecimalField(max_digits=8, decimal_places=1)))
    )
    versions = _versions_with_plan({e.cohort.version_id for e in enrolments})
    hours = {pk: course_hours(v) for pk, v in versions.items()}
    floor = Organisation.current().pass_floor_percent
    result = []
    for e in enrolments:
        cohort = e.cohort
        final = getattr(e, "final_result", None)
        outcome = Outcome(
            enrolment=e,
            course_hours=hours[cohort.version_id],
            attended_hours=e.attended_hours,
            score=final.score if final else None,
            max_score=cohort.test_max_score,
            pass_score=rules.effective_pass_score(cohort.test_pass_score, cohort.test_max_score, floor),
            expelled=e.status == EnrolmentStatus.EXPELLED,
            scheduled_hours=e.scheduled_hours,
        )
        if outcome.expelled:
            outcome.reasons.append(_("Expelled."))
        if not outcome.attendance_ok:
            outcome.reasons.append(
                _("Attendance %(percent)s%% is below 80%% of the course's academic hours.")
                % {"percent": outcome.attendance_display}
            )
        if outcome.score is None:
            outcome.reasons.append(_("No final test result yet."))
        elif not outcome.test_ok:
            outcome.reasons.append(
                _("Final test %(score)s of %(max)s is below the pass mark %(pass)s.")
                % {"score": outcome.score, "max": outcome.max_score, "pass": outcome.pass_score.normalize()}
            )
        result.append(outcome)
    return result


def outcome_for(enrolment):
    return outcomes_for(Enrolment.objects.filter(pk=enrolment.pk))[0]


def cohort_outcomes(cohort):
    return outcomes_for(Enrolment.objects.filter(cohort=cohort))
