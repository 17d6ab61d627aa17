"""The back-office's date widget in Kazakh: the calendar names the months and the days in Kazakh and its
shortcut reads "Бүгін" (Django's Kazakh lacks them; the project's djangojs catalogue supplies them)."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.browser import log_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_admin_calendar_speaks_kazakh(live_server, page: Page):
    factories.organisation()
    # The back-office keeps its editable dates on the accounts' pages (the rest is read there, written on the
    # staff pages): the superuser opens their own account.
    admin = factories.UserFactory(username="director", is_staff=True, is_superuser=True)
    log_in(page, "director")

    page.goto(f"/admin/ziat/user/{admin.pk}/change/")
    shortcuts = page.locator(".datetimeshortcuts").first
    expect(shortcuts.locator("a").first).to_have_text("Бүгін")
    page.locator("[id^=calendarlink]").first.click()
    calendar = page.locator(".calendarbox").first
    expect(calendar).to_be_visible()
    caption = calendar.locator("caption").inner_text()
    months = ["Қаңтар", "Ақпан", "Наурыз", "Сәуір", "Мамыр", "Маусым"]
    months += ["Шілде", "Тамыз", "Қыркүйек", "Қазан", "Қараша", "Желтоқсан"]
    assert any(month.upper() in caption.upper() for month in months), caption
    expect(calendar.locator("th").first).to_have_text("Д", ignore_case=True)  # the week starts on Monday
    expect(calendar.locator(".calendar-cancel a")).to_have_text("Болдырмау")
