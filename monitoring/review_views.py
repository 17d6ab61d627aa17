"""The effectiveness reviews' pages (000 §4.4, 001 §38): the schedule of programs due for review, a review with
its six components, its conclusion, approval and history. The views parse, call ``monitoring.reviews`` and
render; a refusal is shown beside the form and changes nothing."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from programs.models import Program
from ziat import access
from ziat.activity import history, history_panel
from ziat.errors import DomainError, PermissionDeniedError
from ziat.excel import xlsx_response
from ziat.listing import listing
from ziat.refusals import staff_required

from .enums import ReviewStatus, SatisfactionAspect
from .filters import ReviewScheduleFilter
from .forms import ReviewConclusionForm, ReviewPeriodForm
from .models import EffectivenessReview
from .reports import review_workbook
from .reviews import has_components, review_approve, review_assemble, review_conclude
from .selectors import review_programs, schedule_rows

VIEW = "monitoring.view_effectivenessreview"
PAGE_SIZE = 50


def _schedule_page(request, *, form=None, error=None, program=None, status=200):
    found = listing(request, ReviewScheduleFilter, review_programs(), per_page=PAGE_SIZE, arrange=schedule_rows)
    today = timezone.localdate()
    context = {
        "list": found,
        "form": form
        or ReviewPeriodForm(initial={"period_from": today.replace(year=today.year - 3), "period_to": today}),
        "error": error,
        "error_program": program,
        "may_assemble": request.user.has_perm("monitoring.add_effectivenessreview"),
    }
    return render(request, "monitoring/reviews/list.html", context, status=max(status, found.status))


@require_GET
@staff_required(VIEW)
def reviews(request):
    """The programs with the date of their last review and the date the next one is due (000 §4.4, 001 §38)."""
    return _schedule_page(request)


@require_POST
@staff_required("monitoring.add_effectivenessreview")
def review_assemble_view(request, pk):
    program = get_object_or_404(Program, pk=pk)
    access.check(request.user, "monitoring.add_effectivenessreview", program)
    form = ReviewPeriodForm(request.POST)
    if not form.is_valid():
        return _schedule_page(request, form=form, program=program, status=400)
    try:
        review = review_assemble(
            program,
            by=request.user,
            period_from=form.cleaned_data["period_from"],
            period_to=form.cleaned_data["period_to"],
        )
    except PermissionDeniedError:
        raise
    except DomainError as error:
        return _schedule_page(request, form=form, error=error.message, program=program, status=400)
    return redirect("monitoring:review", pk=review.pk)


def _components(review):
    """The review's snapshot with the aspects' names in the reader's language."""
    components = dict(review.components or {})
    labels = dict(SatisfactionAspect.choices)
    components["satisfaction"] = [
        {**s, "label": labels.get(s.get("aspect"), s.get("aspect"))} for s in components.get("satisfaction", [])
    ]
    return components


def _review_page(request, review, *, form=None, error=None, status=200):
    context = {
        "review": review,
        "c": _components(review),
        "has_components": has_components(review),
        "form": form or ReviewConclusionForm(initial={"conclusion": review.conclusion, "measures": review.measures}),
        "error": error,
        "may_conclude": review.status == ReviewStatus.DRAFT
        and request.user.has_perm("monitoring.change_effectivenessreview"),
        "may_approve": review.status == ReviewStatus.CONCLUDED
        and request.user.has_perm("monitoring.approve_effectivenessreview"),
        "activity": history_panel(history(obj=review, user=request.user), limit=20),
    }
    return render(request, "monitoring/reviews/detail.html", context, status=status)


def _review(request, pk, perm):
    review = get_object_or_404(
        EffectivenessReview.objects.select_related("program", "created_by", "concluded_by", "approved_by"), pk=pk
    )
    access.check(request.user, perm, review)
    return review


@require_GET
@staff_required(VIEW)
def review_detail(request, pk):
    """A review: its period, the six components as assembled, the conclusion, the approval and the history."""
    return _review_page(request, _review(request, pk, VIEW))


@require_POST
@staff_required("monitoring.change_effectivenessreview")
def review_conclude_view(request, pk):
    review = _review(request, pk, "monitoring.change_effectivenessreview")
    form = ReviewConclusionForm(request.POST)
    form.is_valid()
    try:
        review_conclude(
            review,
            by=request.user,
            conclusion=form.cleaned_data.get("conclusion", ""),
            measures=form.cleaned_data.get("measures", ""),
        )
    except PermissionDeniedError:
        raise
    except DomainError as error:
        return _review_page(
            request,
            _review(request, pk, "monitoring.change_effectivenessreview"),
            form=form,
            error=error.message,
            status=400,
        )
    return redirect("monitoring:review", pk=review.pk)


@require_POST
@staff_required("monitoring.approve_effectivenessreview")
def review_approve_view(request, pk):
    review = _review(request, pk, "monitoring.approve_effectivenessreview")
    try:
        review_approve(review, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as error:
        return _review_page(request, review, error=error.message, status=400)
    return redirect("monitoring:review", pk=review.pk)


@require_GET
@staff_required(VIEW)
def review_export(request, pk):
    """A review as assembled, with its conclusion, as an Excel workbook."""
    review = _review(request, pk, VIEW)
    return xlsx_response(review_workbook(review), f"effectiveness-review-{review.pk}.xlsx")
