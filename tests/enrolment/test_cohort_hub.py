"""The cohort's page as the hub of its course: each of the cohort's pages is offered only to whom may open it
and only in the stages of the course where it makes sense; publishing only while the course has not ended."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from enrolment.services.schedule import FINISHED, PLANNED, RUNNING, cohort_may_open, cohort_stage
from enrolment.views.schedule import HUB_PAGES
from tests.certificates.helpers import course, enrol
from tests.factories import cohort, enrolment, staff_user
from ziat import roles


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _page(client, user, c):
    client.force_login(user)
    response = client.get(f"/staff/enrolment/schedule/{c.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_cohorts_stage_follows_its_dates():
    class Dates:
        starts_on, ends_on, is_published = datetime.date(2026, 3, 2), datetime.date(2026, 3, 6), False

    assert cohort_stage(Dates, datetime.date(2026, 3, 1)) == PLANNED
    assert cohort_stage(Dates, datetime.date(2026, 3, 2)) == RUNNING
    assert cohort_stage(Dates, datetime.date(2026, 3, 6)) == RUNNING
    assert cohort_stage(Dates, datetime.date(2026, 3, 7)) == FINISHED
    assert cohort_may_open(Dates, datetime.date(2026, 3, 6))
    assert not cohort_may_open(Dates, datetime.date(2026, 3, 7))


def test_a_cohort_not_started_offers_publishing_and_no_attendance_or_results(client, org):
    c = cohort(starts_on=_days(10), ends_on=_days(14))
    html = _page(client, staff_user(roles.DIRECTOR), c)
    assert 'id="publish-form"' in html and "Publish: open for applications" in html
    assert 'id="timetable-link"' in html and 'id="orders-link"' in html
    for key in ("attendance", "final-results", "module_grades", "certificates", "projects"):
        assert f'id="{key}-link"' not in html
    assert "not started" in html
    assert "below 80%" not in html


def test_a_finished_cohort_offers_no_publishing_and_leads_to_its_results_and_certificates(client, org):
    c = cohort(starts_on=_days(-20), ends_on=_days(-16))
    html = _page(client, staff_user(roles.DIRECTOR), c)
    assert 'id="publish-form"' not in html
    assert "Publish: open for applications" not in html
    assert "Change the terms" not in html
    for key in ("attendance", "final-results", "module_grades", "certificates", "support", "monitoring"):
        assert f'id="{key}-link"' in html
    assert f'href="/staff/assessment/cohorts/{c.pk}/results/"' in html
    assert f'href="/staff/certificates/cohorts/{c.pk}/"' in html


def test_a_published_finished_cohort_may_still_be_closed(client, org):
    c = cohort(starts_on=_days(-20), ends_on=_days(-16), is_published=True)
    html = _page(client, staff_user(roles.DIRECTOR), c)
    assert "Close for applications" in html
    assert "Publish: open for applications" not in html


def test_certificates_are_reachable_from_the_last_day_of_the_course(client, org):
    c = cohort(starts_on=_days(-4), ends_on=_days(0))
    html = _page(client, staff_user(roles.DIRECTOR), c)
    assert 'id="certificates-link"' in html
    assert 'id="support-link"' not in html  # the support year begins after the course


def test_links_follow_the_users_permissions(client, org):
    c = cohort(starts_on=_days(-20), ends_on=_days(-16))
    html = _page(client, staff_user(roles.REGISTRAR), c)
    assert 'id="final-results-link"' in html and 'id="certificates-link"' in html
    assert 'id="module_grades-link"' not in html  # the registrar does not grade modules
    assert 'id="payments-link"' in html
    for href in _hub_hrefs(html):
        assert client.get(href).status_code == 200, href


def _hub_hrefs(html):
    hub = html[html.index('id="cohort-hub"') : html.index("</nav>", html.index('id="cohort-hub"'))]
    return re.findall(r'href="([^"]+)"', hub)


def test_every_link_of_the_hub_opens_for_the_director(client, org):
    c = course(starts_on=_days(-20), ends_on=_days(-16))
    enrol(c)
    html = _page(client, staff_user(roles.DIRECTOR), c)
    hrefs = _hub_hrefs(html)
    assert len(hrefs) == len(HUB_PAGES)  # a finished cohort offers every page of the hub
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_the_results_of_a_cohort_not_started_show_no_failed_attendance(client, org):
    c = course(starts_on=_days(10), ends_on=_days(14))
    enrolment(c)
    client.force_login(staff_user(roles.DIRECTOR))
    html = client.get(f"/staff/assessment/cohorts/{c.pk}/results/").content.decode()
    assert "The course has not started yet." in html
    assert "below 80%" not in html
