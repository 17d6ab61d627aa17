"""The logged actions of certificates."""

from django.utils.translation import gettext_lazy as _

from ziat.activity import register_actions

from .enums import CertificateState, DuplicateReason

register_actions(
    ("certificates.certificate.issued", _("Certificate issued"), {"fields": {"registration_number": _("No.")}}),
    ("certificates.certificate.revoked", _("Certificate revoked"), {"fields": {"revoked": _("revoked")}}),
    (
        "certificates.reference.registered",
        _("Reference of attendance registered"),
        {"fields": {"registration_number": _("No.")}},
    ),
    (
        "certificates.internship.recorded",
        _("Internship reference recorded"),
        {
            "fields": {
                "starts_on": _("internship from"),
                "ends_on": _("internship to"),
                "speciality": _("speciality and qualification"),
                "enterprise": _("enterprise (organisation)"),
                "hours": _("academic hours"),
                "functions": _("functional duties performed (position)"),
                "skills": _("professional skills acquired"),
                "head_name": _("head of the enterprise"),
            }
        },
    ),
    (
        "certificates.internship_certificate.issued",
        _("Internship certificate issued"),
        {"fields": {"registration_number": _("No.")}},
    ),
    (
        "certificates.certificate.duplicate_issued",
        _("Duplicate issued"),
        {
            "fields": {"registration_number": _("No."), "issued_on": _("date of issue"), "reason": _("reason")},
            "choices": {"reason": DuplicateReason},
        },
    ),
    (
        "certificates.certificate.replaced",
        _("Certificate replaced by a corrected one"),
        {"fields": {"state": _("state"), "replaced_by": _("replaced by")}, "choices": {"state": CertificateState}},
    ),
    ("certificates.certificate.reissued", _("Corrected certificate issued"), {"fields": {"replaces": _("replaces")}}),
    ("certificates.certificate.withheld", _("Certificate not issued")),
)
