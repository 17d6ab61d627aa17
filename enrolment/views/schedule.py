"""The annual schedule of courses (001 §15, 003 §4.4), its public page, and a listener's moves: transfers,
interruptions, resumptions (000 §3.10) and expulsion (001 §32, 003 §7.5)."""

import os

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ziat import access
from ziat.activity import history, history_panel, render_history_page
from ziat.errors import DomainError, PermissionDeniedError
from ziat.exports import export_start
from ziat.listing import listing
from ziat.refusals import staff_required
from ziat.stored_documents import document_view

from .. import selectors
from ..enums import EnrolmentStatus
from ..filters import PublicScheduleFilter, ScheduleFilter
from ..forms.movements import ExpelForm, InterruptForm, ResumeForm, TransferForm
from ..forms.schedule import CohortForm, GroupAssignForm, GroupForm
from ..models import Cohort, Enrolment, Expulsion, Movement, StudyGroup
from ..services import movements as moves
from ..services import schedule as plan
from ..services.core import SEAT_STATES

# ------------------------------------------------------------------------------------- the schedule


def _schedule_listing(request):
    year = plan.schedule_year(request.GET.get("year"))
    cohorts = access.scope(request.user, selectors.cohorts_of_year(year))
    return year, listing(request, ScheduleFilter, cohorts, keep=("year",))


@require_GET
@staff_required("enrolment.change_cohort")
def schedule(request):
    year, found = _schedule_listing(request)
    context = {
        "year": year,
        "list": found,
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "enrolment/schedule/list.html", context, status=found.status)


@require_http_methods(["GET", "POST"])
@staff_required("enrolment.change_cohort")
def schedule_export(request):
    """The year's schedule as the page shows it: the same filters, every page (started by a POST; a GET shows
    the button that starts it)."""
    year, found = _schedule_listing(request)
    if found.invalid:
        context = {"year": year, "list": found, "previous_year": year - 1, "next_year": year + 1}
        return render(request, "enrolment/schedule/list.html", context, status=found.status)
    filters = request.GET.copy()
    for key in ("year", "page"):
        filters.pop(key, None)
    return export_start(
        request,
        builder="enrolment.tasks.schedule_file",
        kwargs={"year": year, "filters": filters.urlencode()},
        filename=f"schedule-{year}.xlsx",
        title=_("Schedule of courses, %(year)s") % {"year": year},
    )


@staff_required("enrolment.add_cohort")
def cohort_create(request):
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = plan.cohort_create(by=request.user, program=form.cleaned_data["program"], **form.terms())
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The cohort is on the schedule; publish it to open applications."))
            return redirect("enrolment:cohort_detail", pk=cohort.pk)
    return render(request, "enrolment/schedule/form.html", {"form": form, "cohort": None})


def _cohort(request, pk, perm):
    cohort = get_object_or_404(
        Cohort.objects.select_related("program", "version").annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATES), distinct=True)
        ),
        pk=pk,
    )
    access.check(request.user, perm, cohort)
    return cohort


@staff_required("enrolment.change_cohort")
def cohort_edit(request, pk):
    cohort = _cohort(request, pk, "enrolment.change_cohort")
    initial = {name: getattr(cohort, name) for name in plan.COHORT_FIELDS}
    form = CohortForm(request.POST or None, initial=initial, with_program=False)
    if request.method == "POST" and form.is_valid():
        try:
            plan.cohort_update(cohort, by=request.user, **form.terms())
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The cohort's terms are saved."))
            return redirect("enrolment:cohort_detail", pk=cohort.pk)
    return render(request, "enrolment/schedule/form.html", {"form": form, "cohort": cohort})


