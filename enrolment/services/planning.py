"""The planning chain of budget-funded courses, step by step (001 §§10-18, 003 §4.1-4.3).

Each step is a service with an explicit actor, checked against the organisation it acts for: a teacher
applies to their organisation; its head decides; each level builds its plan from the level below, corrects
it by Excel (all rows or none) and sends it up by its deadline (a late plan only with the centre's recorded
decision); the region distributes its teachers over the centre's courses; the centre records the schedule's
agreements; the region sends its list two months before a course, with the heads' referral orders; the
region's letter becomes the admission order.
"""

import datetime
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.excel import as_date, as_text, read_table, workbook
from ziat.uploads import SCAN_TYPES, check_document

from ..enums import ORGANISATION_KINDS, Funding, PartnerKind, PlanApplicationStatus, PlanStatus, RequestStatus
from ..iin import InvalidIIN, iin_birth_date
from ..models import (
    Cohort,
    LateDecision,
    Partner,
    Plan,
    PlanApplication,
    PlanLine,
    ReferralOrder,
    Representative,
    RequestedTeacher,
    ScheduleAgreement,
    TeacherRequest,
)
from ..planning_rules import (
    ORGANISATION,
    REGION,
    REMIND_DAYS,
    coming_year,
    level_of,
    list_due_on,
    plan_due_on,
)
from .requests import COLUMNS as TEACHER_COLUMNS

log = logging.getLogger(__name__)

MAX_LINES = 5000
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)

# The columns of a plan's Excel file: the key, then the headers accepted for it (the template's first).
PLAN_COLUMNS = {
    **{
        key: TEACHER_COLUMNS[key]
        for key in ("iin", "last_name", "first_name", "middle_name", "birth_date", "position", "subject")
    },
    "organisation": ("Ұйым / Организация", "Ұйым", "Организация", "Organisation"),
    "topic": ("Курс тақырыбы / Тема курса", "Курс тақырыбы", "Тема курса", "Course wished for"),
    "course": ("Курс коды / Код курса", "Курс коды", "Код курса", "Course code"),
}
TEXT_KEYS = ("iin", "last_name", "first_name", "middle_name", "position", "subject", "organisation", "topic", "course")


# --------------------------------------------------------------------------- who acts


def represented(by):
    """The organisation ``by`` represents, or a refusal."""
    representative = getattr(by, "representative", None) if by.is_authenticated else None
    if representative is None or not by.is_active or by.is_staff:
        raise DomainError(_("Only a representative of an education organisation or department may do this."))
    return representative.partner


def _acting_for(by, partner):
    """Refuse a representative acting for an organisation that is not their own."""
    own = represented(by)
    if own.pk != partner.pk:
        raise DomainError(
            _("You represent %(own)s and may not act for %(other)s.") % {"own": own.name, "other": partner.name}
        )
    return own


_as_of = ContextVar("planning_as_of", default=None)


def _today():
    return _as_of.get() or timezone.localdate()


