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
    """The levels of the planning chain (001 §§11-13): organisations, departments, administrations, ministry."""

    MINISTRY = "ministry", _("Ministry of education (authorised body)")
    REGIONAL = "regional", _("Regional education department")
    DISTRICT = "district", _("District or city education department")
    SCHOOL = "school", _("School or college")
    COLLEGE = "college", _("College")
    KINDERGARTEN = "kindergarten", _("Kindergarten")


# The education organisations where teachers work and apply (001 §10-11).
ORGANISATION_KINDS = (PartnerKind.SCHOOL, PartnerKind.COLLEGE, PartnerKind.KINDERGARTEN)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Sent")
    RETURNED = "returned", _("Returned")


class PlanApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the head's decision")
    ACCEPTED = "accepted", _("Accepted by the head")
    DECLINED = "declined", _("Declined by the head")


class AbroadTerm(models.TextChoices):
    MONTHS = "months", _("up to 3 months")
    YEAR = "year", _("up to 1 year")


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


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused absence")


# The marks that count as attended hours; an excused absence is still an absence (001 §24).
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class TrainerKind(models.TextChoices):
    STAFF = "staff", _("Staff trainer")
    EXTERNAL = "external", _("External trainer (certified)")
    INDUSTRY = "industry", _("Industry specialist")
    UNIVERSITY = "university", _("University teaching staff")
    INVITED = "invited", _("Invited lecturer")


class AcademicDegree(models.TextChoices):
    NONE = "none", _("None")
    MASTER = "master", _("Master")
    CANDIDATE = "candidate", _("Candidate of sciences")
    PHD = "phd", _("PhD")
    DOCTOR = "doctor", _("Doctor of sciences")


class TrainerCategory(models.TextChoices):
    NONE = "none", _("None")
    MODERATOR = "moderator", _("Teacher-moderator")
    EXPERT = "expert", _("Teacher-expert")
    RESEARCHER = "researcher", _("Teacher-researcher")
    MASTER = "master", _("Teacher-master")


class ContractType(models.TextChoices):
    STAFF = "staff", _("Staff position")
    SERVICE = "service", _("Service contract")
    HOURLY = "hourly", _("Hourly pay")
