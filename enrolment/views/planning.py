"""The planning chain's pages (001 §§10-18): the teacher's application, each level's plan with its deadline,
the region's lists with the heads' referral orders, and the centre's agreements, late decisions, the order on
the region's letter and the dashboards.

Representatives work under ``partner/planning/`` and see their own level and below (``ziat.access``); a
sibling's record answers 404. The centre's staff work under ``staff/enrolment/planning/``.
"""

import os
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ziat import access
from ziat.activity import history, history_panel
from ziat.errors import DomainError, PermissionDeniedError
from ziat.excel import xlsx_response
from ziat.refusals import refused, staff_required

from ..enums import ORGANISATION_KINDS, Funding, PartnerKind, PlanStatus, RequestStatus
from ..forms.planning import (
    AgreementForm,
    DecisionForm,
    LetterOrderForm,
    ListCreateForm,
    PerspectiveForm,
    PlanApplicationForm,
    PlanUploadForm,
    ReasonForm,
    ReferralForm,
)
from ..models import Cohort, Partner, Plan, PlanApplication, ReferralOrder, ScheduleAgreement, TeacherRequest
from ..planning_rules import ORGANISATION, REGION, coming_year, is_late, level_of, list_due_on, plan_due_on
from ..planning_selectors import STEPS, chain_figures, children_plans, plan_lines, region_lists
from ..selectors import request_teacher_rows
from ..services import planning as chain
from ..services.requests import request_submit


def _today():
    return timezone.localdate()


