"""The school's own observation of how its teachers apply the course (001 §35 1)).

The organisation's representative sees the teachers it sent (through its accepted requests) who are in
their year of post-course support, whether each answered the follow-up questionnaires and how often they
say they apply what they learned (not the free text of the answers, which is the listener's to the
centre), and writes observations: the date, how often the teacher applies it, and what was seen.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.enums import RequestStatus
from enrolment.models import Enrolment, RequestedTeacher
from ziat import access
from ziat.activity import log_action, register_actions
from ziat.errors import DomainError

from .enums import Applying
from .models import FollowUp, SchoolObservation

register_actions(
    (
        "postcourse.school_observation.added",
        gettext_lazy("School's observation added"),
        {
            "choices": {"applying": Applying},
            "fields": {"applying": gettext_lazy("applies it"), "observed_on": gettext_lazy("observed on")},
        },
    ),
)


def _sent_by(partner_id):
    """The partner's accepted requests that listed the enrolment's listener for its cohort."""
    return RequestedTeacher.objects.filter(
        request__partner_id=partner_id,
        request__status=RequestStatus.ACCEPTED,
        request__cohort_id=OuterRef("cohort_id"),
        listener_id=OuterRef("listener_id"),
    )


def partner_teachers_in_support(partner_id, *, today=None):
    """The partner's teachers in their support year, with their follow-ups and the school's observations
    (four queries whatever their number)."""
    today = today or timezone.localdate()
    if partner_id is None:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(
            Exists(_sent_by(partner_id)),
            support_period__starts_on__lte=today,
            support_period__ends_on__gte=today,
        )
        .select_related("listener__user", "cohort__program", "support_period")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("months")),
            Prefetch(
                "school_observations",
                queryset=SchoolObservation.objects.filter(partner_id=partner_id).select_related("author"),
            ),
        )
        .order_by("listener__user__last_name", "listener__user__first_name", "pk")
    )


def partner_teacher(partner_id, enrolment_pk, *, today=None):
    """One teacher of the partner in their support year, or None."""
    return partner_teachers_in_support(partner_id, today=today).filter(pk=enrolment_pk).first()


def school_observation_add(enrolment, *, by, observed_on, applying, text, today=None):
    """The representative's observation of a teacher of their organisation in the teacher's support year."""
    today = today or timezone.localdate()
    partner_id = access.partner_of(by)
    if partner_id is None or partner_teacher(partner_id, enrolment.pk, today=today) is None:
        raise DomainError(_("This teacher was not sent by your organisation or is not in the year of support."))
    period = enrolment.support_period
    if observed_on > today:
        raise DomainError(_("The date of the observation is in the future."))
    if observed_on < period.starts_on:
        raise DomainError(_("The date of the observation is before the end of the course."))
    if applying not in Applying.values:
        raise DomainError(_("Choose how often the teacher applies what they learned."))
    if not text.strip():
        raise DomainError(_("Write what was observed."))
    with transaction.atomic():
        observation = SchoolObservation.objects.create(
            enrolment=enrolment,
            partner_id=partner_id,
            author=by,
            observed_on=observed_on,
            applying=applying,
            text=text.strip(),
        )
        log_action(
            observation,
            "postcourse.school_observation.added",
            by=by,
            after={"observed_on": observed_on, "applying": applying},
        )
    return observation
