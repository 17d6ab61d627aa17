"""The follow-up questionnaires in the listener's cabinet (001 §34) and the school's observation of its
teachers (001 §35)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.views.requests import representative_required
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing

from .filters import SchoolTeacherFilter
from .followups import expected_results_of, follow_up_answer, follow_up_is_open
from .forms import FollowUpForm, ObservationForm
from .observations import partner_teacher, partner_teachers_in_support, school_observation_add
from .selectors import follow_ups_of_listener


@login_required
def follow_up(request, pk):
    """A questionnaire of the logged-in listener: the form while it is due and unanswered, else its state."""
    item = get_object_or_404(follow_ups_of_listener(request.user), pk=pk)
    today = timezone.localdate()
    form = FollowUpForm(request.POST or None, results=expected_results_of(item.enrolment.cohort_id))
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_answer(item, by=request.user, today=today, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Thank you: your answer is saved."))
            return redirect("postcourse:follow_up", pk=item.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "postcourse/followup/answer.html",
        {"item": item, "form": form, "open": follow_up_is_open(item, today), "today": today},
        status=status,
    )


@representative_required
def school_teachers(request):
    """The organisation's teachers in their support year, with the follow-ups' state (001 §35 1))."""
    found = listing(request, SchoolTeacherFilter, partner_teachers_in_support(request.partner_id))
    return render(
        request,
        "postcourse/followup/school_teachers.html",
        {"partner": request.user.representative.partner, "list": found, "today": timezone.localdate()},
        status=found.status,
    )


@representative_required
def school_observation(request, enrolment_pk):
    """One teacher of the organisation: the observations written so far, and a new one."""
    teacher = partner_teacher(request.partner_id, enrolment_pk)
    if teacher is None:
        raise Http404
    form = ObservationForm(request.POST or None, initial={"observed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            school_observation_add(teacher, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The observation is saved."))
            return redirect("postcourse:school_observation", enrolment_pk=teacher.pk)
    return render(
        request,
        "postcourse/followup/school_observation.html",
        {"teacher": teacher, "form": form, "today": timezone.localdate()},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("cabinet/follow-up/<int:pk>/", follow_up, name="follow_up"),
    path("partner/teachers/", school_teachers, name="school_teachers"),
    path("partner/teachers/<int:enrolment_pk>/observation/", school_observation, name="school_observation"),
]
