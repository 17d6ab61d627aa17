from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    EXPELLED = "expelled", _("Expelled")


class Funding(models.TextChoices):
    STATE = "state", _("State order (budget)")
    EMPLOYER = "employer", _("Employer")
    OWN = "own", _("Own funds")
