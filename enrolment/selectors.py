from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from .enums import ATTENDED
from .models import Enrolment


def enrolments_with_attendance(cohort_or_queryset):
    """Enrolments with ``attended_hours`` (hours of sessions marked present), in one query."""
    qs = cohort_or_queryset.enrolments.all() if hasattr(cohort_or_queryset, "enrolments") else cohort_or_queryset
    return qs.select_related("listener__user", "cohort").annotate(
        attended_hours=Coalesce(
            Sum("attendance__session__hours", filter=Q(attendance__status__in=ATTENDED)),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=8, decimal_places=1),
        )
    )


def listener_enrolments(listener):
    return enrolments_with_attendance(
        Enrolment.objects.filter(listener=listener).select_related("cohort__program", "cohort__version")
    )


def cabinet_enrolments(listener):
    """The listener's enrolments for the cabinet, the latest course first, with what every panel reads."""
    return list(
        Enrolment.objects.filter(listener=listener)
        .select_related("cohort__program", "group", "contract")
        .order_by("-cohort__starts_on", "-pk")
    )
