"""The autosave of a test's answers, answered early (``ziat.early``): before the session, locale, common,
authentication, messages, clickjacking and login-throttle middleware.

Every listener of a sitting posts here many times a minute. The test's page gives its owner an answer token that
names the attempt and the owner (``assessment.services.testing.answer_token``), so a POST that carries one needs
no session and no user: it is answered here by ``attempt_answer`` once its CSRF token is checked as
``CsrfViewMiddleware`` checks it. A POST without an answer token, or one the CSRF check refuses, goes down the
whole chain, which answers it as always (the login, the refusal page). tests/assessment/test_answer_early.py
compares the early answer with the whole chain's.
"""

from django.middleware.csrf import CsrfViewMiddleware

from ziat.early import EarlyAnswerMiddleware

from .views import testing

SUFFIX = "/answer/"


class AnswerSaveMiddleware(EarlyAnswerMiddleware):
    method = "POST"
    prefix = "/cabinet/tests/attempts/"

    def __init__(self, get_response):
        super().__init__(get_response)
        self.csrf = CsrfViewMiddleware(get_response)

    def view(self):
        return testing.attempt_answer

    def wanted(self, request):
        return request.path_info.endswith(SUFFIX) and bool(request.POST.get("token"))

    def answer(self, request, match):
        self.csrf.process_request(request)
        if self.csrf.process_view(request, match.func, match.args, match.kwargs) is not None:
            # Refused: the whole chain answers, with the refusal page in the visitor's layout.
            return self.get_response(request)
        return self.csrf.process_response(request, super().answer(request, match))
