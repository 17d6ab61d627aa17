"""The page a certificate's QR code opens, answered early (``ziat.early``): before the session, locale, common,
CSRF, authentication, messages, clickjacking and login-throttle middleware.

A GET of a path that the URL configuration routes to ``verify_views.verify`` is answered here by that view, with
its rate limit. The page is the same for every visitor (rendered ahead, see ``certificates.verification``): it
reads no session, sets no cookie and has no form that needs a CSRF token, so the session, CSRF, authentication,
messages and login-throttle middleware have nothing to do for it. tests/certificates/test_verification_pages.py
compares the early answer with the whole chain's.

The path is resolved against ``certificates.urls`` alone, which the project's URL configuration includes first,
at its root (ziat/urls.py): what these patterns resolve a path to is what the whole configuration resolves it
to, at a third of the cost.
"""

from django.urls import URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from ziat.early import EarlyAnswerMiddleware

from . import verify_views


class VerificationPageMiddleware(EarlyAnswerMiddleware):
    method = "GET"
    prefix = "/verify/"

    def __init__(self, get_response):
        super().__init__(get_response)
        self.resolver = URLResolver(RegexPattern(r"^/"), "certificates.urls")

    def view(self):
        return verify_views.verify

    def resolve(self, path):
        try:
            return self.resolver.resolve(path)
        except Resolver404:
            return None