@contextmanager
def as_of(day):
    """The chain's steps recorded as they happened on ``day`` (entering an earlier year's paper chain, and the
    demo's story): deadlines and the coming year are judged against ``day`` instead of today."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


# --------------------------------------------------------------------------- 001 §10: the teacher's application


@transaction.atomic
def plan_application_submit(
    *,
    by,
    organisation,
    iin,
    last_name,
    first_name,
    birth_date,
    position,
    language,
    middle_name="",
    subject="",
    topic="",
    abroad=False,
    country="",
    abroad_term="",
):
    """A teacher applies to their organisation for a budget-funded course of the coming year (001 §10,
    App. 1; App. 2 for a course abroad, with the country and the term)."""
    if not (by.is_authenticated and by.is_active) or by.is_staff:
        raise DomainError(_("Sign in with your own account to apply."))
    if organisation.kind not in ORGANISATION_KINDS:
        raise DomainError(_("Apply to the education organisation where you work, not to a department."))
    iin = (iin or "").strip().replace(" ", "")
    try:
        born = iin_birth_date(iin)
    except InvalidIIN as e:
        raise DomainError(str(e)) from None
    if born != birth_date:
        raise DomainError(
            _("The date of birth %(typed)s does not agree with the IIN, which gives %(born)s.")
            % {"typed": f"{birth_date:%d.%m.%Y}", "born": f"{born:%d.%m.%Y}"}
        )
    if abroad and not (country.strip() and abroad_term):
        raise DomainError(_("For a course abroad give the country and the term of study (001 App. 2)."))
    year = coming_year(_today())
    application = PlanApplication(
        organisation=organisation,
        applicant=by,
        year=year,
        iin=iin,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        middle_name=middle_name.strip(),
        birth_date=birth_date,
        position=position.strip(),
        subject=subject.strip(),
        language=language,
        topic=topic.strip(),
        abroad=bool(abroad),
        country=country.strip() if abroad else "",
        abroad_term=abroad_term if abroad else "",
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise DomainError(
            _("An application of this teacher to %(organisation)s for %(year)s is already filed.")
            % {"organisation": organisation.name, "year": year}
        ) from None
    log_action(
        application,
        "enrolment.plan_application.submitted",
        by=by,
        after={"organisation": organisation.name, "year": year, "abroad": application.abroad},
    )
    return application


@transaction.atomic
def plan_application_decide(application, *, by, accept, note=""):
    """The head of the organisation (its representative) accepts or declines the application; recorded."""
    locked = (
        PlanApplication.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=application.pk)
    )
    _acting_for(by, locked.organisation)
    if locked.status != PlanApplicationStatus.SUBMITTED:
        raise DomainError(_("The head has already decided on this application."))
    note = (note or "").strip()
    if not accept and not note:
        raise DomainError(_("Give the reason for declining the application."))
    before = locked.status
    locked.status = PlanApplicationStatus.ACCEPTED if accept else PlanApplicationStatus.DECLINED
    locked.decided_by, locked.decided_at, locked.decision_note = by, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    log_action(
        locked,
        "enrolment.plan_application.decided",
        by=by,
        before={"status": before},
        after={"status": locked.status},
        note=note,
    )
    return locked


# --------------------------------------------------------------------------- 001 §§11-13: the plans


def plan_level(plan):
    return level_of(plan.partner.kind)


def plan_due(plan):
    return plan_due_on(plan.partner.kind, plan.year)


@transaction.atomic
def plan_create(*, by, partner, year=None):
    """Open the level's plan for a financial year (the coming one by default)."""
    _acting_for(by, partner)
    if level_of(partner.kind) is None:
        raise DomainError(_("The ministry receives plans; it does not make one."))
    year = year or coming_year(_today())
    plan, created = Plan.objects.get_or_create(partner=partner, year=year, defaults={"created_by": by})
    if created:
        log_action(plan, "enrolment.plan.created", by=by, after={"year": year})
    return plan


def _own_plan(plan, by):
    locked = Plan.objects.select_for_update(of=("self",)).select_related("partner").get(pk=plan.pk)
    _acting_for(by, locked.partner)
    if locked.status not in EDITABLE:
        raise DomainError(_("The plan is already sent; it cannot be changed now."))
    return locked


@dataclass
class Source:
    """A teacher as the level below gives them: their values and where they come from."""

    values: dict
    organisation_id: int
    application_id: int | None = None
    origin: str = ""


def _sources(plan):
    """The teachers the plan is built from: an organisation's accepted applications (001 §11), or the lines of
    the plans sent by the levels below (001 §§12-13)."""
    if plan_level(plan) == ORGANISATION:
        applications = PlanApplication.objects.filter(
            organisation=plan.partner, year=plan.year, status=PlanApplicationStatus.ACCEPTED
        ).order_by("last_name", "first_name", "pk")
        return [
            Source(
                values={k: getattr(a, k) for k in ("iin", "last_name", "first_name", "middle_name", "birth_date")}
                | {"position": a.position, "subject": a.subject, "topic": _wished(a)},
                organisation_id=a.organisation_id,
                application_id=a.pk,
                origin=plan.partner.name,
            )
            for a in applications
        ]
    lines = (
        PlanLine.objects.filter(
            plan__partner__parent=plan.partner, plan__year=plan.year, plan__status=PlanStatus.SUBMITTED
        )
        .select_related("plan__partner")
        .order_by("plan__partner__name", "row")
    )
    return [
        Source(
            values={
                k: getattr(line, k)
                for k in ("iin", "last_name", "first_name", "middle_name", "birth_date", "position", "subject", "topic")
            },
            organisation_id=line.organisation_id,
            application_id=line.application_id,
            origin=line.plan.partner.name,
        )
        for line in lines
    ]


