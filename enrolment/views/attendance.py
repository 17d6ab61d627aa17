"""Attendance (SPEC 3.3, 001 §24): the trainers' grid of listeners × sessions, its Excel and PDF sheets, and
self check-in with a rotating QR code."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ziat import access
from ziat.documents import pdf_response, qr_data_uri, render_pdf
from ziat.errors import DomainError, PermissionDeniedError
from ziat.exports import export_start
from ziat.models import Organisation
from ziat.refusals import staff_required

from ..attendance import (
    ADMISSION_PERCENT,
    WARNING_PERCENT,
    cohort_attendance,
    session_end,
    session_running,
    session_start,
)
from ..enums import AttendanceStatus
from ..forms.attendance import AttendanceGridForm
from ..models import Cohort, Listener, Session
from ..services.attendance_sheet import attendance_readable
from ..services.checkin import checkin_code, checkin_record, seconds_to_next_window
from ..services.core import attendance_save

# ------------------------------------------------------------------------------------------- the grid


def _cohort(request, pk, *, mark=False):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
    if not (may_mark(request.user, cohort) if mark else attendance_readable(request.user, cohort)):
        raise PermissionDenied
    return cohort


def may_mark(user, cohort):
    return access.may(user, "enrolment.mark_attendance", cohort)


@staff_required("enrolment.view_attendance")
def attendance_grid(request, cohort_pk):
    """The grid: each started session's cell is a select of the four marks, saved in one request."""
    can_mark = may_mark(request.user, cohort := _cohort(request, cohort_pk))
    form = AttendanceGridForm(request.POST or None)
    if request.method == "POST":
        if not can_mark:
            raise PermissionDenied
        if form.is_valid():
            try:
                count = attendance_save(cohort=cohort, marks=form.marks, by=request.user)
            except PermissionDeniedError:
                raise
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("Attendance saved (%(count)s changes).") % {"count": count})
                return redirect("enrolment:attendance_grid", cohort_pk=cohort.pk)
    sheet = cohort_attendance(cohort)
    context = {
        "cohort": cohort,
        "sheet": sheet,
        "form": form,
        "can_mark": can_mark,
        "statuses": AttendanceStatus.choices,
        "admission_percent": ADMISSION_PERCENT,
        "warning_percent": WARNING_PERCENT,
    }
    return render(request, "enrolment/attendance/grid.html", context)


@require_http_methods(["GET", "POST"])
@staff_required("enrolment.view_attendance")
def attendance_xlsx(request, cohort_pk):
    """The Excel sheet, written by a background job: the page shows its progress, then the file (started by a
    POST; a GET shows the button that starts it)."""
    cohort = _cohort(request, cohort_pk)
    return export_start(
        request,
        builder="enrolment.tasks.attendance_file",
        kwargs={"cohort_id": cohort.pk, "user_id": request.user.pk},
        filename=f"attendance-{cohort.code}.xlsx",
        title=_("Attendance sheet of %(code)s") % {"code": cohort.code},
    )


@require_GET
@staff_required("enrolment.view_attendance")
def attendance_pdf(request, cohort_pk):
    cohort = _cohort(request, cohort_pk)
    sheet = cohort_attendance(cohort)
    context = {
        "org": Organisation.current(),
        "cohort": cohort,
        "sheet": sheet,
        "legend": [(status, label) for status, label in AttendanceStatus.choices],
        "printed_on": timezone.localdate(),
    }
    return pdf_response(
        render_pdf("enrolment/documents/attendance_sheet.html", context), f"attendance-{cohort.code}.pdf"
    )


# ------------------------------------------------------------------------------------------- check-in


@require_GET
@staff_required("enrolment.mark_attendance")
def checkin_display(request, session_pk):
    """The trainer's screen: a QR code of the check-in URL that changes every 30 seconds (``?screen=full``: the
    code filling the screen, with the session's name and a countdown to the next code)."""
    session = get_object_or_404(Session.objects.select_related("cohort__program", "topic"), pk=session_pk)
    if not may_mark(request.user, session.cohort):
        raise PermissionDenied
    now = timezone.now()
    running = session_running(session, now)
    context = {
        "session": session,
        "cohort": session.cohort,
        "running": running,
        "starts": timezone.localtime(session_start(session)),
        "ends": timezone.localtime(session_end(session)),
        "checkins": list(session.checkins.select_related("enrolment__listener__user").order_by("at")),
        "refresh": seconds_to_next_window(now) if running else 30,
    }
    if running:
        url = settings.SITE_URL + reverse(
            "enrolment:checkin", kwargs={"session_pk": session.pk, "code": checkin_code(session, now=now)}
        )
        context.update(url=url, qr=qr_data_uri(url))
    # ?screen=full: the code alone, as large as the screen allows, for a projector.
    full = request.GET.get("screen") == "full"
    template = "checkin_screen.html" if full else "checkin_display.html"
    return render(request, f"enrolment/attendance/{template}", context)


@require_GET
@login_required
def checkin(request, session_pk, code):
    """A listener's scan of the trainer's QR code: marked present (or late), or told plainly why not."""
    session = get_object_or_404(Session.objects.select_related("cohort__program"), pk=session_pk)
    listener = Listener.objects.filter(user=request.user).select_related("user").first()
    error = record = None
    try:
        if listener is None:
            raise DomainError(_("You are not enrolled in the cohort of this session."))
        record = checkin_record(session, listener=listener, code=code, now=timezone.now())
    except DomainError as e:
        error = e.message
    attendance = None
    if record is not None:
        attendance = record.enrolment.attendance.filter(session=session).first()
    context = {"session": session, "cohort": session.cohort, "error": error, "attendance": attendance}
    return render(request, "enrolment/attendance/checkin_result.html", context, status=400 if error else 200)


urlpatterns = [
    path("staff/enrolment/cohorts/<int:cohort_pk>/attendance/", attendance_grid, name="attendance_grid"),
    path("staff/enrolment/cohorts/<int:cohort_pk>/attendance.xlsx", attendance_xlsx, name="attendance_xlsx"),
    path("staff/enrolment/cohorts/<int:cohort_pk>/attendance.pdf", attendance_pdf, name="attendance_pdf"),
    path("staff/enrolment/sessions/<int:session_pk>/checkin/", checkin_display, name="checkin_display"),
    path("checkin/<int:session_pk>/<str:code>/", checkin, name="checkin"),
]
