"""Reads that the enrolment pages need. A listener's attendance (hours, so far, still reachable, the 80% gate)
is read through ``enrolment.attendance.attendance_summaries``, the one computation every page uses."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.enums import HOUR_FIELDS, ActivityKind
from ziat import access
from ziat.workspace import Item, Link

from .attendance import Summary, attendance_summaries
from .enums import ApplicationStatus, EnrolmentStatus, RequestStatus
from .models import (
    AdmissionOrder,
    Application,
    Attendance,
    Cohort,
    Enrolment,
    Invoice,
    Listener,
    Mailing,
    Partner,
    Payment,
    RequestedTeacher,
    Session,
    TeacherRequest,
    Trainer,
)
from .services.core import SEAT_STATES
from .services.trainers import qualifying_q


def cabinet_enrolments(listener):
    """The listener's enrolments for the cabinet, the latest course first, with what every panel reads."""
    return list(
        Enrolment.objects.filter(listener=listener)
        .select_related("cohort__program", "group", "contract")
        .order_by("-cohort__starts_on", "-pk")
    )


# ------------------------------------------------------------------------------- the staff home's work


def _url(name, *args, query=""):
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _first(queryset, *fields):
    """The first row's ``fields`` (a tuple), or None: one query."""
    return queryset.values_list(*fields).first()


def work_of_registrar(user, *, today):
    """Applications to review, organisations' requests to decide, admission orders to draw up."""
    items = []
    if user.has_perm("enrolment.view_application"):
        found = access.scope(user, Application.objects.filter(status=ApplicationStatus.SUBMITTED)).aggregate(
            n=Count("pk"), due=Min("cohort__starts_on")
        )
        items.append(
            Item(
                "enrolment.applications",
                _("Applications to review"),
                found["n"],
                _url("enrolment:application_list", query=f"status={ApplicationStatus.SUBMITTED}"),
                deadline=found["due"],
            )
        )
    if user.has_perm("enrolment.view_teacherrequest"):
        found = access.scope(user, TeacherRequest.objects.filter(status=RequestStatus.SUBMITTED)).aggregate(
            n=Count("pk"), due=Min("cohort__starts_on")
        )
        items.append(
            Item(
                "enrolment.requests",
                _("Requests of organisations to decide"),
                found["n"],
                _url("enrolment:request_list", query=f"status={RequestStatus.SUBMITTED}"),
                deadline=found["due"],
            )
        )
    if user.has_perm("enrolment.add_admissionorder"):
        waiting = access.scope(
            user, Enrolment.objects.filter(status=EnrolmentStatus.ADMITTED, admission_order__isnull=True)
        )
        nearest = _first(waiting.order_by("cohort__starts_on", "cohort_id"), "cohort_id", "cohort__starts_on")
        if nearest is not None:
            cohorts = waiting.aggregate(n=Count("cohort", distinct=True))["n"]
            items.append(
                Item(
                    "enrolment.orders_to_draw_up",
                    _("Admission orders to draw up"),
                    cohorts,
                    _url("enrolment:admission_orders", nearest[0]),
                    deadline=nearest[1],
                    note=_("cohorts with admitted listeners not yet in an order"),
                )
            )
    return items


def work_of_director(user, *, today):
    """Admission orders to sign."""
    if not user.has_perm("enrolment.sign_admissionorder"):
        return []
    unsigned = access.scope(user, AdmissionOrder.objects.filter(signed_at__isnull=True))
    nearest = _first(unsigned.order_by("cohort__starts_on", "pk"), "pk", "cohort__starts_on")
    if nearest is None:
        return []
    return [
        Item(
            "enrolment.orders_to_sign",
            _("Admission orders to sign"),
            unsigned.count(),
            _url("enrolment:admission_order", nearest[0]),
            deadline=nearest[1],
        )
    ]


def work_of_accountant(user, *, today):
    """Invoices not yet paid in full."""
    if not user.has_perm("enrolment.view_invoice"):
        return []
    open_invoices = access.scope(user, invoices_with_balances().filter(amount__gt=F("paid")).order_by())
    found = open_invoices.aggregate(n=Count("pk"), due=Min("cohort__starts_on"))
    return [
        Item(
            "enrolment.invoices_open",
            _("Invoices awaiting payment"),
            found["n"],
            _url("enrolment:payments"),
            deadline=found["due"],
        )
    ]


