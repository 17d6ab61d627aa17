"""Timetables as iCalendar feeds (RFC 5545) that calendar apps subscribe to, and the signed feed address.

The writer is small and written by hand (no dependency): one VCALENDAR with one VEVENT per session, times
in UTC (so no VTIMEZONE is needed), text escaped (section 3.3.11) and lines folded at 75 octets (3.1).
A feed is fetched without a session cookie, so its address carries a random token of the user, kept in
the database. The user makes it with a button (a POST): showing the timetable only reads it. Renewing it
revokes the old address.
"""

import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat.activity import log_action
from ziat.errors import PermissionDeniedError

PRODID = "-//ZIAT//Timetable//EN"
LINE_OCTETS = 75


# ----------------------------------------------------------------------------------------- the token


def _new_token():
    return secrets.token_urlsafe(32)


def feed_token(user):
    """The token of a user's feed, or None while the user has not made one. Only reads."""
    from .models import CalendarFeed

    return CalendarFeed.objects.filter(user=user).values_list("token", flat=True).first()


def _check_owner(user, by):
    if by.pk != user.pk:
        raise PermissionDeniedError(_("Only the owner of a calendar address may make or renew it."))


def _scope(user):
    listener = getattr(user, "listener", None)
    return {"listener_id": listener.pk} if listener is not None else {}


@transaction.atomic
def feed_token_create(user, *, by):
    """The user's feed token, made now if they have none; an existing one is kept (a second click, or two tabs,
    does not revoke the address already given out). Only the user makes theirs."""
    from .models import CalendarFeed

    _check_owner(user, by)
    feed, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    if created:
        # The token is the credential: the log says that an address was made, never what it is.
        log_action(feed, "enrolment.calendar_feed.created", by=by, scope=_scope(user))
    return feed.token


@transaction.atomic
def feed_token_renew(user, *, by):
    """A new token for the user's feed; the old address stops working at once. Only the user renews theirs."""
    from .models import CalendarFeed

    _check_owner(user, by)
    token = _new_token()
    feed, created = CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    action = "enrolment.calendar_feed.created" if created else "enrolment.calendar_feed.renewed"
    log_action(feed, action, by=by, scope=_scope(user))
    return token


def feed_user(token):
    """The active user whose current token this is, or None for an unknown, renewed or malformed token."""
    if not token or len(token) > 64:
        return None
    return get_user_model().objects.filter(calendar_feed__token=token, is_active=True).first()


# ---------------------------------------------------------------------------------------- the writer


def escape_text(value):
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character (§3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        # The first line holds 75 octets; each continuation line starts with a space, leaving 74.
        limit = LINE_OCTETS if not out else LINE_OCTETS - 1
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def utc_stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def local_moment(date, time):
    """A wall-clock date and time of the centre (settings.TIME_ZONE, Asia/Almaty) as an aware datetime."""
    return datetime.datetime.combine(date, time, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def calendar(events, *, name, now=None):
    """The text of a VCALENDAR. ``events`` are dicts: uid, date, starts_at, ends_at, summary, location,
    description (the last three plain text)."""
    stamp = utc_stamp(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{utc_stamp(local_moment(event['date'], event['starts_at']))}",
            f"DTEND:{utc_stamp(local_moment(event['date'], event['ends_at']))}",
            f"SUMMARY:{escape_text(event['summary'])}",
        ]
        if event.get("location"):
            lines.append(f"LOCATION:{escape_text(event['location'])}")
        if event.get("description"):
            lines.append(f"DESCRIPTION:{escape_text(event['description'])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def session_events(sessions, *, host):
    """The events of sessions (with ``cohort__program``, ``topic``, ``trainer`` loaded) for ``calendar``."""
    events = []
    for session in sessions:
        program = session.cohort.program.title
        details = [
            _("Cohort %(code)s") % {"code": session.cohort.code},
            _("%(kind)s, %(hours)s academic hours")
            % {"kind": session.get_kind_display(), "hours": f"{session.hours.normalize():f}"},
        ]
        if session.topic_id:
            details.insert(0, _("Topic: %(topic)s") % {"topic": session.topic})
        if session.trainer_id:
            details.append(_("Trainer: %(name)s") % {"name": session.trainer.full_name or session.trainer})
        events.append(
            {
                "uid": f"session-{session.pk}@{host}",
                "date": session.date,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "summary": f"{program}: {session.topic}" if session.topic_id else program,
                "location": session.place,
                "description": "\n".join(details),
            }
        )
    return events
