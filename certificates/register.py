"""The register of issued certificates (003 §7.6): every certificate, revoked and replaced ones included, found by
number or holder, filtered by the period of issue, program, cohort, organisation, region and state
(``certificates.filters.RegisterFilter`` over ``certificates.selectors.register_rows``), paged for the staff's page
and written to Excel for an inspector (in a background job, ``ziat.exports``)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ziat.errors import DomainError
from ziat.excel import Sheet, Styled, bold, write_workbook
from ziat.exports import export_builder

from .filters import RegisterFilter
from .selectors import register_rows

DATE = "DD.MM.YYYY"


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
