"""Changes of state in enrolment: listeners, enrolments and attendance."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.services.workflow import complex_missing_parts, program_is_teachable
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError

from ..activity import log_attendance
from ..attendance import moment, session_started
from ..enums import AttendanceStatus, EnrolmentStatus
from ..iin import InvalidIIN, iin_birth_date
from ..models import Attendance, Cohort, Enrolment, Listener, Session
from .attendance_warnings import attendance_warn


@transaction.atomic
def listener_create(
    *,
    by,
    last_name,
    first_name,
    iin,
    middle_name="",
    email="",
    phone="",
    workplace="",
    position="",
    birth_date=None,
    password=None,
    username=None,
):
    try:
        born = iin_birth_date(iin)
    except InvalidIIN as e:
        raise DomainError(str(e)) from None
    if birth_date and birth_date != born:
        raise DomainError(_("The date of birth does not agree with the IIN."))
    if Listener.objects.filter(iin=iin).exists():
        raise DomainError(_("A listener with this IIN is already registered."))
    User = get_user_model()
    user = User(
        username=username or iin,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        middle_name=middle_name.strip(),
        email=email.strip(),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise DomainError(_("This login is already taken.")) from None
    listener = Listener.objects.create(
        user=user, iin=iin, birth_date=born, phone=phone, workplace=workplace, position=position
    )
    log_action(listener, "enrolment.listener.created", by=by)
    return listener


LISTENER_DETAILS = ("phone", "workplace", "position")


@transaction.atomic
def listener_update(listener, *, by, phone="", workplace="", position=""):
    """Correct a listener's phone and place of work; the IIN, and the date of birth it gives, never change."""
    access.require(by, "enrolment.change_listener", listener, _("You may not change listeners' data."))
    listener = Listener.objects.select_for_update().get(pk=listener.pk)
    before = {name: getattr(listener, name) for name in LISTENER_DETAILS}
    after = {"phone": phone.strip(), "workplace": workplace.strip(), "position": position.strip()}
    changed = [name for name in LISTENER_DETAILS if before[name] != after[name]]
    if not changed:
        return listener
    for name in changed:
        setattr(listener, name, after[name])
    listener.save(update_fields=changed)
    log_action(
        listener,
        "enrolment.listener.updated",
        by=by,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return listener


def cohort_check_program(cohort):
    if not program_is_teachable(cohort.program) or cohort.version_id != cohort.program.approved_version_id:
        raise DomainError(_("Only an approved program, in its approved version, can be taught."))
    missing = complex_missing_parts(cohort.program)
    if missing:
        raise DomainError(
            _("The methodical complex of the program lacks: %(parts)s. It cannot be taught until it is complete.")
            % {"parts": ", ".join(str(part.label) for part in missing)}
        )


# The states in which an enrolment takes a seat of the cohort.
SEAT_STATES = (EnrolmentStatus.ADMITTED, EnrolmentStatus.ENROLLED)


def seats_taken(cohort):
    return cohort.enrolments.filter(status__in=SEAT_STATES).count()


def _check_seat(cohort, listener):
    if cohort.enrolments.filter(listener=listener).exists():
        raise DomainError(_("%(listener)s is already enrolled in this cohort.") % {"listener": listener})
    if seats_taken(cohort) >= cohort.capacity:
        raise DomainError(
            _("The cohort %(code)s is full: all %(capacity)s seats are taken.")
            % {"code": cohort.code, "capacity": cohort.capacity}
        )


@transaction.atomic
def enrolment_create(*, cohort, listener, by):
    """Enrol a listener directly (the back-office's shortcut when the admission order is kept on paper)."""
    access.require(by, "enrolment.add_enrolment", cohort, _("You may not admit listeners."))
    cohort = Cohort.objects.select_for_update().select_related("program").get(pk=cohort.pk)
    cohort_check_program(cohort)
    _check_seat(cohort, listener)
    enrolment = Enrolment.objects.create(cohort=cohort, listener=listener)
    log_action(enrolment, "enrolment.enrolment.created", by=by, after={"status": enrolment.status})
    return enrolment


@transaction.atomic
def enrolment_admit(*, cohort, listener, by, funding="", group=None):
    """List a listener for a cohort; a seat is taken, and the enrolment waits for the admission order."""
    access.require(by, "enrolment.add_enrolment", cohort, _("You may not admit listeners."))
    cohort = Cohort.objects.select_for_update().select_related("program").get(pk=cohort.pk)
    cohort_check_program(cohort)
    _check_seat(cohort, listener)
    if group is not None and group.cohort_id != cohort.pk:
        raise DomainError(_("The group belongs to another cohort."))
    enrolment = Enrolment.objects.create(
        cohort=cohort,
        listener=listener,
        status=EnrolmentStatus.ADMITTED,
        funding=funding or cohort.funding,
        group=group,
    )
    log_action(
        enrolment,
        "enrolment.enrolment.admitted",
        by=by,
        after={"status": enrolment.status, "funding": enrolment.funding},
    )
    return enrolment


def _status(value):
    if value is True:
        return AttendanceStatus.PRESENT
    if value is False:
        return AttendanceStatus.ABSENT
    if value not in AttendanceStatus.values:
        raise DomainError(_("Unknown attendance mark: %(mark)s.") % {"mark": value})
    return AttendanceStatus(value)


@transaction.atomic
def attendance_save(*, cohort, marks, by, now=None, warn=True):
    """Save the whole attendance grid of a cohort at once.

    ``marks`` maps (session_id, enrolment_id) to a status (present, late, absent, excused; True and False
    stand for present and absent); pairs not given are left as they are. Pairs outside the cohort, and marks
    for a session that has not started yet (at ``now``, the current time by default), are refused and nothing
    is saved. Then the listeners whose attendance is at risk are warned (``warn``; see attendance_warnings).
    """
    access.require(by, "enrolment.mark_attendance", cohort, _("You may not mark attendance in this cohort."))
    now = moment(now)
    sessions = {s.pk: s for s in Session.objects.filter(cohort=cohort).only("pk", "date", "starts_at")}
    enrolment_ids = set(cohort.enrolments.values_list("pk", flat=True))
    for session_id, enrolment_id in marks:
        if session_id not in sessions or enrolment_id not in enrolment_ids:
            raise DomainError(_("The attendance sheet does not match this cohort; nothing was saved."))
    early = sorted(
        {sessions[session_id] for session_id, _e in marks if not session_started(sessions[session_id], now)},
        key=lambda s: (s.date, s.starts_at),
    )
    if early:
        raise DomainError(
            _("The session of %(session)s has not started yet: it cannot be marked. Nothing was saved.")
            % {"session": early[0]}
        )
    marks = {key: _status(value) for key, value in marks.items()}
    existing = {(a.session_id, a.enrolment_id): a for a in Attendance.objects.filter(session__cohort=cohort)}
    to_create, to_update, changes = [], [], []
    for key, status in marks.items():
        row = existing.get(key)
        if row is None:
            to_create.append(Attendance(session_id=key[0], enrolment_id=key[1], status=status, marked_by=by))
            changes.append((to_create[-1], None, status))
        elif row.status != status:
            changes.append((row, row.status, status))
            row.status, row.marked_by = status, by
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "marked_by"])
    log_attendance(cohort, changes, by=by)
    if warn and (to_create or to_update):
        attendance_warn(cohort, today=now)
    return len(to_create) + len(to_update)
