"""The page a certificate's QR code opens, answered early: before the session, locale, common, CSRF,
authentication, messages, clickjacking and login-throttle middleware.

``VerificationPageMiddleware`` stands right after the security, content-security-policy and static-file
middleware (``settings.MIDDLEWARE``), which wrap its answer as any other. A GET of a path that the URL
configuration routes to ``verify_views.verify`` is answered here by that view, with its rate limit. The page is
the same for every visitor (rendered ahead, see ``certificates.verification``): it reads no session, sets no
cookie and has no form that needs a CSRF token, so the session, CSRF, authentication, messages and login-throttle
middleware have nothing to do for it. What the others do for it is done here, more cheaply:

- the language, chosen as ``LocaleMiddleware`` chooses it for a URL configuration without language prefixes
  (the cookie, then the browser's languages), and its ``Content-Language`` and ``Vary: Accept-Language``;
  that middleware spends most of its time looking for a language prefix in every path;
- ``CommonMiddleware`` (its host check, its redirects and refusals, ``Content-Length``) and
  ``XFrameOptionsMiddleware``, by their own methods.

When the settings give those middleware more to do (language prefixes in the URLs), this one stands aside and
the page goes down the whole chain. tests/certificates/test_verification_pages.py compares the two answers.

The path is resolved against ``certificates.urls`` alone, which the project's URL configuration includes first,
at its root (ziat/urls.py): what these patterns resolve a path to is what the whole configuration resolves it
to, at a third of the cost.
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import MiddlewareNotUsed
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.urls import URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import verify_views

PREFIX = "/verify/"


class VerificationPageMiddleware:
    def __init__(self, get_response):
        if is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]:
            raise MiddlewareNotUsed("the language may come from the path: LocaleMiddleware decides it")
        self.get_response = get_response
        self.resolver = URLResolver(RegexPattern(r"^/"), "certificates.urls")
        self.common = CommonMiddleware(get_response)
        self.xframe = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        if request.method == "GET" and request.path_info.startswith(PREFIX):
            try:
                match = self.resolver.resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.func is verify_views.verify:
                return self.answer(request, match)
        return self.get_response(request)

    def answer(self, request, match):
        """The view's answer with what the middleware after this one would add to it, in their order."""
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        # The host's check, then the redirect of PREPEND_WWW or the refusal of a user agent, if any.
        response = self.common.process_request(request)
        if response is None:
            response = self.xframe.process_response(request, match.func(request, *match.args, **match.kwargs))
        response = self.common.process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
