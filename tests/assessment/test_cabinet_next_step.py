"""The cabinet says what to do next: an open test is the first thing on the page, a failed final test
mentions the re-assessment (000 §3.10), an issued certificate is reachable at the top."""

import datetime

import pytest
from django.utils import timezone, translation

from tests.assessment import stafftests_factories as st
from tests.certificates.helpers import course, enrol, issued
from tests.factories import staff_user


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _today_course():
    today = timezone.localdate()
    return course(starts_on=today - datetime.timedelta(days=4), ends_on=today)


def _cabinet(client, e):
    client.force_login(e.listener.user)
    response = client.get("/cabinet/")
    assert response.status_code == 200
    return response.content.decode()


def test_on_the_day_of_the_final_test_the_open_test_comes_first(client, org):
    c = _today_course()
    e = enrol(c, test=None)
    st.make_test(c, st.bank(c.program))
    html = _cabinet(client, e)
    steps = html.index('id="next-steps"')
    assert steps < html.index(f'id="course-{e.pk}"')
    section = html[steps : html.index("</section>", steps)]
    assert "The final test is open until" in section
    assert f'<a class="button" href="/cabinet/tests/{e.pk}/">Take the test</a>' in section


def test_a_handed_in_test_is_no_longer_a_next_step(client, org):
    c = _today_course()
    e = enrol(c, test=None)
    test = st.make_test(c, st.bank(c.program))
    st.attempt(test, e, points=20)
    assert "The final test is open until" not in _cabinet(client, e)


def test_after_a_failed_final_test_the_reassessment_is_mentioned_000_3_10(client, org):
    c = course()
    e = enrol(c, test=5)
    html = _cabinet(client, e)
    steps = html[html.index('id="next-steps"') :]
    assert "A re-assessment may be granted" in steps
    assert f'href="/cabinet/tests/{e.pk}/"' in steps


def test_an_issued_certificate_is_reachable_at_the_top_of_the_cabinet(client, org):
    certificate = issued(staff_user("director"))
    html = _cabinet(client, certificate.enrolment)
    steps = html[html.index('id="next-steps"') : html.index("</section>", html.index('id="next-steps"'))]
    assert certificate.registration_number in steps
    assert f'href="/cabinet/certificates/{certificate.pk}/certificate.pdf"' in steps


def test_the_next_steps_cost_the_same_queries_for_one_and_three_running_courses(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import listener
    from ziat.models import Organisation

    counts = []
    for n in (1, 3):
        person = listener()
        for _i in range(n):
            c = _today_course()
            enrol(c, test=None, listener_=person)
            st.make_test(c, st.bank(c.program))
        client.force_login(person.user)
        Organisation.current()
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/cabinet/").content.decode()
        assert html.count("The final test is open until") == n
        counts.append(len(queries))
    assert counts[0] == counts[1]
