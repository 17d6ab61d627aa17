"""Pages of the post-course support: the support plan of each cohort in its support year (000 §4.2); the
listener's consultations, publications and events, and the staff's side of them (000 §4.3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enrolment.models import Cohort, Enrolment
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing
from ziat.refusals import refused, staff_required

from . import consultation_views, event_views, publication_views, selectors, support
from .consultation_views import own_enrolment
from .enums import ActivityStatus
from .filters import SupportCohortFilter
from .forms import ActivityChangeForm, ActivityForm, CancelForm, HeldForm, refusal_to_form
from .models import SupportActivity
from .support_year import support_year

# ------------------------------------------------------------------------------------------ the plan (staff)


@require_GET
@staff_required("postcourse.view_supportactivity")
def support_cohorts(request):
    """The cohorts in their support year, each with the number of its supported listeners and planned activities."""
    found = listing(request, SupportCohortFilter, selectors.cohorts_in_support(request.user))
    return render(request, "postcourse/plan/cohorts.html", {"list": found}, status=found.status)


def _plan_context(request, cohort, form=None, error=None):
    user = request.user
    results = support.expected_results(cohort)
    may_plan = access.may(user, "postcourse.add_supportactivity", cohort)
    if may_plan and form is None:
        form = ActivityForm(results=results, responsible=support.responsible_choices())
    activities = list(selectors.plan_of(cohort, user))
    for a in activities:
        a.may_change = may_plan and a.status == ActivityStatus.PLANNED
        a.may_mark = support.may_mark(user, a)
        if a.may_mark:  # one pair of forms per row, each with its own field ids
            a.held_form = HeldForm(auto_id=f"id_held_{a.pk}_%s", initial={"held_on": timezone.localdate()})
            a.cancel_form = CancelForm(auto_id=f"id_cancel_{a.pk}_%s")
    supported = access.scope(
        user, Enrolment.objects.filter(cohort=cohort, support_period__isnull=False).select_related("listener__user")
    ).order_by("listener__user__last_name", "listener__user__first_name", "pk")
    return {
        "cohort": cohort,
        "supported": list(supported),
        "activities": activities,
        "results": results,
        "form": form if may_plan else None,
        "error": error,
        "Status": ActivityStatus,
    }


@require_http_methods(["GET", "POST"])
@staff_required("postcourse.view_supportactivity")
def support_plan(request, pk):
    """A cohort's support plan; the program's head adds activities from the program's expected results."""
    cohort = get_object_or_404(Cohort.objects.select_related("program", "version"), pk=pk)
    if not support.may_see_plan(request.user, cohort):
        return refused(request, _("This cohort's support plan is not yours to see."))
    if request.method == "POST":
        form = ActivityForm(
            request.POST, results=support.expected_results(cohort), responsible=support.responsible_choices()
        )
        error = None
        if form.is_valid():
            try:
                support.support_activity_plan(cohort, by=request.user, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except DomainError as e:
                error = e.message
            else:
                messages.success(request, _("The activity is added to the plan."))
                return redirect("postcourse:support_plan", pk=cohort.pk)
        return render(request, "postcourse/plan/plan.html", _plan_context(request, cohort, form, error), status=400)
    return render(request, "postcourse/plan/plan.html", _plan_context(request, cohort))


def _activity(request, pk):
    activity = get_object_or_404(SupportActivity.objects.select_related("cohort"), pk=pk)
    return activity


@require_POST
@staff_required("postcourse.change_supportactivity")
def support_activity_held(request, pk):
    activity = _activity(request, pk)
    access.check(request.user, "postcourse.change_supportactivity", activity)
    form = HeldForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give the date it was held and the number of participants."))
        support.support_activity_hold(activity, by=request.user, **form.cleaned_data)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The activity is marked held."))
    return redirect("postcourse:support_plan", pk=activity.cohort_id)


@require_POST
@staff_required("postcourse.change_supportactivity")
def support_activity_cancel(request, pk):
    activity = _activity(request, pk)
    access.check(request.user, "postcourse.change_supportactivity", activity)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Say why the activity is cancelled."))
        support.support_activity_cancel(activity, by=request.user, note=form.cleaned_data["note"])
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The activity is cancelled."))
    return redirect("postcourse:support_plan", pk=activity.cohort_id)


@require_http_methods(["GET", "POST"])
@staff_required("postcourse.add_supportactivity")
def support_activity_edit(request, pk):
    """Change a planned activity's form, title, expected result, date and responsible trainer (000 §4.2)."""
    activity = get_object_or_404(SupportActivity.objects.select_related("cohort", "responsible"), pk=pk)
    access.check(request.user, "postcourse.add_supportactivity", activity.cohort)
    kwargs = {"results": support.expected_results(activity.cohort), "responsible": support.responsible_choices()}
    initial = {name: getattr(activity, name) for name in support.ACTIVITY_TERMS}
    form = ActivityChangeForm(request.POST or None, initial=initial, **kwargs)
    planned = activity.status == ActivityStatus.PLANNED
    if request.method == "POST" and form.is_valid():
        try:
            support.support_activity_change(activity, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            refusal_to_form(form, e)
        else:
            messages.success(request, _("The activity is changed."))
            return redirect("postcourse:support_plan", pk=activity.cohort_id)
    context = {"activity": activity, "cohort": activity.cohort, "form": form, "planned": planned}
    return render(request, "postcourse/plan/edit.html", context, status=400 if request.method == "POST" else 200)


urlpatterns = [
    path("staff/support/", support_cohorts, name="support_cohorts"),
    path("staff/support/cohort/<int:pk>/", support_plan, name="support_plan"),
    path("staff/support/activity/<int:pk>/edit/", support_activity_edit, name="support_activity_edit"),
    path("staff/support/activity/<int:pk>/held/", support_activity_held, name="support_activity_held"),
    path("staff/support/activity/<int:pk>/cancel/", support_activity_cancel, name="support_activity_cancel"),
    *consultation_views.urlpatterns,
    *publication_views.urlpatterns,
    *event_views.urlpatterns,
]


# ------------------------------------------------------------------------------------------ the support year


@login_required
@require_GET
def my_support(request, enrolment_pk):
    """The listener's year of support on one page."""
    enrolment = own_enrolment(request, enrolment_pk)
    context = {**support_year(enrolment, today=timezone.localdate()), "staff_view": False}
    return render(request, "postcourse/support_year/mine.html", context)


@require_GET
@staff_required("postcourse.view_supportperiod")
def support_enrolment_staff(request, enrolment_pk):
    """The same page for the staff who reach the listener."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort__program", "listener__user"), pk=enrolment_pk
    )
    access.check(request.user, "postcourse.view_supportperiod", enrolment)
    context = {**support_year(enrolment, today=timezone.localdate()), "staff_view": True}
    return render(request, "postcourse/support_year/staff.html", context)


urlpatterns += [
    path("support/<int:enrolment_pk>/", my_support, name="my_support"),
    path("staff/support/enrolment/<int:enrolment_pk>/", support_enrolment_staff, name="support_enrolment_staff"),
]
