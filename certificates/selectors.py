import datetime

from django.db.models import Exists, F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext as _

from enrolment.enums import EnrolmentStatus
from enrolment.models import Cohort, Enrolment
from ziat import access
from ziat.workspace import Item

from .filters import requested_holders
from .models import AppendixLine, Certificate, CertificateDuplicate, Reference


def certificate_for_document(pk):
    lines = Prefetch("lines", queryset=AppendixLine.objects.order_by("position"))
    return (
        Certificate.objects.select_related("enrolment__listener", "certificate_document", "appendix_document")
        .prefetch_related(lines)
        .filter(pk=pk)
        .first()
    )


# ------------------------------------------------------------------------------- the register of certificates


def register_rows():
    """Every certificate of the register, newest first, with what a row shows read in a fixed number of
    queries; ``RegisterFilter`` narrows it."""
    duplicates = Prefetch("duplicates", queryset=CertificateDuplicate.objects.order_by("issued_on", "pk"))
    return (
        Certificate.objects.select_related("enrolment__cohort", "replaced_by", "replaces")
        .prefetch_related(duplicates)
        .annotate(
            organisation=Coalesce(
                Subquery(requested_holders().order_by("pk").values("request__partner__name")[:1]),
                NullIf(F("enrolment__listener__workplace"), Value("")),
            )
        )
        .order_by("-issued_on", "-year", "-sequence")
    )


# ------------------------------------------------------------------------------- the register of references


def references_in_period(*, date_from=None, date_to=None, user=None):
    """The register's entries issued in a period (either end open), newest first, for one query."""
    found = Reference.objects.select_related("enrolment__cohort", "issued_by")
    if date_from:
        found = found.filter(issued_on__gte=date_from)
    if date_to:
        found = found.filter(issued_on__lte=date_to)
    if user is not None:
        found = access.scope(user, found)
    return found.order_by("-year", "-sequence")


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
