from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportForm(models.TextChoices):
    """The forms of post-course support (000 §4.3, 001 §37, 004 §9)."""

    CONSULTING = "consulting", _("Methodical and consulting support")
    PUBLICATION = "publication", _("Help with publications")
    EVENT = "event", _("Experience-exchange event")
    COMMUNITY = "community", _("Professional community")
    MENTORING = "mentoring", _("Mentoring")
    FOLLOW_UP = "follow_up", _("Follow-up survey")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class ConsultationKind(models.TextChoices):
    QUESTION = "question", _("question")
    MEETING = "meeting", _("consultation meeting")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("waiting for an answer")
    ANSWERED = "answered", _("answered")
    SCHEDULED = "scheduled", _("meeting scheduled")
    HELD = "held", _("meeting held")
    CLOSED = "closed", _("closed")


class PublicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    IN_REVIEW = "in_review", _("in review")
    CHANGES_REQUESTED = "changes", _("changes requested")
    ACCEPTED = "accepted", _("ready for publication")
    PUBLISHED = "published", _("published")


class EventKind(models.TextChoices):
    """Events for exchanging experience (000 §4.3 3), 001 §37 3))."""

    CONTEST = "contest", _("contest")
    CONFERENCE = "conference", _("conference")
    SEMINAR = "seminar", _("seminar")
    ROUND_TABLE = "round_table", _("round table")
    WEBINAR = "webinar", _("webinar")
    COMMUNITY = "community", _("professional community meeting")


class Applying(models.TextChoices):
    """How often a teacher applies what the course taught (001 §34), asked at each follow-up."""

    REGULARLY = "regularly", _("regularly, in most lessons")
    SOMETIMES = "sometimes", _("sometimes")
    TRYING = "trying", _("I have tried it once or twice")
    NOT_YET = "not_yet", _("not yet")
