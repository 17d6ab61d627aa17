"""The director reads the monitoring on a phone in Kazakh: the dashboard with its charts, a program, a cohort's six
components, the schedule of reviews and a review (000 §4.4-4.5, 001 §38); no page scrolls sideways at 390 px."""

import datetime

import pytest
from playwright.sync_api import expect

from monitoring.reviews import review_assemble
from tests import factories
from tests.e2e.browser import PHONE, fits, log_in
from tests.monitoring import builders as b


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_director_reads_the_monitoring_on_a_phone_000_4_5(live_server, new_context):
    factories.organisation()
    factories.staff_user("director", username="director", last_name="Мұратова", first_name="Сәуле")
    officer = factories.staff_user("monitoring")
    c, es = b.finished_cohort(results=(20, 10, 20), ends_on=datetime.date(2026, 3, 6))
    b.diagnostics(c, es, entrance=(9, 12, 10), final=(24, 27, 25))
    b.satisfaction(c, "content", {5: 4, 4: 2})
    b.needs_survey(c.program, responses=5, title="Педагогтердің кәсіби қажеттіліктері, 2025 жылғы сауалнама")
    review = review_assemble(
        c.program, by=officer, period_from=datetime.date(2026, 1, 1), period_to=datetime.date(2026, 6, 30)
    )
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "director", base=live_server.url)

    page.goto(f"{live_server.url}/monitoring/")
    expect(page.locator("#charts svg[role=img]")).to_have_count(6)
    # The page is in Kazakh, the default language, whatever language the test thread has active.
    expect(page.locator("#programs")).to_contain_text(c.program.title_kk)
    fits(page)
    page.locator("#programs a").first.click()
    page.wait_for_load_state()
    expect(page.locator("#cohorts")).to_contain_text(c.code)
    fits(page)
    page.locator("#cohorts a").first.click()
    page.wait_for_load_state()
    expect(page.locator("#component-self-analysis")).to_be_visible()
    fits(page)
    page.goto(f"{live_server.url}/monitoring/reviews/")
    expect(page.locator("#schedule")).to_contain_text(c.program.title_kk)
    fits(page)
    page.goto(f"{live_server.url}/monitoring/reviews/{review.pk}/")
    expect(page.locator("#review-cohorts")).to_contain_text(c.code)
    fits(page)
