"""The listener's year of support on one page (000 §4.1-4.3): the period, the plan of their cohort, their
consultations, publications and registrations for events; the same for the staff who reach the listener.
Also the cabinet's panel that leads to it."""

from django.db.models import Count, OuterRef, Subquery

from enrolment.cabinet import Panel, register

from .consultations import NOT_CLOSED
from .enums import PublicationStatus
from .models import Consultation, EventRegistration, Publication, SupportActivity, SupportPeriod
from .support import in_support_year

UNPUBLISHED = [s for s in PublicationStatus.values if s != PublicationStatus.PUBLISHED]


def support_year(enrolment, *, today):
    """Everything of the listener's support year, read in a fixed number of queries."""
    period = SupportPeriod.objects.filter(enrolment=enrolment).first()
    return {
        "enrolment": enrolment,
        "period": period,
        "open": in_support_year(period, today),
        "activities": list(
            SupportActivity.objects.filter(cohort_id=enrolment.cohort_id)
            .select_related("responsible")
            .order_by("planned_on", "pk")
        ),
        "consultations": list(
            Consultation.objects.filter(enrolment=enrolment).select_related("trainer").order_by("-created_at", "-pk")
        ),
        "publications": list(Publication.objects.filter(enrolment=enrolment).order_by("-submitted_at", "-pk")),
        "registrations": list(
            EventRegistration.objects.filter(enrolment=enrolment).select_related("event").order_by("-registered_at")
        ),
    }


def _count(model, **filters):
    """The number of the enrolment's rows of ``model`` matching ``filters``, as a subquery."""
    rows = model.objects.filter(enrolment_id=OuterRef("enrolment_id"), **filters).order_by()
    return Subquery(rows.values("enrolment_id").annotate(n=Count("pk")).values("n")[:1])


def _panel(enrolments, *, today):
    """The cabinet's post-course panel (000 §4.1): for each course with a support period, the period and the
    counts of the listener's open threads, in one query whatever the number of courses."""
    periods = SupportPeriod.objects.filter(enrolment_id__in=[e.pk for e in enrolments]).annotate(
        consultations=_count(Consultation, status__in=NOT_CLOSED),
        publications=_count(Publication, status__in=UNPUBLISHED),
        registrations=_count(EventRegistration, attended__isnull=True),
    )
    return {
        p.enrolment_id: {
            "period": p,
            "open": in_support_year(p, today),
            "consultations": p.consultations or 0,
            "publications": p.publications or 0,
            "registrations": p.registrations or 0,
        }
        for p in periods
    }


register(Panel("support_year", "postcourse/cabinet/support_year.html", 61, _panel))
