"""The verification page a QR code opens, on a phone (SPEC 5.3): 390 px wide, no sideways scrolling, and no
word of the module table broken across lines, in Kazakh (the browser asks for Kazakh)."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.certificates.helpers import issued, plan_with_modules
from tests.e2e.browser import PHONE

# Every word of every text cell of the page lies on one line (a word split like "Коли/чест/во" has two boxes).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("main td, main th, main dt, main dd:not(:has(code))")) {
    const node = cell.firstChild;
    if (!node || node.nodeType !== Node.TEXT_NODE) continue;
    const text = node.textContent;
    for (const match of text.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_verification_page_fits_a_phone_without_broken_words_5_3(live_server, new_context):
    factories.organisation()
    director = factories.staff_user("director")
    prog = factories.program(
        title_kk="Педагогтің кәсіби өсуі: зерттеушілік және цифрлық құзыреттіліктерді дамыту",
        modules=plan_with_modules(8),
    )
    group = factories.cohort(prog)
    factories.sessions(group, (3,) * 8)
    certificate = issued(director, cohort_=group, last_name="Нұрмұхамбетова-Сейітқазиева", first_name="Гүлжаһан")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(certificate.verification_path)
    expect(page.locator("[data-state=valid]")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("table.vmodules tbody tr")).to_have_count(8)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(BROKEN_WORDS) == []
