"""The listener's cabinet: one home whose courses show a panel of each stage: contract, results, timetable,
certificate and support (SPEC People, 5, 6)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.services import certificate_issue
from tests.certificates.helpers import course, enrol
from tests.factories import listener, staff_user
from ziat.models import Organisation


def _listener_with_enrolments(director, n, capture):
    """A listener with ``n`` courses, each passed, certified and with its support period open."""
    person = listener(last_name="Әбенова", first_name="Айгерім")
    certificates = []
    for i in range(n):
        starts = datetime.date(2026, 3, 2) + datetime.timedelta(weeks=i)
        c = course(code=f"K-{n}-{i}", starts_on=starts, ends_on=starts + datetime.timedelta(days=4))
        e = enrol(c, listener_=person)
        with capture(execute=True):
            certificates.append(certificate_issue(e, by=director, on=datetime.date(2026, 4, 1)))
    return person, certificates


@pytest.mark.parametrize("n", [1, 3])
def test_cabinet_query_count_does_not_grow_with_enrolments(
    client, org, director, django_capture_on_commit_callbacks, django_assert_num_queries, n
):
    person, certificates = _listener_with_enrolments(director, n, django_capture_on_commit_callbacks)
    client.force_login(person.user)
    # session, user, listener, enrolments with cohort and contract; the panels: sessions (timetable),
    # attendance and the plans (versions, modules, topics) (results), certificates with their duplicates,
    # references and internship certificates, the support periods with their open threads counted, follow-up
    # questionnaires; applications and unread messages counted; the organisation comes from the cache
    Organisation.current()
    with django_assert_num_queries(19):
        response = client.get("/cabinet/")
    assert response.status_code == 200
    html = response.content.decode()
    for certificate in certificates:
        assert certificate.registration_number in html
        assert f"/cabinet/certificates/{certificate.pk}/certificate.pdf" in html


def test_cabinet_queries_are_the_same_for_one_and_three_enrolments(
    client, org, director, django_capture_on_commit_callbacks
):
    counts = []
    for n in (1, 3):
        person, _certificates = _listener_with_enrolments(director, n, django_capture_on_commit_callbacks)
        client.force_login(person.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/cabinet/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_cabinet_shows_only_the_listeners_own_certificates(client, org, director):
    mine = certificate_issue(enrol(course()), by=director, on=datetime.date(2026, 4, 1))
    other = certificate_issue(enrol(course()), by=director, on=datetime.date(2026, 4, 1))
    client.force_login(mine.enrolment.listener.user)
    html = client.get("/cabinet/").content.decode()
    assert mine.registration_number in html
    assert other.registration_number not in html
    assert f"/cabinet/certificates/{other.pk}/" not in html


def test_cabinet_shows_why_a_listener_has_no_certificate_yet_000_3_6(client, org):
    e = enrol(course(), hours=2, test=None)
    client.force_login(e.listener.user)
    response = client.get("/cabinet/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "20.00%" in html
    assert "No final test result yet." in html
    assert "certificate.pdf" not in html


def test_cabinet_needs_a_login(client, db):
    response = client.get("/cabinet/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_cabinet_of_a_staff_member_is_empty(client, org, director):
    certificate_issue(enrol(course()), by=director, on=datetime.date(2026, 4, 1))
    client.force_login(staff_user("registrar"))
    response = client.get("/cabinet/")
    assert response.status_code == 200
    assert response.context["courses"] == []


def test_each_stage_adds_its_panel_in_the_lifecycle_order(client, org, director, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(enrol(course()), by=director, on=datetime.date(2026, 4, 1))
    client.force_login(certificate.enrolment.listener.user)
    html = client.get("/cabinet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    marks = ['class="facts"', 'class="document certificate', "Post-course support"]
    positions = [html.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_a_later_stage_registers_a_panel_without_the_cabinet_knowing_it(client, org, director):
    from enrolment import cabinet

    certificate = certificate_issue(enrol(course()), by=director, on=datetime.date(2026, 4, 1))
    panel = cabinet.Panel("later-stage", "enrolment/cabinet/panels/contract.html", 99, lambda enrolments, *, today: {})
    cabinet.register(panel)
    try:
        keys = [p.key for p in cabinet.panels()]
        assert keys[-1] == "later-stage"
        client.force_login(certificate.enrolment.listener.user)
        assert client.get("/cabinet/").status_code == 200
    finally:
        cabinet._panels.pop("later-stage")
