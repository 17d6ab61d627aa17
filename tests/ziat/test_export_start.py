"""Exports made by a background job (``ziat.exports``) start on a POST only: the page's export control is a form
that posts to the export's address with the page's filters; a GET of that address (a bookmarked or older link)
writes nothing and shows the export's name with the button that starts it; the same access checks refuse an
outsider either way, and an outsider's POST starts nothing."""

import datetime
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolment.enums import Funding
from enrolment.services.admission import contract_draw_up
from enrolment.services.core import enrolment_admit
from tests.assessment import stafftests_factories as st
from tests.certificates.helpers import issued
from tests.factories import cohort, listener, program, sessions, staff_user, teach, write_statements
from tests.monitoring import builders as b
from tests.programs.test_needs_services import make_survey
from ziat.models import Job

NO_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@dataclass
class Case:
    export: str  # the export's address with the page's filters
    pages: list  # the pages that offer it
    starter: object  # a user who may export
    outsider: object  # a user the same checks refuse
    title: str  # words of the export's name
    filters: dict = field(default_factory=dict)  # the filters the export's address keeps


def _register(settings, director):
    tasks, settings.TASKS = settings.TASKS, NO_TASKS  # the certificate's files are not needed
    certificate = issued(director)
    settings.TASKS = tasks
    query = f"?cohort={certificate.enrolment.cohort_id}"
    return Case(
        export=reverse("certificates:register_export") + query,
        pages=[reverse("certificates:register") + query],
        starter=staff_user("registrar"),
        outsider=listener().user,
        title="Register of certificates",
        filters={"cohort": [str(certificate.enrolment.cohort_id)]},
    )


def _survey(settings, director):
    methodist = staff_user("methodist")
    survey = make_survey(methodist)
    return Case(
        export=reverse("programs:survey_export", args=[survey.pk]),
        pages=[reverse(name, args=[survey.pk]) for name in ("programs:survey_results", "programs:survey_detail")],
        starter=methodist,
        outsider=staff_user("trainer"),
        title="Results of the survey",
    )


def _dashboard(settings, director):
    b.finished_cohort(results=(20, 10), ends_on=datetime.date(2026, 5, 29))
    query = "?ends_from=2026-01-01"
    return Case(
        export=reverse("monitoring:dashboard_export") + query,
        pages=[reverse("monitoring:dashboard") + query],
        starter=staff_user("monitoring"),
        outsider=listener().user,
        title="Monitoring of programs",
        filters={"ends_from": ["2026-01-01"]},
    )


def _cohort_test(settings, director):
    c = cohort(program())
    test = st.make_test(c, st.bank(c.program))
    return Case(
        export=reverse("assessment:cohort_test_export", args=[c.pk, test.pk]),
        pages=[reverse("assessment:cohort_test_results", args=[c.pk, test.pk])],
        starter=director,
        outsider=staff_user("trainer"),  # a trainer who does not teach the cohort: the cohort's check refuses
        title=f"Results of the test, {c.code}",
    )


def _schedule(settings, director):
    cohort(program())
    query = "?year=2026"
    return Case(
        export=reverse("enrolment:schedule_export") + query,
        pages=[reverse("enrolment:schedule") + query],
        starter=staff_user("registrar"),
        outsider=staff_user("trainer"),
        title="Schedule of courses, 2026",
        filters={"year": ["2026"]},
    )


def _payments(settings, director):
    registrar = staff_user("registrar")
    paid = cohort(program(), funding=Funding.OWN, price=Decimal("150000"), language="ru")
    contract_draw_up(enrolment_admit(cohort=paid, listener=listener(), by=registrar), by=registrar)
    query = f"?cohort={paid.pk}"
    return Case(
        export=reverse("enrolment:payments_export") + query,
        pages=[reverse("enrolment:payments") + query],
        starter=staff_user("accountant"),
        outsider=staff_user("trainer"),
        title="Export of payments",
        filters={"cohort": [str(paid.pk)]},
    )


