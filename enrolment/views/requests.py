"""Partners' requests for places with their lists of teachers (001 §§11-18, 003 §4.1-4.2).

Representatives of education departments and schools work under ``partner/``: they see only their
own organisation's requests (another's give 404). The registrar decides under ``staff/enrolment/``.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.excel import workbook, xlsx_response
from ziat.jobs import job_create
from ziat.listing import listing
from ziat.refusals import staff_required
from ziat.tasking import enqueue_on_commit

from .. import selectors
from ..enums import RequestStatus
from ..filters import RequestFilter
from ..forms.requests import (
    RequestForm,
    ReturnForm,
    TeacherForm,
    UploadConfirmForm,
    UploadForm,
    sign_rows,
)
from ..models import RequestedTeacher, TeacherRequest
from ..services import requests
from ..services.core import seats_taken
from ..tasks import accept_request


def representative_required(view):
    """Anonymous users go to the login page; users who represent no organisation get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        representative = getattr(request.user, "representative", None)
        if representative is None or request.user.is_staff:
            raise PermissionDenied
        request.partner_id = representative.partner_id
        return view(request, *args, **kwargs)

    return wrapped


def _own(request, pk):
    """The request when it belongs to the user's organisation; 404 otherwise."""
    queryset = TeacherRequest.objects.select_related("partner", "cohort__program")
    return get_object_or_404(access.scope(request.user, queryset), pk=pk, partner_id=request.partner_id)


# --------------------------------------------------------------------------- representatives


@require_GET
@representative_required
def partner_home(request):
    representative = request.user.representative
    return render(
        request,
        "enrolment/requests/partner_home.html",
        {
            "partner": representative.partner,
            "items": list(selectors.requests_of_partner(representative.partner_id)),
        },
    )


