"""The register of issued certificates (003 §7.6): every certificate, revoked and replaced ones included, found by
number or holder, filtered by the period of issue, program, cohort, organisation, region and state, paged for the
staff's page and written to Excel for an inspector (in a background job, ``ziat.exports``)."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.enums import Region, RequestStatus
from enrolment.models import Cohort, Partner, RequestedTeacher
from programs.models import Program
from ziat.errors import DomainError
from ziat.excel import Sheet, Styled, bold, write_workbook
from ziat.exports import export_builder
from ziat.listing import FilterSet, Search

from .enums import CertificateState
from .models import Certificate, CertificateDuplicate

DUPLICATE_ISSUED = "duplicate"
STATE_CHOICES = [*CertificateState.choices, (DUPLICATE_ISSUED, gettext_lazy("Duplicate issued"))]
PAGE_SIZE = 50
DATE = "DD.MM.YYYY"


class _CohortField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.code


class _CohortChoice(django_filters.ModelChoiceFilter):
    field_class = _CohortField


class _RegisterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", _("The end of the period is before its start."))
        return data


def _date(label, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name="issued_on",
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _sent_by():
    """The accepted requests' teachers of the certificate's cohort who became its holder."""
    return RequestedTeacher.objects.filter(
        request__status=RequestStatus.ACCEPTED,
        request__cohort_id=OuterRef("enrolment__cohort_id"),
        listener_id=OuterRef("enrolment__listener_id"),
    )


def _state(state, today):
    current = Q(revoked_at__isnull=True, replaced_at__isnull=True)
    return {
        CertificateState.VALID: current & Q(valid_until__gte=today),
        CertificateState.EXPIRED: current & Q(valid_until__lt=today),
        CertificateState.REVOKED: Q(revoked_at__isnull=False),
        CertificateState.REPLACED: Q(revoked_at__isnull=True, replaced_at__isnull=False),
        DUPLICATE_ISSUED: Q(Exists(CertificateDuplicate.objects.filter(certificate_id=OuterRef("pk")))),
    }[state]


class RegisterFilter(FilterSet):
    """The register's filters (``ziat.listing``); the same ones choose what the export writes."""

    class Meta:
        form = _RegisterForm

    q = Search(label=gettext_lazy("number or holder"), fields=("registration_number", "holder_name"))
    issued_from = _date(gettext_lazy("issued from"), "gte")
    issued_to = _date(gettext_lazy("issued to"), "lte")
    program = django_filters.ModelChoiceFilter(
        label=gettext_lazy("program"),
        field_name="enrolment__cohort__program",
        queryset=Program.objects.filter(cohorts__isnull=False).distinct().order_by("pk"),
    )
    cohort = _CohortChoice(
        label=gettext_lazy("cohort"),
        field_name="enrolment__cohort",
        queryset=Cohort.objects.order_by("-starts_on", "code"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=gettext_lazy("organisation that sent the teacher"),
        queryset=Partner.objects.order_by("name"),
        method="filter_organisation",
    )
    region = django_filters.ChoiceFilter(label=gettext_lazy("region"), choices=Region.choices, method="filter_region")
    state = django_filters.ChoiceFilter(label=gettext_lazy("state"), choices=STATE_CHOICES, method="filter_state")

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(Exists(_sent_by().filter(request__partner=value)))

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            Q(enrolment__listener__region=value) | Exists(_sent_by().filter(request__partner__region=value))
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(_state(value, timezone.localdate()))

    def plain(self):
        """The valid filters as plain text, to hand to the export's task."""
        data = self.form.cleaned_data
        return {key: self.data[key] for key in self.filters if self.data.get(key) and data.get(key)}


def register_rows():
    """Every certificate of the register, newest first, with what a row shows read in a fixed number of
    queries; ``RegisterFilter`` narrows it."""
    duplicates = Prefetch("duplicates", queryset=CertificateDuplicate.objects.order_by("issued_on", "pk"))
    return (
        Certificate.objects.select_related("enrolment__cohort", "replaced_by", "replaces")
        .prefetch_related(duplicates)
        .annotate(
            organisation=Coalesce(
                Subquery(_sent_by().order_by("pk").values("request__partner__name")[:1]),
                NullIf(F("enrolment__listener__workplace"), Value("")),
            )
        )
        .order_by("-issued_on", "-year", "-sequence")
    )


# ------------------------------------------------------------------------------------------------ the export


def _header():
    return [
        _("Registration number"),
        _("Holder"),
        _("Course topic (Kazakh)"),
        _("Course topic (Russian)"),
        _("Academic hours"),
        _("Cohort"),
        _("Organisation"),
        _("Date of issue"),
        _("Valid until"),
        _("State"),
        _("Reason for revocation"),
        _("Replaced by"),
        _("Replaces"),
        _("Duplicates"),
    ]


def register_row(certificate, today):
    """One certificate as the export's row (and as the tests read it back)."""
    replaced_by = getattr(certificate, "replaced_by", None)
    return [
        certificate.registration_number,
        certificate.holder_name,
        certificate.program_title_kk,
        certificate.program_title_ru,
        certificate.hours,
        certificate.enrolment.cohort.code,
        certificate.organisation or "",
        Styled(certificate.issued_on, number_format=DATE),
        Styled(certificate.valid_until, number_format=DATE),
        str(certificate.state_on(today).label),
        certificate.get_revoked_category_display() if certificate.revoked_at else "",
        replaced_by.registration_number if replaced_by else "",
        certificate.replaces.registration_number if certificate.replaces_id else "",
        "; ".join(f"{d.issued_on:%d.%m.%Y} ({d.get_reason_display()})" for d in certificate.duplicates.all()),
    ]


def register_workbook(selection, *, today=None):
    """The .xlsx of a selection of the register, written row by row."""
    today = today or timezone.localdate()

    def rows():
        yield [bold(str(h)) for h in _header()]
        for certificate in selection.iterator(chunk_size=500):
            yield register_row(certificate, today)

    widths = {"A": 20, "B": 32, "C": 40, "D": 40, "E": 10, "F": 16, "G": 32, "H": 12, "I": 12, "J": 14, "K": 30}
    widths |= {"L": 20, "M": 20, "N": 30}
    return write_workbook([Sheet(title=_("Register of certificates"), rows=rows(), widths=widths, freeze="A2")])


@export_builder
def register_file(*, filters, language="kk"):
    """The register's export of the selection ``filters`` (plain values of ``RegisterFilter``)."""
    with translation.override(language):
        found = RegisterFilter(filters, queryset=register_rows())
        if not found.is_valid():
            raise DomainError(_("The register's filters are not valid; nothing was exported."))
        return register_workbook(found.qs)