def _attendance(settings, director):
    c = cohort(program())
    sessions(c, ["4", "4"])
    trainer = teach(c, staff_user("trainer"))
    return Case(
        export=reverse("enrolment:attendance_xlsx", args=[c.pk]),
        pages=[reverse("enrolment:attendance_grid", args=[c.pk])],
        starter=trainer,
        outsider=staff_user("trainer"),  # a trainer of no session of the cohort: the cohort's check refuses
        title=f"Attendance sheet of {c.code}",
    )


EXPORTS = {
    "certificates:register_export": _register,
    "programs:survey_export": _survey,
    "monitoring:dashboard_export": _dashboard,
    "assessment:cohort_test_export": _cohort_test,
    "enrolment:schedule_export": _schedule,
    "enrolment:payments_export": _payments,
    "enrolment:attendance_xlsx": _attendance,
}


@pytest.fixture(params=list(EXPORTS))
def case(request, db, org, director, settings):
    return EXPORTS[request.param](settings, director)


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _export_form(page):
    """The action of the page's export form, unescaped; the form carries its CSRF token."""
    found = re.search(
        r'<form method="post" action="([^"]*)"[^>]*id="export-form">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        page,
    )
    assert found, "no export form that posts"
    return html.unescape(found.group(1))


def _same_export(action, case):
    """Whether ``action`` is the case's export address with its filters."""
    parts = urlsplit(action)
    query = parse_qs(parts.query)
    return parts.path == urlsplit(case.export).path and all(query.get(k) == v for k, v in case.filters.items())


def test_the_page_offers_the_export_as_a_button_that_posts_with_its_filters(case):
    client = _client(case.starter)
    for url in case.pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert _same_export(_export_form(page), case), url
        assert re.search(r'<button type="submit"[^>]*id="export"', page), url
        assert f'href="{urlsplit(case.export).path}' not in page, url  # no plain link starts it


def test_a_get_of_the_export_address_writes_nothing_and_offers_the_button(case):
    client = _client(case.starter)
    with CaptureQueriesContext(connection) as asked:
        response = client.get(case.export)
    assert response.status_code == 200
    assert write_statements(asked) == []
    assert not Job.objects.exists()
    page = response.content.decode()
    assert 'class="site-header"' in page  # in the base layout
    assert case.title in html.unescape(page)
    found = re.search(r'<form method="post" action="([^"]*)" id="export-start">(.*?)</form>', page, re.S)
    assert found and "csrfmiddlewaretoken" in found.group(2) and "Prepare the file" in found.group(2)
    assert html.unescape(found.group(1)) == case.export  # the same address and filters


def test_a_post_starts_one_job_and_leads_to_its_page(case):
    client = _client(case.starter)
    response = client.post(case.export)
    job = Job.objects.get()
    assert (job.kind, job.owner_id) == ("export", case.starter.pk)
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    assert client.get(response.url).status_code == 200


def test_the_button_of_the_get_page_starts_the_export(case):
    client = _client(case.starter)
    page = client.get(case.export).content.decode()
    action = html.unescape(re.search(r'action="([^"]*)" id="export-start"', page).group(1))
    response = client.post(action)
    assert response.status_code == 302 and Job.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("certificates:register_export", "cohort=abc"),
        ("monitoring:dashboard_export", "ends_from=not-a-date"),
        ("enrolment:schedule_export", "seats=some"),
        ("enrolment:payments_export", "cohort=abc"),
    ],
)
def test_a_post_with_a_bad_filter_answers_the_page_with_its_message_and_starts_nothing(db, org, name, bad):
    client = _client(staff_user("director"))
    response = client.post(reverse(name) + "?" + bad)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Job.objects.exists()


def test_an_outsiders_get_and_post_are_refused_and_start_nothing(case):
    client = _client(case.outsider)
    assert client.get(case.export).status_code == 403
    with CaptureQueriesContext(connection) as asked:
        response = client.post(case.export)
    assert response.status_code == 403
    assert 'class="site-header"' in response.content.decode()  # the refusal page in the base layout
    assert write_statements(asked) == []
    assert not Job.objects.exists()
