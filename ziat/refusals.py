"""A refused staff action answers with a page in the site's layout that says why, never a bare 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _


def refused(request, message=None, *, status=403):
    """The page that tells a user why they may not do what they asked (status 403)."""
    message = message or _("Your role does not allow this page.")
    return render(request, "staff/refused.html", {"message": message}, status=status)


def staff_required(perm):
    """The one gate of the staff's pages: anonymous users go to the login page; a user who is not staff or
    lacks ``perm`` gets the refusal page (object rules are ``ziat.access``'s, checked in the view or service)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (request.user.is_staff and request.user.has_perm(perm)):
                return refused(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
