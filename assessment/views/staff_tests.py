"""Staff pages of a cohort's tests: setting up the final test and the diagnostics (000 §4.5, 004 §8), their
results and attempts, the export of results, and re-assessment (000 §3.10)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enrolment.models import Cohort, Enrolment
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.exports import export_start
from ziat.refusals import staff_required

from .. import selectors
from ..diagnostics import cohort_diagnostics
from ..enums import TestKind
from ..forms import CohortTestForm, ReassessmentForm, option_choice
from ..models import Attempt, AttemptItem, CohortTest, Option
from ..outcomes import outcome_for
from ..services import cohort_tests as setup
from ..services import reassessment as again
from ..services.testing import attempt_refresh, close_expired_attempts


def _reach(user, cohort_id):
    """A trainer reads the tests of the cohorts they teach only; other staff every cohort their role allows."""
    access.check(user, None, Cohort(pk=cohort_id))


def _cohort(request, pk):
    cohort = get_object_or_404(Cohort.objects.select_related("program", "version"), pk=pk)
    _reach(request.user, cohort.pk)
    return cohort


def _form(cohort, *, data=None, test=None):
    modules = setup.draw_modules(cohort)
    if test is not None:
        initial = {
            "kind": test.kind,
            "title": test.title,
            "bank": test.bank_id,
            "time_limit_minutes": test.time_limit_minutes,
            "opens_at": test.opens_at,
            "closes_at": test.closes_at,
            "shuffle_questions": test.shuffle_questions,
            "good_from": test.good_from,
            "excellent_from": test.excellent_from,
            **{f"draw-{n}": count for n, count in test.draw.items()},
        }
    else:
        has_final = CohortTest.objects.filter(cohort=cohort, kind=TestKind.FINAL).exists()
        newest = selectors.banks_of(cohort.program).first()
        draw = setup.default_draw(cohort, newest, setup.DEFAULT_QUESTION_TOTAL) if newest else {}
        # A final test on the last day of the course; a diagnostic on the first.
        day = cohort.starts_on if has_final else cohort.ends_on
        opens = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        initial = {
            "kind": TestKind.ENTRANCE if has_final else TestKind.FINAL,
            "bank": newest.pk if newest else None,
            "opens_at": opens,
            "closes_at": opens + datetime.timedelta(hours=9),
            **{f"draw-{n}": count for n, count in draw.items()},
        }
    return CohortTestForm(data, initial=initial, cohort=cohort, modules=modules)


def _bank_rows(cohort, modules):
    """(bank version, [its question count per module]) for the program's bank versions, newest first."""
    table = selectors.bank_module_table(cohort.program)
    return [
        (b, [table.get(b.pk, {}).get(m.position, 0) for m in modules]) for b in selectors.newest_banks(cohort.program)
    ]


def _tests_context(request, cohort, form=None):
    can_add = request.user.has_perm("assessment.add_cohorttest")
    modules = setup.draw_modules(cohort)
    banks = _bank_rows(cohort, modules)
    return {
        "cohort": cohort,
        "tests": selectors.cohort_tests(cohort),
        "form": form if form is not None else (_form(cohort) if can_add and banks else None),
        "can_add": can_add,
        "can_change": request.user.has_perm("assessment.change_cohorttest"),
        "banks": banks,
        "modules": modules,
        "diagnostics": cohort_diagnostics(cohort),
        "pass_score": setup.pass_score(cohort),
    }


def _save(request, cohort, form, test=None):
    """Save through the service; the form keeps the typed values and the error otherwise."""
    if not form.is_valid():
        return None
    try:
        saved = setup.cohort_test_save(cohort=cohort, by=request.user, test=test, **form.values())
    except PermissionDeniedError:
        raise
    except DomainError as e:
        form.add_error(None, e.message)
        return None
    messages.success(request, _("The test is saved."))
    return saved


@require_http_methods(["GET", "POST"])
@staff_required("assessment.view_cohorttest")
def cohort_tests(request, cohort_pk):
    """The cohort's tests with their attempts, its diagnostics, and the form of a new test."""
    cohort = _cohort(request, cohort_pk)
    form = None
    if request.method == "POST":
        if not request.user.has_perm("assessment.add_cohorttest"):
            raise PermissionDenied
        form = _form(cohort, data=request.POST)
        if _save(request, cohort, form):
            return redirect("assessment:cohort_tests", cohort_pk=cohort.pk)
    context = _tests_context(request, cohort, form)
    return render(request, "assessment/staff_tests/list.html", context, status=400 if form is not None else 200)


@require_http_methods(["GET", "POST"])
@staff_required("assessment.change_cohorttest")
def cohort_test_edit(request, cohort_pk, pk):
    cohort = _cohort(request, cohort_pk)
    test = get_object_or_404(CohortTest.objects.select_related("bank"), pk=pk, cohort=cohort)
    form = _form(cohort, data=request.POST if request.method == "POST" else None, test=test)
    if request.method == "POST" and _save(request, cohort, form, test=test):
        return redirect("assessment:cohort_tests", cohort_pk=cohort.pk)
    context = {
        "cohort": cohort,
        "test": test,
        "form": form,
        "has_attempts": test.attempts.exists(),
        "banks": _bank_rows(cohort, form.modules),
        "modules": form.modules,
    }
    return render(request, "assessment/staff_tests/edit.html", context, status=400 if request.method == "POST" else 200)


def _test(request, cohort_pk, pk):
    test = get_object_or_404(
        CohortTest.objects.select_related("cohort__program", "cohort__version", "bank"), pk=pk, cohort_id=cohort_pk
    )
    _reach(request.user, test.cohort_id)
    return test


