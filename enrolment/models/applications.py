"""A teacher's own application with the questionnaire and documents (001 App. 1, 003 App. 1-2, §6.2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.enums import Language

from ..enums import ApplicationStatus, DocumentKind, Funding
from .core import Cohort, Listener


class Application(models.Model):
    listener = models.ForeignKey(
        Listener, verbose_name=_("listener"), on_delete=models.PROTECT, related_name="applications"
    )
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="applications")
    language = models.CharField(_("language of instruction"), max_length=10, choices=Language.choices)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # The questionnaire as it was when the application was submitted (003 App. 2).
    questionnaire = models.JSONField(_("questionnaire"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["listener", "cohort"],
                condition=~models.Q(status="withdrawn"),
                name="application_one_per_cohort",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_reason=""),
                name="application_return_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.listener} — {self.cohort.code}"


def document_path(instance, filename):
    return f"enrolment/applications/{instance.application_id}/{instance.kind}/{filename}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document of an application")
        verbose_name_plural = _("documents of applications")
        ordering = ["application", "kind"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="application_document_unique")]

    def __str__(self):
        return self.get_kind_display()
