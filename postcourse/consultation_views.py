"""Pages of consultations (000 §4.3 1)): the listener's threads in the cabinet; the staff's list and thread."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enrolment.models import Enrolment
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing
from ziat.refusals import staff_required

from . import consultations as services
from . import selectors
from .enums import ConsultationKind, ConsultationStatus
from .filters import ConsultationFilter
from .forms import AskForm, MessageForm, ScheduleForm
from .models import Consultation
from .support import in_support_year, period_of

PAGE_SIZE = 50


def own_enrolment(request, enrolment_pk):
    """The listener's own enrolment; anyone else's (or a user who is no listener) is not found."""
    listener = getattr(request.user, "listener", None)
    if listener is None:
        raise Http404
    return get_object_or_404(
        Enrolment.objects.select_related("cohort__program", "listener__user"), pk=enrolment_pk, listener=listener
    )


def _own_consultation(request, pk):
    listener = getattr(request.user, "listener", None)
    if listener is None:
        raise Http404
    found = selectors.with_thread(Consultation.objects.filter(pk=pk, enrolment__listener=listener))
    return get_object_or_404(found)


def _form_error(form):
    return next(iter(form.errors.values()))[0] if form.errors else _("Check the form.")


# ------------------------------------------------------------------------------------------ the listener


@login_required
@require_http_methods(["GET", "POST"])
def my_consultations(request, enrolment_pk):
    """The listener's consultations of one course, and the form to ask a new one in the support year."""
    enrolment = own_enrolment(request, enrolment_pk)
    period = period_of(enrolment)
    error = None
    form = AskForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DomainError(_form_error(form))
            consultation = services.consultation_ask(enrolment, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, _("Your question is sent; you will be told of the answer by e-mail."))
            return redirect("postcourse:my_consultation", pk=consultation.pk)
    context = {
        "enrolment": enrolment,
        "period": period,
        "open": in_support_year(period, timezone.localdate()),
        "items": list(Consultation.objects.filter(enrolment=enrolment).order_by("-created_at", "-pk")),
        "form": form,
        "error": error,
    }
    return render(request, "postcourse/consultations/mine.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def my_consultation(request, pk):
    """One thread: the listener reads the answers and replies."""
    consultation = _own_consultation(request, pk)
    error = None
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DomainError(_form_error(form))
            services.consultation_reply(consultation, by=request.user, text=form.cleaned_data["text"])
        except PermissionDeniedError:
            raise
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("postcourse:my_consultation", pk=consultation.pk)
    context = {
        "consultation": consultation,
        "form": form,
        "error": error,
        "may_write": consultation.status in services.MOVES["reply"],
    }
    return render(request, "postcourse/consultations/my_thread.html", context, status=400 if error else 200)


@login_required
@require_POST
def my_consultation_close(request, pk):
    consultation = _own_consultation(request, pk)
    try:
        services.consultation_close(consultation, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("postcourse:my_consultation", pk=consultation.pk)


# ------------------------------------------------------------------------------------------ staff


@require_GET
@staff_required("postcourse.view_consultation")
def consultations_staff(request):
    """Consultations not yet closed (or of one status), oldest first, with their age and response time."""
    found = listing(request, ConsultationFilter, selectors.consultations_for_staff(request.user), per_page=PAGE_SIZE)
    now = timezone.now()
    for c in found.rows:
        c.age = now - c.created_at
    return render(request, "postcourse/consultations/staff_list.html", {"list": found}, status=found.status)


def _staff_consultation(request, pk):
    consultation = get_object_or_404(selectors.with_thread(Consultation.objects.all()), pk=pk)
    access.check(request.user, "postcourse.view_consultation", consultation)
    return consultation


def _staff_page(request, consultation, *, error=None, form=None, schedule_form=None, status=200):
    user = request.user
    may_answer = access.may(user, "postcourse.add_consultationmessage", consultation) and access.may(
        user, "postcourse.change_consultation", consultation
    )
    context = {
        "consultation": consultation,
        "may_answer": may_answer and consultation.status in services.MOVES["answer"],
        "may_schedule": may_answer
        and consultation.kind == ConsultationKind.MEETING
        and consultation.status in services.MOVES["schedule"],
        "may_hold": may_answer and consultation.status == ConsultationStatus.SCHEDULED,
        "may_close": may_answer and consultation.status in services.MOVES["close"],
        "form": form or MessageForm(),
        "schedule_form": schedule_form
        or ScheduleForm(initial={"scheduled_at": consultation.scheduled_at, "place": consultation.place}),
        "error": error,
    }
    return render(request, "postcourse/consultations/staff_thread.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required("postcourse.view_consultation")
def consultation_staff(request, pk):
    """The thread for the staff; a trainer of the cohort (or a methodist) answers."""
    consultation = _staff_consultation(request, pk)
    if request.method == "POST":
        access.check(request.user, "postcourse.add_consultationmessage", consultation)
        form = MessageForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError(_form_error(form))
            services.consultation_answer(consultation, by=request.user, text=form.cleaned_data["text"])
        except PermissionDeniedError:
            raise
        except DomainError as e:
            return _staff_page(request, consultation, error=e.message, form=form, status=400)
        messages.success(request, _("The answer is sent to the listener."))
        return redirect("postcourse:consultation_staff", pk=consultation.pk)
    return _staff_page(request, consultation)


@require_POST
@staff_required("postcourse.change_consultation")
def consultation_schedule(request, pk):
    consultation = _staff_consultation(request, pk)
    access.check(request.user, "postcourse.change_consultation", consultation)
    form = ScheduleForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_form_error(form))
        services.consultation_schedule(consultation, by=request.user, **form.cleaned_data)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        return _staff_page(request, consultation, error=e.message, schedule_form=form, status=400)
    messages.success(request, _("The meeting is scheduled; the listener is told."))
    return redirect("postcourse:consultation_staff", pk=consultation.pk)


@require_POST
@staff_required("postcourse.change_consultation")
def consultation_held(request, pk):
    consultation = _staff_consultation(request, pk)
    access.check(request.user, "postcourse.change_consultation", consultation)
    try:
        services.consultation_hold(consultation, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("postcourse:consultation_staff", pk=consultation.pk)


@require_POST
@staff_required("postcourse.change_consultation")
def consultation_close(request, pk):
    consultation = _staff_consultation(request, pk)
    access.check(request.user, "postcourse.change_consultation", consultation)
    try:
        services.consultation_close(consultation, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("postcourse:consultation_staff", pk=consultation.pk)


urlpatterns = [
    path("support/<int:enrolment_pk>/consultations/", my_consultations, name="my_consultations"),
    path("support/consultation/<int:pk>/", my_consultation, name="my_consultation"),
    path("support/consultation/<int:pk>/close/", my_consultation_close, name="my_consultation_close"),
    path("staff/support/consultations/", consultations_staff, name="consultations_staff"),
    path("staff/support/consultation/<int:pk>/", consultation_staff, name="consultation_staff"),
    path("staff/support/consultation/<int:pk>/schedule/", consultation_schedule, name="consultation_schedule"),
    path("staff/support/consultation/<int:pk>/held/", consultation_held, name="consultation_held"),
    path("staff/support/consultation/<int:pk>/close/", consultation_close, name="consultation_close"),
]
