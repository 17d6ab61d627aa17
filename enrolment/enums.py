from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    # Listed for the cohort; the enrolment takes effect when the admission order is signed (001 §18).
    ADMITTED = "admitted", _("Admitted, awaiting the order")
    ENROLLED = "enrolled", _("Enrolled")
    INTERRUPTED = "interrupted", _("Interrupted")
    TRANSFERRED = "transferred", _("Transferred to another cohort")
    EXPELLED = "expelled", _("Expelled")


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")


class Region(models.TextChoices):
    ASTANA = "astana", _("Astana")
    ALMATY_CITY = "almaty_city", _("Almaty")
    SHYMKENT = "shymkent", _("Shymkent")
    ABAI = "abai", _("Abai region")
    AKMOLA = "akmola", _("Akmola region")
    AKTOBE = "aktobe", _("Aktobe region")
    ALMATY = "almaty", _("Almaty region")
    ATYRAU = "atyrau", _("Atyrau region")
    EAST_KZ = "east_kz", _("East Kazakhstan region")
    ZHAMBYL = "zhambyl", _("Zhambyl region")
    ZHETISU = "zhetisu", _("Zhetisu region")
    WEST_KZ = "west_kz", _("West Kazakhstan region")
    KARAGANDA = "karaganda", _("Karaganda region")
    KOSTANAY = "kostanay", _("Kostanay region")
    KYZYLORDA = "kyzylorda", _("Kyzylorda region")
    MANGYSTAU = "mangystau", _("Mangystau region")
    PAVLODAR = "pavlodar", _("Pavlodar region")
    NORTH_KZ = "north_kz", _("North Kazakhstan region")
    TURKISTAN = "turkistan", _("Turkistan region")
    ULYTAU = "ulytau", _("Ulytau region")


class PartnerKind(models.TextChoices):
    REGIONAL = "regional", _("Regional education department")
    DISTRICT = "district", _("District or city education department")
    SCHOOL = "school", _("School or college")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Sent to the centre")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Sent to the centre")
    RETURNED = "returned", _("Returned for corrections")
    ADMITTED = "admitted", _("Admitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentKind(models.TextChoices):
    """Documents of an application (003 §6.2)."""

    ID_COPY = "id_copy", _("Copy of the identity document")
    DIPLOMA = "diploma", _("Copy of the diploma")
    REFERRAL = "referral", _("Referral order of the school")


class MovementKind(models.TextChoices):
    TRANSFER = "transfer", _("Transfer to another cohort")
    INTERRUPTION = "interruption", _("Interruption")
    RESUMPTION = "resumption", _("Resumption")


class Funding(models.TextChoices):
    STATE = "state", _("State order (budget)")
    EMPLOYER = "employer", _("Employer's funds")
    OWN = "own", _("Own funds")
