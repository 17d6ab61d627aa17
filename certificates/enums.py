from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


VALIDITY_YEARS = 3  # 000 §3.8, 001 §33
