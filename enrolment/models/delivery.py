"""Who teaches and who came: the trainers' registry (001 §3, §21-22, 003 §5) and self check-in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import AcademicDegree, ContractType, TrainerCategory, TrainerKind
from .core import Enrolment, Session


def trainer_path(instance, filename):
    return f"enrolment/trainers/{instance.user_id}/{filename}"


class Trainer(models.Model):
    """A trainer of the centre: staff, external under a service contract, or an invited lecturer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="trainer"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TrainerKind.choices, default=TrainerKind.STAFF)
    education = models.CharField(_("education (degree)"), max_length=300, blank=True)
    academic_degree = models.CharField(
        _("academic degree"), max_length=20, choices=AcademicDegree.choices, default=AcademicDegree.NONE
    )
    category = models.CharField(
        _("qualification category"), max_length=20, choices=TrainerCategory.choices, default=TrainerCategory.NONE
    )
    is_certified = models.BooleanField(_("certified trainer"), default=False)
    certificate_number = models.CharField(_("trainer's certificate No."), max_length=100, blank=True)
    certificate = models.FileField(_("trainer's certificate"), upload_to=trainer_path, blank=True)
    industry_experience = models.PositiveSmallIntegerField(_("industry experience, years"), default=0)
    contract_type = models.CharField(
        _("contract"), max_length=20, choices=ContractType.choices, default=ContractType.STAFF
    )
    contract_document = models.FileField(_("contract document"), upload_to=trainer_path, blank=True)
    profile = models.CharField(_("profile (subjects)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            # External trainers are certified trainers (003 §5.1.5).
            models.CheckConstraint(
                condition=~models.Q(kind="external") | models.Q(is_certified=True),
                name="external_trainer_is_certified",
            )
        ]

    def __str__(self):
        return str(self.user)


class CheckIn(models.Model):
    """A listener's self check-in with the session's rotating QR code; one per listener and session."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="checkins")
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="checkins"
    )
    window = models.BigIntegerField(_("code window"))
    at = models.DateTimeField(_("checked in"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="checkin_once_per_session")]

    def __str__(self):
        return f"{self.enrolment} {self.session}"


class CalendarFeed(models.Model):
    """The random token in the address of a user's iCalendar feed; renewing it revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