def work_of_trainer(user, *, today):
    """Today's sessions (the trainer's day), and held sessions of theirs with no attendance marked."""
    if not access.is_trainer(user):
        return []
    mine = Session.objects.filter(trainer=user)
    # The trainer's day needs a trainer's profile; without one, today's sessions are read in the cohorts' timetables.
    has_day = Trainer.objects.filter(user=user).exists()
    day_url = _url("enrolment:trainer_home") if has_day else ""
    items = []
    if has_day:
        items.append(Link("enrolment.my_day", _("My day: sessions, listeners at risk, works to score"), day_url))
    todays = list(mine.filter(date=today).values_list("cohort_id", flat=True)[:1])
    if todays:
        items.append(
            Item(
                "enrolment.today_sessions",
                _("Sessions today"),
                mine.filter(date=today).count(),
                day_url or _url("enrolment:timetable", todays[0]),
                deadline=today,
                prominent=True,
            )
        )
    now = timezone.localtime().time()
    unmarked = (
        mine.filter(Q(date__lt=today) | Q(date=today, ends_at__lte=now))
        .filter(Exists(Enrolment.objects.filter(cohort=OuterRef("cohort"), status=EnrolmentStatus.ENROLLED)))
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
    )
    oldest = _first(unmarked.order_by("date", "starts_at", "pk"), "cohort_id", "date")
    if oldest is not None:
        items.append(
            Item(
                "enrolment.attendance_to_mark",
                _("Sessions held with no attendance marked"),
                unmarked.count(),
                _url("enrolment:attendance_grid", oldest[0]),
                deadline=oldest[1],
            )
        )
    return items


# ------------------------------------------------------------------------------- the schedule


def _with_seats(queryset):
    return (
        queryset.select_related("program")
        .annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATES), distinct=True),
            group_count=Count("groups", distinct=True),
        )
        .annotate(seats_left=Greatest(F("capacity") - F("taken"), Value(0)))
    )


def cohorts_of_year(year):
    """The cohorts starting in ``year`` with ``taken`` seats and ``group_count``, in one query."""
    return _with_seats(Cohort.objects.filter(starts_on__year=year)).order_by("starts_on", "code", "pk")


def public_cohorts(today=None):
    """Published cohorts not yet ended, with ``taken`` seats, for the public schedule (no personal data)."""
    today = today or timezone.localdate()
    return _with_seats(Cohort.objects.filter(is_published=True, ends_on__gte=today)).order_by("starts_on", "code", "pk")


# ------------------------------------------------------------------------------- requests of organisations


def requests_of_partner(partner):
    return (
        TeacherRequest.objects.filter(partner=partner)
        .select_related("cohort__program")
        .annotate(teacher_count=Count("teachers"))
        .order_by("-created_at")
    )


def requests_for_staff(status=None):
    """Requests sent to the centre (drafts stay with their partner), newest first."""
    qs = (
        TeacherRequest.objects.exclude(status=RequestStatus.DRAFT)
        .select_related("partner", "cohort__program")
        .annotate(teacher_count=Count("teachers"))
        .order_by("-submitted_at", "-pk")
    )
    return qs.filter(status=status) if status else qs


def open_cohorts(also=None):
    """The cohorts a request may be made for: open for applications and not ended (and ``also``'s pk)."""
    condition = Q(is_published=True, ends_on__gte=timezone.localdate())
    if also is not None:
        condition |= Q(pk=also)
    return Cohort.objects.filter(condition).select_related("program").order_by("starts_on", "code")


@dataclass
class TeacherRow:
    teacher: RequestedTeacher
    enrolment: Enrolment | None
    certificate: object | None


def request_teacher_rows(teacher_request):
    """The request's teachers with the enrolment of each in the cohort and its certificate, in two queries."""
    teachers = list(teacher_request.teachers.order_by("row"))
    listener_ids = [t.listener_id for t in teachers if t.listener_id]
    enrolments = {}
    if listener_ids:
        enrolments = {
            e.listener_id: e
            for e in Enrolment.objects.filter(cohort_id=teacher_request.cohort_id, listener_id__in=listener_ids)
            .prefetch_related("certificates")
            .order_by()
        }
    rows = []
    for teacher in teachers:
        enrolment = enrolments.get(teacher.listener_id)
        # The current certificate: a corrected reissue replaces the earlier one.
        certificates = enrolment.certificates.all() if enrolment else ()
        certificate = next((c for c in certificates if c.replaced_at is None), None)
        rows.append(TeacherRow(teacher, enrolment, certificate))
    return rows


