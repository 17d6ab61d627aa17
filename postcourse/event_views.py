"""Pages of support events (000 §4.3 3)): announcing, changing and attendance for the staff; registration and the
participation certificate in the cabinet; the certificate's public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.listing import listing
from ziat.refusals import staff_required

from . import events as services
from . import selectors
from .consultation_views import own_enrolment
from .filters import EventFilter
from .forms import EventChangeForm, EventForm, refusal_to_form
from .models import EventRegistration, SupportEvent
from .support import in_support_year, period_of

PAGE_SIZE = 50


def _form_error(form):
    return next(iter(form.errors.values()))[0] if form.errors else _("Check the form.")


# ------------------------------------------------------------------------------------------ the listener


@login_required
@require_http_methods(["GET", "POST"])
def my_events(request, enrolment_pk):
    """The events open to the listener in their support year, and their registrations."""
    enrolment = own_enrolment(request, enrolment_pk)
    period = period_of(enrolment)
    error = None
    if request.method == "POST":
        event = SupportEvent.objects.filter(pk=request.POST.get("event") or 0).first()
        try:
            if event is None:
                raise DomainError(_("Choose an event."))
            services.event_register(event, enrolment, by=request.user)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, _("You are registered for the event."))
            return redirect("postcourse:my_events", enrolment_pk=enrolment.pk)
    is_open = in_support_year(period, timezone.localdate())
    context = {
        "enrolment": enrolment,
        "period": period,
        "open": is_open,
        "events": list(selectors.events_for_listener(enrolment)) if is_open else [],
        "registrations": list(EventRegistration.objects.filter(enrolment=enrolment).select_related("event")),
        "error": error,
    }
    return render(request, "postcourse/events/mine.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def my_event_certificate(request, pk):
    listener = getattr(request.user, "listener", None)
    if listener is None:
        raise Http404
    registration = get_object_or_404(
        EventRegistration.objects.select_related("event", "enrolment__listener__user", "certificate_document"),
        pk=pk,
        enrolment__listener=listener,
    )
    return services.participation_certificate_page(request, registration)


@require_GET
def event_certificate_verify(request, token):
    """Public: the participation certificate of this code, with the holder's name, the event, its date and
    whether it is valid; nothing else about the person."""
    registration = (
        EventRegistration.objects.select_related("event", "enrolment__listener__user")
        .filter(certificate_token=token)
        .exclude(certificate_token="")
        .first()
    )
    if registration is None:
        raise Http404
    context = {
        "registration": registration,
        "holder": registration.enrolment.listener.user.full_name,
        "event": registration.event,
        "held_on": timezone.localtime(registration.event.starts_at).date(),
        "valid": bool(registration.attended),
    }
    return render(request, "postcourse/events/verify.html", context)


# ------------------------------------------------------------------------------------------ staff


@require_http_methods(["GET", "POST"])
@staff_required("postcourse.view_supportevent")
def events_staff(request):
    """The events, newest first, with their registrations; the methodist announces a new one."""
    may_announce = request.user.has_perm("postcourse.add_supportevent")
    form = EventForm(request.POST or None) if may_announce else None
    error = None
    if request.method == "POST":
        access.check(request.user, "postcourse.add_supportevent")
        try:
            if not form.is_valid():
                raise DomainError(_form_error(form))
            event = services.support_event_announce(by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, _("The event is announced."))
            return redirect("postcourse:event_staff", pk=event.pk)
    events = (
        SupportEvent.objects.annotate(taken=Count("registrations"))
        .prefetch_related("programs")
        .order_by("-starts_at", "-pk")
    )
    found = listing(request, EventFilter, events, per_page=PAGE_SIZE)
    context = {"list": found, "form": form, "error": error}
    return render(request, "postcourse/events/staff_list.html", context, status=400 if error else found.status)


@require_http_methods(["GET", "POST"])
@staff_required("postcourse.view_supportevent")
def event_staff(request, pk):
    """One event: its registrations (those the user reaches), attendance marked by the staff."""
    event = get_object_or_404(SupportEvent.objects.prefetch_related("programs"), pk=pk)
    access.check(request.user, "postcourse.view_supportevent", event)
    error = None
    if request.method == "POST":
        registration = get_object_or_404(EventRegistration, pk=request.POST.get("registration") or 0, event=event)
        access.check(request.user, "postcourse.change_eventregistration", registration)
        try:
            services.registration_mark_attendance(
                registration, by=request.user, attended=request.POST.get("attended") == "yes"
            )
        except PermissionDeniedError:
            raise
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, _("Attendance is marked."))
            return redirect("postcourse:event_staff", pk=event.pk)
    registrations = access.scope(
        request.user,
        EventRegistration.objects.filter(event=event).select_related("enrolment__listener__user", "enrolment__cohort"),
    ).order_by("registered_at", "pk")
    context = {
        "event": event,
        "registrations": list(registrations),
        "may_mark": request.user.has_perm("postcourse.change_eventregistration") and event.starts_at <= timezone.now(),
        "may_change": request.user.has_perm("postcourse.change_supportevent"),
        "error": error,
    }
    return render(request, "postcourse/events/staff_detail.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@staff_required("postcourse.change_supportevent")
def event_edit(request, pk):
    """Change an announced event's titles, description, time, place, places and certificate; those registered
    are mailed a new time or place."""
    event = get_object_or_404(SupportEvent, pk=pk)
    access.check(request.user, "postcourse.change_supportevent", event)
    initial = {name: getattr(event, name) for name in services.EVENT_TERMS}
    form = EventChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_event_change(event, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            refusal_to_form(form, e)
        else:
            messages.success(request, _("The event is changed."))
            return redirect("postcourse:event_staff", pk=event.pk)
    context = {"event": event, "form": form, "taken": event.registrations.count()}
    return render(request, "postcourse/events/edit.html", context, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@staff_required("postcourse.view_eventregistration")
def event_certificate_staff(request, pk):
    registration = get_object_or_404(
        EventRegistration.objects.select_related("event", "enrolment__listener__user", "certificate_document"), pk=pk
    )
    access.check(request.user, "postcourse.view_eventregistration", registration)
    return services.participation_certificate_page(request, registration)


urlpatterns = [
    path("support/<int:enrolment_pk>/events/", my_events, name="my_events"),
    path("support/registration/<int:pk>/certificate/", my_event_certificate, name="my_event_certificate"),
    path("support/event-certificate/<str:token>/", event_certificate_verify, name="event_certificate_verify"),
    path("staff/support/events/", events_staff, name="events_staff"),
    path("staff/support/event/<int:pk>/", event_staff, name="event_staff"),
    path("staff/support/event/<int:pk>/edit/", event_edit, name="event_edit"),
    path("staff/support/registration/<int:pk>/certificate/", event_certificate_staff, name="event_certificate_staff"),
]
