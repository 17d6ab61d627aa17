"""The monitoring of programs' effectiveness (000 §4.4-4.5, 001 §38): figures, dashboard, program and cohort pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring import rules
from monitoring.figures import cohort_figures_refresh
from monitoring.filters import CohortSelection
from monitoring.selectors import cohort_figures, cohorts_selected, needs_surveys, overview
from tests.factories import page_queries, staff_user, teach

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(org):
    return staff_user("monitoring")


def test_pass_rate_and_attendance_follow_the_outcome_and_attendance_rules_000_4_5(officer):
    # Three listeners: one passes, one fails the test, one attended 6 of 10 hours (below 80%: not admitted).
    c, _es = b.finished_cohort(results=(20, 10, 20), hours={2: 6})
    [(_c, f)] = cohort_figures([c])
    assert (f.enrolled, f.completed, f.passed) == (3, 3, 1)
    assert f.pass_rate == Decimal("33.3")
    assert f.attendance == Decimal("86.7")  # (100 + 100 + 60) / 3


def test_entrance_final_and_gain_come_from_the_diagnostics_000_4_5(officer):
    c, es = b.finished_cohort(results=(20, 20))
    b.diagnostics(c, es, entrance=(9, 12), final=(24, 27))
    [(_c, f)] = cohort_figures([c])
    d = f.diagnostics
    assert (d.entrance_average, d.final_average, f.gain) == (Decimal("35.0"), Decimal("85.0"), Decimal("50.0"))


def test_satisfaction_is_shown_only_from_the_minimum_of_answers_000_4_5(officer):
    c, _es = b.finished_cohort()
    few = rules.SATISFACTION_MIN_ANSWERS - 1
    b.satisfaction(c, "content", {5: few})
    b.satisfaction(c, "teaching", {5: rules.SATISFACTION_MIN_ANSWERS, 3: 1})
    [(_c, f)] = cohort_figures([c])
    content, teaching = f.satisfaction["content"], f.satisfaction["teaching"]
    assert content.answers == few and not content.shown and content.average is None
    assert teaching.shown and teaching.average == (
        Decimal(5 * rules.SATISFACTION_MIN_ANSWERS + 3) / (rules.SATISFACTION_MIN_ANSWERS + 1)
    ).quantize(Decimal("0.1"))
    assert f.satisfaction["organisation"].answers == 0


def test_post_course_support_and_self_analysis_are_counted_per_cohort_000_4_5(officer, trainer):
    c, (e1, e2, e3) = b.finished_cohort(results=(20, 20, 20))
    teach(c, trainer)
    b.follow_up(e1, applying="regularly")
    b.follow_up(e2, applying="not_yet")
    b.follow_up(e3, answered=False)
    b.follow_up(e3, months=12, answered=False, due_on=datetime.date(2099, 1, 1))  # not due yet
    b.activity(c, held=True)
    b.activity(c)
    b.activity(c, cancelled=True)
    b.consultation(e1)
    b.event_registration(e1)
    b.event_registration(e2, attended=False)
    b.self_analysis(c, trainer)
    b.self_analysis(c, staff_user("methodist"), role="organiser")  # an organiser's: read on its own page
    [(_c, f)] = cohort_figures([c])
    assert (f.follow_ups_due, f.follow_ups_answered, f.follow_ups_applying) == (3, 2, 1)
    assert (f.follow_up_answered_share, f.applying_share) == (Decimal("66.7"), Decimal("50.0"))
    assert (f.activities_held, f.activities_planned) == (1, 2)
    assert (f.consultations, f.event_registrations, f.event_attended) == (1, 2, 1)
    assert (f.self_analyses, f.self_analyses_expected) == (1, 1)


def test_needs_surveys_show_their_responses_and_the_programs_that_answered_them_000_4_5(officer):
    c, _es = b.finished_cohort()
    survey = b.needs_survey(c.program, responses=4)
    from programs.models import NeedsSurvey

    unanswered = NeedsSurvey.objects.create(title_ru="Без программы", created_by=officer)
    rows = {row.survey.pk: row for row in needs_surveys()}
    assert rows[survey.pk].responses == 4 and [p.pk for p in rows[survey.pk].programs] == [c.program.pk]
    assert rows[unanswered.pk].programs == []
    assert [r.survey.pk for r in needs_surveys([c.program.pk])] == [survey.pk]


def test_filters_select_cohorts_by_period_program_trainer_and_organisation_000_4_5(officer, trainer):
    old, _ = b.finished_cohort(ends_on=datetime.date(2025, 5, 30))
    new, new_es = b.finished_cohort(ends_on=datetime.date(2026, 5, 29))
    teach(new, trainer)
    partner, _rep = b.partner_with_teachers(old, [])
    other, _rep2 = b.partner_with_teachers(new, new_es[:1], name="Басқа")

    def codes(**kw):
        return {c.code for c in cohorts_selected(officer, kw)}

    assert codes(ends_from=datetime.date(2026, 1, 1)) == {new.code}
    assert codes(ends_to=datetime.date(2025, 12, 31)) == {old.code}
    assert codes(program=old.program) == {old.code}
    assert codes(trainer=trainer) == {new.code}
    assert codes(organisation=other) == {new.code}
    assert codes(organisation=partner) == set()  # its request listed nobody who became a listener
    # The figures of an organisation are those of its own teachers.
    [(_c, f)] = cohort_figures([new], organisation=other)
    assert f.enrolled == 1


def test_a_trainer_reaches_the_figures_of_the_cohorts_they_teach_only_000_4_5(trainer):
    mine, _ = b.finished_cohort()
    b.finished_cohort()
    teach(mine, trainer)
    assert [c.pk for c in cohorts_selected(trainer)] == [mine.pk]


def test_the_overview_pools_programs_and_periods_000_4_5(officer):
    a1, _ = b.finished_cohort(results=(20, 10), ends_on=datetime.date(2026, 2, 27))
    a2, _ = b.finished_cohort(a1.program, results=(20, 20), ends_on=datetime.date(2026, 5, 29))
    other, _ = b.finished_cohort(results=(10,), ends_on=datetime.date(2026, 5, 29))
    found = overview(CohortSelection(user=officer))
    assert (found.total.enrolled, found.total.passed, found.total.cohorts) == (5, 3, 3)
    rows = {r.program.pk: r for r in found.programs}
    assert rows[a1.program.pk].figures.pass_rate == Decimal("75.0")
    assert rows[other.program.pk].figures.pass_rate == Decimal("0.0")
    assert [(label, f.cohorts) for label, f in found.periods] == [("2026 Q1", 1), ("2026 Q2", 2)]


# ------------------------------------------------------------------------------------------------ the pages


def _client(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_summary_charts_and_programs_with_their_filters_in_the_address_000_4_5(client, officer):
    c, es = b.finished_cohort(results=(20, 10), ends_on=datetime.date(2026, 5, 29))
    b.finished_cohort(results=(20,), ends_on=datetime.date(2025, 5, 30))
    _client(client, officer)
    page = client.get(reverse("monitoring:dashboard"), {"ends_from": "2026-01-01", "program": c.program.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="summary-passed">1 (50.0%)' in html
    assert html.count('role="img"') == 6 and "viewBox=" in html
    assert html.count("data-program=") == 1
    assert f'href="/monitoring/programs/{c.program.pk}/?ends_from=2026-01-01&amp;program={c.program.pk}"' in html
    assert 'id="needs"' in html
    bad = client.get(reverse("monitoring:dashboard"), {"ends_from": "2026-06-01", "ends_to": "2026-01-01"})
    assert bad.status_code == 400 and "The end of the period is before its start." in bad.content.decode()


def test_the_program_page_drills_down_to_its_cohorts_and_the_cohort_page_shows_the_six_components_000_4_5(
    client, officer
):
    c, es = b.finished_cohort(results=(20, 20))
    b.needs_survey(c.program, responses=7, title="Қажеттіліктер 2025")
    b.satisfaction(c, "content", {4: rules.SATISFACTION_MIN_ANSWERS})
    _client(client, officer)
    dashboard = client.get(reverse("monitoring:dashboard")).content.decode()
    assert "Қажеттіліктер 2025" in dashboard and f'href="/monitoring/programs/{c.program.pk}/"' in dashboard
    program_page = client.get(reverse("monitoring:program", args=[c.program.pk])).content.decode()
    assert f'href="/monitoring/cohorts/{c.pk}/"' in program_page and "Қажеттіліктер 2025" in program_page
    html = client.get(reverse("monitoring:cohort", args=[c.pk])).content.decode()
    for part in ("needs", "entrance", "control", "satisfaction", "support", "self-analysis"):
        assert f'id="component-{part}"' in html
    assert "7 responses" in html and "4.0 of 5" in html
    assert "too few answers to show" in html  # organisation and teaching have no answers


def test_a_trainer_sees_only_the_cohorts_they_teach_on_the_dashboard_and_is_refused_another_000_4_5(client, trainer):
    mine, _ = b.finished_cohort(code="MINE-1")
    other, _ = b.finished_cohort(code="OTHER-1")
    teach(mine, trainer)
    _client(client, trainer)
    html = client.get(reverse("monitoring:dashboard")).content.decode()
    assert f'data-program="{mine.program.pk}"' in html and f'data-program="{other.program.pk}"' not in html
    assert 'name="trainer"' not in html and 'name="organisation"' not in html
    assert "OTHER-1" not in html
    assert client.get(reverse("monitoring:cohort", args=[mine.pk])).status_code == 200
    assert client.get(reverse("monitoring:cohort", args=[other.pk])).status_code == 403
    assert client.get(reverse("monitoring:program", args=[other.program.pk])).status_code == 403


def test_roles_without_monitoring_are_refused_the_dashboard_000_4_5(client, registrar):
    _client(client, registrar)
    page = client.get(reverse("monitoring:dashboard"))
    assert page.status_code == 403 and 'class="site-header"' in page.content.decode()


def test_the_staff_nav_has_a_monitoring_line_for_monitoring_roles_only_000_4_5(client, officer, registrar):
    link = f'href="{reverse("monitoring:dashboard")}"'
    _client(client, officer)
    assert link in client.get(reverse("monitoring:dashboard")).content.decode()
    client.force_login(registrar)
    assert link not in client.get(reverse("certificates:register")).content.decode()


def _many(n):
    prog = None
    for _i in range(n):
        c, es = b.finished_cohort(prog, results=(20, 10))
        prog = prog or c.program
        b.satisfaction(c, "content", {5: 5})
        b.follow_up(es[0])
        b.activity(c, held=True)
        b.consultation(es[0])
        b.event_registration(es[0])
        b.finished_cohort(results=(20,))
    b.needs_survey(prog)
    return prog


@pytest.mark.parametrize("n", [1, 4])
def test_the_dashboard_program_and_cohort_pages_make_a_fixed_number_of_queries_000_4_5(client, officer, n):
    prog = _many(n)
    _client(client, officer)
    cohort_pk = prog.cohorts.order_by("pk").values_list("pk", flat=True).first()
    live = page_queries(client, reverse("monitoring:dashboard"))
    cohort_figures_refresh()
    counts = [
        live,
        page_queries(client, reverse("monitoring:dashboard")),
        page_queries(client, reverse("monitoring:program", args=[prog.pk])),
        page_queries(client, reverse("monitoring:cohort", args=[cohort_pk])),
    ]
    assert counts == EXPECTED_QUERIES, counts


# Before the periodic task has kept the finished cohorts' outcome figures, the dashboard computes them (and writes
# nothing); after it, the pages read them back instead of the outcomes of the listeners.
EXPECTED_QUERIES = [31, 25, 25, 23]


def test_filtering_by_organisation_counts_its_teachers_and_says_what_stays_cohort_wide_000_4_5(client, officer):
    c, es = b.finished_cohort(results=(20, 10, 20))
    partner, _rep = b.partner_with_teachers(c, es[:1])
    client.force_login(officer)
    page = client.get(reverse("monitoring:dashboard"), {"organisation": partner.pk})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="organisation-note"' in html
    assert page.context["overview"].total.enrolled == 1
    assert 'id="organisation-note"' not in client.get(reverse("monitoring:dashboard")).content.decode()


def test_a_chart_is_an_accessible_svg_that_scales_and_reads_every_value_000_4_5():
    from monitoring.charts import Bar, bar_chart

    svg = str(
        bar_chart(
            "Gain", [Bar("A <b>", Decimal("-12.5")), Bar("B", None), Bar("C", Decimal("40.0"))], minimum=-100, unit=""
        )
    )
    assert 'role="img"' in svg and 'viewBox="0 0 600' in svg and 'width="100%"' in svg
    assert "<desc" in svg and "A &lt;b&gt;: -12.5; B: no data; C: 40" in svg
    assert svg.count("<rect") == 2 and "chart-bar-negative" in svg
