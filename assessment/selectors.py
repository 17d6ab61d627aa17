"""Reads for the assessment pages, in a fixed number of queries."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Module
from ziat import access
from ziat.models import Organisation
from ziat.pass_marks import effective_pass_score
from ziat.workspace import Item

from .enums import Grade, GradeSource, SubmittedBy, TestKind
from .models import (
    AssessmentScheme,
    Attempt,
    BankVersion,
    CohortTest,
    ModuleGrade,
    Option,
    ProjectWork,
    Question,
    Reassessment,
)
from .services.testing import score_grade


def grade_modules(version):
    """The modules of a program version graded in the appendix: all but the final-assessment rows."""
    return list(Module.objects.filter(version=version, is_final_assessment=False).order_by("position"))


def module_grade_grid(cohort, *, typed=None):
    """Rows of (enrolment, [(module, field name, value)]) for the cohort's listeners.

    ``typed`` maps (enrolment id, module id) to text a person typed, shown instead of the saved grade.
    """
    modules = grade_modules(cohort.version_id)
    enrolments = list(cohort.enrolments.select_related("listener__user").order_by("listener__user__last_name", "pk"))
    saved = {
        (g.enrolment_id, g.module_id): g.grade
        for g in ModuleGrade.objects.filter(enrolment__cohort=cohort, module__in=[m.pk for m in modules])
    }
    values = {**saved, **(typed or {})}
    rows = [(e, [(m, f"grade-{e.pk}-{m.pk}", values.get((e.pk, m.pk), "")) for m in modules]) for e in enrolments]
    return {"modules": modules, "rows": rows}


def rule_cells(cohort):
    """The (enrolment id, module id) of the cohort's grades set by the rule."""
    return set(
        ModuleGrade.objects.filter(enrolment__cohort=cohort, source=GradeSource.RULE).values_list(
            "enrolment_id", "module_id"
        )
    )


# ------------------------------------------------------------------------------- the staff home's work


def work_of_scoring(user, *, today):
    """Project works handed in and not yet scored, in the cohorts the user may know of (a trainer: theirs)."""
    if not user.has_perm("assessment.change_projectwork"):
        return []
    waiting = access.scope(user, ProjectWork.objects.filter(points__isnull=True))
    oldest = (
        waiting.order_by("submitted_at", "pk").values_list("enrolment__cohort_id", "enrolment__cohort__ends_on").first()
    )
    if oldest is None:
        return []
    return [
        Item(
            "assessment.works_to_score",
            _("Project works to score"),
            waiting.count(),
            reverse("assessment:project_works", args=[oldest[0]]),
            deadline=oldest[1],
        )
    ]


# ------------------------------------------------------------------------------- the test bank


def bank_versions_overview(program):
    """The program's bank versions, newest first, each with ``module_counts`` ({No.: questions}),
    ``question_count`` and the numbers of questions lacking a Kazakh or a Russian text (in the
    question or any of its options): ``missing_kk``, ``missing_ru``. Two queries, whatever the size.
    """
    versions = list(program.bank_versions.select_related("created_by").order_by("-number"))
    lacks = {
        lang: Q(**{f"text_{lang}": ""})
        | Q(Exists(Option.objects.filter(question=OuterRef("pk"), **{f"text_{lang}": ""})))
        for lang in ("kk", "ru")
    }
    stats = (
        Question.objects.filter(bank__program=program)
        .values("bank_id", "module_number")
        .annotate(
            count=Count("id"),
            missing_kk=Count("id", filter=lacks["kk"]),
            missing_ru=Count("id", filter=lacks["ru"]),
        )
        .order_by()
    )
    by_version = {v.pk: v for v in versions}
    for v in versions:
        v.module_counts, v.question_count, v.missing_kk, v.missing_ru = {}, 0, 0, 0
    for row in stats:
        v = by_version[row["bank_id"]]
        v.module_counts[row["module_number"]] = row["count"]
        v.question_count += row["count"]
        v.missing_kk += row["missing_kk"]
        v.missing_ru += row["missing_ru"]
    return versions


def bank_questions(version):
    """The version's questions in order with their options (two queries)."""
    return list(version.questions.prefetch_related("options").order_by("position"))


# ------------------------------------------------------------------------------- the assessment rules


def scheme_for(program):
    """The program's saved rules, or unsaved ones with the defaults of 004 §8 (and no criteria)."""
    scheme = AssessmentScheme.objects.prefetch_related("criteria").filter(program=program).first()
    return scheme if scheme is not None else AssessmentScheme(program=program)


def rubric_total(scheme):
    """The highest sum of the rubric: the criteria's maximum points added up (0 for an unsaved scheme)."""
    if scheme.pk is None:
        return 0
    return sum(c.max_points for c in scheme.criteria.all())


# ------------------------------------------------------------------------------- a cohort's tests and their results


def attempt_percent(attempt):
    """The share of the attempt's maximum points scored, in percent rounded down to 0.1; None before scoring."""
    if attempt is None or attempt.points is None or not attempt.max_points:
        return None
    return (Decimal(attempt.points) * 100 / Decimal(attempt.max_points)).quantize(Decimal("0.1"), ROUND_DOWN)