@representative_required
def partner_request_create(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = requests.request_create(by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The request is created; now list its teachers."))
            return redirect("enrolment:partner_request_detail", pk=created.pk)
    return render(request, "enrolment/requests/request_form.html", {"form": form, "item": None})


@representative_required
def partner_request_edit(request, pk):
    item = _own(request, pk)
    form = RequestForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            requests.request_update(item, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The request is saved."))
            return redirect("enrolment:partner_request_detail", pk=item.pk)
    return render(request, "enrolment/requests/request_form.html", {"form": form, "item": item})


def _partner_detail(request, item, teacher_form=None, status=200):
    return render(
        request,
        "enrolment/requests/partner_detail.html",
        {
            "item": item,
            "rows": selectors.request_teacher_rows(item),
            "editable": item.status in requests.EDITABLE,
            "teacher_form": teacher_form or TeacherForm(),
            "statuses": RequestStatus,
        },
        status=status,
    )


@require_GET
@representative_required
def partner_request_detail(request, pk):
    return _partner_detail(request, _own(request, pk))


@require_POST
@representative_required
def partner_teacher_add(request, pk):
    item = _own(request, pk)
    form = TeacherForm(request.POST)
    if form.is_valid():
        try:
            requests.request_teacher_add(item, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The teacher is added to the list."))
            return redirect("enrolment:partner_request_detail", pk=item.pk)
    return _partner_detail(request, item, teacher_form=form, status=400)


@require_POST
@representative_required
def partner_teacher_remove(request, pk, teacher_pk):
    item = _own(request, pk)
    teacher = get_object_or_404(RequestedTeacher, pk=teacher_pk, request=item)
    try:
        requests.request_teacher_remove(item, by=request.user, teacher=teacher)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("%(name)s is removed from the list.") % {"name": teacher})
    return redirect("enrolment:partner_request_detail", pk=item.pk)


@require_POST
@representative_required
def partner_request_submit(request, pk):
    item = _own(request, pk)
    try:
        requests.request_submit(item, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The request is sent to the centre."))
    return redirect("enrolment:partner_request_detail", pk=item.pk)


@representative_required
def partner_request_upload(request, pk):
    """Step one: the file is read and each row checked; the report is shown and nothing is saved."""
    item = _own(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        replace = form.cleaned_data["replace"]
        try:
            rows, checks = requests.request_rows_preview(
                item, by=request.user, upload=form.cleaned_data["file"], replace=replace
            )
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error("file", e.message)
        else:
            ok = all(c.ok for c in checks)
            confirm = UploadConfirmForm(
                initial={"payload": sign_rows(item, rows, replace=replace)}, teacher_request=item
            )
            return render(
                request,
                "enrolment/requests/upload_report.html",
                {
                    "item": item,
                    "checks": checks,
                    "ok": ok,
                    "bad_count": sum(1 for c in checks if not c.ok),
                    "replace": replace,
                    "confirm_form": confirm if ok else None,
                },
            )
    status = 400 if request.method == "POST" else 200
    context = {"item": item, "form": form, "max_rows": requests.MAX_ROWS, "columns": requests.COLUMNS}
    return render(request, "enrolment/requests/upload.html", context, status=status)


@require_POST
@representative_required
def partner_request_upload_confirm(request, pk):
    """Step two: the checked list is checked again and saved whole, or nothing is saved."""
    item = _own(request, pk)
    form = UploadConfirmForm(request.POST, teacher_request=item)
    if not form.is_valid():
        for error in form.errors.get("payload", []):
            messages.error(request, error)
        return redirect("enrolment:partner_request_upload", pk=item.pk)
    data = form.cleaned_data["payload"]
    try:
        saved = requests.request_teachers_import(item, by=request.user, rows=data["rows"], replace=data["replace"])
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("enrolment:partner_request_upload", pk=item.pk)
    messages.success(request, _("%(count)s teachers are saved in the request.") % {"count": len(saved)})
    return redirect("enrolment:partner_request_detail", pk=item.pk)


@require_GET
@representative_required
def partner_request_template(request):
    """An empty list with the column headers in Kazakh and Russian."""
    header = [names[0] for names in requests.COLUMNS.values()]
    content = workbook([("Педагогтер - Педагоги", header, [])])
    return xlsx_response(content, "teachers.xlsx")


# --------------------------------------------------------------------------- the registrar


def _staff_request(request, pk, perm):
    item = get_object_or_404(selectors.requests_for_staff(), pk=pk)
    access.check(request.user, perm, item)
    return item


@require_GET
@staff_required("enrolment.view_teacherrequest")
def request_list(request):
    """Requests sent to the centre, found by organisation or cohort, status, region and program."""
    items = access.scope(request.user, selectors.requests_for_staff())
    found = listing(request, RequestFilter, items)
    return render(request, "enrolment/requests/staff_list.html", {"list": found}, status=found.status)


def _staff_detail(request, item, return_form=None, status=200):
    can_decide = request.user.has_perm("enrolment.change_teacherrequest") and item.status == RequestStatus.SUBMITTED
    return render(
        request,
        "enrolment/requests/staff_detail.html",
        {
            "item": item,
            "rows": selectors.request_teacher_rows(item),
            "seats_left": max(item.cohort.capacity - seats_taken(item.cohort), 0),
            "can_decide": can_decide,
            "return_form": return_form or ReturnForm(),
            "statuses": RequestStatus,
        },
        status=status,
    )


@require_GET
@staff_required("enrolment.view_teacherrequest")
def request_detail(request, pk):
    return _staff_detail(request, _staff_request(request, pk, "enrolment.view_teacherrequest"))


@require_POST
@staff_required("enrolment.change_teacherrequest")
def request_accept(request, pk):
    item = _staff_request(request, pk, "enrolment.change_teacherrequest")
    # A list of hundreds of teachers takes a while: a task accepts it while the job's page shows the progress.
    job = job_create(
        kind="enrolment.accept_request",
        title=_("Acceptance of request No. %(pk)s") % {"pk": item.pk},
        owner=request.user,
        next_url=reverse("enrolment:request_detail", args=[item.pk]),
        total=2 * item.teacher_count,
    )
    enqueue_on_commit(accept_request, job.pk, item.pk, request.user.pk)
    return redirect("job", pk=job.pk)


@require_POST
@staff_required("enrolment.change_teacherrequest")
def request_return(request, pk):
    item = _staff_request(request, pk, "enrolment.change_teacherrequest")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            requests.request_return(item, by=request.user, reason=form.cleaned_data["reason"])
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The request is returned to %(partner)s.") % {"partner": item.partner})
            return redirect("enrolment:request_detail", pk=item.pk)
    return _staff_detail(request, item, return_form=form, status=400)


@require_GET
@staff_required("enrolment.view_teacherrequest")
def request_export(request, pk):
    """The request's list of teachers as an Excel file, in the columns of the upload template."""
    item = _staff_request(request, pk, "enrolment.view_teacherrequest")
    header = [names[0] for names in requests.COLUMNS.values()]
    rows = [
        [
            t.iin,
            t.last_name,
            t.first_name,
            t.middle_name,
            t.birth_date,
            t.position,
            t.subject,
            t.email,
            t.phone,
        ]
        for t in item.teachers.order_by("row")
    ]
    content = workbook([("Педагогтер - Педагоги", header, rows)])
    return xlsx_response(content, f"request-{item.pk}.xlsx")


urlpatterns = [
    path("partner/", partner_home, name="partner_home"),
    path("partner/requests/new/", partner_request_create, name="partner_request_create"),
    path("partner/requests/template.xlsx", partner_request_template, name="partner_request_template"),
    path("partner/requests/<int:pk>/", partner_request_detail, name="partner_request_detail"),
    path("partner/requests/<int:pk>/edit/", partner_request_edit, name="partner_request_edit"),
    path("partner/requests/<int:pk>/teachers/add/", partner_teacher_add, name="partner_teacher_add"),
    path(
        "partner/requests/<int:pk>/teachers/<int:teacher_pk>/remove/",
        partner_teacher_remove,
        name="partner_teacher_remove",
    ),
    path("partner/requests/<int:pk>/upload/", partner_request_upload, name="partner_request_upload"),
    path(
        "partner/requests/<int:pk>/upload/confirm/",
        partner_request_upload_confirm,
        name="partner_request_upload_confirm",
    ),
    path("partner/requests/<int:pk>/submit/", partner_request_submit, name="partner_request_submit"),
    path("staff/enrolment/requests/", request_list, name="request_list"),
    path("staff/enrolment/requests/<int:pk>/", request_detail, name="request_detail"),
    path("staff/enrolment/requests/<int:pk>/accept/", request_accept, name="request_accept"),
    path("staff/enrolment/requests/<int:pk>/return/", request_return, name="request_return"),
    path("staff/enrolment/requests/<int:pk>/teachers.xlsx", request_export, name="request_export"),
]
