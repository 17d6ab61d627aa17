"""Events for exchanging experience and professional communities (000 §4.3 3), 001 §37 3)).

The methodist announces an event (kind, titles in Kazakh and Russian, time, place or link, places, whether
it gives a certificate, the programs whose listeners it is for: none means all). A listener in their support
year registers once, while places remain (the event's row is locked while counting). Staff mark attendance;
where the event gives a certificate, an attended participant gets a participation certificate: a number, a
verification code, and a PDF with a QR code to the public verification page, rendered in the background and
stored once. The methodist may change an announced event (not below the places taken, not taking back the
certificate once one is issued); those registered are mailed a new time or place.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.documents import logo_data_uri
from certificates.services import new_token
from certificates.snapshot import organisation_snapshot
from ziat import access
from ziat.activity import log_action
from ziat.documents import qr_png_data_uri
from ziat.errors import DomainError
from ziat.models import Organisation
from ziat.stored_documents import document_request, kept_document_view

from .enums import EventKind
from .mail import mail_users
from .models import EventRegistration, SupportEvent
from .support import Refused, require_own, require_support_year

CERTIFICATE_TEMPLATE = "postcourse/documents/event_certificate.html"


@transaction.atomic
def support_event_announce(
    *,
    by,
    kind,
    title_kk,
    title_ru,
    starts_at,
    description="",
    place="",
    capacity=None,
    gives_certificate=False,
    programs=(),
    now=None,
):
    """Announce an event to the listeners in their support year (of ``programs``; none: of every program)."""
    # An event is the centre's own, for the listeners of every program (or of ``programs``, the centre's too).
    access.require(by, "postcourse.add_supportevent", None, _("You may not announce events."))
    if kind not in EventKind.values:
        raise DomainError(_("Choose the kind of the event."))
    if not (title_kk or "").strip() or not (title_ru or "").strip():
        raise DomainError(_("Give the title in Kazakh and in Russian."))
    if starts_at is None or starts_at <= (now or timezone.now()):
        raise DomainError(_("An event is announced for a time in the future."))
    if capacity is not None and capacity < 1:
        raise DomainError(_("An event needs at least one place."))
    event = SupportEvent.objects.create(
        kind=kind,
        title_kk=title_kk.strip(),
        title_ru=title_ru.strip(),
        description=description or "",
        starts_at=starts_at,
        place=(place or "").strip(),
        capacity=capacity,
        gives_certificate=bool(gives_certificate),
        is_published=True,
        created_by=by,
    )
    event.programs.set(programs)
    log_action(
        event,
        "postcourse.event.announced",
        by=by,
        after={"kind": kind, "starts_at": starts_at, "capacity": capacity, "programs": [p.pk for p in programs]},
    )
    return event


# What the methodist may change in an announced event; a change of time or place is mailed to those registered.
EVENT_TERMS = ("title_kk", "title_ru", "description", "starts_at", "place", "capacity", "gives_certificate")
TOLD_OF = ("starts_at", "place")


@transaction.atomic
def support_event_change(
    event,
    *,
    by,
    title_kk,
    title_ru,
    starts_at,
    description="",
    place="",
    capacity=None,
    gives_certificate=False,
    now=None,
):
    """Change an announced event's titles, description, time, place, places and certificate (000 §4.3 3)).

    The places never fall below the listeners already registered; once a participation certificate is
    issued the event keeps giving one; a new time is in the future, within the support year of everyone
    registered, and not after attendance is marked. Those registered are told of a new time or place."""
    access.require(by, "postcourse.change_supportevent", event)
    event = SupportEvent.objects.select_for_update().get(pk=event.pk)  # registrations wait while places change
    now = now or timezone.now()
    if not (title_kk or "").strip():
        raise Refused(_("Give the title in Kazakh and in Russian."), field="title_kk")
    if not (title_ru or "").strip():
        raise Refused(_("Give the title in Kazakh and in Russian."), field="title_ru")
    if starts_at is None:
        raise Refused(_("Give the time of the event."), field="starts_at")
    registrations = EventRegistration.objects.filter(event=event)
    if starts_at != event.starts_at:
        if starts_at <= now:
            raise Refused(_("An event is moved to a time in the future."), field="starts_at")
        if registrations.filter(attended__isnull=False).exists():
            raise Refused(_("Attendance at this event has been marked; its time stands."), field="starts_at")
        day = timezone.localtime(starts_at).date()
        if registrations.filter(enrolment__support_period__ends_on__lt=day).exists():
            raise Refused(
                _("A registered listener's year of post-course support ends before that day."), field="starts_at"
            )
    if capacity is not None:
        if capacity < 1:
            raise Refused(_("An event needs at least one place."), field="capacity")
        taken = registrations.count()
        if capacity < taken:
            raise Refused(
                _("%(n)s listeners are already registered; the event cannot have fewer places.") % {"n": taken},
                field="capacity",
            )
    if event.gives_certificate and not gives_certificate and registrations.exclude(certificate_number="").exists():
        raise Refused(
            _("Participation certificates of this event have been issued; it keeps giving them."),
            field="gives_certificate",
        )
    new = {
        "title_kk": title_kk.strip(),
        "title_ru": title_ru.strip(),
        "description": description or "",
        "starts_at": starts_at,
        "place": (place or "").strip(),
        "capacity": capacity,
        "gives_certificate": bool(gives_certificate),
    }
    changed = [name for name in EVENT_TERMS if getattr(event, name) != new[name]]
    if not changed:
        return event
    before = {name: getattr(event, name) for name in changed}
    for name in changed:
        setattr(event, name, new[name])
    event.save(update_fields=changed)
    log_action(event, "postcourse.event.changed", by=by, before=before, after={n: new[n] for n in changed})
    if any(name in TOLD_OF for name in changed):
        _tell_registered(event, moved="starts_at" in changed, replaced="place" in changed)
    return event


def _tell_registered(event, *, moved, replaced):
    """Mail the registered listeners the event's new time or place, each in the language of their course."""
    registrations = EventRegistration.objects.filter(event=event).select_related(
        "enrolment__cohort", "enrolment__listener__user"
    )
    for registration in registrations.order_by("pk"):
        enrolment = registration.enrolment
        mail_users(
            [enrolment.listener.user],
            "event_changed",
            language="ru" if enrolment.cohort.language == "ru" else "kk",
            event=event,
            enrolment=enrolment,
            moved=moved,
            replaced=replaced,
        )


