"""Reads of the planning chain's pages, each in a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef

from .enums import ORGANISATION_KINDS, EnrolmentStatus, PartnerKind, PlanStatus, RequestStatus
from .models import Enrolment, Partner, Plan, PlanLine, RequestedTeacher, ScheduleAgreement, TeacherRequest
from .planning_rules import is_late, level_of, list_due_on, plan_due_on

STEPS = ("requested", "planned", "listed", "admitted", "completed", "certified")


@dataclass
class Figures:
    """The teachers at each step of the chain for one district, organisation or course."""

    key: object
    name: str
    requested: int = 0
    planned: int = 0
    listed: int = 0
    admitted: int = 0
    completed: int = 0
    certified: int = 0

    def add(self, **steps):
        for step, value in steps.items():
            setattr(self, step, getattr(self, step) + int(value))

    @property
    def values(self):
        return [getattr(self, step) for step in STEPS]


@dataclass
class Lateness:
    """One step of the chain with its deadline: who, what, due, sent, and whether it is late."""

    partner: str
    what: str
    due_on: object
    sent_on: object
    late: bool
    allowed: bool = False


@dataclass
class ChainFigures:
    year: int
    by_district: list = field(default_factory=list)
    by_organisation: list = field(default_factory=list)
    by_course: list = field(default_factory=list)
    total: Figures = None
    late: list = field(default_factory=list)


def _in_reach(queryset, lookup, reach):
    return queryset if reach is None else queryset.filter(**{f"{lookup}__in": reach})


def chain_figures(year, *, today, reach=None):
    """How many teachers were requested, planned, listed, admitted, completed and certified for ``year``, per
    district, organisation and course, and which steps are late; ``reach``: the ids of the organisations to
    count (None: all, for the centre). Five queries."""
    same_teacher = {"listener__iin": OuterRef("iin"), "cohort_id": OuterRef("cohort_id")}
    seated = Enrolment.objects.filter(**same_teacher).exclude(
        status__in=(EnrolmentStatus.TRANSFERRED, EnrolmentStatus.EXPELLED)
    )
    planned = _in_reach(
        PlanLine.objects.filter(plan__year=year, plan__partner__kind=PartnerKind.REGIONAL),
        "organisation_id",
        reach,
    ).annotate(
        is_listed=Exists(
            RequestedTeacher.objects.filter(
                iin=OuterRef("iin"), request__cohort_id=OuterRef("cohort_id"), request__partner__kind="regional"
            ).exclude(request__status=RequestStatus.DRAFT)
        ),
        is_admitted=Exists(seated),
        is_completed=Exists(seated.filter(status=EnrolmentStatus.ENROLLED, cohort__ends_on__lt=today)),
        is_certified=Exists(seated.filter(certificates__isnull=False)),
    )
    requested = dict(
        _in_reach(
            PlanLine.objects.filter(
                plan__year=year, plan__status=PlanStatus.SUBMITTED, plan__partner__kind__in=ORGANISATION_KINDS
            ),
            "organisation_id",
            reach,
        )
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    organisations = {
        p.pk: p
        for p in _in_reach(Partner.objects.filter(kind__in=ORGANISATION_KINDS), "pk", reach).select_related("parent")
    }
    districts, orgs, courses = {}, {}, {}
    total = Figures(None, "")

    def bump(org_id, cohort=None, **steps):
        org = organisations.get(org_id)
        if org is None:
            return
        parent = org.parent
        orgs.setdefault(org.pk, Figures(org.pk, org.name)).add(**steps)
        if parent is not None:
            districts.setdefault(parent.pk, Figures(parent.pk, parent.name)).add(**steps)
        if cohort is not None:
            courses.setdefault(cohort[0], Figures(cohort[0], cohort[1])).add(**steps)
        total.add(**steps)

    for org_id, n in requested.items():
        bump(org_id, requested=n)
    for row in planned.values_list(
        "organisation_id", "cohort_id", "cohort__code", "is_listed", "is_admitted", "is_completed", "is_certified"
    ):
        org_id, cohort_id, code, listed, admitted, completed, certified = row
        bump(
            org_id,
            (cohort_id, code) if cohort_id else None,
            planned=1,
            listed=listed,
            admitted=admitted,
            completed=completed,
            certified=certified,
        )
    return ChainFigures(
        year=year,
        by_district=sorted(districts.values(), key=lambda f: f.name),
        by_organisation=sorted(orgs.values(), key=lambda f: f.name),
        by_course=sorted(courses.values(), key=lambda f: f.name),
        total=total,
        late=chain_lateness(year, today=today, reach=reach),
    )


def chain_lateness(year, *, today, reach=None):
    """Every plan of ``year`` and every region's list whose deadline has passed unsent or was missed. Two queries."""
    partners = _in_reach(
        Partner.objects.filter(kind__in=(*ORGANISATION_KINDS, PartnerKind.DISTRICT, PartnerKind.REGIONAL)),
        "pk",
        reach,
    ).order_by("name")
    plans = {
        plan.partner_id: plan
        for plan in Plan.objects.filter(year=year, partner__in=partners).annotate(allowed=Count("late_decision"))
    }
    late = []
    for partner in partners:
        due = plan_due_on(partner.kind, year)
        plan = plans.get(partner.pk)
        sent = plan.submitted_at.date() if plan and plan.submitted_at and plan.status == PlanStatus.SUBMITTED else None
        if level_of(partner.kind) and is_late(due, sent, today=today):
            late.append(Lateness(partner.name, "plan", due, sent, True, bool(plan and plan.allowed)))
    lists = (
        _in_reach(
            TeacherRequest.objects.filter(partner__kind=PartnerKind.REGIONAL, cohort__starts_on__year=year),
            "partner_id",
            reach,
        )
        .select_related("partner", "cohort")
        .annotate(allowed=Count("late_decision"))
    )
    for item in lists:
        due = list_due_on(item.cohort.starts_on)
        sent = item.submitted_at.date() if item.submitted_at else None
        if is_late(due, sent, today=today):
            late.append(Lateness(item.partner.name, item.cohort.code, due, sent, True, bool(item.allowed)))
    return late


