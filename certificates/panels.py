"""The certificates' panel of the cabinet: every document the centre issued for a course, with its file.

For each course: its certificates (the current one, and a replaced one marked as replaced with the way to
its successor), their duplicates, the Open Badges file and a link to share the verification page; the
reference of attendance (000 §3.9, 001 §31) once registered; the internship certificate (001 §30, App. 6).
Everything is read in a fixed number of queries, whatever the number of courses and documents.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from enrolment.cabinet import Panel, Step, register

from .models import Certificate, CertificateDuplicate, InternshipCertificate, Reference


@dataclass
class Shown:
    """A certificate as the cabinet lists it."""

    certificate: Certificate
    successor: Certificate | None
    badge_url: str
    duplicates: list


def badge_url(certificate):
    """The address of the certificate's Open Badges file, or "" while the site has none."""
    try:
        return reverse("certificates:badge", args=[certificate.pk])
    except NoReverseMatch:
        return ""


def _certificates(enrolment_ids):
    duplicates = Prefetch("duplicates", queryset=CertificateDuplicate.objects.order_by("issued_on", "pk"))
    found = (
        Certificate.objects.filter(enrolment_id__in=enrolment_ids)
        .select_related("replaced_by")
        .prefetch_related(duplicates)
        .order_by("enrolment_id", "replaced_at", "-issued_on", "-pk")
    )
    out = {}
    for c in found:
        successor = getattr(c, "replaced_by", None) if c.replaced_at else None
        out.setdefault(c.enrolment_id, []).append(
            Shown(certificate=c, successor=successor, badge_url=badge_url(c), duplicates=list(c.duplicates.all()))
        )
    return out


def _documents(enrolments, *, today):
    ids = [e.pk for e in enrolments]
    certificates = _certificates(ids)
    references = {r.enrolment_id: r for r in Reference.objects.filter(enrolment_id__in=ids)}
    internships = {
        c.internship.enrolment_id: c
        for c in InternshipCertificate.objects.filter(internship__enrolment_id__in=ids).select_related("internship")
    }
    contexts = {}
    for e in enrolments:
        shown = certificates.get(e.pk, [])
        if shown or e.pk in references or e.pk in internships:
            contexts[e.pk] = {
                "next": _steps(shown),
                "certificates": shown,
                "reference": references.get(e.pk),
                "internship_certificate": internships.get(e.pk),
            }
    return contexts


def _steps(shown):
    """The current certificate at the top of the cabinet: its files without scrolling."""
    steps = []
    for item in shown:
        certificate = item.certificate
        if certificate.replaced_at or certificate.revoked_at:
            continue
        text = _("Your certificate No. %(number)s is issued.") % {"number": certificate.registration_number}
        url = reverse("certificates:certificate_pdf", args=[certificate.pk])
        steps.append(Step(text, url, label=_("Certificate (PDF)")))
    return steps


register(Panel("certificate", "certificates/cabinet/certificate.html", 50, _documents))
