from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment
from ziat.models import StoredDocument, localized

from .enums import CertificateState, DuplicateReason, RevocationCategory


class Verifiable:
    """A document whose QR code opens its public page (``verification_route`` with the document's token)."""

    verification_route = "certificates:verify"

    @property
    def verification_path(self):
        return reverse(self.verification_route, args=[self.token])

    @property
    def verification_url(self):
        return settings.SITE_URL + self.verification_path


class Certificate(Verifiable, models.Model):
    """An issued certificate, with what it certifies copied at issue so that it never changes later."""

    # An enrolment has one current certificate; a corrected reissue replaces it (``replaces``), and the
    # replaced one stays in the register with ``replaced_at`` set.
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="certificates")
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
    revoked_category = models.CharField(
        _("reason for revocation"), max_length=30, choices=RevocationCategory.choices, blank=True
    )
    revoked_reason = models.TextField(_("internal note on the revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by", verbose_name=_("replaces")
    )
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    # Every field the documents print, as printed on the day of issue (see ``certificates.snapshot``).
    snapshot = models.JSONField(_("printed fields"), default=dict, editable=False)
    certificate_document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    appendix_document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
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
            models.UniqueConstraint(
                fields=["enrolment"], condition=models.Q(replaced_at__isnull=True), name="certificate_one_current"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")), name="certificate_validity_after_issue"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoked_category=""),
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
        if self.replaced_at:
            return CertificateState.REPLACED
        if day > self.valid_until:
            return CertificateState.EXPIRED
        return CertificateState.VALID

    @property
    def state(self):
        return self.state_on()


class AppendixLine(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("No."))
    module_title_kk = models.CharField(_("module (Kazakh)"), max_length=500, blank=True)
    module_title_ru = models.CharField(_("module (Russian)"), max_length=500, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=50)
    grade_kk = models.CharField(_("grade (Kazakh)"), max_length=100, blank=True)
    grade_ru = models.CharField(_("grade (Russian)"), max_length=100, blank=True)
    is_final_assessment = models.BooleanField(_("final assessment"), default=False)

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

    @property
    def grade_text(self):
        """The grade in the interface's language: Kazakh or Russian as printed, English shown as Russian."""
        return localized(self, "grade") or self.grade


class CertificateDuplicate(Verifiable, models.Model):
    """A duplicate of a lost or damaged certificate (SPEC 5.6): the same registration number, marked
    "duplicate", with its own date of issue and its own QR code."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="duplicates")
    issued_on = models.DateField(_("date of issue"))
    reason = models.CharField(_("reason"), max_length=20, choices=DuplicateReason.choices)
    note = models.TextField(_("note"), blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    certificate_document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    appendix_document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("duplicate")
        verbose_name_plural = _("duplicates")
        ordering = ["certificate", "issued_on", "pk"]

    def __str__(self):
        return f"{self.certificate.registration_number} ({_('duplicate')} {self.issued_on:%d.%m.%Y})"


class VerificationPage(models.Model):
    """The public page a certificate's or a duplicate's QR code opens, in one language, rendered ahead (see
    ``certificates.verification``) so that a scan reads one row: whether it reads "valid" or "expired" is
    decided by the date at each request, between the two bodies kept. Rows of another ``version`` (the page's
    templates, translations and static files) are not served."""

    token = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    version = models.CharField(max_length=16)
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey(CertificateDuplicate, on_delete=models.CASCADE, null=True, related_name="+")
    # None when the state does not depend on the date (revoked, replaced): ``body`` is then served always.
    valid_until = models.DateField(null=True)
    body = models.TextField()  # the page up to ``valid_until`` inclusive
    body_expired = models.TextField(blank=True)  # the page from the day after ``valid_until``
    prepared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "language"], name="verification_page_unique")]

    def __str__(self):
        return f"{self.token} ({self.language})"


class RegisterSequence(models.Model):
    """The last sequence number used in a register (certificates, references, ...) in a year; the row is
    locked while a number is taken, so numbers are gapless and never reused (003 §7.6)."""

    register = models.CharField(max_length=30)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="register_sequence_unique")]

    def __str__(self):
        return f"{self.register} {self.year}: {self.last}"


# ------------------------------------------------------------------------------------------------ references


class Reference(models.Model):
    """A reference of attendance for a listener who did not pass (000 §3.9, 001 §31), in its own register:
    numbered when first asked for, printed then and served as the same file ever after."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="attendance_reference", verbose_name=_("enrolment")
    )
    registration_number = models.CharField(_("registration number"), max_length=50, unique=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    holder_name = models.CharField(_("holder"), max_length=500)
    issued_on = models.DateField(_("date of issue"))
    # None when the listener asked for it in the cabinet.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    snapshot = models.JSONField(_("printed fields"), default=dict, editable=False)
    document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("reference of attendance")
        verbose_name_plural = _("references of attendance")
        ordering = ["-year", "-sequence"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="reference_sequence_unique")]

    def __str__(self):
        return f"№ {self.registration_number} — {self.holder_name}"


# ------------------------------------------------------------------------------------------------ internships


class Internship(models.Model):
    """The enterprise's reference on a TVET teacher's internship (001 §30, App. 5), as recorded by staff from
    the paper the teacher hands in; the internship certificate is issued on its basis."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="internship", verbose_name=_("enrolment")
    )
    starts_on = models.DateField(_("internship from"))
    ends_on = models.DateField(_("internship to"))
    speciality = models.CharField(_("speciality and qualification"), max_length=500)
    enterprise = models.CharField(_("enterprise (organisation)"), max_length=500)
    hours = models.DecimalField(_("academic hours"), max_digits=6, decimal_places=1)
    functions = models.TextField(_("functional duties performed (position)"))
    skills = models.TextField(_("professional skills acquired"))
    head_name = models.CharField(_("head of the enterprise"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="internship_period"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="internship_hours_positive"),
        ]

    def __str__(self):
        return f"{self.enrolment.listener} — {self.enterprise}"


class InternshipCertificate(Verifiable, models.Model):
    """The certificate of a completed internship (001 §30, App. 6), with its own registration number and QR."""

    verification_route = "certificates:verify_internship"

    internship = models.OneToOneField(
        Internship, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("internship")
    )
    registration_number = models.CharField(_("registration number"), max_length=50, unique=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    token = models.CharField(max_length=64, unique=True, editable=False)
    holder_name = models.CharField(_("holder"), max_length=500)
    issued_on = models.DateField(_("date of issue"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    snapshot = models.JSONField(_("printed fields"), default=dict, editable=False)
    document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("internship certificate")
        verbose_name_plural = _("internship certificates")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="internship_certificate_sequence_unique")
        ]

    def __str__(self):
        return f"№ {self.registration_number} — {self.holder_name}"


class SigningKey(models.Model):
    """The organisation's Ed25519 key, made once when ``CERTIFICATE_SIGNING_KEY`` is not set (see
    ``certificates.signing``): every process signs with the same row."""

    name = models.CharField(max_length=30, unique=True)
    seed = models.CharField(_("private key (base64 seed)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self):
        return self.name


class SignatureCertificate(models.Model):
    """The organisation's key and self-signed certificate for the PAdES signature of issued PDF files, made once
    when ``PDF_SIGNING_KEY`` is not set (see ``certificates.pdf_signature``); the certificate is made again for the
    same key when the organisation's name changes."""

    name = models.CharField(max_length=30, unique=True)
    private_key = models.TextField(_("private key (PEM)"), editable=False)
    certificate = models.TextField(_("certificate (PEM)"), editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("signature certificate")
        verbose_name_plural = _("signature certificates")

    def __str__(self):
        return self.name
