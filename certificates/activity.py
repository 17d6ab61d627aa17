"""The logged actions of certificates."""

from django.utils.translation import gettext_lazy as _

from ziat.activity import register_actions

register_actions(
    ("certificates.certificate.issued", _("Certificate issued"), {"fields": {"registration_number": _("No.")}}),
    ("certificates.certificate.revoked", _("Certificate revoked"), {"fields": {"revoked": _("revoked")}}),
    ("certificates.certificate.withheld", _("Certificate not issued")),
)
