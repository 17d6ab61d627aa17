from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment
from ziat.models import localized

from .enums import CertificateState


class Certificate(models.Model):
    """An issued certificate, with what it certifies copied at issue so that it never changes later."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    registration_number = models.CharField(_("registration number"), max_length=50, unique=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    token = models.CharField(max_length=64, unique=True, editable=False)
    holder_name = models.CharField(_("holder"), max_length=500)
    program_title_kk = models.CharField(_("course topic (Kazakh)"), max_length=500, blank=True)
    program_title_ru = models.CharField(_("course topic (Russian)"), max_length=500, blank=True)
    hours = models.DecimalField(_("academic hours"), max_digits=6, decimal_places=1)
    issued_on = models.DateField(_("date of issue"))
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-year", "-sequence"]
        permissions = [
            ("issue_certificate", _("Can issue certificates")),
            ("revoke_certificate", _("Can revoke certificates")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="certificate_sequence_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")), name="certificate_validity_after_issue"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoked_reason=""),
                name="certificate_revocation_has_reason",
            ),
        ]

    def __str__(self):
        return f"№ {self.registration_number} — {self.holder_name}"

    @property
    def program_title(self):
        return localized(self, "program_title")

    def state_on(self, day=None):
        day = day or timezone.localdate()
        if self.revoked_at:
            return CertificateState.REVOKED
        if day > self.valid_until:
            return CertificateState.EXPIRED
        return CertificateState.VALID

    @property
    def state(self):
        return self.state_on()

    @property
    def verification_path(self):
        return reverse("certificates:verify", args=[self.token])

    @property
    def verification_url(self):
        return settings.SITE_URL + self.verification_path


class AppendixLine(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("No."))
    module_title_kk = models.CharField(_("module (Kazakh)"), max_length=500, blank=True)
    module_title_ru = models.CharField(_("module (Russian)"), max_length=500, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=50)

    class Meta:
        verbose_name = _("appendix line")
        verbose_name_plural = _("appendix lines")
        ordering = ["certificate", "position"]
        constraints = [models.UniqueConstraint(fields=["certificate", "position"], name="appendix_line_unique")]

    def __str__(self):
        return f"{self.position}. {self.module_title}"

    @property
    def module_title(self):
        return localized(self, "module_title")


class RegisterCounter(models.Model):
    """The last registration sequence number used in a year; locked while a number is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