def _wished(application):
    """The course wished for as the plan shows it; a course abroad with its country (001 App. 2)."""
    if application.abroad:
        return f"{application.topic} ({application.country})".strip()
    return application.topic


def _twice(sources):
    """A refusal naming the teachers who appear twice among the plan's sources."""
    seen, twice = {}, []
    for s in sources:
        iin = s.values["iin"]
        if iin in seen:
            twice.append(
                _("%(name)s (IIN %(iin)s) is listed by %(first)s and by %(second)s.")
                % {"name": _full(s.values), "iin": iin, "first": seen[iin], "second": s.origin}
            )
        else:
            seen[iin] = s.origin
    if twice:
        raise DomainError(_("A teacher may be listed once in a plan; nothing was saved. ") + " ".join(twice))


def _other_regions(plan, iins):
    """{iin: region name} for the teachers already in another region's plan of the same year."""
    if plan_level(plan) != REGION:
        return {}
    return dict(
        PlanLine.objects.filter(plan__year=plan.year, plan__partner__kind=PartnerKind.REGIONAL, iin__in=list(iins))
        .exclude(plan__partner=plan.partner)
        .values_list("iin", "plan__partner__name")
    )


def _check_other_regions(plan, iins):
    elsewhere = _other_regions(plan, iins)
    if elsewhere:
        listed = "; ".join(f"{iin} ({name})" for iin, name in sorted(elsewhere.items()))
        raise DomainError(
            _("These teachers are already in another region's plan for %(year)s; nothing was saved: %(list)s.")
            % {"year": plan.year, "list": listed}
        )


def _full(values):
    return " ".join(values.get(k) or "" for k in ("last_name", "first_name", "middle_name")).strip()


@transaction.atomic
def plan_build(plan, *, by, perspective=None):
    """(Re)build the plan's lines from its sources; the region's choice of course is kept for each teacher."""
    locked = _own_plan(plan, by)
    sources = _sources(locked)
    if not sources:
        raise DomainError(
            _("There is nothing to build the plan from yet: no accepted applications.")
            if plan_level(locked) == ORGANISATION
            else _("There is nothing to build the plan from yet: no plan of the level below has been sent.")
        )
    _twice(sources)
    _check_other_regions(locked, [s.values["iin"] for s in sources])
    courses = dict(locked.lines.values_list("iin", "cohort_id"))
    before = {"lines": locked.lines.count()}
    locked.lines.all().delete()
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=locked,
            row=i,
            organisation_id=s.organisation_id,
            application_id=s.application_id,
            cohort_id=courses.get(s.values["iin"]),
            **s.values,
        )
        for i, s in enumerate(sources, start=1)
    )
    if perspective is not None:
        locked.perspective = perspective.strip()
        locked.save(update_fields=["perspective"])
    log_action(locked, "enrolment.plan.built", by=by, before=before, after={"lines": len(sources)})
    return locked


@transaction.atomic
def plan_perspective_save(plan, *, by, perspective):
    locked = _own_plan(plan, by)
    before = {"perspective": locked.perspective}
    locked.perspective = (perspective or "").strip()
    locked.save(update_fields=["perspective"])
    log_action(locked, "enrolment.plan.changed", by=by, before=before, after={"perspective": locked.perspective})
    return locked


def _late_allowed(plan=None, request=None):
    if plan is not None:
        return LateDecision.objects.filter(plan=plan).exists()
    return LateDecision.objects.filter(request=request).exists()