# The cohort's pages, in the order of the course: (key, title, URL name, permission, stages it makes sense in).
# Each is offered only to a user with the permission (and, for a trainer, teaching the cohort), and only in
# the stages of the course where there is something to do or read on it.
_ALL = (plan.PLANNED, plan.RUNNING, plan.FINISHED)
_STARTED = (plan.RUNNING, plan.FINISHED)
_LAST = ("last_day", plan.FINISHED)
HUB_PAGES = [
    ("timetable", _l("Timetable"), "enrolment:timetable", "enrolment.view_session", _ALL),
    ("orders", _l("Admission orders"), "enrolment:admission_orders", "enrolment.view_admissionorder", _ALL),
    ("payments", _l("Payments"), "enrolment:payments", "enrolment.view_invoice", _ALL),
    ("messages", _l("Messages to the listeners"), "enrolment:cohort_messages", "enrolment.view_message", _ALL),
    ("agreements", _l("Agreements with the regions"), "enrolment:cohort_agreements", "enrolment.change_cohort", _ALL),
    ("tests", _l("Tests and diagnostics"), "assessment:cohort_tests", "assessment.view_cohorttest", _ALL),
    ("attendance", _l("Attendance"), "enrolment:attendance_grid", "enrolment.view_attendance", _STARTED),
    ("projects", _l("Project works"), "assessment:project_works", "assessment.view_projectwork", _STARTED),
    ("module_grades", _l("Module grades"), "assessment:module_grades", "assessment.change_modulegrade", _STARTED),
    (
        "final-results",
        _l("Final results and outcomes"),
        "assessment:final_results",
        "assessment.view_finalresult",
        _STARTED,
    ),
    # From the last day on: the final assessment may be held on it, and its certificates issued.
    (
        "certificates",
        _l("Certificates: issuing"),
        "certificates:cohort_certificates",
        "certificates.view_certificate",
        _LAST,
    ),
    (
        "support",
        _l("Post-course support plan"),
        "postcourse:support_plan",
        "postcourse.view_supportactivity",
        (plan.FINISHED,),
    ),
    ("monitoring", _l("Monitoring of the cohort"), "monitoring:cohort", "monitoring.view_satisfactiontally", _STARTED),
]


def hub_links(cohort, *, user, today):
    """The cohort's pages the user may open on ``today``: [(key, title, url)]."""
    if not access.reaches(user, cohort):
        return []
    stage = plan.cohort_stage(cohort, today)
    stages = {stage, "last_day"} if today == cohort.ends_on else {stage}
    links = []
    for key, title, name, perm, offered in HUB_PAGES:
        if not (stages & set(offered)) or not user.has_perm(perm):
            continue
        if name == "enrolment:payments":
            url = reverse(name) + f"?cohort={cohort.pk}"
        elif name in ("postcourse:support_plan", "monitoring:cohort", "enrolment:cohort_agreements"):
            url = reverse(name, kwargs={"pk": cohort.pk})
        else:
            url = reverse(name, kwargs={"cohort_pk": cohort.pk})
        links.append((key, title, url))
    return links


def _cohort_context(cohort, *, user, group_form=None, assign_form=None):
    groups = list(cohort.groups.annotate(size=Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATES))))
    enrolments = list(cohort.enrolments.select_related("listener__user", "group"))
    holding = [e for e in enrolments if e.status in SEAT_STATES]
    today = timezone.localdate()
    stage = plan.cohort_stage(cohort, today)
    return {
        "cohort": cohort,
        "stage": stage,
        "hub": hub_links(cohort, user=user, today=today),
        "may_open": plan.cohort_may_open(cohort, today),
        "may_edit_terms": stage != plan.FINISHED,
        "groups": groups,
        "enrolments": enrolments,
        "group_form": group_form or GroupForm(),
        "assign_form": assign_form or GroupAssignForm(enrolments=holding, groups=groups),
        "seats_left": max(cohort.capacity - cohort.taken, 0),
        "activity": history_panel(
            history(cohort=cohort, user=user),
            more_url=reverse("enrolment:cohort_history", kwargs={"pk": cohort.pk}),
        ),
    }


@require_GET
@staff_required("enrolment.change_cohort")
def cohort_detail(request, pk):
    return render(
        request,
        "enrolment/schedule/detail.html",
        _cohort_context(_cohort(request, pk, "enrolment.change_cohort"), user=request.user),
    )