def cohort_tests(cohort):
    """The cohort's tests with ``started`` and ``submitted`` attempt counts, in one query."""
    return list(
        CohortTest.objects.filter(cohort=cohort)
        .select_related("bank")
        .annotate(
            started=Count("attempts", distinct=True),
            submitted=Count("attempts", filter=Q(attempts__submitted_at__isnull=False), distinct=True),
        )
        .order_by("opens_at", "pk")
    )


@dataclass
class ResultRow:
    enrolment: object
    attempt: Attempt | None = None
    reassessment: Reassessment | None = None
    percent: Decimal | None = None
    grade: str | None = None
    passed: bool | None = None
    # The listener belongs to an earlier cohort and sits this test with the next cohort (000 §3.10).
    guest: bool = False

    @property
    def submitted_how(self):
        if self.attempt is None or not self.attempt.submitted_by:
            return ""
        return SubmittedBy(self.attempt.submitted_by).label

    @property
    def grade_label(self):
        return Grade(self.grade).label if self.grade else ""


def result_rows(test):
    """Rows of listeners × attempts of ``test``, in a fixed number of queries.

    Every listener of the test's cohort has a row per attempt (one empty row before they start); listeners
    of earlier cohorts who sit it with this cohort follow, as do re-assessments granted but not yet started.
    """
    cohort = test.cohort
    floor = Organisation.current().pass_floor_percent
    enrolments = list(
        cohort.enrolments.select_related("listener__user", "cohort").order_by(
            "listener__user__last_name", "listener__user__first_name", "pk"
        )
    )
    attempts = list(
        test.attempts.select_related("enrolment__listener__user", "enrolment__cohort", "reassessment").order_by(
            "started_at", "pk"
        )
    )
    granted = list(
        test.reassessments.select_related("enrolment__listener__user", "enrolment__cohort").order_by("opens_at", "pk")
    )
    by_enrolment = {}
    for attempt in attempts:
        by_enrolment.setdefault(attempt.enrolment_id, []).append(attempt)
    used = {a.reassessment_id for a in attempts if a.reassessment_id}
    waiting = {}
    for r in granted:
        if r.pk not in used:
            waiting.setdefault(r.enrolment_id, []).append(r)

    def rows_of(enrolment, guest):
        rows = []
        # A listener of an earlier cohort is graded on their own cohort's scale, as their result is recorded.
        own_cohort = enrolment.cohort
        passing = effective_pass_score(own_cohort.test_pass_score, own_cohort.test_max_score, floor)
        for attempt in by_enrolment.get(enrolment.pk, []):
            score = attempt.score if attempt.is_submitted else None
            rows.append(
                ResultRow(
                    enrolment=enrolment,
                    attempt=attempt,
                    reassessment=attempt.reassessment,
                    percent=attempt_percent(attempt) if attempt.is_submitted else None,
                    grade=score_grade(score, test, cohort=own_cohort, floor_percent=floor),
                    passed=(Decimal(score) >= passing) if test.kind == TestKind.FINAL and score is not None else None,
                    guest=guest,
                )
            )
        rows.extend(ResultRow(enrolment=enrolment, reassessment=r, guest=guest) for r in waiting.get(enrolment.pk, []))
        return rows or [ResultRow(enrolment=enrolment, guest=guest)]

    own = {e.pk for e in enrolments}
    result = [row for e in enrolments for row in rows_of(e, False)]
    guests = {}
    for a in attempts:
        if a.enrolment_id not in own:
            guests.setdefault(a.enrolment_id, a.enrolment)
    for r in granted:
        if r.enrolment_id not in own:
            guests.setdefault(r.enrolment_id, r.enrolment)
    for enrolment in sorted(guests.values(), key=lambda e: (e.listener.user.last_name, e.listener.user.first_name)):
        result.extend(rows_of(enrolment, True))
    return result


def banks_of(program):
    """The program's bank versions, newest first, with ``question_count`` (a queryset)."""
    return BankVersion.objects.filter(program=program).annotate(question_count=Count("questions")).order_by("-number")


def newest_banks(program):
    return list(banks_of(program))


def bank_module_table(program):
    """{bank version id: {module number: question count}} for every version of the program's bank, in one query."""
    rows = (
        Question.objects.filter(bank__program=program)
        .order_by()
        .values("bank_id", "module_number")
        .annotate(n=Count("pk"))
    )
    table = {}
    for r in rows:
        table.setdefault(r["bank_id"], {})[r["module_number"]] = r["n"]
    return table


# ------------------------------------------------------------------------------- re-assessment


def reassessment_history(enrolment):
    """The listener's attempts at final tests of this program and their re-assessments, oldest first."""
    listener_id, program_id = enrolment.listener_id, enrolment.cohort.program_id
    attempts = list(
        Attempt.objects.filter(
            enrolment__listener_id=listener_id,
            enrolment__cohort__program_id=program_id,
            test__kind=TestKind.FINAL,
        )
        .select_related("test__cohort", "reassessment")
        .order_by("started_at", "pk")
    )
    granted = list(
        Reassessment.objects.filter(enrolment__listener_id=listener_id, enrolment__cohort__program_id=program_id)
        .select_related("test__cohort", "granted_by")
        .order_by("granted_at", "pk")
    )
    return attempts, granted
