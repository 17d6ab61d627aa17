"""The gates of a listener's outcome beyond attendance and the test (SPEC 4.1, 4.4): the project work scored at
least "satisfactory" when the program has one (004 §8), and the external final assessment of a long course
(000 §2.1.10)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.enums import Grade
from assessment.models import AssessmentScheme, ExternalAssessment
from assessment.outcomes import outcome_for, outcomes_for
from assessment.services.project import project_score, project_submit
from certificates.services import certificate_issue
from enrolment.models import Enrolment
from tests.assessment.test_project import pdf, rubric, sheet, teach
from tests.certificates.helpers import course, enrol
from ziat.errors import DomainError
from ziat.models import Organisation

# 120 academic hours in two modules: a long course (over 108 hours, 001 §23).
LONG = ((("1.1", 50, 10, 0, 0, 0),), (("2.1", 50, 10, 0, 0, 0),))
# Exactly 108 hours: still a short course.
SHORT_MAX = ((("1.1", 50, 4, 0, 0, 0),), (("2.1", 50, 4, 0, 0, 0),))


def started(**kwargs):
    start = timezone.localdate() - datetime.timedelta(days=30)
    return course(starts_on=start, ends_on=start + datetime.timedelta(days=4), **kwargs)


@pytest.fixture
def project_course(db, org, trainer):
    """A course whose program has a 004 §8 rubric, and its trainer."""
    c = started()
    return c, rubric(c.program), teach(c, trainer)


def scored(c, criteria, trainer, points, **enrol_kwargs):
    """A listener who attended everything, passed the test and whose project got ``points`` (a tuple)."""
    e = enrol(c, **enrol_kwargs)
    work = project_submit(enrolment=e, title="Жоба", upload=pdf())
    project_score(work=work, scores=sheet(criteria, *points), comment="", by=trainer)
    return e


def record_external(e, *, passed, by):
    return ExternalAssessment.objects.create(
        enrolment=e,
        held_on=timezone.localdate(),
        assessor="Комиссия",
        result="Подтверждён",
        passed=passed,
        document="external/protocol.pdf",
        recorded_by=by,
    )


# --- the project work (004 §8) ---------------------------------------------------------------------------


def test_a_project_below_5_fails_with_its_reason_004_8(project_course):
    c, criteria, trainer = project_course
    e = scored(c, criteria, trainer, (1, 1, 1, 1, 0))
    outcome = outcome_for(e)
    assert outcome.attendance_ok and outcome.final_test_ok
    assert not outcome.project_ok and not outcome.eligible
    assert outcome.project_points == 4
    assert outcome.project_grade == Grade.UNSATISFACTORY.label
    assert "Project work 4 of 10 is below the pass mark 5." in outcome.reasons


def test_a_project_of_5_passes_004_8(project_course):
    c, criteria, trainer = project_course
    outcome = outcome_for(scored(c, criteria, trainer, (1, 1, 1, 1, 1)))
    assert outcome.eligible and outcome.reasons == []
    assert outcome.project_points == 5 and outcome.project_max == 10
    assert outcome.project_grade == Grade.SATISFACTORY.label


def test_a_project_not_handed_in_or_not_scored_yet_fails_with_its_reason_004_8(project_course):
    c, criteria, _trainer = project_course
    e = enrol(c)
    outcome = outcome_for(e)
    assert not outcome.eligible and outcome.project_points is None and outcome.project_grade is None
    assert "The project work is not handed in yet." in outcome.reasons
    project_submit(enrolment=e, title="Жоба", upload=pdf())
    outcome = outcome_for(e)
    assert not outcome.eligible
    assert "The project work is not scored yet." in outcome.reasons


def test_without_assessment_rules_or_with_no_project_none_is_required(db, org):
    c = started()
    e = enrol(c)
    outcome = outcome_for(e)
    assert outcome.eligible and not outcome.project_required
    AssessmentScheme.objects.create(program=c.program, has_project=False)
    assert outcome_for(e).eligible


def test_the_programs_own_pass_mark_for_the_project_applies_spec_4_1(project_course):
    c, criteria, trainer = project_course
    AssessmentScheme.objects.filter(program=c.program).update(project_pass_from=6)
    outcome = outcome_for(scored(c, criteria, trainer, (1, 1, 1, 1, 1)))
    assert not outcome.eligible
    assert "Project work 5 of 10 is below the pass mark 6." in outcome.reasons


def test_no_certificate_for_a_project_below_the_pass_mark_004_8(project_course, director):
    c, criteria, trainer = project_course
    e = scored(c, criteria, trainer, (2, 2, 0, 0, 0))
    with pytest.raises(DomainError, match="Project work 4 of 10"):
        certificate_issue(e, by=director, on=timezone.localdate())
    good = scored(c, criteria, trainer, (2, 2, 2, 2, 1))
    assert certificate_issue(good, by=director, on=timezone.localdate()).enrolment == good


# --- the external final assessment of a long course (000 §2.1.10) ----------------------------------------


def test_a_long_course_without_the_external_assessment_fails_000_2_1_10(db, org, registrar):
    c = started(modules=LONG, session_hours=(60, 60))
    e = enrol(c)
    outcome = outcome_for(e)
    assert outcome.course_hours == 120 and outcome.long_course
    assert outcome.attendance_ok and outcome.final_test_ok and not outcome.eligible
    assert "A long course ends with the external final assessment; it is not recorded yet." in outcome.reasons


def test_a_long_course_with_a_failed_external_assessment_fails_000_2_1_10(db, org, registrar):
    c = started(modules=LONG, session_hours=(60, 60))
    e = enrol(c)
    record_external(e, passed=False, by=registrar)
    outcome = outcome_for(e)
    assert not outcome.eligible
    assert "The external final assessment is not passed." in outcome.reasons


def test_a_long_course_with_a_passed_external_assessment_passes_000_2_1_10(db, org, registrar):
    c = started(modules=LONG, session_hours=(60, 60))
    e = enrol(c)
    record_external(e, passed=True, by=registrar)
    outcome = outcome_for(e)
    assert outcome.eligible and outcome.reasons == []


def test_a_course_of_108_hours_needs_no_external_assessment_001_23(db, org):
    c = started(modules=SHORT_MAX, session_hours=(54, 54))
    outcome = outcome_for(enrol(c))
    assert outcome.course_hours == 108 and not outcome.long_course
    assert outcome.eligible


# --- queries ---------------------------------------------------------------------------------------------


def test_outcomes_take_the_same_number_of_queries_for_one_and_many(project_course, registrar):
    c, criteria, trainer = project_course
    long_course = started(modules=LONG, session_hours=(60, 60))
    rubric(long_course.program)
    teach(long_course, trainer)

    def queries(count):
        for i in range(count):
            scored(c, criteria, trainer, (2, 2, 1, 1, 1))
            e = scored(long_course, list(long_course.program.assessment_scheme.criteria.all()), trainer, (2,) * 5)
            if i % 2:
                record_external(e, passed=True, by=registrar)
        ids = list(Enrolment.objects.order_by("-pk").values_list("pk", flat=True)[: 2 * count])
        Organisation.current()  # from the cache, as on a running site
        with CaptureQueriesContext(connection) as captured:
            outcomes = outcomes_for(Enrolment.objects.filter(pk__in=ids))
        assert len(outcomes) == 2 * count
        return len(captured)

    assert queries(1) == queries(4)