@require_GET
@staff_required("assessment.view_cohorttest")
def cohort_test_results(request, cohort_pk, pk):
    """Listeners × attempts of one test: when started and submitted, how, points, score and grade.

    Attempts left unfinished past their deadline are submitted at it first (the server ends them)."""
    test = _test(request, cohort_pk, pk)
    close_expired_attempts(test=test)
    rows = selectors.result_rows(test)
    context = {
        "cohort": test.cohort,
        "test": test,
        "rows": rows,
        "is_final": test.kind == TestKind.FINAL,
        "pass_score": setup.pass_score(test.cohort),
        "can_view_attempt": request.user.has_perm("assessment.view_attempt"),
        "can_reassess": request.user.has_perm("assessment.view_reassessment"),
    }
    return render(request, "assessment/staff_tests/results.html", context)


@require_http_methods(["GET", "POST"])
@staff_required("assessment.view_cohorttest")
def cohort_test_export(request, cohort_pk, pk):
    """The test's results as an Excel workbook, written by a background job (started by a POST; a GET shows the
    button that starts it)."""
    test = _test(request, cohort_pk, pk)
    return export_start(
        request,
        builder="assessment.tasks.results_file",
        kwargs={"test_id": test.pk},
        filename=f"test-{test.cohort.code}-{test.pk}.xlsx",
        title=_("Results of the test, %(cohort)s") % {"cohort": test.cohort.code},
    )


@require_GET
@staff_required("assessment.view_attempt")
def attempt_detail(request, cohort_pk, test_pk, pk):
    """One attempt as the listener saw it: the drawn questions, the options in their order, what was chosen.

    An attempt left unfinished past its deadline is submitted at it first."""
    attempt = get_object_or_404(
        Attempt.objects.select_related("test__cohort", "test__bank", "enrolment__listener__user", "reassessment"),
        pk=pk,
        test_id=test_pk,
        test__cohort_id=cohort_pk,
    )
    _reach(request.user, cohort_pk)
    attempt = attempt_refresh(attempt)
    items = AttemptItem.objects.filter(attempt=attempt).select_related("question").order_by("position")
    items = list(
        items.prefetch_related(
            Prefetch("question__options", queryset=Option.objects.order_by("position"), to_attr="all_options")
        )
    )
    questions = []
    for item in items:
        options = {o.pk: o for o in item.question.all_options}
        order = [options[pk] for pk in item.option_order if pk in options]
        order += [o for o in item.question.all_options if o not in order]
        chosen = set(item.chosen or [])
        questions.append((item, [(o, o.pk in chosen) for o in order]))
    context = {
        "attempt": attempt,
        "test": attempt.test,
        "cohort": attempt.test.cohort,
        "questions": questions,
        "percent": selectors.attempt_percent(attempt),
    }
    return render(request, "assessment/staff_tests/attempt.html", context)


@require_http_methods(["GET", "POST"])
@staff_required("assessment.view_reassessment")
def reassessment(request, enrolment_pk):
    """A listener's attempts and re-assessments, and the form granting a new one (000 §3.10)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort__program", "listener__user"), pk=enrolment_pk
    )
    access.check(request.user, "assessment.view_reassessment", enrolment)
    options = again.reassessment_options(enrolment)
    by_choice = {option_choice(o): o for o in options}
    form = None
    if request.method == "POST":
        if not request.user.has_perm("assessment.add_reassessment"):
            raise PermissionDenied
        form = ReassessmentForm(request.POST, options=options)
        if form.is_valid():
            data = form.cleaned_data
            option = by_choice[data["choice"]]
            try:
                again.reassessment_grant(
                    enrolment=enrolment,
                    test=option.test,
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    reason=data["reason"],
                    by=request.user,
                )
            except PermissionDeniedError:
                raise
            except DomainError as e:
                form.add_error(None, e.message if option.test else option.reason or e.message)
            else:
                messages.success(request, _("The re-assessment is granted."))
                return redirect("assessment:reassessment", enrolment_pk=enrolment.pk)
    if form is None:
        first = next((o for o in options if o.allowed), None)
        initial = {}
        if first is not None:
            initial = {
                "choice": option_choice(first),
                "opens_at": first.opens_at,
                "closes_at": first.closes_at,
            }
        form = ReassessmentForm(initial=initial, options=options)
    attempts, granted = selectors.reassessment_history(enrolment)
    context = {
        "enrolment": enrolment,
        "cohort": enrolment.cohort,
        "outcome": outcome_for(enrolment),
        "options": options,
        "any_allowed": any(o.allowed for o in options),
        "form": form,
        "attempts": attempts,
        "granted": granted,
        "can_grant": request.user.has_perm("assessment.add_reassessment"),
        "can_view_attempt": request.user.has_perm("assessment.view_attempt"),
    }
    return render(
        request, "assessment/staff_tests/reassessment.html", context, status=400 if request.method == "POST" else 200
    )


urlpatterns = [
    path("staff/assessment/cohorts/<int:cohort_pk>/tests/", cohort_tests, name="cohort_tests"),
    path("staff/assessment/cohorts/<int:cohort_pk>/tests/<int:pk>/", cohort_test_results, name="cohort_test_results"),
    path("staff/assessment/cohorts/<int:cohort_pk>/tests/<int:pk>/edit/", cohort_test_edit, name="cohort_test_edit"),
    path(
        "staff/assessment/cohorts/<int:cohort_pk>/tests/<int:pk>/results.xlsx",
        cohort_test_export,
        name="cohort_test_export",
    ),
    path(
        "staff/assessment/cohorts/<int:cohort_pk>/tests/<int:test_pk>/attempts/<int:pk>/",
        attempt_detail,
        name="cohort_test_attempt",
    ),
    path("staff/assessment/enrolments/<int:enrolment_pk>/reassessment/", reassessment, name="reassessment"),
]
