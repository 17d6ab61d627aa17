"""Reads of the post-course support's pages: the staff home's work of this stage, the support plans, the
consultations, the publications, the events and the follow-up questionnaires."""

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, Min, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.models import Cohort
from ziat import access
from ziat.workspace import Item

from .enums import ConsultationStatus
from .events import open_to
from .models import (
    Consultation,
    ConsultationMessage,
    EventRegistration,
    FollowUp,
    Publication,
    PublicationComment,
    SupportActivity,
    SupportEvent,
)


def work_of_consultations(user, *, today):
    """Listeners' questions waiting for an answer, in the cohorts the user may know of (a trainer: theirs)."""
    if not user.has_perm("postcourse.change_consultation"):
        return []
    found = access.scope(user, Consultation.objects.filter(status=ConsultationStatus.OPEN)).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    note = ""
    if found["oldest"] is not None:
        asked = timezone.localdate(found["oldest"]).strftime("%d.%m.%Y")
        note = _("the oldest asked on %(date)s") % {"date": asked}
    url = reverse("postcourse:consultations_staff") + f"?status={ConsultationStatus.OPEN}"
    return [Item("postcourse.consultations", _("Consultations to answer"), found["n"], url, note=note)]


def support_requests_waiting(user):
    """Answered questionnaires whose listener asked for more support that no staff member has marked handled
    yet (001 §34), among the follow-ups ``user`` may know of."""
    waiting = FollowUp.objects.filter(answered_at__isnull=False, wants_support=True, support_handled_at__isnull=True)
    return access.scope(user, waiting)


def work_of_support_requests(user, *, today):
    """Listeners asking for more support after the course, for those who handle it (001 §34)."""
    if not user.has_perm("postcourse.change_followup"):
        return []
    found = support_requests_waiting(user).aggregate(n=Count("pk"), oldest=Min("answered_at"))
    note = ""
    if found["oldest"] is not None:
        asked = timezone.localdate(found["oldest"]).strftime("%d.%m.%Y")
        note = _("the oldest asked on %(date)s") % {"date": asked}
    url = reverse("postcourse:follow_up_answers") + "?support=waiting"
    title = _("Listeners asking for more support after the course")
    return [Item("postcourse.support_requests", title, found["n"], url, note=note)]


def work_of_support_plans(user, *, today):
    """Cohorts in their support year with no support activity planned yet (000 §4.3)."""
    if not user.has_perm("postcourse.add_supportactivity"):
        return []
    count = cohorts_in_support(user, today=today).filter(planned=0).count()
    return [Item("postcourse.plans", _("Support plans to draw up"), count, reverse("postcourse:support_cohorts"))]


# ------------------------------------------------------------------------------- the support plans


def cohorts_in_support(user, *, today=None):
    """The cohorts with at least one listener in their support year that ``user`` may know of (a trainer: the
    cohorts they teach and those where they are responsible for an activity), with the count of those listeners."""
    today = today or timezone.localdate()
    current = Q(enrolments__support_period__starts_on__lte=today, enrolments__support_period__ends_on__gte=today)
    found = Cohort.objects.filter(current)
    if not access.centre_wide(user):
        own = SupportActivity.objects.filter(responsible=user).values("cohort_id")
        found = found.filter(Q(pk__in=access.scope(user, Cohort.objects.all()).values("pk")) | Q(pk__in=own))
    return (
        found.select_related("program")
        .annotate(supported=Count("enrolments", filter=current, distinct=True))
        .annotate(planned=Count("support_activities", distinct=True))
        .order_by("-ends_on", "code")
    )


def plan_of(cohort, user):
    """The cohort's plan as ``user`` may see it (a trainer: all of a cohort they teach, else their own)."""
    found = SupportActivity.objects.filter(cohort=cohort).select_related("responsible", "event")
    return access.scope(user, found).order_by("planned_on", "pk")


# ------------------------------------------------------------------------------- consultations


def with_thread(queryset):
    messages = ConsultationMessage.objects.select_related("author").order_by("created_at", "pk")
    return queryset.select_related(
        "enrolment__cohort__program", "enrolment__listener__user", "trainer"
    ).prefetch_related(Prefetch("messages", queryset=messages))


def consultations_for_staff(user):
    """The consultations ``user`` may know of (a trainer: the cohorts they teach), oldest waiting first, each
    with its response time (first answer - question); the list's filters are ``postcourse.filters``'s."""
    found = access.scope(user, Consultation.objects.all())
    return (
        found.select_related("enrolment__cohort", "enrolment__listener__user", "trainer")
        .annotate(
            response_time=ExpressionWrapper(F("first_answered_at") - F("created_at"), output_field=DurationField())
        )
        .order_by("created_at", "pk")
    )


# ------------------------------------------------------------------------------- publications


def with_comments(queryset):
    comments = PublicationComment.objects.select_related("author").order_by("created_at", "pk")
    return queryset.select_related(
        "enrolment__cohort__program", "enrolment__listener__user", "reviewer"
    ).prefetch_related(Prefetch("comments", queryset=comments))


def publications_for_staff(user):
    """The drafts ``user`` may know of (a trainer: the cohorts they teach), newest first; the list's filters are
    ``postcourse.filters``'s."""
    found = access.scope(user, Publication.objects.all())
    return found.select_related("enrolment__cohort", "enrolment__listener__user", "reviewer").order_by(
        "-submitted_at", "-pk"
    )


# ------------------------------------------------------------------------------- events


def events_for_listener(enrolment, *, now=None):
    """The announced events still ahead that are open to the listener's program, with the places taken and
    whether the listener is registered."""
    now = now or timezone.now()
    mine = EventRegistration.objects.filter(event=OuterRef("pk"), enrolment=enrolment)
    return (
        SupportEvent.objects.filter(
            pk__in=SupportEvent.objects.filter(open_to(enrolment.cohort.program_id)).values("pk"),
            is_published=True,
            starts_at__gt=now,
        )
        .annotate(taken=Count("registrations"), registered=Exists(mine))
        .order_by("starts_at", "pk")
    )


# ------------------------------------------------------------------------------- follow-ups


def follow_ups_of_listener(user):
    """The listener's questionnaires, their course with them."""
    return (
        FollowUp.objects.filter(enrolment__listener__user=user)
        .select_related("enrolment__cohort__program")
        .order_by("due_on", "pk")
    )


def follow_up_answers(user, *, cohort=None):
    """The follow-up questionnaires ``user`` may know of (a trainer: the cohorts they teach), of one cohort or of
    all, by listener and then by the months after the course, each with its listener, cohort and handler read
    in the same query; the list's filters are ``postcourse.filters``'s."""
    found = access.scope(user, FollowUp.objects.all())
    if cohort is not None:
        found = found.filter(enrolment__cohort=cohort)
    return found.select_related("enrolment__listener__user", "enrolment__cohort", "support_handled_by").order_by(
        "enrolment__cohort__code",
        "enrolment__listener__user__last_name",
        "enrolment__listener__user__first_name",
        "enrolment_id",
        "months",
    )