@transaction.atomic
def plan_submit(plan, *, by):
    """Send the plan to the level above by its deadline; after it, only with the centre's recorded decision."""
    locked = _own_plan(plan, by)
    lines = list(locked.lines.all())
    if not lines:
        raise DomainError(_("The plan lists no teachers; build it or upload it first."))
    due = plan_due(locked)
    today = _today()
    if due and today > due and not _late_allowed(plan=locked):
        raise DomainError(
            _(
                "The plan was due by %(due)s. A late plan is accepted only with the centre's decision; "
                "ask the centre to record it. Nothing was sent."
            )
            % {"due": f"{due:%d.%m.%Y}"}
        )
    if plan_level(locked) == REGION:
        _check_other_regions(locked, [line.iin for line in lines])
        missing = sum(1 for line in lines if line.cohort_id is None)
        if missing:
            raise DomainError(
                ngettext(
                    "%(count)s teacher of the plan has no course yet; distribute every teacher over the courses.",
                    "%(count)s teachers of the plan have no course yet; distribute every teacher over the courses.",
                    missing,
                )
                % {"count": missing}
            )
    before = locked.status
    locked.status, locked.submitted_by, locked.submitted_at = PlanStatus.SUBMITTED, by, timezone.now()
    locked.return_reason = ""
    locked.save(update_fields=["status", "submitted_by", "submitted_at", "return_reason"])
    log_action(
        locked,
        "enrolment.plan.submitted",
        by=by,
        before={"status": before},
        after={"status": locked.status, "lines": len(lines), "late": bool(due and today > due)},
    )
    return locked


