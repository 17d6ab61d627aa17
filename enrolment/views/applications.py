"""A teacher's application (001 App. 1, 003 App. 1-2, §6.2), the registrar's desk, the NOBD import (001 §24,
003 §6.9) and password reset for teachers whose accounts were created from lists.

A listener reaches only their own applications and documents (404 otherwise); documents are served through
views that check who asks, never by a public media URL.
"""

import datetime
import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.excel import workbook, xlsx_response
from ziat.jobs import job_create, job_for, job_keep_input
from ziat.listing import listing
from ziat.ratelimit import rate_limited
from ziat.refusals import staff_required
from ziat.tasking import enqueue_on_commit

from .. import tasks
from ..enums import ApplicationStatus, DocumentKind, Region, Sex
from ..filters import ApplicationFilter
from ..forms.applications import ApplicationForm, RegisterForm, ResetForm, ReturnForm
from ..forms.nobd import NobdUploadForm
from ..models import Application, ApplicationDocument, Cohort, Listener
from ..services import applications, nobd
from ..services.core import seats_taken

REGISTRAR_PERM = "enrolment.change_application"
PAGE_SIZE = 50


def _listener(user):
    if not user.is_authenticated:
        return None
    try:
        return user.listener
    except Listener.DoesNotExist:
        return None


def _questionnaire_rows(data):
    """(label, shown value) pairs of a questionnaire (003 App. 2) in the form's order."""
    field = Listener._meta.get_field

    def date(value):
        if not value:
            return ""
        return datetime.date.fromisoformat(value).strftime("%d.%m.%Y") if isinstance(value, str) else value

    category = data.get("category") or ""
    if data.get("category_valid_until"):
        category = _("%(category)s (valid until %(date)s)") % {
            "category": category or "—",
            "date": date(data["category_valid_until"]),
        }
    region = Region(data["region"]).label if data.get("region") in Region.values else ""
    workplace = ", ".join(str(p) for p in (data.get("workplace"), region) if p)
    language = dict(Application._meta.get_field("language").choices).get(data.get("language"), "")
    rows = [
        (_("full name"), data.get("full_name")),
        (field("iin").verbose_name, data.get("iin")),
        (field("birth_date").verbose_name, date(data.get("birth_date"))),
        (field("sex").verbose_name, Sex(data["sex"]).label if data.get("sex") in Sex.values else ""),
        (field("position").verbose_name, data.get("position")),
        (field("education").verbose_name, data.get("education")),
        (field("category").verbose_name, category),
        (_("workplace and region"), workplace),
        (field("experience_total").verbose_name, data.get("experience_total")),
        (field("experience_teaching").verbose_name, data.get("experience_teaching")),
        (_("language of instruction"), language),
        (field("address").verbose_name, data.get("address")),
        (field("phone").verbose_name, data.get("phone")),
        (_("e-mail"), data.get("email")),
        (field("additional").verbose_name, data.get("additional")),
    ]
    return [(label, "—" if value in (None, "") else value) for label, value in rows]


def _questionnaire(application):
    """The questionnaire as submitted, or as it stands now for a draft."""
    if application.questionnaire and application.status not in applications.EDITABLE:
        return application.questionnaire
    return applications.questionnaire_snapshot(application.listener, application)


def _documents(application):
    present = {d.kind: d for d in application.documents.all()}
    needed = applications.required_documents(application.funding)
    return [(kind, present.get(kind), kind in needed) for kind in DocumentKind if kind in needed or kind in present]


def _file_response(document):
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=os.path.basename(document.file.name))


# --- The teacher -------------------------------------------------------------------------------------


@rate_limited("apply", methods={"POST"})
def apply(request, cohort_pk):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    listener = _listener(request.user)
    if listener is not None:
        existing = (
            Application.objects.filter(listener=listener, cohort=cohort)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .first()
        )
        if existing:
            return redirect("enrolment:my_application", pk=existing.pk)
    reason = applications.cohort_closed_reason(cohort)
    if reason:
        return render(request, "enrolment/applications/closed.html", {"cohort": cohort, "reason": reason})
    context = {
        "cohort": cohort,
        "languages": applications.cohort_languages(cohort),
        "seats_left": cohort.capacity - seats_taken(cohort),
    }
    if not request.user.is_authenticated:
        form = RegisterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                listener = applications.listener_register(by=None, **form.service_kwargs())
            except PermissionDeniedError:
                raise
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                login(request, listener.user, backend="django.contrib.auth.backends.ModelBackend")
                return _start(request, cohort, listener)
        login_url = f"{reverse('login')}?next={request.path}"
        return render(request, "enrolment/applications/apply.html", {**context, "form": form, "login_url": login_url})
    if listener is None:
        return render(request, "enrolment/applications/apply.html", {**context, "not_listener": True})
    if request.method == "POST":
        return _start(request, cohort, listener)
    return render(request, "enrolment/applications/apply.html", {**context, "listener": listener})