def children_plans(partner, year, *, today):
    """The organisations right below ``partner`` with their plan of ``year`` (None when not opened). Two queries."""
    children = list(Partner.objects.filter(parent=partner).order_by("name"))
    plans = {p.partner_id: p for p in Plan.objects.filter(partner__in=children, year=year).annotate(n=Count("lines"))}
    rows = []
    for child in children:
        plan = plans.get(child.pk)
        due = plan_due_on(child.kind, year)
        sent = plan.submitted_at.date() if plan and plan.status == PlanStatus.SUBMITTED and plan.submitted_at else None
        rows.append(
            {"partner": child, "plan": plan, "due_on": due, "sent_on": sent, "late": is_late(due, sent, today=today)}
        )
    return rows


def region_lists(region, year, *, today):
    """The region's agreed courses of ``year`` with their places, list and deadline. Two queries."""
    agreements = list(
        ScheduleAgreement.objects.filter(partner=region, cohort__starts_on__year=year)
        .select_related("cohort__program")
        .order_by("cohort__starts_on")
    )
    lists = {
        r.cohort_id: r
        for r in TeacherRequest.objects.filter(partner=region, cohort__in=[a.cohort_id for a in agreements]).annotate(
            n=Count("teachers", distinct=True), orders=Count("referrals", distinct=True)
        )
    }
    rows = []
    for a in agreements:
        item = lists.get(a.cohort_id)
        due = list_due_on(a.cohort.starts_on)
        sent = item.submitted_at.date() if item and item.submitted_at else None
        rows.append(
            {"agreement": a, "list": item, "due_on": due, "sent_on": sent, "late": is_late(due, sent, today=today)}
        )
    return rows


def plan_lines(plan):
    return list(plan.lines.select_related("organisation", "cohort").order_by("row"))
