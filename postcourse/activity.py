"""The logged actions of post-course support: the plan, consultations, publications and events."""

from django.utils.translation import gettext_lazy as _

from ziat.activity import register_actions

from .enums import ActivityStatus, ConsultationStatus, PublicationStatus, SupportForm

register_actions(
    ("postcourse.activity.planned", _("Support activity planned"), {"choices": {"form": SupportForm}}),
    ("postcourse.activity.changed", _("Support activity changed"), {"choices": {"form": SupportForm}}),
    ("postcourse.activity.held", _("Support activity held"), {"choices": {"status": ActivityStatus}}),
    ("postcourse.activity.cancelled", _("Support activity cancelled"), {"choices": {"status": ActivityStatus}}),
    ("postcourse.consultation.asked", _("Consultation asked"), {"choices": {"status": ConsultationStatus}}),
    ("postcourse.consultation.answered", _("Consultation answered"), {"choices": {"status": ConsultationStatus}}),
    ("postcourse.consultation.replied", _("Listener replied"), {"choices": {"status": ConsultationStatus}}),
    ("postcourse.consultation.reminded", _("Staff reminded of the unanswered consultation")),
    (
        "postcourse.consultation.scheduled",
        _("Consultation meeting scheduled"),
        {"choices": {"status": ConsultationStatus}},
    ),
    ("postcourse.consultation.held", _("Consultation meeting held"), {"choices": {"status": ConsultationStatus}}),
    ("postcourse.consultation.closed", _("Consultation closed"), {"choices": {"status": ConsultationStatus}}),
    ("postcourse.publication.submitted", _("Draft publication submitted"), {"choices": {"status": PublicationStatus}}),
    ("postcourse.publication.taken", _("Publication taken in review"), {"choices": {"status": PublicationStatus}}),
    ("postcourse.publication.commented", _("Publication commented")),
    ("postcourse.publication.changes_requested", _("Changes requested"), {"choices": {"status": PublicationStatus}}),
    ("postcourse.publication.revised", _("Revision uploaded"), {"choices": {"status": PublicationStatus}}),
    ("postcourse.publication.accepted", _("Publication accepted"), {"choices": {"status": PublicationStatus}}),
    ("postcourse.publication.published", _("Publication published"), {"choices": {"status": PublicationStatus}}),
    ("postcourse.event.announced", _("Support event announced")),
    ("postcourse.event.changed", _("Support event changed")),
    ("postcourse.registration.created", _("Registered for an event")),
    ("postcourse.registration.attendance", _("Attendance at an event marked")),
    ("postcourse.registration.certificate", _("Participation certificate issued")),
)
