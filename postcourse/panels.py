"""The post-course support's panel of the cabinet: the year of support after the certificate (000 §4.1)."""

from enrolment.cabinet import Panel, register

from .models import SupportPeriod


def _support(enrolments, *, today):
    found = SupportPeriod.objects.filter(enrolment_id__in=[e.pk for e in enrolments])
    return {p.enrolment_id: {"period": p} for p in found}


register(Panel("support", "postcourse/cabinet/support.html", 60, _support))