@transaction.atomic
def plan_return(plan, *, by, reason):
    """The level above returns a sent plan for corrections, with the reason."""
    locked = Plan.objects.select_for_update(of=("self",)).select_related("partner__parent").get(pk=plan.pk)
    parent = locked.partner.parent
    own = represented(by)
    if parent is None or own.pk != parent.pk:
        raise DomainError(_("Only the level the plan is sent to may return it."))
    if locked.status != PlanStatus.SUBMITTED:
        raise DomainError(_("Only a sent plan can be returned."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for returning the plan."))
    locked.status, locked.return_reason = PlanStatus.RETURNED, reason
    locked.save(update_fields=["status", "return_reason"])
    log_action(
        locked,
        "enrolment.plan.returned",
        by=by,
        before={"status": PlanStatus.SUBMITTED},
        after={"status": locked.status},
        note=reason,
    )
    return locked


@transaction.atomic
def plan_courses_assign(plan, *, by, courses):
    """The region distributes its teachers over the centre's courses (001 §13): ``courses`` maps line ids to
    cohorts (or None). Only budget-funded courses of the plan's year are accepted."""
    locked = _own_plan(plan, by)
    if plan_level(locked) != REGION:
        raise DomainError(_("Only a region's plan distributes teachers over courses."))
    lines = {line.pk: line for line in locked.lines.all()}
    changed = []
    for line_id, cohort in courses.items():
        line = lines.get(int(line_id))
        if line is None:
            raise DomainError(_("This teacher is not in the plan."))
        if cohort is not None and (cohort.funding != Funding.STATE or cohort.starts_on.year != locked.year):
            raise DomainError(
                _("The course %(code)s is not a budget-funded course of %(year)s.")
                % {"code": cohort.code, "year": locked.year}
            )
        new = cohort.pk if cohort else None
        if line.cohort_id != new:
            changed.append((line, line.cohort_id, new))
            line.cohort_id = new
    PlanLine.objects.bulk_update([c[0] for c in changed], ["cohort"])
    log_action(locked, "enrolment.plan.courses_assigned", by=by, after={"changed": len(changed)})
    return len(changed)


# --------------------------------------------------------------------------- Excel in and out


@dataclass
class PlanRowCheck:
    row: int
    values: dict
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def name(self):
        return _full(self.values)


def plan_rows_read(upload):
    rows = []
    for number, cells in read_table(upload, PLAN_COLUMNS, max_rows=MAX_LINES):
        values = {"row": number}
        for key in TEXT_KEYS:
            values[key] = as_text(cells[key])
        if isinstance(cells["iin"], int | float) and values["iin"].isdigit():
            values["iin"] = values["iin"].zfill(12)
        values["iin"] = values["iin"].replace(" ", "")
        values["birth_date"], values["birth_date_text"] = "", ""
        if cells["birth_date"] not in (None, ""):
            try:
                values["birth_date"] = as_date(cells["birth_date"]).isoformat()
            except ValueError:
                values["birth_date_text"] = as_text(cells["birth_date"])
        rows.append(values)
    if not rows:
        raise DomainError(_("The file lists no teachers."))
    return rows


def plan_rows_check(plan, rows):
    """Each row of a plan's file with its problems: required fields, the IIN and its date of birth, a teacher
    twice in the file or in another region's plan, an organisation outside the plan's, an unknown course."""
    reach = {p.name.casefold(): p for p in _organisations_under(plan.partner)}
    codes = {r["course"] for r in rows if r.get("course")}
    cohorts = {c.code: c for c in Cohort.objects.filter(code__in=codes)}
    elsewhere = _other_regions(plan, [r["iin"] for r in rows if r.get("iin")])
    seen = {}
    return [
        PlanRowCheck(
            row=values["row"],
            values=values,
            errors=_person_errors(values, seen, elsewhere) + _place_errors(values, plan, reach, cohorts),
        )
        for values in rows
    ]


def _person_errors(values, seen, elsewhere):
    errors = []
    for key, label in (("iin", _("IIN")), ("last_name", _("Last name")), ("first_name", _("First name"))):
        if not values.get(key):
            errors.append(_("%(field)s is required.") % {"field": label})
    if values.get("birth_date_text"):
        errors.append(
            _("The date of birth “%(value)s” is not a date; write it as dd.mm.yyyy.")
            % {"value": values["birth_date_text"]}
        )
    elif not values.get("birth_date"):
        errors.append(_("%(field)s is required.") % {"field": _("Date of birth")})
    iin = values.get("iin")
    if not iin:
        return errors
    try:
        born = iin_birth_date(iin)
    except InvalidIIN as e:
        errors.append(str(e))
    else:
        if values.get("birth_date") and datetime.date.fromisoformat(values["birth_date"]) != born:
            errors.append(
                _("The date of birth does not agree with the IIN, which gives %(born)s.") % {"born": f"{born:%d.%m.%Y}"}
            )
    if iin in seen:
        errors.append(_("The same teacher is in row %(row)s of the file.") % {"row": seen[iin]})
    else:
        seen[iin] = values["row"]
    if iin in elsewhere:
        errors.append(_("This teacher is already in the plan of %(region)s.") % {"region": elsewhere[iin]})
    return errors


def _place_errors(values, plan, reach, cohorts):
    """The row's organisation and course; their ids are kept in ``values`` for the import."""
    errors = []
    level = plan_level(plan)
    name = values.get("organisation", "").casefold()
    values["organisation_id"], values["cohort_id"] = None, None
    if level == ORGANISATION:
        values["organisation_id"] = plan.partner_id
        if name and name != plan.partner.name.casefold():
            errors.append(_("The organisation “%(name)s” is not yours.") % {"name": values["organisation"]})
    elif name in reach:
        values["organisation_id"] = reach[name].pk
    else:
        errors.append(
            _("The organisation “%(name)s” is not among the organisations of %(partner)s.")
            % {"name": values.get("organisation", ""), "partner": plan.partner.name}
        )
    code = values.get("course")
    if code:
        cohort = cohorts.get(code)
        if level != REGION:
            errors.append(_("Only the region assigns courses; leave the course code empty."))
        elif cohort is None or cohort.funding != Funding.STATE:
            errors.append(_("There is no budget-funded course with the code %(code)s.") % {"code": code})
        else:
            values["cohort_id"] = cohort.pk
    return errors


def _organisations_under(partner):
    """The education organisations at or below ``partner``."""
    from ..access import reach

    return Partner.objects.filter(pk__in=reach(partner.pk), kind__in=ORGANISATION_KINDS)


@transaction.atomic
def plan_lines_import(plan, *, by, upload):
    """Replace the plan's teachers with an Excel file's: every row checked; one bad row and nothing is saved.
    Returns the row report (a list of PlanRowCheck) and whether it was saved."""
    locked = _own_plan(plan, by)
    rows = plan_rows_read(upload)
    checks = plan_rows_check(locked, rows)
    if not all(c.ok for c in checks):
        return checks, False
    before = {"lines": locked.lines.count()}
    applications = dict(locked.lines.values_list("iin", "application_id"))
    locked.lines.all().delete()
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=locked,
            row=i,
            organisation_id=c.values["organisation_id"],
            application_id=applications.get(c.values["iin"]),
            cohort_id=c.values["cohort_id"],
            iin=c.values["iin"],
            last_name=c.values["last_name"][:150],
            first_name=c.values["first_name"][:150],
            middle_name=c.values["middle_name"][:150],
            birth_date=datetime.date.fromisoformat(c.values["birth_date"]),
            position=c.values["position"][:200],
            subject=c.values["subject"][:200],
            topic=c.values["topic"][:300],
        )
        for i, c in enumerate(checks, start=1)
    )
    log_action(locked, "enrolment.plan.imported", by=by, before=before, after={"lines": len(checks)})
    return checks, True


