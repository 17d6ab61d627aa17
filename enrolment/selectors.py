"""Reads that the enrolment pages need. A listener's attendance (hours, so far, still reachable, the 80% gate)
is read through ``enrolment.attendance.attendance_summaries``, the one computation every page uses."""

from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.workspace import Item, Link

from .enums import ApplicationStatus, EnrolmentStatus, RequestStatus
from .models import AdmissionOrder, Application, Attendance, Enrolment, Session, TeacherRequest, Trainer
from .services.payments import invoices_with_balances


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
