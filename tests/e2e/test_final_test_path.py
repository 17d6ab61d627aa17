"""The final test on a phone (000 §3.6, 004 §8, SPEC 4.2): a listener starts it in the cabinet, answers,
loses the page and comes back to the saved answers, submits and sees the score the server computed.

Selectors rely on URLs, field names and ids, not on translated text: the browser asks for Kazakh.
"""

import re

import pytest
from playwright.sync_api import expect

from assessment.enums import SubmittedBy
from assessment.models import Attempt, FinalResult
from tests import factories
from tests.assessment import taking_factories as tf
from tests.e2e.browser import PHONE, log_in


def _answers(attempt):
    """The option the listener picks for each position: the correct one, except for every third question."""
    picks = {}
    for item in attempt.items.order_by("position"):
        picks[item.position] = tf.correct_ids(item)[0] if item.position % 3 else tf.wrong_id(item)
    return picks


def _pick(page, position, option_id):
    fieldset = page.locator(f"#q-{position}")
    fieldset.locator(f'input[value="{option_id}"]').check()
    expect(fieldset.locator(".save-state.ok")).to_have_count(1)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_listener_takes_the_final_test_on_a_phone_004_8(live_server, new_context):
    """The navigator above the questions also counts the answered ones and jumps to any question."""
    factories.organisation()
    group, version = tf.course()
    test = tf.cohort_test(group, version)
    enrolment = tf.admitted(group)

    phone = new_context(viewport=PHONE)
    page = phone.new_page()
    log_in(page, enrolment.listener.user.username, base=live_server.url)

    # ---- The cabinet's tests page: the final test is open; start it -------------------------------------
    page.goto(f"{live_server.url}/cabinet/tests/{enrolment.pk}/")
    expect(page.locator(f"#test-{test.pk}")).to_have_attribute("data-state", "open")
    page.locator(f"#start-{test.pk}").click()
    expect(page).to_have_url(re.compile(r"/cabinet/tests/attempts/\d+/$"))
    attempt = Attempt.objects.get(enrolment=enrolment, test=test)
    assert page.url.endswith(f"/cabinet/tests/attempts/{attempt.pk}/")
    expect(page.locator("fieldset[data-position]")).to_have_count(25)
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # ---- Half the answers, each saved as it is chosen ---------------------------------------------------
    picks = _answers(attempt)
    for position in range(1, 13):
        _pick(page, position, picks[position])
    saved = dict(attempt.items.filter(position__lte=12).values_list("position", "chosen"))
    assert saved == {p: [picks[p]] for p in range(1, 13)}

    # ---- The connection is lost; the page opened again shows the saved answers ------------------------
    page.reload()
    for position in range(1, 13):
        expect(page.locator(f'#q-{position} input[value="{picks[position]}"]')).to_be_checked()
    expect(page.locator("#q-13 input:checked")).to_have_count(0)
    # The navigator counts the answered questions and marks them; a number jumps to its question.
    expect(page.locator("#navigator a.answered")).to_have_count(12)
    expect(page.locator("#answered-count")).to_contain_text("12")
    expect(page.locator("#answered-count")).to_contain_text("25")
    page.locator('#navigator a[data-position="20"]').click()
    expect(page).to_have_url(re.compile(r"#q-20$"))
    expect(page.locator("#q-20")).to_be_in_viewport()

    # ---- The rest, then submit --------------------------------------------------------------------------
    for position in range(13, 26):
        _pick(page, position, picks[position])
    expect(page.locator("#navigator a.answered")).to_have_count(25)
    expect(page.locator("#navigator a:not(.answered)")).to_have_count(0)
    page.locator("#submit-attempt").click()
    expect(page.locator("#result")).to_have_attribute("data-state", "submitted")
    right = sum(1 for item in attempt.items.all() if picks[item.position] in tf.correct_ids(item))
    assert right == 17  # every third of 25 questions answered wrongly
    expect(page.locator("#score")).to_have_text(str(right))
    expect(page.locator("#max-score")).to_have_text("25")

    result = FinalResult.objects.get(enrolment=enrolment)
    assert result.score == right and result.attempt_id == attempt.pk and result.recorded_by is None
    attempt.refresh_from_db()
    assert attempt.submitted_by == SubmittedBy.LISTENER

    # ---- The tests page now shows the result ------------------------------------------------------------
    page.goto(f"{live_server.url}/cabinet/tests/{enrolment.pk}/")
    expect(page.locator(f"#test-{test.pk}")).to_have_attribute("data-state", "submitted")
    expect(page.locator(f"#test-{test.pk} .score")).to_have_text(str(right))
    phone.close()
