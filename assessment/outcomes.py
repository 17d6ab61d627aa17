"""A listener's outcome: the gates, the reasons when a gate is not met, eligibility for a certificate.

The gates: not expelled; attendance of at least 80% (001 §24); the final test at the pass mark (000 §3.6);
when the program's assessment rules have a project work, the work scored at least "satisfactory" (004 §8);
for a long course, the external final assessment recorded and passed (000 §2.1.10).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from enrolment.attendance import Summary, attendance_summaries
from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment
from programs.enums import DurationClass
from programs.models import Module, ProgramVersion
from programs.rules import duration_class
from programs.selectors import plan_totals
from ziat.models import Organisation
from ziat.pass_marks import effective_pass_score

from .enums import Grade

# Courses of these duration classes end with an external final assessment (000 §2.1.10, 001 §23).
LONG_CLASSES = (DurationClass.LONG, DurationClass.ABROAD_LONG)


@dataclass
class Outcome:
    enrolment: Enrolment
    course_hours: Decimal
    # The listener's attendance as every page shows it (enrolment.attendance, SPEC 3.3, 001 §24).
    attendance: Summary
    score: Decimal | None
    max_score: int
    pass_score: Decimal
    expelled: bool = False
    reasons: list = field(default_factory=list)
    # The project work (004 §8), when the program's assessment rules have one.
    project_required: bool = False
    project_submitted: bool = False
    project_points: int | None = None
    project_max: int = 0
    project_pass_from: int | None = None
    project_grade: str | None = None  # the label of assessment.enums.Grade
    # The external final assessment of a long course (000 §2.1.10).
    long_course: bool = False
    external: object = None

    @property
    def attended_hours(self):
        return self.attendance.attended_hours

    @property
    def scheduled_hours(self):
        """The hours of all the cohort's sessions (SPEC 3.3): the base of attendance."""
        return self.attendance.scheduled_hours

    @property
    def attendance_base_hours(self):
        """The hours attendance is counted against, as shown: the scheduled hours, or the program's hours
        while the cohort has no timetable (nothing can be attended then: 0%)."""
        return self.scheduled_hours if self.scheduled_hours else self.course_hours

    @property
    def attendance_percent(self):
        return self.attendance.percent

    @property
    def attendance_display(self):
        return self.attendance.percent_display

    @property
    def attendance_ok(self):
        """The 80% gate (000 §3.6, 001 §24)."""
        return self.attendance.admitted

    @property
    def final_test_ok(self):
        return self.score is not None and Decimal(self.score) >= self.pass_score

    @property
    def project_ok(self):
        return not self.project_required or (
            self.project_points is not None and self.project_points >= self.project_pass_from
        )

    @property
    def external_ok(self):
        return not self.long_course or (self.external is not None and self.external.passed)

    @property
    def eligible(self):
        return not self.expelled and self.attendance_ok and self.final_test_ok and self.project_ok and self.external_ok


def reference_available(outcome, today):
    """A reference is given to a listener who did not pass (001 §31), once the course is over or they left it."""
    cohort = outcome.enrolment.cohort
    return not outcome.eligible and (cohort.ends_on < today or outcome.expelled)


def course_hours(version):
    return plan_totals(version).total


def rubric_max(scheme):
    """The most points a work can get: the sum of the criteria's maxima (prefetch ``criteria``)."""
    return sum(c.max_points for c in scheme.criteria.all()) if scheme else 0


def project_grade(points, scheme):
    """The grade of ``points`` on the scheme's scale (004 §8: 9-10 excellent, 7-8 good, 5-6 satisfactory,
    below 5 unsatisfactory); None when the work is not scored."""
    if points is None or scheme is None:
        return None
    if points >= scheme.project_excellent_from:
        return Grade.EXCELLENT
    if points >= scheme.project_good_from:
        return Grade.GOOD
    if points >= scheme.project_pass_from:
        return Grade.SATISFACTORY
    return Grade.UNSATISFACTORY


def is_long_course(program, hours):
    """A long course: over 108 academic hours (abroad, over 80) (001 §23, 000 §3.5); a TVET internship is not."""
    found = duration_class(hours, form_of_study=program.form_of_study, is_internship=program.is_internship)
    return found in LONG_CLASSES


def _versions_with_plan(version_ids):
    modules = Module.objects.prefetch_related("topics")
    return {
        v.pk: v
        for v in ProgramVersion.objects.filter(pk__in=version_ids).prefetch_related(Prefetch("modules", modules))
    }


def outcomes_for(enrolments, *, now=None):
    """Outcomes of many enrolments in a fixed number of queries; attendance as it stands at ``now``."""
    enrolments = list(
        enrolments.select_related(
            "listener__user",
            "cohort",
            "final_result",
            "cohort__program__assessment_scheme",
            "project_work",
            "external_assessment",
        ).prefetch_related("cohort__program__assessment_scheme__criteria")
    )
    attendance = attendance_summaries(enrolments, now=now)
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
            attendance=attendance[e.pk],
            score=final.score if final else None,
            max_score=cohort.test_max_score,
            pass_score=effective_pass_score(cohort.test_pass_score, cohort.test_max_score, floor),
            expelled=e.status == EnrolmentStatus.EXPELLED,
        )
        _project_gate(outcome, getattr(cohort.program, "assessment_scheme", None), getattr(e, "project_work", None))
        outcome.long_course = is_long_course(cohort.program, outcome.course_hours)
        outcome.external = getattr(e, "external_assessment", None) if outcome.long_course else None
        if outcome.expelled:
            outcome.reasons.append(_("Expelled."))
        if not outcome.attendance_ok:
            outcome.reasons.append(
                _("Attendance %(percent)s%% is below 80%% of the course's academic hours.")
                % {"percent": outcome.attendance_display}
            )
        if outcome.score is None:
            outcome.reasons.append(_("No final test result yet."))
        elif not outcome.final_test_ok:
            outcome.reasons.append(
                _("Final test %(score)s of %(max)s is below the pass mark %(pass)s.")
                % {"score": outcome.score, "max": outcome.max_score, "pass": outcome.pass_score.normalize()}
            )
        if outcome.project_required and outcome.project_points is None:
            outcome.reasons.append(
                _("The project work is not scored yet.")
                if outcome.project_submitted
                else _("The project work is not handed in yet.")
            )
        elif not outcome.project_ok:
            outcome.reasons.append(
                _("Project work %(points)s of %(max)s is below the pass mark %(pass)s.")
                % {"points": outcome.project_points, "max": outcome.project_max, "pass": outcome.project_pass_from}
            )
        if outcome.long_course and outcome.external is None:
            outcome.reasons.append(_("A long course ends with the external final assessment; it is not recorded yet."))
        elif not outcome.external_ok:
            outcome.reasons.append(_("The external final assessment is not passed."))
        result.append(outcome)
    return result


def _project_gate(outcome, scheme, work):
    if scheme is None or not scheme.has_project:
        return
    outcome.project_required = True
    outcome.project_submitted = work is not None
    outcome.project_points = work.points if work is not None else None
    outcome.project_max = rubric_max(scheme)
    outcome.project_pass_from = scheme.project_pass_from
    grade = project_grade(outcome.project_points, scheme)
    outcome.project_grade = grade.label if grade else None


def outcome_for(enrolment, *, now=None):
    return outcomes_for(Enrolment.objects.filter(pk=enrolment.pk), now=now)[0]


def cohort_outcomes(cohort, *, now=None):
    return outcomes_for(Enrolment.objects.filter(cohort=cohort), now=now)
