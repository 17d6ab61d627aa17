"""Pages of the satisfaction questionnaire (000 §4.5 4)), the self-analysis (000 §4.5 6)) and the NOBD
deadlines (001 §19)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enrolment.enums import EnrolmentStatus
from enrolment.models import Cohort
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing
from ziat.refusals import refused, staff_required

from .filters import NobdFilter, SelfAnalysisCohortFilter
from .forms import SatisfactionForm, SelfAnalysisForm
from .models import NobdDeadline, SelfAnalysis
from .nobd import nobd_confirm
from .satisfaction import satisfaction_answer, satisfaction_is_open
from .selectors import (
    cohort_self_analyses,
    cohorts_for_self_analysis,
    enrolment_for_satisfaction,
    nobd_deadlines,
    satisfaction_results,
    state_of,
)
from .selfanalysis import self_analysis_role_of, self_analysis_submit

# ------------------------------------------------------------------------------------------ satisfaction


@login_required
def satisfaction_form(request, cohort_pk):
    """The listener's questionnaire for a cohort of theirs: answered once, anonymously."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    enrolment = enrolment_for_satisfaction(request.user, cohort)
    if enrolment is None:
        return refused(request, _("Only the cohort's listeners answer its questionnaire."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        return refused(request, _("Only listeners enrolled in the course answer its questionnaire."))
    answered = hasattr(enrolment, "satisfaction_receipt")
    today = timezone.localdate()
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            satisfaction_answer(enrolment, by=request.user, today=today, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Thank you: your answer is counted anonymously."))
            return redirect("monitoring:satisfaction_answer", cohort_pk=cohort.pk)
    context = {
        "cohort": cohort,
        "enrolment": enrolment,
        "form": form,
        "answered": answered,
        "open": satisfaction_is_open(cohort, today),
    }
    return render(
        request,
        "monitoring/feedback/satisfaction_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@staff_required("monitoring.view_satisfactiontally")
def satisfaction_page(request, cohort_pk):
    """The cohort's results for staff (a trainer: the cohorts they teach), from the threshold on."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    access.check(request.user, "monitoring.view_satisfactiontally", cohort)
    return render(
        request,
        "monitoring/feedback/satisfaction_results.html",
        {"cohort": cohort, "results": satisfaction_results(cohort)},
    )


# ------------------------------------------------------------------------------------------ self-analysis


@staff_required("monitoring.view_selfanalysis")
def self_analysis_list(request):
    """The ended cohorts (a trainer's: those they teach), with how many self-analyses each has and whether
    the user has written theirs."""
    mine = SelfAnalysis.objects.filter(cohort=OuterRef("pk"), author=request.user)
    cohorts = cohorts_for_self_analysis(request.user).annotate(
        written=Count("self_analyses", distinct=True), mine=Exists(mine)
    )
    found = listing(request, SelfAnalysisCohortFilter, cohorts, per_page=50)
    return render(request, "monitoring/feedback/self_analysis_list.html", {"list": found}, status=found.status)


@staff_required("monitoring.view_selfanalysis")
def self_analysis_page(request, cohort_pk):
    """The cohort's self-analyses: who has written theirs and who has not; the user's own form."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    access.check(request.user, "monitoring.view_selfanalysis", cohort)
    today = timezone.localdate()
    form = SelfAnalysisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            self_analysis_submit(cohort, by=request.user, today=today, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Your self-analysis is saved."))
            return redirect("monitoring:self_analysis", cohort_pk=cohort.pk)
    expected, others = cohort_self_analyses(cohort)
    role = self_analysis_role_of(request.user, cohort)
    written = any(e.person.pk == request.user.pk and e.analysis for e in expected) or any(
        a.author_id == request.user.pk for a in others
    )
    context = {
        "cohort": cohort,
        "expected": expected,
        "others": others,
        "form": form,
        "role": role,
        "written": written,
        "ended": cohort.ends_on <= today,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "monitoring/feedback/self_analysis.html", context, status=status)


# ------------------------------------------------------------------------------------------ NOBD


@staff_required("monitoring.view_nobddeadline")
def nobd_list(request):
    """The finished cohorts' NOBD deadlines: due, overdue and confirmed, filtered and paged (001 §19)."""
    today = timezone.localdate()
    # The deadlines are made by a task every few minutes (monitoring.tasks.nobd_deadlines_ensure): a GET only reads.
    found = listing(request, NobdFilter, nobd_deadlines(), per_page=50)
    for d in found.rows:
        d.state = state_of(d, today)
    return render(request, "monitoring/nobd/list.html", {"list": found, "today": today}, status=found.status)


@require_POST
@staff_required("monitoring.change_nobddeadline")
def nobd_confirm_view(request, pk):
    deadline = get_object_or_404(NobdDeadline.objects.select_related("cohort"), pk=pk)
    access.check(request.user, "monitoring.change_nobddeadline", deadline.cohort)
    try:
        nobd_confirm(deadline, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, _("The NOBD data of %(code)s are confirmed as filled in.") % {"code": deadline.cohort.code}
        )
    back = request.POST.get("next", "")
    return redirect(f"{reverse('monitoring:nobd')}{'?' + back if back else ''}")


urlpatterns = [
    path("nobd/", nobd_list, name="nobd"),
    path("nobd/<int:pk>/confirm/", nobd_confirm_view, name="nobd_confirm"),
    path("self-analysis/", self_analysis_list, name="self_analyses"),
    path("self-analysis/<int:cohort_pk>/", self_analysis_page, name="self_analysis"),
    path("satisfaction/<int:cohort_pk>/", satisfaction_page, name="satisfaction"),
    path("satisfaction/<int:cohort_pk>/answer/", satisfaction_form, name="satisfaction_answer"),
]
