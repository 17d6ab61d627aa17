from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localized(obj, field):
    """The Kazakh or Russian variant of ``field`` for the active language, falling back to the other."""
    lang = (get_language() or "kk")[:2]
    first, second = ("ru", "kk") if lang in ("ru", "en") else ("kk", "ru")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class User(AbstractUser):
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def __str__(self):
        return self.full_name or self.username


# The organisation is read by every page (its names in the layout): it is kept in the shared cache, which every
# application process sees, and dropped from it whenever it changes.
ORGANISATION_CACHE_KEY = "ziat:organisation"
ORGANISATION_CACHE_SECONDS = 3600


def forget_organisation():
    """Drop the cached organisation now and once the current transaction commits (so that no process keeps a
    version read before the change was committed)."""
    cache.delete(ORGANISATION_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ORGANISATION_CACHE_KEY))


class OrganisationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        forget_organisation()
        return super().update(**kwargs)

    def delete(self):
        forget_organisation()
        return super().delete()


class Organisation(models.Model):
    """The single organisation this deployment serves (pk is always 1)."""

    ACADEMIC_HOUR_CHOICES = [(45, _("45 minutes")), (50, _("50 minutes"))]

    name_kk = models.CharField(_("official name (Kazakh)"), max_length=500)
    name_ru = models.CharField(_("official name (Russian)"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisation/", blank=True)
    city_kk = models.CharField(_("city (Kazakh)"), max_length=100, blank=True)
    city_ru = models.CharField(_("city (Russian)"), max_length=100, blank=True)
    head_title_kk = models.CharField(_("head's title (Kazakh)"), max_length=100, default="Директор")
    head_title_ru = models.CharField(_("head's title (Russian)"), max_length=100, default="Директор")
    head_name = models.CharField(_("head's name"), max_length=200, blank=True)
    academic_hour_minutes = models.PositiveSmallIntegerField(
        _("academic hour, minutes"), choices=ACADEMIC_HOUR_CHOICES, default=45
    )
    registration_prefix = models.CharField(
        _("registration-number prefix"),
        max_length=20,
        default="ZIAT",
        help_text=_("Printed before the year and the sequence number, e.g. ZIAT-2026-00017."),
    )
    pass_floor_percent = models.PositiveSmallIntegerField(
        _("pass mark floor, percent of the maximum"),
        default=50,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_("The law sets 50%; the organisation may require more, never less."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="organisation_singleton"),
            models.CheckConstraint(
                condition=models.Q(pass_floor_percent__gte=50, pass_floor_percent__lte=100),
                name="organisation_pass_floor_at_least_50",
            ),
            models.CheckConstraint(
                condition=models.Q(academic_hour_minutes__in=[45, 50]), name="organisation_academic_hour"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        forget_organisation()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_organisation()
        return result

    @property
    def name(self):
        return localized(self, "name")

    @property
    def head_title(self):
        return localized(self, "head_title")

    @classmethod
    def current(cls):
        """The organisation, from the shared cache when it is there (one read of the database per change)."""
        org = cache.get(ORGANISATION_CACHE_KEY)
        if org is None:
            org = cls.objects.filter(pk=1).first()
            if org is None:
                return cls(pk=1, name_kk="Біліктілікті арттыру орталығы", name_ru="Центр повышения квалификации")
            cache.set(ORGANISATION_CACHE_KEY, org, ORGANISATION_CACHE_SECONDS)
        return org


class CalendarDay(models.Model):
    """A day the government made a working day or a day off, overriding weekends and public holidays."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(
        _("working day"), help_text=_("Ticked: a Saturday or Sunday made a working day. Unticked: a day off.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("day transfer")
        verbose_name_plural = _("day transfers")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y}"