def _start(request, cohort, listener):
    try:
        application = applications.application_start(cohort=cohort, listener=listener, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("enrolment:apply", cohort_pk=cohort.pk)
    messages.success(
        request, _("Fill in the questionnaire and attach the documents; you may save a draft at any time.")
    )
    return redirect("enrolment:my_application", pk=application.pk)


def _own_application(request, pk):
    listener = _listener(request.user)
    if listener is None:
        raise Http404
    return get_object_or_404(
        Application.objects.select_related("cohort__program", "listener__user"), pk=pk, listener=listener
    )


@login_required
@require_GET
def my_applications(request):
    listener = _listener(request.user)
    if listener is None:
        raise Http404
    items = Application.objects.filter(listener=listener).select_related("cohort__program").order_by("-created_at")
    return render(request, "enrolment/applications/my_list.html", {"items": items})


@login_required
def my_application(request, pk):
    application = _own_application(request, pk)
    editable = application.status in applications.EDITABLE
    form = None
    if editable:
        form = ApplicationForm(request.POST or None, request.FILES or None, application=application)
        if request.method == "POST" and form.is_valid():
            try:
                applications.application_save(application, by=request.user, **form.service_kwargs())
            except PermissionDeniedError:
                raise
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                return _after_save(request, application)
    elif request.method == "POST":
        messages.error(request, _("This application can no longer be changed."))
        return redirect("enrolment:my_application", pk=application.pk)
    context = {
        "application": application,
        "form": form,
        "editable": editable,
        "documents": _documents(application),
        "questionnaire": _questionnaire_rows(_questionnaire(application)) if not editable else None,
        "can_withdraw": application.status in applications.MOVES["withdraw"],
    }
    return render(request, "enrolment/applications/my_detail.html", context)


def _after_save(request, application):
    if request.POST.get("action") == "submit":
        try:
            applications.application_submit(application, by=request.user)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            messages.warning(request, _("The draft is saved. %(problem)s") % {"problem": e.message})
        else:
            messages.success(request, _("The application is sent to the centre. You will receive the decision here."))
    else:
        messages.success(request, _("The draft is saved; come back to it at any time."))
    return redirect("enrolment:my_application", pk=application.pk)


@login_required
@require_POST
def my_application_withdraw(request, pk):
    application = _own_application(request, pk)
    try:
        applications.application_withdraw(application, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("enrolment:my_applications")


@login_required
@require_GET
def my_application_document(request, pk, kind):
    application = _own_application(request, pk)
    document = get_object_or_404(ApplicationDocument, application=application, kind=kind)
    return _file_response(document)


# --- The registrar -----------------------------------------------------------------------------------


@staff_required(REGISTRAR_PERM)
@require_GET
def application_list(request):
    """The registrar's desk: the applications in one state, found by name or IIN, cohort, program and funding;
    each state's tab counts the applications the filters find in it."""
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.SUBMITTED
    every = access.scope(request.user, Application.objects.all())
    items = (
        every.filter(status=status)
        .select_related("listener__user", "cohort__program")
        .annotate(documents_count=Count("documents"))
        .order_by("submitted_at", "created_at", "pk")
    )
    found = listing(request, ApplicationFilter, items, per_page=PAGE_SIZE, keep=("status",))
    counts = {}
    if not found.invalid:
        in_all_states = ApplicationFilter(request.GET, queryset=every).qs
        counts = dict(in_all_states.values_list("status").annotate(n=Count("pk")).order_by())
    tabs = request.GET.copy()
    for key in ("status", "page"):
        tabs.pop(key, None)
    statuses = [(value, label, counts.get(value, 0)) for value, label in ApplicationStatus.choices]
    return render(
        request,
        "enrolment/applications/staff_list.html",
        {"list": found, "statuses": statuses, "status": status, "tab_query": tabs.urlencode()},
        status=found.status,
    )


def _staff_application(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("cohort__program", "listener__user", "decided_by"), pk=pk
    )
    access.check(request.user, REGISTRAR_PERM, application)
    return application


@staff_required(REGISTRAR_PERM)
@require_GET
def application_detail(request, pk):
    return _render_staff_detail(request, _staff_application(request, pk))


def _render_staff_detail(request, application, return_form=None, status=200):
    cohort = application.cohort
    context = {
        "application": application,
        "questionnaire": _questionnaire_rows(_questionnaire(application)),
        "documents": _documents(application),
        "return_form": return_form or ReturnForm(),
        "can_decide": application.status == ApplicationStatus.SUBMITTED,
        "seats_taken": seats_taken(cohort),
    }
    return render(request, "enrolment/applications/staff_detail.html", context, status=status)


@staff_required(REGISTRAR_PERM)
@require_POST
def application_return(request, pk):
    application = _staff_application(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            applications.application_return(application, by=request.user, reason=form.cleaned_data["reason"])
        except PermissionDeniedError:
            raise
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The application is returned to the listener."))
            return redirect("enrolment:application_list")
    return _render_staff_detail(request, application, return_form=form, status=400)


@staff_required(REGISTRAR_PERM)
@require_POST
def application_admit(request, pk):
    application = _staff_application(request, pk)
    try:
        applications.application_admit(application, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("enrolment:application_detail", pk=application.pk)
    messages.success(request, _("%(listener)s is admitted.") % {"listener": application.listener})
    return redirect("enrolment:application_list")


@staff_required(REGISTRAR_PERM)
@require_GET
def application_document(request, pk, kind):
    document = get_object_or_404(
        ApplicationDocument.objects.select_related("application"), application_id=pk, kind=kind
    )
    access.check(request.user, REGISTRAR_PERM, document.application)
    return _file_response(document)


# --- NOBD import -------------------------------------------------------------------------------------

NOBD_PERM = "enrolment.change_listener"


@staff_required(NOBD_PERM)
def nobd_import(request):
    """Upload an NOBD export: a background job reads it, then its preview shows what would change."""
    form = NobdUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_create(kind=nobd.READ_KIND, title=_("Reading the NOBD export"), owner=request.user, total=1)
        job.next_url = reverse("enrolment:nobd_preview", args=[job.pk])
        job.save(update_fields=["next_url"])
        job_keep_input(job, form.cleaned_data["file"])
        enqueue_on_commit(tasks.nobd_read, job.pk)
        return redirect("job", pk=job.pk)
    status = 400 if form.is_bound else 200
    return _nobd_upload_page(request, form, status=status)


def _nobd_upload_page(request, form, *, status=200):
    context = {"form": form, "columns": nobd.header_row(get_language())}
    return render(request, "enrolment/nobd/upload.html", context, status=status)


@staff_required(NOBD_PERM)
def nobd_preview(request, pk):
    """What the read export would change, per listener; confirming applies it in a background job."""
    job = job_for(request.user, pk)
    if job is None or job.kind != nobd.READ_KIND:
        raise Http404
    try:
        rows, errors = nobd.nobd_read_result(job)
    except DomainError as e:
        # The file could not be read (or the preview is too old): the upload again, with the reason.
        return _nobd_upload_page(request, NobdUploadForm.refused(e.message), status=400)
    if request.method == "POST":
        applying, new = nobd.nobd_apply_job(job, by=request.user, next_url=reverse("enrolment:nobd_import"))
        if new:
            enqueue_on_commit(tasks.nobd_apply, applying.pk, job.pk, request.user.pk)
        return redirect("job", pk=applying.pk)
    changes, unknown = nobd.nobd_diff(rows)
    context = {"changes": changes, "unknown": unknown, "errors": errors, "rows_count": len(rows) + len(errors)}
    return render(request, "enrolment/nobd/preview.html", context)


@staff_required(NOBD_PERM)
@require_GET
def nobd_template(request):
    content = workbook([(_("NOBD"), nobd.header_row(get_language()), [])])
    return xlsx_response(content, "nobd-template.xlsx")


# --- Password reset ----------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("enrolment:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


urlpatterns = [
    path("apply/<int:cohort_pk>/", apply, name="apply"),
    path("cabinet/applications/", my_applications, name="my_applications"),
    path("cabinet/applications/<int:pk>/", my_application, name="my_application"),
    path("cabinet/applications/<int:pk>/withdraw/", my_application_withdraw, name="my_application_withdraw"),
    path(
        "cabinet/applications/<int:pk>/documents/<str:kind>/", my_application_document, name="my_application_document"
    ),
    path("staff/enrolment/applications/", application_list, name="application_list"),
    path("staff/enrolment/applications/<int:pk>/", application_detail, name="application_detail"),
    path("staff/enrolment/applications/<int:pk>/return/", application_return, name="application_return"),
    path("staff/enrolment/applications/<int:pk>/admit/", application_admit, name="application_admit"),
    path(
        "staff/enrolment/applications/<int:pk>/documents/<str:kind>/",
        application_document,
        name="application_document",
    ),
    path("staff/enrolment/nobd/", nobd_import, name="nobd_import"),
    path("staff/enrolment/nobd/<int:pk>/", nobd_preview, name="nobd_preview"),
    path("staff/enrolment/nobd/template.xlsx", nobd_template, name="nobd_template"),
    path("accounts/password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("enrolment:password_reset_complete")),
        name="password_reset_confirm",
    ),
]