def representative_required(view):
    """Anonymous users go to the login page; users who represent no organisation get the refusal page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        representative = getattr(request.user, "representative", None)
        if representative is None or request.user.is_staff:
            return refused(request, _("This page is for representatives of education organisations."))
        request.partner = representative.partner
        return view(request, *args, **kwargs)

    return wrapped


def _reached_plan(request, pk):
    queryset = Plan.objects.select_related("partner__parent")
    return get_object_or_404(access.scope(request.user, queryset), pk=pk)


def _region_list(request, pk):
    queryset = TeacherRequest.objects.select_related("partner", "cohort__program").filter(
        partner__kind=PartnerKind.REGIONAL
    )
    return get_object_or_404(access.scope(request.user, queryset), pk=pk)


def _year(request):
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return coming_year(_today())


# --------------------------------------------------------------------------- the teacher (001 §10)


def plan_apply(request):
    """A teacher's application to their organisation (001 App. 1; App. 2 for a course abroad)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.is_staff:
        return refused(request, _("Teachers apply to their organisation with their own account."))
    listener = getattr(request.user, "listener", None)
    initial = {"last_name": request.user.last_name, "first_name": request.user.first_name}
    if listener is not None:
        initial |= {
            "iin": listener.iin,
            "birth_date": listener.birth_date,
            "middle_name": request.user.middle_name,
            "position": listener.position,
        }
    form = PlanApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            chain.plan_application_submit(by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Your application is sent to the head of your organisation."))
            return redirect("enrolment:plan_apply")
    mine = PlanApplication.objects.filter(applicant=request.user).select_related("organisation")
    return render(
        request,
        "enrolment/planning/apply.html",
        {"form": form, "mine": list(mine), "year": coming_year(_today())},
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- representatives


@require_GET
@representative_required
def partner_planning(request):
    """The level's page: its plan with the deadline, what waits for its decision, the levels below."""
    partner, year, today = request.partner, _year(request), _today()
    level = level_of(partner.kind)
    plan = Plan.objects.filter(partner=partner, year=year).first()
    due = plan_due_on(partner.kind, year)
    sent = plan.submitted_at.date() if plan and plan.status == PlanStatus.SUBMITTED and plan.submitted_at else None
    context = {
        "partner": partner,
        "year": year,
        "level": level,
        "plan": plan,
        "due_on": due,
        "late": is_late(due, sent, today=today),
        "applications": [],
        "children": [],
        "lists": [],
        "figures": None,
        "steps": STEPS,
    }
    if partner.kind in ORGANISATION_KINDS:
        context["applications"] = list(
            PlanApplication.objects.filter(organisation=partner, year=year).order_by("status", "last_name")
        )
    else:
        context["children"] = children_plans(partner, year, today=today)
        context["figures"] = chain_figures(year, today=today, reach=access.partner_reach(request.user))
    if partner.kind == PartnerKind.REGIONAL:
        context["lists"] = region_lists(partner, year, today=today)
    return render(request, "enrolment/planning/partner_home.html", context)


@require_POST
@representative_required
def partner_plan_open(request):
    try:
        plan = chain.plan_create(by=request.user, partner=request.partner, year=_year(request))
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("enrolment:partner_planning")
    return redirect("enrolment:partner_plan", pk=plan.pk)


@require_POST
@representative_required
def partner_application_decide(request, pk):
    application = get_object_or_404(
        access.scope(request.user, PlanApplication.objects.select_related("organisation")), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or to decline the application."))
    else:
        try:
            chain.plan_application_decide(application, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The decision on %(name)s is recorded.") % {"name": application})
    return redirect("enrolment:partner_planning")


def _plan_page(request, plan, *, status=200, **extra):
    own = plan.partner_id == request.partner.pk
    level = level_of(plan.partner.kind)
    due = plan_due_on(plan.partner.kind, plan.year)
    sent = plan.submitted_at.date() if plan.submitted_at and plan.status == PlanStatus.SUBMITTED else None
    editable = own and plan.status in chain.EDITABLE
    cohorts = []
    if level == REGION:
        cohorts = list(
            Cohort.objects.filter(funding=Funding.STATE, starts_on__year=plan.year)
            .select_related("program")
            .order_by("starts_on", "code")
        )
    context = {
        "plan": plan,
        "lines": plan_lines(plan),
        "own": own,
        "editable": editable,
        "level": level,
        "is_region": level == REGION,
        "is_organisation": level == ORGANISATION,
        "due_on": due,
        "late": is_late(due, sent, today=_today()),
        "may_return": plan.partner.parent_id == request.partner.pk and plan.status == PlanStatus.SUBMITTED,
        "perspective_form": PerspectiveForm(initial={"perspective": plan.perspective}),
        "upload_form": PlanUploadForm(),
        "return_form": ReasonForm(),
        "cohorts": cohorts,
        "list_form": ListCreateForm(cohorts=Cohort.objects.filter(pk__in=[c.pk for c in cohorts])),
        "has_late_decision": hasattr(plan, "late_decision"),
        "activity": history_panel(history(obj=plan), limit=20),
    } | extra
    return render(request, "enrolment/planning/plan.html", context, status=status)


@require_GET
@representative_required
def partner_plan(request, pk):
    return _plan_page(request, _reached_plan(request, pk))


def _plan_action(request, pk, action, success):
    plan = _reached_plan(request, pk)
    try:
        action(plan)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, success)
    return redirect("enrolment:partner_plan", pk=plan.pk)


@require_POST
@representative_required
def partner_plan_build(request, pk):
    form = PerspectiveForm(request.POST)
    perspective = form.cleaned_data["perspective"] if form.is_valid() else None
    return _plan_action(
        request,
        pk,
        lambda plan: chain.plan_build(plan, by=request.user, perspective=perspective),
        _("The plan is built from the level below."),
    )


@require_POST
@representative_required
def partner_plan_perspective(request, pk):
    form = PerspectiveForm(request.POST)
    text = form.cleaned_data["perspective"] if form.is_valid() else ""
    return _plan_action(
        request,
        pk,
        lambda plan: chain.plan_perspective_save(plan, by=request.user, perspective=text),
        _("The perspective plan is saved."),
    )


@require_POST
@representative_required
def partner_plan_submit(request, pk):
    return _plan_action(
        request, pk, lambda plan: chain.plan_submit(plan, by=request.user), _("The plan is sent to the level above.")
    )


@require_POST
@representative_required
def partner_plan_return(request, pk):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _plan_action(
        request,
        pk,
        lambda plan: chain.plan_return(plan, by=request.user, reason=reason),
        _("The plan is returned for corrections."),
    )


@require_POST
@representative_required
def partner_plan_assign(request, pk):
    """The region distributes its teachers over the courses: one select per teacher."""
    plan = _reached_plan(request, pk)
    chosen = {}
    ids = {str(c.pk): c for c in Cohort.objects.filter(funding=Funding.STATE, starts_on__year=plan.year).order_by()}
    for key, value in request.POST.items():
        if key.startswith("line-"):
            chosen[key.removeprefix("line-")] = ids.get(value)
    return _plan_action(
        request,
        pk,
        lambda p: chain.plan_courses_assign(p, by=request.user, courses=chosen),
        _("The teachers are distributed over the courses."),
    )


@representative_required
def partner_plan_upload(request, pk):
    """The plan's teachers from an Excel file: the row-by-row report; one bad row and nothing is saved."""
    plan = _reached_plan(request, pk)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            checks, saved = chain.plan_lines_import(plan, by=request.user, upload=form.cleaned_data["file"])
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error("file", e.message)
        else:
            return render(
                request,
                "enrolment/planning/upload_report.html",
                {"plan": plan, "checks": checks, "saved": saved, "bad_count": sum(1 for c in checks if not c.ok)},
                status=200 if saved else 400,
            )
    return render(
        request,
        "enrolment/planning/upload.html",
        {"plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@representative_required
def partner_plan_export(request, pk):
    plan = _reached_plan(request, pk)
    return xlsx_response(chain.plan_workbook(plan), f"plan-{plan.year}-{plan.pk}.xlsx")


@require_POST
@representative_required
def partner_list_create(request, pk):
    plan = _reached_plan(request, pk)
    form = ListCreateForm(request.POST, cohorts=Cohort.objects.filter(funding=Funding.STATE, starts_on__year=plan.year))
    if not form.is_valid():
        messages.error(request, _("Choose the course of the list."))
        return redirect("enrolment:partner_plan", pk=plan.pk)
    try:
        item = chain.region_list_create(plan, by=request.user, **form.cleaned_data)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("enrolment:partner_plan", pk=plan.pk)
    messages.success(request, _("The list for the course is drawn from the plan."))
    return redirect("enrolment:partner_list", pk=item.pk)


def _list_context(request, item, **extra):
    agreement = ScheduleAgreement.objects.filter(cohort=item.cohort, partner=item.partner).first()
    due = list_due_on(item.cohort.starts_on)
    sent = item.submitted_at.date() if item.submitted_at else None
    return {
        "item": item,
        "rows": request_teacher_rows(item),
        "agreement": agreement,
        "due_on": due,
        "late": is_late(due, sent, today=_today()),
        "referrals": list(item.referrals.select_related("issued_by")),
        "has_late_decision": hasattr(item, "late_decision"),
    } | extra


@require_GET
@representative_required
def partner_list(request, pk):
    item = _region_list(request, pk)
    own = item.partner_id == request.partner.pk
    issuers = Partner.objects.filter(pk__in=access.partner_reach(request.user)).order_by("kind", "name")
    return render(
        request,
        "enrolment/planning/list.html",
        _list_context(
            request,
            item,
            own=own,
            editable=own and item.status in (RequestStatus.DRAFT, RequestStatus.RETURNED),
            referral_form=ReferralForm(issuers=issuers) if own else None,
        ),
    )


@require_POST
@representative_required
def partner_referral_attach(request, pk):
    item = _region_list(request, pk)
    issuers = Partner.objects.filter(pk__in=access.partner_reach(request.user))
    form = ReferralForm(request.POST, request.FILES, issuers=issuers)
    if not form.is_valid():
        messages.error(request, _("Fill in the order's number, date, organisation and its scan."))
    else:
        try:
            chain.referral_order_attach(item, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The referral order is attached."))
    return redirect("enrolment:partner_list", pk=item.pk)


@require_POST
@representative_required
def partner_list_submit(request, pk):
    item = _region_list(request, pk)
    try:
        request_submit(item, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The region's letter with the list is sent to the centre."))
    return redirect("enrolment:partner_list", pk=item.pk)


@require_GET
def referral_file(request, pk):
    """The scan of a referral order: for the centre's staff and the representatives who reach the list."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.is_staff and not request.user.has_perm("enrolment.view_referralorder"):
        return refused(request)
    order = get_object_or_404(access.scope(request.user, ReferralOrder.objects.all()), pk=pk)
    return FileResponse(order.file.open("rb"), as_attachment=True, filename=os.path.basename(order.file.name))


# --------------------------------------------------------------------------- the centre


@require_GET
@staff_required("enrolment.view_plan")
def planning_dashboard(request):
    year, today = _year(request), _today()
    plans = Plan.objects.filter(year=year).select_related("partner").order_by("partner__kind", "partner__name")
    lists = (
        TeacherRequest.objects.filter(partner__kind=PartnerKind.REGIONAL, cohort__starts_on__year=year)
        .select_related("partner", "cohort")
        .order_by("cohort__starts_on")
    )
    return render(
        request,
        "enrolment/planning/dashboard.html",
        {
            "year": year,
            "figures": chain_figures(year, today=today),
            "steps": STEPS,
            "plans": list(plans),
            "lists": list(lists),
        },
    )


@require_GET
@staff_required("enrolment.view_plan")
def staff_plan(request, pk):
    plan = get_object_or_404(Plan.objects.select_related("partner"), pk=pk)
    access.check(request.user, "enrolment.view_plan", plan)
    due = plan_due_on(plan.partner.kind, plan.year)
    sent = plan.submitted_at.date() if plan.submitted_at else None
    return render(
        request,
        "enrolment/planning/staff_plan.html",
        {
            "plan": plan,
            "lines": plan_lines(plan),
            "due_on": due,
            "late": is_late(due, sent, today=_today()),
            "decision": getattr(plan, "late_decision", None),
            "form": ReasonForm(),
            "activity": history_panel(history(obj=plan, user=request.user), limit=20),
        },
    )


@require_POST
@staff_required("enrolment.change_teacherrequest")
def staff_plan_late(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    access.check(request.user, "enrolment.change_teacherrequest", plan)
    form = ReasonForm(request.POST)
    try:
        chain.late_decision_record(by=request.user, plan=plan, reason=form.data.get("reason", ""))
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The decision to accept the late plan is recorded."))
    return redirect("enrolment:staff_plan", pk=plan.pk)


@require_GET
@staff_required("enrolment.view_teacherrequest")
def staff_list(request, pk):
    item = get_object_or_404(
        TeacherRequest.objects.select_related("partner", "cohort__program").filter(partner__kind=PartnerKind.REGIONAL),
        pk=pk,
    )
    access.check(request.user, "enrolment.view_teacherrequest", item)
    return render(
        request,
        "enrolment/planning/staff_list.html",
        _list_context(
            request,
            item,
            form=ReasonForm(),
            order_form=LetterOrderForm(initial={"issued_on": _today()}),
            order=item.cohort.admission_orders.order_by("-pk").first(),
        ),
    )


@require_POST
@staff_required("enrolment.change_teacherrequest")
def staff_list_late(request, pk):
    item = get_object_or_404(TeacherRequest, pk=pk, partner__kind=PartnerKind.REGIONAL)
    access.check(request.user, "enrolment.change_teacherrequest", item)
    try:
        chain.late_decision_record(by=request.user, request=item, reason=request.POST.get("reason", ""))
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The decision to accept the late list is recorded."))
    return redirect("enrolment:staff_list", pk=item.pk)


@require_POST
@staff_required("enrolment.add_admissionorder")
def staff_list_order(request, pk):
    """The region's letter with its list becomes the admission order (001 §18)."""
    item = get_object_or_404(TeacherRequest, pk=pk, partner__kind=PartnerKind.REGIONAL)
    access.check(request.user, "enrolment.add_admissionorder", item)
    form = LetterOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("An order needs its number, date and the responsible persons."))
        return redirect("enrolment:staff_list", pk=item.pk)
    try:
        order = chain.letter_admit(item, by=request.user, **form.cleaned_data)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("enrolment:staff_list", pk=item.pk)
    messages.success(request, _("The admission order is prepared on the region's letter."))
    return redirect("enrolment:admission_order", pk=order.pk)


@staff_required("enrolment.change_cohort")
def cohort_agreements(request, pk):
    """The course's agreements with the regions and the ministry (001 §15): who, when, the document."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
    access.check(request.user, "enrolment.change_cohort", cohort)
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            chain.schedule_agreement_record(cohort, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The agreement is recorded."))
            return redirect("enrolment:cohort_agreements", pk=cohort.pk)
    agreements = list(cohort.agreements.select_related("partner", "recorded_by").order_by("partner__name"))
    return render(
        request,
        "enrolment/planning/agreements.html",
        {"cohort": cohort, "agreements": agreements, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@staff_required("enrolment.view_scheduleagreement")
def agreement_document(request, pk):
    agreement = get_object_or_404(ScheduleAgreement.objects.exclude(document=""), pk=pk)
    access.check(request.user, "enrolment.view_scheduleagreement", agreement)
    return FileResponse(
        agreement.document.open("rb"), as_attachment=True, filename=os.path.basename(agreement.document.name)
    )


urlpatterns = [
    path("planning/apply/", plan_apply, name="plan_apply"),
    path("planning/referrals/<int:pk>/file/", referral_file, name="referral_file"),
    path("partner/planning/", partner_planning, name="partner_planning"),
    path("partner/planning/open/", partner_plan_open, name="partner_plan_open"),
    path(
        "partner/planning/applications/<int:pk>/decide/", partner_application_decide, name="partner_application_decide"
    ),
    path("partner/planning/plans/<int:pk>/", partner_plan, name="partner_plan"),
    path("partner/planning/plans/<int:pk>/build/", partner_plan_build, name="partner_plan_build"),
    path("partner/planning/plans/<int:pk>/perspective/", partner_plan_perspective, name="partner_plan_perspective"),
    path("partner/planning/plans/<int:pk>/submit/", partner_plan_submit, name="partner_plan_submit"),
    path("partner/planning/plans/<int:pk>/return/", partner_plan_return, name="partner_plan_return"),
    path("partner/planning/plans/<int:pk>/assign/", partner_plan_assign, name="partner_plan_assign"),
    path("partner/planning/plans/<int:pk>/upload/", partner_plan_upload, name="partner_plan_upload"),
    path("partner/planning/plans/<int:pk>/export.xlsx", partner_plan_export, name="partner_plan_export"),
    path("partner/planning/plans/<int:pk>/list/", partner_list_create, name="partner_list_create"),
    path("partner/planning/lists/<int:pk>/", partner_list, name="partner_list"),
    path("partner/planning/lists/<int:pk>/referrals/", partner_referral_attach, name="partner_referral_attach"),
    path("partner/planning/lists/<int:pk>/submit/", partner_list_submit, name="partner_list_submit"),
    path("staff/enrolment/planning/", planning_dashboard, name="planning_dashboard"),
    path("staff/enrolment/planning/plans/<int:pk>/", staff_plan, name="staff_plan"),
    path("staff/enrolment/planning/plans/<int:pk>/late/", staff_plan_late, name="staff_plan_late"),
    path("staff/enrolment/planning/lists/<int:pk>/", staff_list, name="staff_list"),
    path("staff/enrolment/planning/lists/<int:pk>/late/", staff_list_late, name="staff_list_late"),
    path("staff/enrolment/planning/lists/<int:pk>/order/", staff_list_order, name="staff_list_order"),
    path("staff/enrolment/cohorts/<int:pk>/agreements/", cohort_agreements, name="cohort_agreements"),
    path("staff/enrolment/agreements/<int:pk>/document/", agreement_document, name="agreement_document"),
]
