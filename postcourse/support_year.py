"""The listener's year of support on one page (000 §4.1-4.3): the period, the plan of their cohort, their
consultations, publications and registrations for events; the same for the staff who reach the listener.
Also the cabinet's panel that leads to it."""

from django.db.models import Count, Q

from enrolment.cabinet import Panel, register

from .consultations import NOT_CLOSED
from .enums import PublicationStatus
from .models import Consultation, EventRegistration, Publication, SupportActivity, SupportPeriod
from .support import in_support_year


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


def _panel(enrolments, *, today):
    """For each course with a support period: the period and the counts of the listener's open threads."""
    ids = [e.pk for e in enrolments]
    periods = {p.enrolment_id: p for p in SupportPeriod.objects.filter(enrolment_id__in=ids)}
    if not periods:
        return {}
    consultations = dict(
        Consultation.objects.filter(enrolment_id__in=periods, status__in=NOT_CLOSED)
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    publications = dict(
        Publication.objects.filter(enrolment_id__in=periods)
        .exclude(status=PublicationStatus.PUBLISHED)
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    registrations = dict(
        EventRegistration.objects.filter(enrolment_id__in=periods)
        .filter(Q(attended__isnull=True))
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    return {
        pk: {
            "period": period,
            "open": in_support_year(period, today),
            "consultations": consultations.get(pk, 0),
            "publications": publications.get(pk, 0),
            "registrations": registrations.get(pk, 0),
        }
        for pk, period in periods.items()
    }


register(Panel("support_year", "postcourse/cabinet/support_year.html", 61, _panel))