def open_to(program_id):
    """Events open to the listeners of a program: those of no program in particular, or of this one."""
    return Q(programs__isnull=True) | Q(programs=program_id)


@transaction.atomic
def event_register(event, enrolment, *, by, today=None, now=None):
    """Register the listener for the event: in their support year, once, while places remain."""
    require_own(enrolment, by)
    period = require_support_year(enrolment, today=today)
    event = SupportEvent.objects.select_for_update().get(pk=event.pk)  # places are counted under the lock
    now = now or timezone.now()
    if not event.is_published or event.starts_at <= now:
        raise DomainError(_("Registration for this event is closed."))
    if not SupportEvent.objects.filter(open_to(enrolment.cohort.program_id), pk=event.pk).exists():
        raise DomainError(_("This event is not for the listeners of your program."))
    if timezone.localtime(event.starts_at).date() > period.ends_on:
        raise DomainError(_("This event takes place after your year of post-course support."))
    if EventRegistration.objects.filter(event=event, enrolment=enrolment).exists():
        raise DomainError(_("You are already registered for this event."))
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise DomainError(_("There are no places left at this event."))
    try:
        with transaction.atomic():
            registration = EventRegistration.objects.create(event=event, enrolment=enrolment)
    except IntegrityError:
        raise DomainError(_("You are already registered for this event.")) from None
    log_action(registration, "postcourse.registration.created", by=by, after={"event": str(event)})
    return registration


@transaction.atomic
def registration_mark_attendance(registration, *, by, attended, now=None):
    """Mark whether the participant attended (once the event has begun); an attended participant of an event
    that gives a certificate gets one."""
    access.require(by, "postcourse.change_eventregistration", registration)
    registration = (
        EventRegistration.objects.select_for_update(of=("self",))
        .select_related("event", "enrolment__listener__user")
        .get(pk=registration.pk)
    )
    if registration.event.starts_at > (now or timezone.now()):
        raise DomainError(_("Attendance is marked once the event has begun."))
    if registration.certificate_number and not attended:
        raise DomainError(_("A participation certificate has been issued; the attendance stands."))
    before = {"attended": registration.attended}
    registration.attended = bool(attended)
    registration.save(update_fields=["attended"])
    log_action(
        registration,
        "postcourse.registration.attendance",
        by=by,
        before=before,
        after={"attended": registration.attended},
    )
    if registration.attended and registration.event.gives_certificate and not registration.certificate_number:
        participation_certificate_issue(registration, by=by)
    return registration


def _number(event):
    """The next number of the event's participation certificates: PREFIX-E<event>-<n>."""
    prefix = Organisation.current().registration_prefix
    issued = EventRegistration.objects.filter(event=event).exclude(certificate_number="").count()
    return f"{prefix}-E{event.pk}-{issued + 1:03d}"


def verification_url(token):
    return settings.SITE_URL + reverse("postcourse:event_certificate_verify", args=[token])


def certificate_context(registration):
    event = registration.event
    org = Organisation.current()
    snapshot = organisation_snapshot(org)
    return {
        "organisation": snapshot,
        "logo": logo_data_uri(snapshot.get("logo")),
        "holder": registration.enrolment.listener.user.full_name,
        "event": event,
        "held_on": timezone.localtime(event.starts_at).date(),
        "number": registration.certificate_number,
        "qr": qr_png_data_uri(verification_url(registration.certificate_token)),
    }


def _request(registration):
    return document_request(
        kind="postcourse.event_certificate",
        key=str(registration.pk),
        filename=f"certificate-{registration.certificate_number}.pdf",
        template=CERTIFICATE_TEMPLATE,
        context=lambda: certificate_context(registration),
        language="kk",
        final=True,
    )


def participation_certificate_issue(registration, *, by):
    """Give the attended participant their certificate's number and code, and have its PDF made in the
    background (once: the stored file never changes)."""
    event = SupportEvent.objects.select_for_update().get(pk=registration.event_id)  # numbers in order
    registration.certificate_number = _number(event)
    registration.certificate_token = new_token()
    registration.save(update_fields=["certificate_number", "certificate_token"])
    registration.certificate_document = _request(registration)
    registration.save(update_fields=["certificate_document"])
    log_action(
        registration, "postcourse.registration.certificate", by=by, after={"number": registration.certificate_number}
    )
    return registration


def participation_certificate_page(request, registration):
    """The download of the registration's certificate (see ``kept_document_view``), for a user who may see it;
    a registration without a certificate has none to download."""
    if not registration.certificate_number:
        raise Http404
    return kept_document_view(request, registration, "certificate_document", lambda: _request(registration))
