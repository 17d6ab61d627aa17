import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from enrolment.enums import EnrolmentStatus
from enrolment.models import Cohort, Enrolment
from ziat import access
from ziat.workspace import Item

from .models import AppendixLine, Certificate


def certificate_for_document(pk):
    lines = Prefetch("lines", queryset=AppendixLine.objects.order_by("position"))
    return (
        Certificate.objects.select_related("enrolment__listener", "certificate_document", "appendix_document")
        .prefetch_related(lines)
        .filter(pk=pk)
        .first()
    )


# ------------------------------------------------------------------------------- the staff home's work

# Finished cohorts are looked at for documents to issue this long after their end.
ISSUING_LOOKBACK_DAYS = 365


def work_of_issuing(user, *, today):
    """Finished cohorts (in the last year) with enrolled listeners holding neither a certificate nor a
    reference of attendance yet: the documents to issue (000 §3.8, §3.9)."""
    if not user.has_perm("certificates.view_certificate"):
        return []
    without_document = Enrolment.objects.filter(
        cohort=OuterRef("pk"),
        status=EnrolmentStatus.ENROLLED,
        certificates__isnull=True,
        attendance_reference__isnull=True,
    )
    cohorts = access.scope(
        user,
        Cohort.objects.filter(
            ends_on__lt=today, ends_on__gte=today - datetime.timedelta(days=ISSUING_LOOKBACK_DAYS)
        ).filter(Exists(without_document)),
    )
    oldest = cohorts.order_by("ends_on", "pk").values_list("pk", "ends_on").first()
    if oldest is None:
        return []
    return [
        Item(
            "certificates.to_issue",
            _("Finished cohorts with certificates or references to issue"),
            cohorts.count(),
            reverse("certificates:cohort_certificates", args=[oldest[0]]),
            note=_("the earliest finished on %(date)s") % {"date": oldest[1].strftime("%d.%m.%Y")},
        )
    ]
