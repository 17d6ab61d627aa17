"""The address of the client of a request, read the same way by the login throttle and the rate limits.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each of which appends the address it received the request
from to ``X-Forwarded-For``, the client is the ``TRUSTED_PROXY_COUNT``-th address from the right; whatever
stands further left was written by the client itself and is not trusted. With no proxy (the default)
the client is ``REMOTE_ADDR``.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request came through fewer hops; the left-most is the nearest to the client.
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return _valid(candidate) or remote
