from django.db import models
from django.utils.translation import gettext_lazy as _


class SatisfactionAspect(models.TextChoices):
    """What a listener rates during the course (000 §4.5 4))."""

    CONTENT = "content", _("content of the course")
    ORGANISATION = "organisation", _("organisation of the course")
    TEACHING = "teaching", _("quality of teaching")


class SelfAnalysisRole(models.TextChoices):
    """Who writes a self-analysis after a cohort (000 §4.5 6))."""

    TRAINER = "trainer", _("trainer")
    ORGANISER = "organiser", _("organiser")


class ReviewStatus(models.TextChoices):
    """An effectiveness review of a program (000 §4.4, 001 §38)."""

    DRAFT = "draft", _("assembled")
    CONCLUDED = "concluded", _("concluded by the methodist")
    APPROVED = "approved", _("approved by the director")
