"""Entrance vs final diagnostics for the monitoring of effectiveness (000 §4.5, SPEC 4.3)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.diagnostics import cohort_diagnostics, program_diagnostics
from assessment.enums import TestKind as Kind
from assessment.models import Reassessment
from tests.assessment import stafftests_factories as st
from tests.factories import cohort, enrolment, page_queries, program, staff_user

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def known(db, org, registrar):
    """Five listeners with known attempts (entrance and final of 25 points, milestones of 5):

    A: entrance 10 (40%), milestone 4 (80%), final 20 (80%), a later second entrance 25 that does not count
    B: entrance 15 (60%), milestone 2 (40%), final 25 (100%)
    C: final 15 (60%); a re-assessment attempt of 25 that does not count
    D: entrance 5 (20%), final started but not submitted
    E: entrance 5 (20%), final 12.5 recorded by a person (50%)
    """
    prog = program()
    c = cohort(prog, starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 6))
    b = st.bank(prog)
    entrance = st.make_test(c, b, kind=Kind.ENTRANCE)
    second_entrance = st.make_test(c, b, kind=Kind.ENTRANCE, title="again")
    milestone = st.make_test(c, b, kind=Kind.MILESTONE, draw={"1": 5}, title="Модуль 1")
    empty_milestone = st.make_test(c, b, kind=Kind.MILESTONE, draw={"2": 5}, title="Модуль 2")
    final = st.make_test(c, b)
    a, b_, c_, d, e = (enrolment(c) for _ in range(5))
    early = timezone.now() - 48 * HOUR
    st.attempt(entrance, a, points=10, started_at=early)
    st.attempt(second_entrance, a, points=25)
    st.attempt(entrance, b_, points=15)
    st.attempt(entrance, d, points=5)
    st.attempt(entrance, e, points=5)
    st.attempt(milestone, a, points=4)
    st.attempt(milestone, b_, points=2)
    st.attempt(final, a, points=20)
    st.attempt(final, b_, points=25)
    st.attempt(final, c_, points=15)
    again = Reassessment.objects.create(
        enrolment=c_, test=final, opens_at=early, closes_at=timezone.now() + HOUR, granted_by=registrar
    )
    st.attempt(final, c_, points=25, reassessment=again)
    st.attempt(final, d, submitted=False)
    st.final_result(e, "12.5", by=registrar)
    return {"cohort": c, "bank": b, "milestone": milestone, "empty_milestone": empty_milestone}


def test_cohort_diagnostics_from_known_attempts_000_4_5(known, django_assert_num_queries):
    with django_assert_num_queries(3):
        d = cohort_diagnostics(known["cohort"])
    assert (d.entrance_average, d.entrance_count) == (Decimal("35.0"), 4)
    assert (d.final_average, d.final_count) == (Decimal("72.5"), 4)
    # A +40, B +40, E +30.
    assert (d.gain_average, d.both_count) == (Decimal("36.7"), 3)
    assert [(m.test, m.average, m.count) for m in d.milestones] == [
        (known["milestone"], Decimal("60.0"), 2),
        (known["empty_milestone"], None, 0),
    ]
    assert d.milestone_average == Decimal("60.0")


def test_a_cohort_without_tests_has_no_numbers_000_4_5(db, org):
    d = cohort_diagnostics(cohort(program()))
    assert (d.entrance_average, d.final_average, d.gain_average, d.both_count, d.milestones) == (
        None,
        None,
        None,
        0,
        [],
    )


@pytest.mark.parametrize("n", [1, 6])
def test_cohort_diagnostics_query_count_is_fixed_000_4_5(db, org, django_assert_num_queries, n):
    c = cohort(program())
    b = st.bank(c.program)
    entrance, final = st.make_test(c, b, kind=Kind.ENTRANCE), st.make_test(c, b)
    for _ in range(n):
        e = enrolment(c)
        st.attempt(entrance, e, points=10)
        st.attempt(final, e, points=20)
    with django_assert_num_queries(3):
        d = cohort_diagnostics(c)
    assert d.both_count == n and d.gain_average == Decimal("40.0")


def test_program_diagnostics_pool_the_listeners_of_its_cohorts_000_4_5(known, django_assert_num_queries):
    prog = known["cohort"].program
    c2 = cohort(prog, starts_on=datetime.date(2026, 9, 7), ends_on=datetime.date(2026, 9, 11))
    f = enrolment(c2)
    st.attempt(st.make_test(c2, known["bank"], kind=Kind.ENTRANCE), f, points="12.5")
    st.attempt(st.make_test(c2, known["bank"]), f, points="22.5")
    cohort(program())  # another program's cohort does not count
    with django_assert_num_queries(4):
        d = program_diagnostics(prog)
    assert (d.entrance_average, d.entrance_count) == (Decimal("38.0"), 5)
    assert (d.final_average, d.final_count) == (Decimal("76.0"), 5)
    assert (d.gain_average, d.both_count) == (Decimal("37.5"), 4)
    assert [c for c, _d in d.cohorts] == [known["cohort"], c2]
    assert d.cohorts[1][1].gain_average == Decimal("40.0")


def test_the_cohort_tests_page_shows_the_diagnostics_000_4_5(known, client):
    client.force_login(staff_user("monitoring"))
    response = client.get(f"/staff/assessment/cohorts/{known['cohort'].pk}/tests/")
    assert response.context["diagnostics"].final_average == Decimal("72.5")
    html = response.content.decode()
    assert "35.0%" in html and "72.5%" in html and "+36.7" in html and "Модуль 1" in html


def test_the_monitoring_dashboard_shows_entrance_final_and_gain_000_4_5(known, client):
    client.force_login(staff_user("monitoring"))
    response = client.get("/monitoring/")
    assert response.status_code == 200
    row = next(f for c, f in response.context["overview"].cohorts if c.pk == known["cohort"].pk)
    assert (row.diagnostics.entrance_average, row.diagnostics.final_average) == (Decimal("35.0"), Decimal("72.5"))
    (found,) = response.context["page"]
    prog = found.program
    assert prog == known["cohort"].program and found.figures.gain == Decimal("36.7")
    html = response.content.decode()
    assert "+36.7" in html and f"/monitoring/programs/{prog.pk}/" in html
    program_page = client.get(f"/monitoring/programs/{prog.pk}/").content.decode()
    assert f"/monitoring/programs/{prog.pk}/diagnostics/" in program_page


def test_the_program_page_shows_each_cohort_and_milestone_000_4_5(known, client):
    client.force_login(staff_user("monitoring"))
    response = client.get(f"/monitoring/programs/{known['cohort'].program_id}/diagnostics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert known["cohort"].code in html and "Модуль 1" in html and "60.0%" in html


def test_monitoring_pages_are_not_for_listeners(known, client):
    client.force_login(enrolment(known["cohort"]).listener.user)
    assert client.get("/monitoring/").status_code == 403
    assert client.get(f"/monitoring/programs/{known['cohort'].program_id}/diagnostics/").status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_the_dashboard_query_count_does_not_grow_with_cohorts_000_4_5(db, org, client, n):
    client.force_login(staff_user("monitoring"))
    counts = []
    for size in (n, n + 3):
        for _ in range(size):
            c = cohort(program())
            b = st.bank(c.program)
            e = enrolment(c)
            st.attempt(st.make_test(c, b, kind=Kind.ENTRANCE), e, points=10)
            st.attempt(st.make_test(c, b), e, points=20)
        counts.append(page_queries(client, "/monitoring/"))
    assert counts[0] == counts[1]
