"""The login throttle (django-axes): failures counted by account and address together and by address alone.

An account tried from one address is locked after ``LOGIN_FAILURES_PER_ACCOUNT`` failures; one address is
locked after ``LOGIN_FAILURES_PER_ADDRESS`` failures on any accounts (a school behind one address may have
many teachers mistyping). Both are lifted ``LOGIN_COOLOFF_MINUTES`` after the last failure.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a locked-out login; a sign-in made by code (no request, e.g. a test client) is not throttled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with a limit of its own for each lockout parameter.

    ``AXES_LOCKOUT_PARAMETERS`` lists the account-and-address pair first, the address second; axes compares
    one number with ``AXES_FAILURE_LIMIT`` (the pair's limit), so the address's failures are scaled to it.
    """

    def get_failures(self, request, credentials=None):
        pair_limit = settings.AXES_FAILURE_LIMIT
        limits = [pair_limit, settings.LOGIN_FAILURES_PER_ADDRESS]
        worst = 0
        for attempts, limit in zip(self.get_user_attempts(request, credentials), limits, strict=False):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, failures * pair_limit // limit)
        return worst


def lockout_response(request, original_response=None, credentials=None):
    """The translated page in the base layout shown to a locked-out login (429)."""
    from django.shortcuts import render

    minutes = settings.LOGIN_COOLOFF_MINUTES
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
