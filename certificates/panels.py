"""The certificates' panel of the cabinet: the certificate and its appendix to download."""

from enrolment.cabinet import Panel, register

from .models import Certificate


def _certificates(enrolments, *, today):
    found = Certificate.objects.filter(enrolment_id__in=[e.pk for e in enrolments], replaced_at__isnull=True)
    return {c.enrolment_id: {"certificate": c} for c in found}


register(Panel("certificate", "certificates/cabinet/certificate.html", 50, _certificates))
