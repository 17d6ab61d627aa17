from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced")


class RevocationCategory(models.TextChoices):
    """The officially worded reason a revocation shows in public (000 §3.8, 001 §33); the internal note is not
    shown there."""

    ISSUED_IN_ERROR = "issued_in_error", _("issued in error")
    FALSE_DATA = "false_data", _("issued on the basis of false information")
    ASSESSMENT_VIOLATION = "assessment_violation", _("violation of the rules of the final assessment")
    AUTHORITY_DECISION = "authority_decision", _("by decision of an authorised body")


class DuplicateReason(models.TextChoices):
    LOST = "lost", _("the original was lost")
    DAMAGED = "damaged", _("the original was damaged")


VALIDITY_YEARS = 3  # 000 §3.8, 001 §33
