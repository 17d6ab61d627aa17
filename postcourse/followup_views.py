"""The follow-up questionnaires in the listener's cabinet (001 §34), their answers on the staff's pages with
the listeners' requests for more support, and the school's observation of its teachers (001 §35)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enrolment.models import Cohort
from enrolment.views.requests import representative_required
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing
from ziat.refusals import staff_required

from .filters import CohortFollowUpAnswerFilter, FollowUpAnswerFilter, SchoolTeacherFilter
from .followups import expected_results_of, follow_up_answer, follow_up_is_open, follow_up_support_handle
from .forms import FollowUpForm, ObservationForm, SupportHandledForm
from .models import FollowUp
from .observations import partner_teacher, partner_teachers_in_support, school_observation_add
from .selectors import follow_up_answers, follow_ups_of_listener


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


# ------------------------------------------------------------------------------------------ the answers (staff)


# The notes typed on "Mark handled" that could not be saved, by follow-up, kept in the session for the list the
# user is sent back to: nothing typed is lost.
_UNSAVED_NOTES = "postcourse.unsaved_support_notes"


def _answers_page(request, found, cohort=None):
    unsaved = request.session.pop(_UNSAVED_NOTES, {})
    for follow_up in found.rows:
        follow_up.unsaved_note = unsaved.get(str(follow_up.pk))
    context = {
        "list": found,
        "cohort": cohort,
        "today": timezone.localdate(),
        # The rows are those the user reaches: the permission alone says whether they may mark a request handled.
        "may_handle": request.user.has_perm("postcourse.change_followup"),
        "handled_form": SupportHandledForm(),
    }
    return render(request, "postcourse/followup/answers.html", context, status=found.status)


@require_GET
@staff_required("postcourse.view_followup")
def follow_up_answers_view(request):
    """The answers to the follow-up questionnaires of every cohort the user reaches (a trainer: the cohorts they
    teach), with the listeners' requests for more support (001 §34)."""
    found = listing(request, FollowUpAnswerFilter, follow_up_answers(request.user))
    return _answers_page(request, found)


@require_GET
@staff_required("postcourse.view_followup")
def cohort_follow_up_answers(request, pk):
    """The same for one cohort: what each listener answered at 3, 6 and 12 months (001 §34), read by the staff who
    reach the cohort, as its support plan and each listener's support year are."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
    access.check(request.user, "postcourse.view_followup", cohort)
    found = listing(request, CohortFollowUpAnswerFilter, follow_up_answers(request.user, cohort=cohort))
    return _answers_page(request, found, cohort)


@require_POST
@staff_required("postcourse.change_followup")
def follow_up_support_handled(request, pk):
    """Mark a listener's request for more support handled (``follow_up_support_handle``), then back to the list
    it was marked from."""
    follow_up = get_object_or_404(FollowUp.objects.select_related("enrolment__cohort"), pk=pk)
    access.check(request.user, "postcourse.change_followup", follow_up)
    form = SupportHandledForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Keep the note of what was done within 1000 characters."))
        _item, marked = follow_up_support_handle(follow_up, by=request.user, note=form.cleaned_data["note"])
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        request.session[_UNSAVED_NOTES] = {str(follow_up.pk): request.POST.get("note", "")}
    else:
        if marked:
            messages.success(request, _("The request for more support is marked handled."))
        else:
            messages.info(request, _("This request for more support was already handled."))
    back = request.POST.get("next", "")
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
        back = reverse("postcourse:cohort_follow_up_answers", args=[follow_up.enrolment.cohort_id])
    return redirect(back)


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
    path("staff/support/follow-ups/", follow_up_answers_view, name="follow_up_answers"),
    path("staff/support/cohort/<int:pk>/follow-ups/", cohort_follow_up_answers, name="cohort_follow_up_answers"),
    path("staff/support/follow-ups/<int:pk>/handled/", follow_up_support_handled, name="follow_up_support_handled"),
    path("partner/teachers/", school_teachers, name="school_teachers"),
    path("partner/teachers/<int:enrolment_pk>/observation/", school_observation, name="school_observation"),
]
