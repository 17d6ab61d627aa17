from django.dispatch import receiver

from certificates.models import Certificate
from certificates.signals import certificate_issued
from ziat.dates import add_years

from .followups import follow_ups_plan
from .models import SupportPeriod

SUPPORT_YEARS = 1  # 000 §4.1, 001 §36, 003 §8.2


def support_period_open(enrolment):
    """Open (idempotently) the listener's year of post-course support, counted from the course end."""
    ends = enrolment.cohort.ends_on
    period, _created = SupportPeriod.objects.get_or_create(
        enrolment=enrolment, defaults={"starts_on": ends, "ends_on": add_years(ends, SUPPORT_YEARS)}
    )
    follow_ups_plan(period)
    return period


@receiver(certificate_issued, sender=Certificate, dispatch_uid="postcourse_open_support")
def _open_after_certificate(sender, certificate, **kwargs):
    support_period_open(certificate.enrolment)
