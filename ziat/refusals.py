"""The one refusal page: whatever refuses a user (a view's gate, ``ziat.access.check``, a service's
``ziat.access.require`` that a view lets through, Django's ``PermissionDenied``) answers with the same page, in
the site's base layout for every kind of user, saying why in the user's language, with a link back and home.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .errors import PermissionDeniedError

TEMPLATE = "403.html"


def _back_url(request):
    """The page the user came from, when it is one of this site's and not the refused page itself."""
    referer = request.headers.get("referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return None if referer == request.build_absolute_uri() else referer


def refused(request, message=None, *, status=403):
    """The refusal page (status 403): ``message`` says why (translated); without one, the page says that the
    user has no access to it and what to do."""
    return render(request, TEMPLATE, {"message": message, "back_url": _back_url(request)}, status=status)


def permission_denied(request, exception=None):
    """``handler403``: a service's refusal shows its own message; any other refusal, the page's general one."""
    message = exception.message if isinstance(exception, PermissionDeniedError) else None
    return refused(request, message)


def staff_required(perm):
    """The one gate of the staff's pages: anonymous users go to the login page; a user who is not staff or
    lacks ``perm`` gets the refusal page (object rules are ``ziat.access``'s, checked in the view or service)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (request.user.is_staff and request.user.has_perm(perm)):
                return refused(request, _("Your role does not allow this page."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