@require_GET
@staff_required("enrolment.change_cohort")
def cohort_history(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    access.check(request.user, "enrolment.change_cohort", cohort)
    back = reverse("enrolment:cohort_detail", kwargs={"pk": cohort.pk})
    return render_history_page(request, history(cohort=cohort, user=request.user), subject=cohort.code, back_url=back)


@require_POST
@staff_required("enrolment.change_cohort")
def cohort_publish(request, pk):
    cohort = _cohort(request, pk, "enrolment.change_cohort")
    publish = request.POST.get("publish") == "1"
    try:
        if publish:
            plan.cohort_publish(cohort, by=request.user)
        else:
            plan.cohort_unpublish(cohort, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("The cohort is open for applications.") if publish else _("The cohort is closed for applications."),
        )
    return redirect("enrolment:cohort_detail", pk=cohort.pk)


@require_POST
@staff_required("enrolment.change_cohort")
def group_create(request, pk):
    cohort = _cohort(request, pk, "enrolment.change_cohort")
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            plan.group_create(cohort, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The group is added."))
            return redirect("enrolment:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "enrolment/schedule/detail.html",
        _cohort_context(cohort, user=request.user, group_form=form),
        status=400,
    )


@require_POST
@staff_required("enrolment.change_cohort")
def group_delete(request, pk, group_pk):
    group = get_object_or_404(StudyGroup, pk=group_pk, cohort_id=pk)
    access.check(request.user, "enrolment.change_cohort", group)
    try:
        plan.group_delete(group, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The group is removed."))
    return redirect("enrolment:cohort_detail", pk=pk)


@require_POST
@staff_required("enrolment.change_cohort")
def group_assign(request, pk):
    cohort = _cohort(request, pk, "enrolment.change_cohort")
    groups = list(cohort.groups.all())
    holding = list(cohort.enrolments.filter(status__in=SEAT_STATES).select_related("listener__user", "group"))
    form = GroupAssignForm(request.POST, enrolments=holding, groups=groups)
    if form.is_valid():
        try:
            count = plan.groups_assign(cohort, by=request.user, assignments=form.assignments())
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Groups saved (%(count)s changes).") % {"count": count})
            return redirect("enrolment:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "enrolment/schedule/detail.html",
        _cohort_context(cohort, user=request.user, assign_form=form),
        status=400,
    )


@require_GET
def public_schedule(request):
    """Courses open for applications, with the seats left, found by program, language, form, funding and dates,
    a page at a time; no personal data."""
    found = listing(request, PublicScheduleFilter, selectors.public_cohorts())
    return render(request, "enrolment/schedule/public.html", {"list": found}, status=found.status)


# ------------------------------------------------------------------------------- a listener's moves


def _enrolment(request, pk, perm):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort__program", "listener__user", "group", "continues__cohort"), pk=pk
    )
    access.check(request.user, perm, enrolment)
    return enrolment


def _enrolment_context(request, enrolment, forms=None):
    forms = forms or {}
    user = request.user
    chain = selectors.enrolment_chain(enrolment)
    chain_pks = [e.pk for e in chain]
    movements = list(
        Movement.objects.filter(enrolment_id__in=chain_pks)
        .select_related("enrolment__cohort", "to_enrolment__cohort", "by")
        .order_by("on", "pk")
    )
    expulsions = {x.enrolment_id: x for x in Expulsion.objects.filter(enrolment_id__in=chain_pks).select_related("by")}
    status = enrolment.status if not any(e.continues_id == enrolment.pk for e in chain) else None
    can_move = user.has_perm("enrolment.add_movement")
    can_expel = user.has_perm("enrolment.add_expulsion")
    context = {
        "enrolment": enrolment,
        "listener": enrolment.listener,
        "certificate": enrolment.certificates.filter(replaced_at__isnull=True).first(),
        "chain": [(e, expulsions.get(e.pk)) for e in chain],
        "movements": movements,
        "expulsion": expulsions.get(enrolment.pk),
        "can_see_expulsion": user.has_perm("enrolment.view_expulsion"),
        "show_transfer": can_move and status in moves.TRANSFERABLE,
        "show_interrupt": can_move and status in moves.INTERRUPTIBLE,
        "show_resume": can_move and status == EnrolmentStatus.INTERRUPTED,
        "show_expel": can_expel and status in moves.EXPELLABLE,
        "activity": history_panel(
            history(listener=enrolment.listener_id, user=request.user),
            more_url=reverse("enrolment:enrolment_history", kwargs={"pk": enrolment.pk}),
        ),
    }
    if context["show_transfer"]:
        context["transfer_form"] = forms.get("transfer") or TransferForm(enrolment=enrolment)
    if context["show_interrupt"]:
        context["interrupt_form"] = forms.get("interrupt") or InterruptForm()
    if context["show_resume"]:
        context["resume_form"] = forms.get("resume") or ResumeForm(enrolment=enrolment)
    if context["show_expel"]:
        context["expel_form"] = forms.get("expel") or ExpelForm(listener=enrolment.listener)
    return context


@require_GET
@staff_required("enrolment.view_movement")
def enrolment_detail(request, pk):
    enrolment = _enrolment(request, pk, "enrolment.view_movement")
    return render(request, "enrolment/movements/enrolment.html", _enrolment_context(request, enrolment))


@require_GET
@staff_required("enrolment.view_movement")
def enrolment_history(request, pk):
    """Everything logged about the listener of this enrolment, in every cohort."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("listener__user"), pk=pk)
    access.check(request.user, "enrolment.view_movement", enrolment)
    back = reverse("enrolment:enrolment_detail", kwargs={"pk": enrolment.pk})
    queryset = history(listener=enrolment.listener_id, user=request.user)
    return render_history_page(request, queryset, subject=enrolment.listener.full_name, back_url=back)


def _move(request, enrolment, form, key, call, success):
    """Run one move from a form; on a bad form or a refused move, show the listener's page again."""
    if form.is_valid():
        try:
            result = call(enrolment, form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, success)
            target = result if isinstance(result, Enrolment) else enrolment
            return redirect("enrolment:enrolment_detail", pk=target.pk)
    context = _enrolment_context(request, _enrolment(request, enrolment.pk, None), {key: form})
    return render(request, "enrolment/movements/enrolment.html", context, status=400)


@require_POST
@staff_required("enrolment.add_movement")
def enrolment_transfer(request, pk):
    enrolment = _enrolment(request, pk, "enrolment.add_movement")
    return _move(
        request,
        enrolment,
        TransferForm(request.POST, request.FILES, enrolment=enrolment),
        "transfer",
        lambda e, d: moves.enrolment_transfer(e, by=request.user, **d),
        _("The listener is transferred; attendance and results so far stay on the earlier enrolment."),
    )


@require_POST
@staff_required("enrolment.add_movement")
def enrolment_interrupt(request, pk):
    enrolment = _enrolment(request, pk, "enrolment.add_movement")
    return _move(
        request,
        enrolment,
        InterruptForm(request.POST, request.FILES),
        "interrupt",
        lambda e, d: moves.enrolment_interrupt(e, by=request.user, **d),
        _("The course is interrupted; it can be completed later with supporting documents."),
    )


@require_POST
@staff_required("enrolment.add_movement")
def enrolment_resume(request, pk):
    enrolment = _enrolment(request, pk, "enrolment.add_movement")
    return _move(
        request,
        enrolment,
        ResumeForm(request.POST, request.FILES, enrolment=enrolment),
        "resume",
        lambda e, d: moves.enrolment_resume(e, by=request.user, **d),
        _("The course is resumed."),
    )


@require_POST
@staff_required("enrolment.add_expulsion")
def enrolment_expel(request, pk):
    enrolment = _enrolment(request, pk, "enrolment.add_expulsion")
    return _move(
        request,
        enrolment,
        ExpelForm(request.POST, listener=enrolment.listener),
        "expel",
        lambda e, d: moves.enrolment_expel(e, by=request.user, **d),
        _("The listener is expelled by order; the order and the letter to the employer are ready."),
    )


@require_GET
@staff_required("enrolment.view_movement")
def movement_document(request, pk):
    movement = get_object_or_404(Movement, pk=pk)
    access.check(request.user, "enrolment.view_movement", movement)
    if not movement.document:
        raise Http404
    try:
        handle = movement.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=os.path.basename(movement.document.name))


@require_http_methods(["GET", "POST"])
@staff_required("enrolment.view_expulsion")
def expulsion_order(request, pk):
    expulsion = get_object_or_404(Expulsion, pk=pk)
    access.check(request.user, "enrolment.view_expulsion", expulsion)
    return _expulsion_document(request, expulsion, "expulsion_order", f"expulsion-order-{expulsion.pk}.pdf")


@require_http_methods(["GET", "POST"])
@staff_required("enrolment.view_expulsion")
def expulsion_letter(request, pk):
    expulsion = get_object_or_404(Expulsion, pk=pk)
    access.check(request.user, "enrolment.view_expulsion", expulsion)
    return _expulsion_document(request, expulsion, "employer_letter", f"expulsion-letter-{expulsion.pk}.pdf")


def _expulsion_document(request, expulsion, name, filename):
    # The expulsion is recorded with its order: the order and the letter are made once and kept.
    return document_view(
        request,
        kind=f"enrolment.{name}",
        key=str(expulsion.pk),
        filename=filename,
        template=f"enrolment/documents/{name}.html",
        context=lambda: moves.expulsion_document_context(expulsion),
        final=True,
    )


urlpatterns = [
    path("schedule/", public_schedule, name="public_schedule"),
    path("staff/enrolment/schedule/", schedule, name="schedule"),
    path("staff/enrolment/schedule/export.xlsx", schedule_export, name="schedule_export"),
    path("staff/enrolment/schedule/new/", cohort_create, name="cohort_create"),
    path("staff/enrolment/schedule/<int:pk>/", cohort_detail, name="cohort_detail"),
    path("staff/enrolment/schedule/<int:pk>/edit/", cohort_edit, name="cohort_edit"),
    path("staff/enrolment/schedule/<int:pk>/history/", cohort_history, name="cohort_history"),
    path("staff/enrolment/schedule/<int:pk>/publish/", cohort_publish, name="cohort_publish"),
    path("staff/enrolment/schedule/<int:pk>/groups/", group_create, name="group_create"),
    path("staff/enrolment/schedule/<int:pk>/groups/assign/", group_assign, name="group_assign"),
    path("staff/enrolment/schedule/<int:pk>/groups/<int:group_pk>/delete/", group_delete, name="group_delete"),
    path("staff/enrolment/enrolments/<int:pk>/", enrolment_detail, name="enrolment_detail"),
    path("staff/enrolment/enrolments/<int:pk>/history/", enrolment_history, name="enrolment_history"),
    path("staff/enrolment/enrolments/<int:pk>/transfer/", enrolment_transfer, name="enrolment_transfer"),
    path("staff/enrolment/enrolments/<int:pk>/interrupt/", enrolment_interrupt, name="enrolment_interrupt"),
    path("staff/enrolment/enrolments/<int:pk>/resume/", enrolment_resume, name="enrolment_resume"),
    path("staff/enrolment/enrolments/<int:pk>/expel/", enrolment_expel, name="enrolment_expel"),
    path("staff/enrolment/movements/<int:pk>/document/", movement_document, name="movement_document"),
    path("staff/enrolment/expulsions/<int:pk>/order.pdf", expulsion_order, name="expulsion_order"),
    path("staff/enrolment/expulsions/<int:pk>/letter.pdf", expulsion_letter, name="expulsion_letter"),
]
