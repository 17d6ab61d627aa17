"""The online test in the listener's cabinet (000 §3.6, 001 §24, SPEC 4.2).

A listener sees only their own enrolments and attempts: anyone else's is not found (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enrolment.models import Enrolment
from ziat.errors import DomainError

from ..enums import TestKind
from ..models import Attempt, AttemptItem, CohortTest, Option
from ..services.testing import (
    AttemptClosedError,
    answer_record,
    answer_token,
    answer_token_owner,
    answers_save,
    attempt_refresh,
    attempt_start,
    attempt_submit,
    listener_tests,
    score_grade,
)


def _own_enrolment(request, pk):
    return get_object_or_404(
        Enrolment.objects.select_related("cohort__program"), pk=pk, listener__user_id=request.user.pk
    )


def _own_attempt(request, pk, *related):
    attempts = Attempt.objects.select_related(*related) if related else Attempt.objects.all()
    return get_object_or_404(attempts, pk=pk, enrolment__listener__user_id=request.user.pk)


def _remaining_seconds(attempt, now):
    return max(0, int((attempt.deadline - now).total_seconds()))


def _items_with_options(attempt):
    """The attempt's items in order, each with ``shown`` = its options in the order the attempt shows them.

    Two queries whatever the number of questions.
    """
    items = list(AttemptItem.objects.filter(attempt=attempt).select_related("question").order_by("position"))
    ids = [pk for item in items for pk in item.option_order]
    options = Option.objects.in_bulk(ids)
    for item in items:
        item.shown = [options[pk] for pk in item.option_order if pk in options]
    return items


def _result(attempt):
    """Score, maximum and grade of a submitted attempt for the pages."""
    test = attempt.test
    if test.kind == TestKind.FINAL:
        cohort = attempt.enrolment.cohort
        grade = score_grade(attempt.score, test, cohort=cohort)
        return {"score": attempt.score, "max": cohort.test_max_score, "grade": grade, "percent": False}
    return {"score": attempt.score, "max": 100, "grade": None, "percent": True}


# --------------------------------------------------------------------------- the listener
@login_required
@require_GET
def my_tests(request, enrolment_pk):
    """The tests of one of the listener's courses with their states and results."""
    enrolment = _own_enrolment(request, enrolment_pk)
    now = timezone.now()
    rows = listener_tests(enrolment, now)
    return render(request, "assessment/testing/my_tests.html", {"enrolment": enrolment, "rows": rows, "now": now})


@login_required
@require_POST
def attempt_begin(request, enrolment_pk, test_pk):
    """Start the test (or resume the attempt in progress) and open it."""
    enrolment = _own_enrolment(request, enrolment_pk)
    test = get_object_or_404(CohortTest, pk=test_pk)
    if test.cohort_id != enrolment.cohort_id and not enrolment.reassessments.filter(test=test).exists():
        raise Http404
    try:
        attempt = attempt_start(test=test, enrolment=enrolment, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("assessment:my_tests", enrolment_pk=enrolment.pk)
    return redirect("assessment:attempt", attempt_pk=attempt.pk)


@login_required
@require_GET
def attempt_page(request, attempt_pk):
    """All questions on one page, answers saved as they change; the result once submitted."""
    attempt = _own_attempt(request, attempt_pk, "test__cohort", "enrolment__cohort__program", "reassessment")
    now = timezone.now()
    attempt = attempt_refresh(attempt, now)
    items = _items_with_options(attempt)
    context = {"attempt": attempt, "test": attempt.test, "enrolment": attempt.enrolment, "items": items}
    if attempt.submitted_at is None:
        context["remaining_seconds"] = _remaining_seconds(attempt, now)
        context["answer_token"] = answer_token(attempt.pk, request.user.pk)
        context["answered"] = sum(1 for item in items if item.chosen)
    else:
        closes_at = attempt.reassessment.closes_at if attempt.reassessment else attempt.test.closes_at
        context.update(_result(attempt), window_closed=now >= closes_at)
    return render(request, "assessment/testing/attempt.html", context)


@require_POST
def attempt_answer(request, attempt_pk):
    """Autosave of one question: ``item`` (its position) and ``option`` (repeated). Answers JSON.

    Lean on purpose (every listener of a sitting posts here many times): no session writes, no messages, one
    statement when the answer is saved; another listener's attempt is not found. The page's script sends the
    attempt's answer token, which names its owner without reading the session; without a token the listener's
    login is the credential.
    """
    token = request.POST.get("token")
    if token:
        owner = answer_token_owner(token, attempt_pk)
        if owner is None:
            return JsonResponse(
                {"saved": False, "error": _("Open the test's page again to go on answering.")}, status=403
            )
    elif request.user.is_authenticated:
        owner = request.user.pk
    else:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    try:
        position = int(request.POST.get("item", ""))
    except ValueError:
        return JsonResponse({"saved": False, "error": _("This question is not part of your test.")}, status=400)
    try:
        saved = answer_record(
            attempt_pk=attempt_pk,
            by=owner,
            item_position=position,
            option_ids=request.POST.getlist("option"),
            now=now,
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    except AttemptClosedError as e:
        return JsonResponse({"saved": False, "error": e.message, "submitted": True}, status=409)
    except DomainError as e:
        return JsonResponse({"saved": False, "error": e.message}, status=400)
    remaining = max(0, int((saved.deadline - now).total_seconds()))
    return JsonResponse({"saved": True, "remaining_seconds": remaining, "chosen": saved.chosen})


@login_required
@require_POST
def attempt_finish(request, attempt_pk):
    """The final submit. The form carries every answer, so it works without scripts: they are saved first."""
    attempt = _own_attempt(request, attempt_pk)
    now = timezone.now()
    try:
        if request.POST.get("answers"):
            answers = {}
            positions = (
                AttemptItem.objects.filter(attempt=attempt).order_by("position").values_list("position", flat=True)
            )
            for position in positions:
                answers[position] = request.POST.getlist(f"q-{position}")
            answers_save(attempt=attempt, answers=answers, now=now)
        attempt_submit(attempt=attempt, now=now)
    except AttemptClosedError as e:
        messages.warning(request, e.message)
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("assessment:attempt", attempt_pk=attempt.pk)


urlpatterns = [
    path("cabinet/tests/<int:enrolment_pk>/", my_tests, name="my_tests"),
    path("cabinet/tests/<int:enrolment_pk>/<int:test_pk>/start/", attempt_begin, name="attempt_start"),
    path("cabinet/tests/attempts/<int:attempt_pk>/", attempt_page, name="attempt"),
    path("cabinet/tests/attempts/<int:attempt_pk>/answer/", attempt_answer, name="attempt_answer"),
    path("cabinet/tests/attempts/<int:attempt_pk>/submit/", attempt_finish, name="attempt_submit"),
]
