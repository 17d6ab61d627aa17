"""The register of issued certificates (003 §7.6): every certificate, revoked and replaced ones included, found by
number or holder, filtered by the period of issue, program, cohort, organisation, region and state, paged for the
staff's page and written to Excel for an inspector (in a background job, ``ziat.exports``)."""

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

from .enums import CertificateState
from .models import Certificate, CertificateDuplicate

DUPLICATE_ISSUED = "duplicate"
STATE_CHOICES = [("", "—"), *CertificateState.choices, (DUPLICATE_ISSUED, gettext_lazy("Duplicate issued"))]
FILTERS = ("q", "issued_from", "issued_to", "program", "cohort", "organisation", "region", "state")
PAGE_SIZE = 50
DATE = "DD.MM.YYYY"


class _CohortChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.code


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("number or holder"), required=False, max_length=200)
    issued_from = forms.DateField(
        label=gettext_lazy("issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label=gettext_lazy("issued to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    program = forms.ModelChoiceField(
        label=gettext_lazy("program"),
        queryset=Program.objects.filter(cohorts__isnull=False).distinct().order_by("pk"),
        required=False,
    )
    cohort = _CohortChoice(
        label=gettext_lazy("cohort"), queryset=Cohort.objects.order_by("-starts_on", "code"), required=False
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("organisation that sent the teacher"),
        queryset=Partner.objects.order_by("name"),
        required=False,
    )
    region = forms.ChoiceField(label=gettext_lazy("region"), choices=[("", "—"), *Region.choices], required=False)
    state = forms.ChoiceField(label=gettext_lazy("state"), choices=STATE_CHOICES, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", _("The end of the period is before its start."))
        return data

    def plain(self):
        """The valid filters as plain text, to hand to the export's task."""
        return {key: self.data[key] for key in FILTERS if self.data.get(key) and self.cleaned_data.get(key)}


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


def register_selection(filters, *, today=None):
    """The certificates of the register matching ``filters`` (a ``RegisterFilterForm``'s cleaned data), newest
    first, with what a row shows read in a fixed number of queries."""
    today = today or timezone.localdate()
    duplicates = Prefetch("duplicates", queryset=CertificateDuplicate.objects.order_by("issued_on", "pk"))
    found = (
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
    if q := " ".join((filters.get("q") or "").split()):
        found = found.filter(Q(registration_number__icontains=q) | Q(holder_name__icontains=q))
    if filters.get("issued_from"):
        found = found.filter(issued_on__gte=filters["issued_from"])
    if filters.get("issued_to"):
        found = found.filter(issued_on__lte=filters["issued_to"])
    if filters.get("program"):
        found = found.filter(enrolment__cohort__program=filters["program"])
    if filters.get("cohort"):
        found = found.filter(enrolment__cohort=filters["cohort"])
    if filters.get("organisation"):
        found = found.filter(Exists(_sent_by().filter(request__partner=filters["organisation"])))
    if region := filters.get("region"):
        found = found.filter(
            Q(enrolment__listener__region=region) | Exists(_sent_by().filter(request__partner__region=region))
        )
    if state := filters.get("state"):
        found = found.filter(_state(state, today))
    return found


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
    """The register's export of the selection ``filters`` (plain values of ``RegisterFilterForm``)."""
    with translation.override(language):
        form = RegisterFilterForm(filters)
        if not form.is_valid():
            raise DomainError(_("The register's filters are not valid; nothing was exported."))
        return register_workbook(register_selection(form.cleaned_data))
