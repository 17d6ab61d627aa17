"""Rate limits of the public pages, by client address, shared by every process.

Each request adds one to the counter of its client, page group and window of time in one atomic
statement (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``), so several application servers count
together and no hit is lost between them. A refused request gets the translated 429 page.
"""

import datetime
import functools
import hashlib
import random

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.utils import timezone

from .client import client_ip
from .models import RateCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CLEANUP_CHANCE = 0.01  # one request in a hundred deletes the counters of past windows


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
    expires_at = datetime.datetime.fromtimestamp((window + 1) * period, tz=datetime.UTC)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 (our table's name)
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, expires_at],
        )
        count = cursor.fetchone()[0]
    if random.random() < CLEANUP_CHANCE:
        RateCounter.objects.filter(expires_at__lt=now).delete()
    return count <= limit


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