# ------------------------------------------------------------------------------- invoices and payments


ZERO = Decimal("0.00")


MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def paid_subquery():
    paid = Payment.objects.filter(invoice=OuterRef("pk")).values("invoice").annotate(total=Sum("amount"))
    return Coalesce(Subquery(paid.values("total"), output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def invoices_with_balances(*, cohort=None, partner=None):
    """Invoices with ``paid`` and ``balance`` annotated and everything a list shows, in one query."""
    qs = (
        Invoice.objects.annotate(paid=paid_subquery())
        .annotate(balance=F("amount") - F("paid"))
        .select_related(
            "cohort__program",
            "contract__enrolment__listener__user",
            "request__partner",
        )
        .order_by("cohort__code", "number")
    )
    if cohort is not None:
        qs = qs.filter(cohort=cohort)
    if partner is not None:
        qs = qs.filter(request__partner=partner)
    return qs


@dataclass
class Balance:
    """What one payer (a listener or an organisation), or a selection of invoices, was invoiced, has paid and
    still owes."""

    payer: object
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def balance(self):
        return self.invoiced - self.paid


def payment_totals(invoices):
    """Invoiced, paid and owed over ``invoices`` (a queryset of ``invoices_with_balances``), in one query."""
    found = invoices.order_by().aggregate(invoiced=Sum("amount"), paid_total=Sum("paid"))
    return Balance(payer=None, invoiced=found["invoiced"] or ZERO, paid=found["paid_total"] or ZERO)


class Balances:
    """The balances per payer of a queryset of ``invoices_with_balances``, summed by the database and ordered
    by the payer's name; sliced (a page of them), it reads only that page's payers. Each item is a Balance."""

    def __init__(self, invoices, *, key, model, order, related=()):
        self.rows = (
            invoices.order_by()
            .filter(**{f"{key}__isnull": False})
            .values(key, *order)
            .annotate(invoiced=Sum("amount"), paid_total=Sum("paid"))
            .order_by(*order, key)
        )
        self.key, self.model, self.related = key, model, related

    def count(self):
        return self.rows.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        part = list(self.rows[index]) if isinstance(index, slice) else [self.rows[index]]
        payers = self.model.objects.all()
        if self.related:
            payers = payers.select_related(*self.related)
        payers = payers.in_bulk([r[self.key] for r in part])
        found = [Balance(payer=payers[r[self.key]], invoiced=r["invoiced"], paid=r["paid_total"]) for r in part]
        return found if isinstance(index, slice) else found[0]

    def __iter__(self):
        return iter(self[:])


def balances_by_listener(invoices):
    """Balances per listener of the invoices to their contracts."""
    return Balances(
        invoices,
        key="contract__enrolment__listener",
        model=Listener,
        order=("contract__enrolment__listener__user__last_name", "contract__enrolment__listener__user__first_name"),
        related=("user",),
    )


def balances_by_partner(invoices):
    """Balances per organisation of the invoices to their requests."""
    return Balances(invoices, key="request__partner", model=Partner, order=("request__partner__name",))


# ------------------------------------------------------------------------------- the timetable


# No hours: the start of the timetable's sums (a plain 0, as the plan's hours are written).
NO_HOURS = Decimal("0")


# A listener's timetable shows the cohorts they hold a place in (not those they left or were expelled from).
FEED_STATES = (EnrolmentStatus.ADMITTED, EnrolmentStatus.ENROLLED)


# How far back a calendar feed reaches.
FEED_HISTORY = datetime.timedelta(days=366)


def is_link(place):
    """An online link rather than a room: rooms clash, links do not."""
    return "://" in place or place.lower().startswith("www.")


def room_key(place):
    place = " ".join(place.split()).casefold()
    return "" if not place or is_link(place) else place


def timetable_sessions(cohort):
    """The cohort's sessions in order, with what the page shows of each, in one query."""
    return list(
        Session.objects.filter(cohort=cohort)
        .select_related("topic__module", "trainer")
        .order_by("date", "starts_at", "pk")
    )


@dataclass
class Cell:
    planned: Decimal = NO_HOURS
    scheduled: Decimal = NO_HOURS

    @property
    def diff(self):
        return self.scheduled - self.planned

    @property
    def state(self):
        return "over" if self.diff > 0 else "under" if self.diff < 0 else "ok"


@dataclass
class PlanRow:
    """One topic of the plan: hours planned and scheduled per activity kind (in the order of HOUR_FIELDS)."""

    module: object
    topic: object
    cells: list = field(default_factory=lambda: [Cell() for _ in HOUR_FIELDS])

    @property
    def total(self):
        return Cell(sum((c.planned for c in self.cells), NO_HOURS), sum((c.scheduled for c in self.cells), NO_HOURS))

    @property
    def matches(self):
        return all(c.state == "ok" for c in self.cells)


@dataclass
class PlanCheck:
    rows: list
    # Hours of sessions without a topic of the plan, per activity kind.
    unplanned: list
    columns: list

    @property
    def total(self):
        return Cell(
            sum((c.planned for c in self.columns), NO_HOURS), sum((c.scheduled for c in self.columns), NO_HOURS)
        )

    @property
    def unplanned_total(self):
        return sum(self.unplanned, NO_HOURS)

    @property
    def matches(self):
        return not self.unplanned_total and all(row.matches for row in self.rows)

    @property
    def kinds(self):
        return [ActivityKind(k).label for k in HOUR_FIELDS]


def plan_check(version, sessions):
    """Hours scheduled per topic and activity kind against the thematic plan (``version_with_plan``)."""
    rows, by_topic = [], {}
    for module in version.modules.all():
        for topic in module.topics.all():
            row = PlanRow(module=module, topic=topic)
            for cell, name in zip(row.cells, HOUR_FIELDS, strict=True):
                cell.planned = getattr(topic, name)
            rows.append(row)
            by_topic[topic.pk] = row
    unplanned = [NO_HOURS for _ in HOUR_FIELDS]
    for session in sessions:
        index = HOUR_FIELDS.index(session.kind) if session.kind in HOUR_FIELDS else None
        row = by_topic.get(session.topic_id)
        if row is None or index is None:
            unplanned[index or 0] += session.hours
        else:
            row.cells[index].scheduled += session.hours
    columns = []
    for index in range(len(HOUR_FIELDS)):
        columns.append(
            Cell(
                sum((r.cells[index].planned for r in rows), NO_HOURS),
                sum((r.cells[index].scheduled for r in rows), NO_HOURS) + unplanned[index],
            )
        )
    return PlanCheck(rows=rows, unplanned=unplanned, columns=columns)


@dataclass
class Clash:
    session: object
    other: object
    reason: str  # "trainer" or "room"


def clashes(sessions):
    """For each of ``sessions`` (pk -> list of Clash): other sessions, in any cohort, that overlap it in time
    and share its trainer or its room (an online link never clashes). One query."""
    result = {s.pk: [] for s in sessions}
    dates = {s.date for s in sessions}
    if not dates:
        return result
    trainers = {s.trainer_id for s in sessions if s.trainer_id}
    candidates = list(
        Session.objects.filter(date__in=dates)
        .filter(Q(trainer_id__in=trainers) | ~Q(place=""))
        .select_related("cohort", "trainer")
        .order_by("date", "starts_at", "pk")
    )
    by_date = {}
    for other in candidates:
        by_date.setdefault(other.date, []).append(other)
    for session in sessions:
        room = room_key(session.place)
        for other in by_date.get(session.date, ()):
            if other.pk == session.pk or not (other.starts_at < session.ends_at and session.starts_at < other.ends_at):
                continue
            if session.trainer_id and other.trainer_id == session.trainer_id:
                result[session.pk].append(Clash(session, other, "trainer"))
            if room and room_key(other.place) == room:
                result[session.pk].append(Clash(session, other, "room"))
    return result


def over_plan(session):
    """Whether the cohort now has more hours of this topic and activity than the plan gives (for a warning)."""
    if session.topic_id is None:
        return False
    scheduled = sum(
        Session.objects.filter(cohort_id=session.cohort_id, topic_id=session.topic_id, kind=session.kind).values_list(
            "hours", flat=True
        ),
        NO_HOURS,
    )
    return scheduled > getattr(session.topic, session.kind, NO_HOURS)


def user_sessions(user, *, since=None):
    """The sessions of a user's timetable: of the cohorts they hold a place in, and those they teach."""
    cohorts = Enrolment.objects.filter(listener__user=user, status__in=FEED_STATES).values("cohort_id")
    sessions = Session.objects.filter(Q(cohort_id__in=cohorts) | Q(trainer=user))
    if since is not None:
        sessions = sessions.filter(date__gte=since)
    return list(
        sessions.select_related("cohort__program", "topic__module", "trainer").order_by("date", "starts_at", "pk")
    )


def upcoming_sessions(user):
    return user_sessions(user, since=timezone.localdate())


def feed_sessions(user):
    return user_sessions(user, since=timezone.localdate() - FEED_HISTORY)


# ------------------------------------------------------------------------------- the trainers


def trainers_for_list():
    """The registry for the list page, ``counts`` annotated, users joined (one query); the page's filters are
    ``enrolment.filters.TrainerFilter``."""
    return (
        Trainer.objects.select_related("user")
        .annotate(counts=Case(When(qualifying_q(), then=Value(True)), default=Value(False)))
        .order_by("user__last_name", "user__first_name", "pk")
    )


def week_of(day):
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def trainer_sessions(user, *, start, end):
    """``user``'s sessions between two dates, with the cohort, its program and the topic (one query)."""
    return (
        Session.objects.filter(trainer=user, date__range=(start, end))
        .select_related("cohort__program", "topic")
        .order_by("date", "starts_at")
    )


@dataclass
class AtRisk:
    """A listener of the trainer's cohort whose 80% attendance (001 §24) is in danger: ``summary`` is their
    attendance as every page shows it (enrolment.attendance)."""

    enrolment: Enrolment
    summary: Summary

    @property
    def reachable(self):
        """Whether 80% of the scheduled hours can still be reached."""
        return not self.summary.unreachable


def trainer_cohorts(user, *, today=None):
    """The cohorts, not yet ended, in which ``user`` teaches at least one session."""
    today = today or timezone.localdate()
    return (
        Cohort.objects.filter(sessions__trainer=user, ends_on__gte=today)
        .distinct()
        .select_related("program")
        .order_by("starts_on", "code")
    )


def listeners_at_risk(cohorts, *, now=None):
    """Listeners of ``cohorts`` who are below 80% of the hours held so far, or can no longer reach 80% of the
    scheduled hours (enrolment.attendance: a session is held once it has started). Three queries whatever the
    number of cohorts and listeners."""
    cohorts = list(cohorts)
    if not cohorts:
        return []
    enrolments = list(
        Enrolment.objects.filter(cohort__in=cohorts, status__in=(EnrolmentStatus.ADMITTED, EnrolmentStatus.ENROLLED))
        .select_related("listener__user", "cohort")
        .order_by("cohort__code", "listener__user__last_name", "listener__user__first_name", "pk")
    )
    summaries = attendance_summaries(enrolments, now=now)
    result = []
    for e in enrolments:
        summary = summaries[e.pk]
        if summary.scheduled_hours and (summary.below_so_far or summary.unreachable):
            result.append(AtRisk(enrolment=e, summary=summary))
    return result


# ------------------------------------------------------------------------------- a listener's course path


def enrolment_chain(enrolment):
    """Every enrolment of the listener's course path through this one, earliest first.

    The path follows ``continues`` back to where the listener began and forward through transfers and
    resumptions. Reads all of the listener's enrolments, with their attended hours, in three queries.
    """
    everything = {
        e.pk: e
        for e in Enrolment.objects.filter(listener_id=enrolment.listener_id).select_related(
            "listener__user", "cohort__program"
        )
    }
    for pk, summary in attendance_summaries(everything.values()).items():
        everything[pk].attended_hours = summary.attended_hours
    first = everything[enrolment.pk]
    seen = {first.pk}
    while first.continues_id in everything and first.continues_id not in seen:
        first = everything[first.continues_id]
        seen.add(first.pk)
    following = {}
    for e in everything.values():
        if e.continues_id:
            following.setdefault(e.continues_id, e)
    chain, current = [first], first
    while current.pk in following and following[current.pk].pk not in {c.pk for c in chain}:
        current = following[current.pk]
        chain.append(current)
    return chain


# ------------------------------------------------------------------------------- messages


def cohort_mailings(cohort):
    """The cohort's sendings, newest first, each with its number of recipients, of readers and of e-mails
    sent (one query per page whatever their number)."""
    return (
        Mailing.objects.filter(cohort=cohort)
        .select_related("sent_by")
        .annotate(
            recipients=Count("messages"),
            readers=Count("messages", filter=Q(messages__read_at__isnull=False)),
            mailed=Count("messages", filter=Q(messages__emailed=True)),
        )
        .order_by("-created_at", "-pk")
    )
