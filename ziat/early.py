"""Middleware that answers one view's requests early, before the session's middleware and those after it.

Some requests come by the hundred and need nothing of the session: the page a certificate's QR code opens
(``certificates.middleware``) and the autosave of a test's answers (``assessment.middleware``). An
``EarlyAnswerMiddleware`` stands right after the security, content-security-policy and static-file middleware
(``settings.MIDDLEWARE``), which wrap its answer as any other, and answers a request that its URL
configuration routes to its view by calling that view. What the skipped middleware do for such a request is
done here, more cheaply:

- the language, chosen as ``LocaleMiddleware`` chooses it for a URL configuration without language prefixes
  (the cookie, then the browser's languages), and its ``Content-Language`` and ``Vary: Accept-Language``;
  that middleware spends most of its time looking for a language prefix in every path;
- ``CommonMiddleware`` (its host check, its redirects and refusals, ``Content-Length``) and
  ``XFrameOptionsMiddleware``, by their own methods.

A subclass may check more around ``answer`` (the CSRF token of a POST).

A request the view would need more for (a user read from the session) is left to the whole chain, and so is
every request when the settings give the skipped middleware more to do (language prefixes in the URLs).
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import MiddlewareNotUsed, PermissionDenied
from django.http import Http404
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.urls import get_resolver
from django.urls.exceptions import Resolver404
from django.utils import translation
from django.utils.cache import patch_vary_headers


class EarlyAnswerMiddleware:
    """Answers the requests of ``method`` whose path starts with ``prefix`` and resolves to ``view()``."""

    method = "GET"
    prefix = "/"

    def __init__(self, get_response):
        if is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]:
            raise MiddlewareNotUsed("the language may come from the path: LocaleMiddleware decides it")
        self.get_response = get_response
        self.common = CommonMiddleware(get_response)
        self.xframe = XFrameOptionsMiddleware(get_response)

    def view(self):
        """The view function answered early, as the URL configuration routes to it."""
        raise NotImplementedError

    def wanted(self, request):
        """Whether this request (of the method and prefix) may be answered early at all."""
        return True

    def resolve(self, path):
        """What the project's URL configuration resolves ``path`` to, or None."""
        try:
            return get_resolver().resolve(path)
        except Resolver404:
            return None

    def __call__(self, request):
        if request.method == self.method and request.path_info.startswith(self.prefix) and self.wanted(request):
            match = self.resolve(request.path_info)
            if match is not None and match.func is self.view():
                return self.answer(request, match)
        return self.get_response(request)

    def answer(self, request, match):
        """The view's answer with what the middleware after this one would add to it, in their order."""
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        # The host's check, then the redirect of PREPEND_WWW or the refusal of a user agent, if any.
        response = self.common.process_request(request)
        if response is None:
            try:
                response = match.func(request, *match.args, **match.kwargs)
            except (Http404, PermissionDenied):
                # Not found or refused before it changed anything: the whole chain answers, with its page in the
                # visitor's layout (which the session's user is needed for).
                return self.get_response(request)
            response = self.xframe.process_response(request, response)
        response = self.common.process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
