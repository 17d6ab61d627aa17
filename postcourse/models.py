from django.db import models
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment


class SupportPeriod(models.Model):
    """One calendar year of post-course support from the end of the course (000 §4.1, 001 §36)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="support_period")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("post-course support period")
        verbose_name_plural = _("post-course support periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="support_period_order")
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.starts_on:%d.%m.%Y} – {self.ends_on:%d.%m.%Y}"
