"""The page a certificate's QR code opens, served before the middleware that a page showing nothing of the
visitor's session does not need.

``VerificationPageMiddleware`` stands after the middleware that set the page's language and headers (security,
content security policy, static files, locale, common, clickjacking) and before the session, CSRF,
authentication, messages and login-throttle middleware (``settings.MIDDLEWARE``). A GET of a path that the URL
configuration routes to ``verify_views.verify`` is answered here by that view, with its rate limit; the page is
the same for every visitor (rendered ahead, see ``certificates.verification``), reads no session, sets no
cookie and has no form that needs a CSRF token. Everything else, the other verification pages among them, goes
down the whole chain as before.

The path is resolved against ``certificates.urls`` alone, which the project's URL configuration includes first,
at its root (ziat/urls.py): what these patterns resolve a path to is what the whole configuration resolves it
to, at a third of the cost.
"""

from django.urls import URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from . import verify_views

PREFIX = "/verify/"


class VerificationPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.resolver = URLResolver(RegexPattern(r"^/"), "certificates.urls")

    def __call__(self, request):
        if request.method == "GET" and request.path_info.startswith(PREFIX):
            try:
                match = self.resolver.resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.func is verify_views.verify:
                return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