def plan_workbook(plan):
    """The plan's teachers as an .xlsx in the columns the import reads."""
    lines = plan.lines.select_related("organisation", "cohort").order_by("row")
    header = [names[0] for names in PLAN_COLUMNS.values()]
    body = (
        [
            line.iin,
            line.last_name,
            line.first_name,
            line.middle_name,
            line.birth_date.strftime("%d.%m.%Y"),
            line.position,
            line.subject,
            line.organisation.name,
            line.topic,
            line.cohort.code if line.cohort_id else "",
        ]
        for line in lines
    )
    return workbook([(str(plan.year), header, body)])


# --------------------------------------------------------------------------- the centre's decisions


@transaction.atomic
def late_decision_record(*, by, reason, plan=None, request=None):
    """The centre accepts a plan or a region's list sent after its deadline; the decision is recorded."""
    access.require(
        by,
        "enrolment.change_teacherrequest",
        plan or request,
        _("Only the centre's registrar or director decides this."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for accepting it late."))
    if (plan is None) == (request is None):
        raise DomainError(_("Say which plan or list the decision is for."))
    decision, created = LateDecision.objects.get_or_create(
        plan=plan, request=request, defaults={"reason": reason, "decided_by": by}
    )
    if not created:
        raise DomainError(_("A late decision is already recorded for it."))
    log_action(plan or request, "enrolment.plan.late_allowed", by=by, after={"late_allowed": True}, note=reason)
    return decision


@transaction.atomic
def schedule_agreement_record(cohort, *, by, partner, places, agreed_by_name, agreed_on, document):
    """Record that a course of the schedule is agreed with a region (or the ministry, republican budget), with
    the places for the region's teachers, who agreed, when and the document (001 §15)."""
    access.require(by, "enrolment.change_cohort", cohort, _("You may not record the schedule's agreements."))
    if partner.kind not in (PartnerKind.REGIONAL, PartnerKind.MINISTRY):
        raise DomainError(_("A course is agreed with a regional education department or the ministry (001 §15)."))
    if not (agreed_by_name or "").strip():
        raise DomainError(_("Say who agreed the course."))
    check_document(document, types=SCAN_TYPES)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    others = (
        ScheduleAgreement.objects.filter(cohort=cohort, partner__kind=PartnerKind.REGIONAL)
        .exclude(partner=partner)
        .aggregate(n=Sum("places"))["n"]
        or 0
    )
    if partner.kind == PartnerKind.REGIONAL and others + places > cohort.capacity:
        raise DomainError(
            _(
                "The course has %(capacity)s places and %(others)s are agreed with other regions; "
                "%(places)s more do not fit."
            )
            % {"capacity": cohort.capacity, "others": others, "places": places}
        )
    existing = ScheduleAgreement.objects.filter(cohort=cohort, partner=partner).first()
    before = {"places": existing.places, "agreed_on": existing.agreed_on} if existing else None
    agreement = existing or ScheduleAgreement(cohort=cohort, partner=partner)
    agreement.places, agreement.agreed_by_name, agreement.agreed_on = places, agreed_by_name.strip(), agreed_on
    agreement.recorded_by = by
    agreement.document = document
    agreement.save()
    log_action(
        agreement,
        "enrolment.schedule.agreed",
        by=by,
        before=before,
        after={
            "partner": partner.name,
            "places": places,
            "agreed_by": agreement.agreed_by_name,
            "agreed_on": agreed_on,
        },
    )
    return agreement


# --------------------------------------------------------------------------- 001 §§14, 16, 18: the region's list


def region_list_check(teacher_request, *, count=None):
    """The rules of a region's list for a course (001 §14): the course is agreed with the region, the list
    is within the agreed places, sent two months before the course (later only with the centre's decision),
    and none of its teachers is in another region's list for the course."""
    cohort = teacher_request.cohort
    agreement = ScheduleAgreement.objects.filter(cohort=cohort, partner=teacher_request.partner).first()
    if agreement is None:
        raise DomainError(
            _("The course %(code)s is not agreed with %(region)s; a list can be sent only for an agreed course.")
            % {"code": cohort.code, "region": teacher_request.partner.name}
        )
    count = teacher_request.teachers.count() if count is None else count
    if count > agreement.places:
        raise DomainError(
            _(
                "The list has %(count)s teachers but %(places)s places are agreed for the course %(code)s; "
                "nothing was sent."
            )
            % {"count": count, "places": agreement.places, "code": cohort.code}
        )
    due = list_due_on(cohort.starts_on)
    if _today() > due and teacher_request.pk and not _late_allowed(request=teacher_request):
        raise DomainError(
            _(
                "The list was due by %(due)s, two months before the course. A late list is accepted only with "
                "the centre's decision; ask the centre to record it."
            )
            % {"due": f"{due:%d.%m.%Y}"}
        )
    if teacher_request.pk:
        twice = (
            RequestedTeacher.objects.filter(
                request__cohort=cohort,
                request__partner__kind=PartnerKind.REGIONAL,
                iin__in=teacher_request.teachers.values("iin"),
            )
            .exclude(request=teacher_request)
            .exclude(request__status=RequestStatus.DRAFT)
            .values_list("iin", "request__partner__name")
        )
        if twice:
            listed = "; ".join(f"{iin} ({name})" for iin, name in twice)
            raise DomainError(
                _("These teachers are already in another region's list for the course: %(list)s.") % {"list": listed}
            )
    return agreement


@transaction.atomic
def region_list_create(plan, *, by, cohort, letter_number=""):
    """The region's list for a course, drawn from its plan's teachers assigned to it (no retyping)."""
    locked = Plan.objects.select_related("partner").get(pk=plan.pk)
    _acting_for(by, locked.partner)
    if plan_level(locked) != REGION:
        raise DomainError(_("Only a region sends lists of teachers for courses (001 §14)."))
    if locked.status != PlanStatus.SUBMITTED:
        raise DomainError(_("Send the region's plan first; the lists follow it (001 §14)."))
    lines = list(locked.lines.filter(cohort=cohort).order_by("row"))
    if not lines:
        raise DomainError(_("No teacher of the plan is assigned to the course %(code)s.") % {"code": cohort.code})
    if TeacherRequest.objects.filter(partner=locked.partner, cohort=cohort).exists():
        raise DomainError(_("The region's list for the course %(code)s already exists.") % {"code": cohort.code})
    draft = TeacherRequest(partner=locked.partner, cohort=cohort, created_by=by, letter_number=letter_number.strip())
    region_list_check(draft, count=len(lines))
    draft.save()
    RequestedTeacher.objects.bulk_create(
        RequestedTeacher(
            request=draft,
            row=i,
            iin=line.iin,
            last_name=line.last_name,
            first_name=line.first_name,
            middle_name=line.middle_name,
            birth_date=line.birth_date,
            position=line.position,
            subject=line.subject,
        )
        for i, line in enumerate(lines, start=1)
    )
    log_action(draft, "enrolment.request.created", by=by, after={"cohort": cohort.code, "teachers": len(lines)})
    return draft


@transaction.atomic
def referral_order_attach(teacher_request, *, by, issued_by, number, issued_on, file):
    """Attach a head's referral order (001 §16) to the region's list: the region's, or one of its
    departments' or organisations'."""
    locked = TeacherRequest.objects.select_for_update(of=("self",)).select_related("partner").get(pk=teacher_request.pk)
    _acting_for(by, locked.partner)
    from ..access import reach

    if not Partner.objects.filter(pk__in=reach(locked.partner_id)).filter(pk=issued_by.pk).exists():
        raise DomainError(_("The order must be issued by the region or one of its organisations."))
    if not (number or "").strip():
        raise DomainError(_("Give the order's number."))
    check_document(file, types=SCAN_TYPES)
    order = ReferralOrder.objects.create(
        request=locked, issued_by=issued_by, number=number.strip(), issued_on=issued_on, file=file, added_by=by
    )
    log_action(
        locked,
        "enrolment.request.referral_attached",
        by=by,
        after={"order": str(order), "issued_by": issued_by.name},
    )
    return order


@transaction.atomic
def letter_admit(teacher_request, *, by, number, issued_on, responsible):
    """The region's letter with its list becomes the admission order (001 §18): the list is accepted (each
    teacher admitted as a listener) and the director's order is prepared from it, without retyping."""
    from .admission import admission_order_create
    from .requests import request_accept

    locked = TeacherRequest.objects.select_related("partner", "cohort").get(pk=teacher_request.pk)
    if locked.partner.kind != PartnerKind.REGIONAL:
        raise DomainError(_("Only a region's letter is the basis of an admission order on the budget (001 §18)."))
    if not locked.referrals.exists():
        raise DomainError(_("The heads' referral orders are not attached to the list yet (001 §16)."))
    if locked.status == RequestStatus.SUBMITTED:
        locked = request_accept(locked, by=by)
    elif locked.status != RequestStatus.ACCEPTED:
        raise DomainError(_("Only a list sent to the centre can be the basis of the order."))
    order = admission_order_create(locked.cohort, by=by, number=number, issued_on=issued_on, responsible=responsible)
    log_action(locked, "enrolment.request.letter_admitted", by=by, after={"order": order.number})
    return order


# --------------------------------------------------------------------------- reminders


def _mail(partner, subject, body):
    addresses = sorted(
        {
            a
            for a in (
                partner.email,
                *Representative.objects.filter(partner=partner).values_list("user__email", flat=True),
            )
            if a
        }
    )
    if not addresses:
        return 0

    def send():
        try:
            send_mail(subject, body, None, addresses)
        except OSError:
            log.exception("A planning reminder failed")

    transaction.on_commit(send)
    return 1


def planning_reminders(today):
    """Remind the levels that have not yet sent their plan, 14 and 3 days before its deadline, and the regions
    that have not yet sent the list of an agreed course, 14 and 3 days before it is due. Returns the count."""
    sent = 0
    year = coming_year(today)
    with translation.override(settings.LANGUAGE_CODE):
        sent_plans = set(
            Plan.objects.filter(year=year, status=PlanStatus.SUBMITTED).values_list("partner_id", flat=True)
        )
        for kind in (*ORGANISATION_KINDS, PartnerKind.DISTRICT, PartnerKind.REGIONAL):
            due = plan_due_on(kind, year)
            if (due - today).days not in REMIND_DAYS:
                continue
            for partner in Partner.objects.filter(kind=kind, representatives__isnull=False).distinct():
                if partner.pk in sent_plans:
                    continue
                subject = _("The plan of teachers' courses for %(year)s is due by %(due)s") % {
                    "year": year,
                    "due": f"{due:%d.%m.%Y}",
                }
                body = _(
                    "%(partner)s has not yet sent its plan of teachers' courses for %(year)s. It is due by %(due)s "
                    "(001 §§11-13). Open the planning page: %(url)s"
                ) % {
                    "partner": partner.name,
                    "year": year,
                    "due": f"{due:%d.%m.%Y}",
                    "url": f"{settings.SITE_URL}/partner/planning/",
                }
                sent += _mail(partner, subject, body)
        for agreement in ScheduleAgreement.objects.filter(
            partner__kind=PartnerKind.REGIONAL, cohort__starts_on__gt=today
        ).select_related("cohort", "partner"):
            due = list_due_on(agreement.cohort.starts_on)
            if (due - today).days not in REMIND_DAYS:
                continue
            if TeacherRequest.objects.filter(
                partner=agreement.partner, cohort=agreement.cohort, submitted_at__isnull=False
            ).exists():
                continue
            subject = _("The list of teachers for the course %(code)s is due by %(due)s") % {
                "code": agreement.cohort.code,
                "due": f"{due:%d.%m.%Y}",
            }
            body = _(
                "The list of teachers of %(partner)s for the course %(code)s is due by %(due)s, two months before "
                "the course (001 §14). Open the planning page: %(url)s"
            ) % {
                "partner": agreement.partner.name,
                "code": agreement.cohort.code,
                "due": f"{due:%d.%m.%Y}",
                "url": f"{settings.SITE_URL}/partner/planning/",
            }
            sent += _mail(agreement.partner, subject, body)
    return sent
