"""The external final assessment of a long course (000 §2.1.10)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment


class ExternalAssessment(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="external_assessment")
    held_on = models.DateField(_("held on"))
    assessor = models.CharField(_("assessed by"), max_length=300)
    result = models.CharField(_("result"), max_length=300)
    passed = models.BooleanField(_("passed"))
    document = models.FileField(_("document"), upload_to="external/%Y/")
    original_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("external final assessment")
        verbose_name_plural = _("external final assessments")

    def __str__(self):
        return f"{self.enrolment}: {self.result}"
