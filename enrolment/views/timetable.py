"""The timetable (001 §17, SPEC 3.1): a cohort's sessions for the staff, checked against the thematic plan
and the trainers' and rooms' other sessions; a listener's or trainer's own timetable and its iCalendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programs.selectors import version_with_plan
from ziat import access
from ziat.calendar import days_off
from ziat.errors import DomainError, PermissionDeniedError
from ziat.refusals import staff_required

from .. import calendar_feed, selectors
from ..forms.timetable import SessionForm
from ..models import Cohort, Session
from ..services import timetable as tt

# ------------------------------------------------------------------------------------ the staff page


def _cohort(request, pk, perm):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
    access.check(request.user, perm, cohort)
    return cohort


def _context(request, cohort, version, *, form=None, editing=None):
    sessions = selectors.timetable_sessions(cohort)
    found = selectors.clashes(sessions)
    rows = [(s, found[s.pk]) for s in sessions]
    off = days_off(cohort.starts_on, cohort.ends_on)
    for s in sessions:
        s.on_day_off = s.date in off
    user = request.user
    can_add = user.has_perm("enrolment.add_session")
    if form is None and can_add and editing is None:
        form = SessionForm(version=version, initial={"date": cohort.starts_on})
    return {
        "cohort": cohort,
        "version": version,
        "rows": rows,
        "check": selectors.plan_check(version, sessions),
        "trainer_clashes": sum(1 for _s, cs in rows for c in cs if c.reason == "trainer"),
        "room_clashes": sum(1 for _s, cs in rows for c in cs if c.reason == "room"),
        "form": form,
        "editing": editing,
        "can_add": can_add,
        "can_change": user.has_perm("enrolment.change_session"),
        "can_delete": user.has_perm("enrolment.delete_session"),
        "ends_on_day_off": cohort.ends_on in off,
        "sessions_on_days_off": sum(1 for s in sessions if s.on_day_off),
    }


@require_GET
@staff_required("enrolment.view_session")
def timetable(request, cohort_pk):
    cohort = _cohort(request, cohort_pk, "enrolment.view_session")
    version = version_with_plan(cohort.version_id)
    return render(request, "enrolment/timetable/cohort.html", _context(request, cohort, version))


def _save(request, cohort, version, form, session=None):
    """Save the session of a valid form; a refusal is shown on the form."""
    if not form.is_valid():
        return None
    try:
        saved = tt.session_save(by=request.user, cohort=cohort, session=session, **form.cleaned_data)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        form.add_error(None, e.message)
        return None
    messages.success(request, _("The session is saved.") if session else _("The session is added to the timetable."))
    for clash in selectors.clashes([saved])[saved.pk]:
        if clash.reason == "room":
            messages.warning(
                request,
                _("The room %(place)s is also taken by cohort %(code)s at %(start)s – %(end)s.")
                % {
                    "place": saved.place,
                    "code": clash.other.cohort.code,
                    "start": f"{clash.other.starts_at:%H:%M}",
                    "end": f"{clash.other.ends_at:%H:%M}",
                },
            )
    if selectors.over_plan(saved):
        messages.warning(
            request,
            _("The timetable now has more hours of %(kind)s for topic %(topic)s than the thematic plan gives.")
            % {"kind": saved.get_kind_display().lower(), "topic": saved.topic},
        )
    return saved


@require_POST
@staff_required("enrolment.add_session")
def session_create(request, cohort_pk):
    cohort = _cohort(request, cohort_pk, "enrolment.add_session")
    version = version_with_plan(cohort.version_id)
    form = SessionForm(request.POST, version=version)
    if _save(request, cohort, version, form):
        return redirect("enrolment:timetable", cohort_pk=cohort.pk)
    context = _context(request, cohort, version, form=form)
    return render(request, "enrolment/timetable/cohort.html", context, status=400)


@staff_required("enrolment.change_session")
def session_edit(request, cohort_pk, pk):
    cohort = _cohort(request, cohort_pk, "enrolment.change_session")
    session = get_object_or_404(Session.objects.select_related("trainer"), pk=pk, cohort=cohort)
    version = version_with_plan(cohort.version_id)
    if request.method == "POST":
        form = SessionForm(request.POST, version=version, session=session)
        if _save(request, cohort, version, form, session=session):
            return redirect("enrolment:timetable", cohort_pk=cohort.pk)
        status = 400
    else:
        form, status = SessionForm(version=version, session=session), 200
    context = {"cohort": cohort, "session": session, "form": form}
    context["can_delete"] = request.user.has_perm("enrolment.delete_session")
    return render(request, "enrolment/timetable/session_form.html", context, status=status)


@require_POST
@staff_required("enrolment.delete_session")
def session_delete(request, cohort_pk, pk):
    session = get_object_or_404(Session, pk=pk, cohort_id=cohort_pk)
    access.check(request.user, "enrolment.delete_session", session)
    try:
        tt.session_delete(session, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The session is removed from the timetable."))
    return redirect("enrolment:timetable", cohort_pk=cohort_pk)


# ------------------------------------------------------------------------------ one's own timetable


def _has_timetable(user):
    return hasattr(user, "listener") or hasattr(user, "trainer") or user.sessions.exists()


@login_required
@require_GET
def my_timetable(request):
    if not _has_timetable(request.user):
        raise Http404
    # Only read: the address is made by the button below it (feed_create), not by showing the page.
    token = calendar_feed.feed_token(request.user)
    feed_url = request.build_absolute_uri(reverse("enrolment:calendar_feed", kwargs={"token": token})) if token else ""
    context = {"sessions": selectors.upcoming_sessions(request.user), "feed_url": feed_url}
    return render(request, "enrolment/timetable/mine.html", context)


@login_required
@require_POST
def feed_create(request):
    """Make one's calendar feed address; one already made is kept as it is."""
    if not _has_timetable(request.user):
        raise Http404
    calendar_feed.feed_token_create(request.user, by=request.user)
    messages.success(request, _("Your calendar address is ready: subscribe to it in your calendar app."))
    return redirect(reverse("enrolment:my_timetable") + "#calendar-feed")


@login_required
@require_POST
def feed_renew(request):
    """A new address for one's calendar feed; the old one stops working."""
    if not _has_timetable(request.user):
        raise Http404
    calendar_feed.feed_token_renew(request.user, by=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("enrolment:my_timetable")


@require_GET
def feed(request, token):
    """The user's timetable as iCalendar, for calendar apps (no session cookie: the token names the user)."""
    user = calendar_feed.feed_user(token)
    if user is None:
        raise Http404
    text = calendar_feed.calendar(
        calendar_feed.session_events(selectors.feed_sessions(user), host=request.get_host().split(":")[0]),
        name=_("Timetable: %(name)s") % {"name": user},
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="timetable.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


urlpatterns = [
    path("staff/enrolment/cohorts/<int:cohort_pk>/timetable/", timetable, name="timetable"),
    path("staff/enrolment/cohorts/<int:cohort_pk>/timetable/new/", session_create, name="timetable_add"),
    path("staff/enrolment/cohorts/<int:cohort_pk>/timetable/<int:pk>/", session_edit, name="timetable_edit"),
    path("staff/enrolment/cohorts/<int:cohort_pk>/timetable/<int:pk>/delete/", session_delete, name="timetable_delete"),
    path("cabinet/timetable/", my_timetable, name="my_timetable"),
    path("cabinet/timetable/feed/create/", feed_create, name="calendar_feed_create"),
    path("cabinet/timetable/feed/renew/", feed_renew, name="calendar_feed_renew"),
    path("calendar/<str:token>.ics", feed, name="calendar_feed"),
]
