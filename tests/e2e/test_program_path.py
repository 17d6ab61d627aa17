"""A program's path in a real browser (000 §2.8-2.13).

A methodist drafts a program (sections and plan), publishes it for public discussion; a stranger comments
on the public page; the methodist records the state body's agreement; the director approves it; the
program appears in the public catalogue with its downloadable document.

Selectors rely on URLs, field names and ids, not on translated text: the browser asks for Kazakh.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from programs.enums import ProgramStatus
from programs.models import Discussion, DiscussionComment, Program
from tests import factories
from tests.e2e.browser import log_in

TITLE_KK = "Жасанды интеллект сабақта"
TITLE_RU = "Искусственный интеллект на уроке"

SECTIONS = {
    "general_provisions": "Программа разработана в соответствии с законом «Об образовании».",
    "glossary": "Промпт — запрос к языковой модели",
    "subject": "Инструменты искусственного интеллекта в работе учителя.",
    "goal": "Развить умение педагогов применять ИИ на уроках.",
    "objectives": "Познакомить с инструментами\nНаучить составлять запросы",
    "expected_results": "Слушатели применяют ИИ для подготовки уроков",
    "structure": "Программа состоит из одного модуля и итоговой аттестации.",
    "organisation": "Очно и дистанционно.",
    "methodical_support": "Презентации и практикум.",
    "assessment": "Итоговое тестирование: 25 вопросов.",
    "postcourse": "Консультации в течение года.",
    "literature_main": "Закон Республики Казахстан «Об образовании»",
    "literature_additional": "Методические рекомендации, 2025",
}


def logout(page: Page) -> None:
    page.context.clear_cookies()


def submit(page: Page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_program_from_draft_to_the_catalogue_000_2_9_2_13(live_server, page: Page, new_context):
    factories.organisation()
    factories.staff_user("methodist", username="methodist")
    factories.staff_user("director", username="director", last_name="Мұратова", first_name="Сәуле")
    today = timezone.localdate()

    # ---- The methodist drafts the program ---------------------------------------------------------------
    log_in(page, "methodist")
    page.goto("/staff/programs/new/")
    page.locator("main [name=title_kk]").fill(TITLE_KK)
    page.locator("main [name=title_ru]").fill(TITLE_RU)
    page.locator("main select[name=language]").select_option("kk_ru")
    submit(page, "main form[method=post]")
    program = Program.objects.get(title_ru=TITLE_RU)
    expect(page).to_have_url(re.compile(rf"/staff/programs/{program.pk}/$"))

    # The ten sections, in Russian.
    page.goto(f"/staff/programs/{program.pk}/edit/?lang=ru")
    for name, value in SECTIONS.items():
        page.locator(f"form [name={name}]").fill(value)
    submit(page, "main form.card")
    expect(page.locator(".error")).to_have_count(0)

    # The plan: one module with three topics of 12 hours and the final-assessment block.
    page.goto(f"/staff/programs/{program.pk}/edit/plan/")
    page.locator("[name=form-0-kind]").select_option("module")
    page.locator("[name=form-0-title_ru]").fill("Инструменты ИИ")
    for row, (code, lecture, case) in enumerate([("1.1", 8, 4), ("1.2", 6, 6), ("1.3", 10, 2)], start=1):
        page.locator(f"[name=form-{row}-code]").fill(code)
        page.locator(f"[name=form-{row}-title_ru]").fill(f"Тема {code}")
        page.locator(f"[name=form-{row}-lecture]").fill(str(lecture))
        page.locator(f"[name=form-{row}-case]").fill(str(case).replace(".", ","))
    submit(page, "form.plan-grid")
    expect(page.locator(".error")).to_have_count(0)
    page.goto(f"/staff/programs/{program.pk}/versions/1/")
    expect(page.locator("body")).to_contain_text("36")

    # Published for discussion today: ten working days.
    page.goto(f"/staff/programs/{program.pk}/")
    page.locator("form[action$='/publish/'] button[type=submit]").click()
    page.wait_for_load_state()
    discussion = Discussion.objects.get(version__program=program)
    expect(page.locator("#program-status")).to_be_visible()
    assert discussion.published_on == today

    # ---- A stranger reads the draft and comments, on a phone ---------------------------------------------
    phone = new_context(viewport={"width": 390, "height": 844})
    stranger = phone.new_page()
    stranger.goto(f"{live_server.url}/discussion/")
    stranger.locator(f"a[href='/discussion/{discussion.pk}/']").click()
    expect(stranger.locator("#ends-on")).to_contain_text(discussion.ends_on.strftime("%d.%m.%Y"))
    stranger.locator("#comment-form [name=name]").fill("Айгүл Серікова")
    stranger.locator("#comment-form [name=organisation]").fill("№ 12 мектеп")
    stranger.locator("#comment-form [name=email]").fill("aigul.private@example.kz")
    stranger.locator("#comment-form [name=text]").fill("Этика бойынша тақырып қосу керек.")
    stranger.locator("#comment-form button[type=submit]").click()
    stranger.wait_for_load_state()
    expect(stranger.locator("#comments")).to_contain_text("Этика бойынша тақырып қосу керек.")
    expect(stranger.locator("body")).not_to_contain_text("aigul.private")
    assert DiscussionComment.objects.filter(discussion=discussion).count() == 1

    # Ten working days pass (the clock is the edge of the system).
    Discussion.objects.filter(pk=discussion.pk).update(
        published_on=today - datetime.timedelta(days=20), ends_on=today - datetime.timedelta(days=3)
    )
    stranger.reload()
    expect(stranger.locator("#closed")).to_be_visible()
    expect(stranger.locator("textarea[name=text]")).to_have_count(0)

    # ---- The methodist sends it to the state body and records the agreement ------------------------------
    page.goto(f"/staff/programs/{program.pk}/")
    page.locator("#submit-form [name=letter_number]").fill("01-12/345")
    submit(page, "#submit-form")
    page.locator("#conclusion-form [name=conclusion][value=agreed]").check()
    page.locator("#conclusion-form [name=conclusion_number]").fill("7-К")
    submit(page, "#conclusion-form")
    program.refresh_from_db()
    assert program.status == ProgramStatus.AGREED
    # The methodist cannot approve: the form is not offered.
    expect(page.locator("#approve-form")).to_have_count(0)
    logout(page)

    # ---- The director approves -----------------------------------------------------------------------------
    log_in(page, "director")
    page.goto(f"/staff/programs/{program.pk}/")
    page.locator("#approve-form [name=order_number]").fill("15-П")
    submit(page, "#approve-form")
    program.refresh_from_db()
    assert program.status == ProgramStatus.APPROVED
    expect(page.locator("#history")).to_contain_text("15-П")

    # ---- In the public catalogue, with the document ------------------------------------------------------
    stranger.goto(f"{live_server.url}/programs/")
    stranger.locator(f"a[href='/programs/{program.pk}/']").click()
    expect(stranger.locator("h1")).to_contain_text(TITLE_KK)
    with stranger.expect_download() as download:
        stranger.locator(f"a[href='/programs/{program.pk}/program-ru.docx']").click()
    assert download.value.suggested_filename.endswith(".docx")
    phone.close()
