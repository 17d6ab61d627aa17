"""Rate limits of the public pages, by client address, shared by every process.

Each request adds one to the counter of its client, page group and window of time in one atomic
statement (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``), so several application servers count
together. A process adds its hits in small batches (a tenth of the limit, at most ``MAX_BATCH``; every hit
when the limit is small, as for the forms): a busy public page then writes once per batch instead of once per
request, and a client may get past the limit by less than a batch per process before it is refused. The
table is unlogged (migration ziat 0008): a count waits for no disk. A refused request gets the translated 429
page.
"""

import datetime
import functools
import hashlib
import random
import threading

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.utils import timezone

from .client import client_ip
from .models import RateCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CLEANUP_CHANCE = 0.01  # one request in a hundred deletes the counters of past windows
MAX_BATCH = 20

_lock = threading.Lock()
_pending = {}  # key -> [hits not yet added to the shared counter, the shared count last read]


def parse_rate(rate):
    """ "20/h" -> (20, 3600)."""
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[-1]] * int(period.strip()[:-1] or 1)


def hit(group, client, *, now=None):
    """Count one request; True while the client stays within the group's limit."""
    limit, period = parse_rate(settings.RATE_LIMITS[group])
    now = now or timezone.now()
    window = int(now.timestamp()) // period
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client}".encode()).hexdigest()[:32]
    key = f"{group}:{window}:{digest}"
    batch = max(1, min(limit // 10, MAX_BATCH))
    with _lock:
        entry = _pending.get(key)
        if entry is None:
            _forget_past_windows(f"{group}:{window}:")
            entry = _pending[key] = [0, 0]
        entry[0] += 1
        hits, known = entry
    if hits < batch and known + hits <= limit:
        return True
    expires_at = datetime.datetime.fromtimestamp((window + 1) * period, tz=datetime.UTC)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, %s, %s) "  # noqa: S608 (our table's name)
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + EXCLUDED.count RETURNING count",
            [key, hits, expires_at],
        )
        count = cursor.fetchone()[0]
    with _lock:
        entry[0] -= hits
        entry[1] = count
    if random.random() < CLEANUP_CHANCE:
        RateCounter.objects.filter(expires_at__lt=now).delete()
    return count <= limit


def forget_pending():
    """Drop the hits this process has not added to the shared counters yet (their rows may be gone)."""
    with _lock:
        _pending.clear()


def _forget_past_windows(current):
    """Drop this process's batches of the group's earlier windows (called with the lock held)."""
    group = current.split(":", 1)[0] + ":"
    for key in [k for k in _pending if k.startswith(group) and not k.startswith(current)]:
        del _pending[key]


def rate_limited(group, *, methods=None):
    """A view decorator: requests (of ``methods``, all when None) beyond the group's limit get the 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if (methods is None or request.method in methods) and not hit(group, client_ip(request)):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
