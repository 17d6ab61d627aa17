"""Self check-in with a rotating QR code (SPEC 3.3): the trainer shows a code that changes every 30 seconds,
a listener of the cohort scans it during the session and is marked present (late after 15 minutes).

A code is ``<session pk>-<window>-<HMAC>``: the window is ``floor(unix time / 30)`` and the HMAC, keyed with
SECRET_KEY, covers the session and the window, so a code cannot be forged, carried to another session or kept
for later. The current and the previous window are accepted (a scan at the 30-second edge).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from ziat.activity import log_action
from ziat.errors import DomainError

from ..attendance import moment, session_running, session_start
from ..enums import AttendanceStatus, EnrolmentStatus
from ..models import Attendance, CheckIn, Enrolment

WINDOW_SECONDS = 30
LATE_AFTER = datetime.timedelta(minutes=15)
_SALT = "enrolment.checkin"


def checkin_window(now=None):
    return int(moment(now).timestamp()) // WINDOW_SECONDS


def seconds_to_next_window(now=None):
    return WINDOW_SECONDS - int(moment(now).timestamp()) % WINDOW_SECONDS


def _mac(session_pk, window):
    return salted_hmac(_SALT, f"{session_pk}:{window}", algorithm="sha256").hexdigest()[:24]


def checkin_code(session, *, now=None, window=None):
    """The code of ``session`` for the window of ``now`` (or the given ``window``)."""
    window = checkin_window(now) if window is None else window
    return f"{session.pk}-{window}-{_mac(session.pk, window)}"


def _parse(code):
    """(session pk, window) of a genuine code, or None."""
    try:
        session_pk, window, mac = str(code).split("-")
        session_pk, window = int(session_pk), int(window)
    except ValueError:
        return None
    if not constant_time_compare(mac, _mac(session_pk, window)):
        return None
    return session_pk, window


@transaction.atomic
def checkin_record(session, *, listener, code, now=None):
    """Check ``listener`` in to ``session`` with a scanned ``code``: a CheckIn row and an attendance mark.

    Refused, with nothing changed, when the code is not genuine, belongs to another session, is stale; when the
    session is not running; when the listener is not enrolled in the cohort or has already checked in.
    """
    now = moment(now)
    parsed = _parse(code)
    if parsed is None:
        raise DomainError(_("This check-in code is not valid. Scan the code on the trainer's screen again."))
    session_pk, window = parsed
    if session_pk != session.pk:
        raise DomainError(_("This check-in code belongs to another session."))
    current = checkin_window(now)
    if window not in (current, current - 1):
        raise DomainError(_("This check-in code has expired. Scan the code on the trainer's screen again."))
    if not session_running(session, now):
        raise DomainError(_("Check-in is open only while the session is running."))
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(cohort_id=session.cohort_id, listener=listener, status=EnrolmentStatus.ENROLLED)
        .first()
    )
    if enrolment is None:
        raise DomainError(_("You are not enrolled in the cohort of this session."))
    if CheckIn.objects.filter(session=session, enrolment=enrolment).exists():
        raise DomainError(_("You have already checked in to this session."))
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(session=session, enrolment=enrolment, window=window)
    except IntegrityError:
        raise DomainError(_("You have already checked in to this session.")) from None
    status = AttendanceStatus.LATE if now > session_start(session) + LATE_AFTER else AttendanceStatus.PRESENT
    before = Attendance.objects.filter(session=session, enrolment=enrolment).values_list("status", flat=True).first()
    mark, _created = Attendance.objects.update_or_create(
        session=session, enrolment=enrolment, defaults={"status": status, "marked_by": listener.user}
    )
    if before != status:
        log_action(
            mark,
            "enrolment.attendance.checked_in",
            by=listener.user,
            before={"status": before} if before else None,
            after={"status": status},
            label=f"{listener} — {session}",
            scope={"cohort_id": session.cohort_id, "listener_id": listener.pk},
        )
    return checkin
