"""Every role's main pages in a real browser, on a 390-px phone and a 1366-px screen, in Kazakh and Russian, over
the demo data (seed_demo). A page fails when

- the document scrolls sideways (its scroll width is wider than the viewport);
- in Kazakh, it shows one of Django's English messages (the known list below);
- a form field has no label (no <label>, aria-label, aria-labelledby or title);
- the <html lang> is not the page's language;
- axe-core finds a serious or critical accessibility violation (checked at 1366 px in each language);
- a same-site link it shows answers 4xx or 5xx to the same login (each link pattern checked once per role).

The pages are one list, PAGES, of (role, path): add a page by adding a line. Placeholders in braces are filled
from the demo data by ``demo_values``. ``scripts/screens.py`` takes its screenshots of the same list.
"""

import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.e2e.browser import log_in

PASSWORD = "demo-ziat-2026"
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
LANGUAGES = {"kk": "kk-KZ", "ru": "ru-RU"}

# Who logs in as each role (None: anonymous). Listeners log in by IIN.
LOGINS = {
    "public": None,
    "listener": "800105430006",  # in DEMO-004-04 on its last day, the final test open
    "graduate": "750110410007",  # holds a certificate
    "trainer": "trainer",
    "registrar": "registrar",
    "director": "director",
    "methodist": "methodist",
    "accountant": "accountant",
    "monitoring": "monitoring",
    "school": "school",
    "school_head": "school_head",
    "department": "department",
    "region": "region",
}

# (role, path): the main pages of every role. Names in braces come from demo_values().
PAGES = [
    ("public", "/"),
    ("public", "/programs/"),
    ("public", "/programs/{program}/"),
    ("public", "/schedule/"),
    ("public", "/discussion/"),
    ("public", "/accounts/login/"),
    ("public", "/verify/"),
    ("public", "{verification}"),
    ("listener", "/cabinet/"),
    ("listener", "/cabinet/timetable/"),
    ("listener", "/cabinet/messages/"),
    ("listener", "/cabinet/applications/"),
    ("listener", "/cabinet/contracts/"),
    ("listener", "/cabinet/tests/{enrolment}/"),
    ("listener", "/cabinet/tests/attempts/{attempt}/"),
    ("listener", "/cabinet/project/{enrolment}/"),
    ("graduate", "/cabinet/"),
    ("trainer", "/staff/"),
    ("trainer", "/staff/enrolment/my-day/"),
    ("trainer", "/staff/enrolment/sessions/{session}/checkin/"),
    ("trainer", "/staff/enrolment/sessions/{session}/checkin/?screen=full"),
    ("trainer", "/staff/enrolment/cohorts/{cohort}/attendance/"),
    ("trainer", "/staff/assessment/cohorts/{cohort}/projects/"),
    ("registrar", "/staff/"),
    ("registrar", "/staff/enrolment/schedule/"),
    ("registrar", "/staff/enrolment/schedule/{cohort}/"),
    ("registrar", "/staff/enrolment/cohorts/{cohort}/timetable/"),
    ("registrar", "/staff/enrolment/applications/"),
    ("registrar", "/staff/enrolment/requests/"),
    ("registrar", "/staff/enrolment/trainers/"),
    ("registrar", "/staff/enrolment/nobd/"),
    ("registrar", "/staff/enrolment/listeners/"),
    ("registrar", "/staff/enrolment/planning/"),
    ("registrar", "/staff/calendar/"),
    ("director", "/staff/"),
    ("director", "/staff/programs/"),
    ("director", "/staff/programs/{program}/"),
    ("director", "/staff/certificates/"),
    ("director", "/staff/assessment/cohorts/{cohort}/results/"),
    ("methodist", "/staff/"),
    ("methodist", "/staff/programs/{program}/"),
    ("methodist", "/staff/programs/{program}/versions/1/"),
    ("methodist", "/staff/programs/{program}/edit/plan/"),
    ("methodist", "/staff/needs/"),
    ("methodist", "/staff/support/"),
    ("methodist", "/staff/support/follow-ups/"),
    ("accountant", "/staff/"),
    ("accountant", "/staff/enrolment/payments/"),
    ("monitoring", "/staff/"),
    ("monitoring", "/monitoring/"),
    ("monitoring", "/monitoring/reviews/"),
    ("school", "/partner/"),
    ("school", "/partner/requests/new/"),
    ("school", "/partner/teachers/"),
    ("school_head", "/partner/planning/"),
    ("school_head", "/planning/apply/"),
    ("department", "/partner/planning/"),
    ("region", "/partner/planning/"),
]

# Django's own English messages that must not reach a Kazakh page untranslated.
ENGLISH_MESSAGES = [
    "This field is required.",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Ensure this field",
    "Enter a number.",
    "Enter a whole number.",
    "Please correct the error",
    "with this",
    "already exists.",
    "The submitted file is empty.",
    "No file was submitted.",
    "Forbidden",
    "Not Found",
    "Page not found",
    "Server Error",
    "Log out",
    "Log in",
    "Password",
    "Username",
    "Submit",
    "Save",
    "Cancel",
    "Search",
    "Next",
    "Previous",
]

OVERFLOW = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth"

# English words from the list above that stand alone in a text node (whole node, trimmed) or start it.
ENGLISH_TEXT = """(messages) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("script, style, code, [lang=en], [translate=no]")) continue;
    const text = node.textContent.trim();
    if (!text) continue;
    for (const message of messages) {
      if (text === message || text.startsWith(message + " ") || (message.endsWith(".") && text.includes(message))) {
        found.push(text.slice(0, 80));
      }
    }
  }
  for (const el of document.querySelectorAll("input[type=submit], input[type=button], [placeholder]")) {
    const text = (el.value || el.placeholder || "").trim();
    if (messages.includes(text)) found.push(text);
  }
  return found;
}"""

UNLABELLED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button", "reset", "image"].includes(el.type)) continue;
    if (el.closest("[hidden], .hp")) continue;
    const labelled = el.labels.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")
      || el.getAttribute("title");
    if (!labelled) bad.push(el.outerHTML.slice(0, 120));
  }
  return bad;
}"""

LINKS = """() => [...document.querySelectorAll("a[href]")].map((a) => a.href)"""


def demo_values():
    """The demo's objects the PAGES name: a running cohort, its listener's attempt, a program, a certificate."""
    from assessment.models import Attempt, CohortTest
    from assessment.services.testing import attempt_start
    from certificates.models import Certificate
    from enrolment.models import Cohort, Enrolment, Session

    cohort = Cohort.objects.get(code="DEMO-004-04")
    enrolment = Enrolment.objects.get(cohort=cohort, listener__iin=LOGINS["listener"])
    final = CohortTest.objects.get(cohort=cohort, kind="final")
    attempt = Attempt.objects.filter(enrolment=enrolment, test=final).first() or attempt_start(
        test=final, enrolment=enrolment
    )
    session = Session.objects.filter(cohort=cohort).order_by("-date", "-starts_at").first()
    certificate = Certificate.objects.filter(enrolment__listener__iin=LOGINS["graduate"]).first()
    return {
        "cohort": cohort.pk,
        "program": cohort.program_id,
        "enrolment": enrolment.pk,
        "attempt": attempt.pk,
        "session": session.pk,
        "verification": certificate.verification_path,
    }


def log_in_as(context, base_url, role):
    username = LOGINS[role]
    if username is None:
        return
    page = context.new_page()
    log_in(page, username, password=PASSWORD, base=base_url)
    page.close()


def page_name(path):
    """A file-name-friendly name of a page: '/staff/enrolment/my-day/' -> 'staff-enrolment-my-day'."""
    path = path.split("?")[0] + ("-" + path.split("=", 1)[1] if "?" in path else "")
    name = re.sub(r"\{(\w+)\}", r"\1", path)
    name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return name or "home"


def _link_pattern(url):
    """Links that differ only in their numbers are checked once: /schedule/12/ and /schedule/13/ alike."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" + re.sub(r"\d+", "N", parts.query) if parts.query else "")


def _check_links(context, base_url, page, seen, problems, where):
    host = urlsplit(base_url).netloc
    for href in page.evaluate(LINKS):
        url = urljoin(page.url, href).split("#")[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != host:
            continue
        pattern = _link_pattern(url)
        if pattern in seen:
            continue
        seen.add(pattern)
        response = context.request.get(url, max_redirects=5)
        if response.status >= 400:
            problems.append(f"{where}: link {parts.path} answers {response.status}")


def _check_page(page, where, lang, problems):
    """Sideways scrolling, the page's language, English in Kazakh and unlabelled fields of the open page."""
    if page.evaluate("document.documentElement.lang") != lang:
        problems.append(f"{where}: <html lang> is {page.evaluate('document.documentElement.lang')}")
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        problems.append(f"{where}: scrolls sideways by {overflow}px")
    if lang == "kk":
        problems.extend(f"{where}: English text {text!r}" for text in page.evaluate(ENGLISH_TEXT, ENGLISH_MESSAGES))
    problems.extend(f"{where}: a field without a label: {field}" for field in page.evaluate(UNLABELLED))


def _check_axe(page, where, problems):
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            problems.append(f"{where}: axe {violation['id']} ({violation['impact']}): {targets}")


def _walk_role(browser, base_url, role, lang, values, problems):
    width, height = WIDTHS["phone"]
    context = browser.new_context(locale=LANGUAGES[lang], viewport={"width": width, "height": height})
    log_in_as(context, base_url, role)
    seen_links = set()
    page = context.new_page()
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in [template.format(**values) for page_role, template in PAGES if page_role == role]:
            where = f"{role} {path} {lang} {width}px"
            response = page.goto(base_url + path)
            page.wait_for_load_state("load")
            if response is None or response.status >= 400:
                problems.append(f"{where}: answers {response and response.status}")
                continue
            _check_page(page, where, lang, problems)
            if width_name == "desktop":
                _check_axe(page, where, problems)
                _check_links(context, base_url, page, seen_links, problems, where)
    context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_every_role_main_pages_fit_phones_speak_the_language_and_pass_axe(live_server, browser):
    call_command("seed_demo", stdout=io.StringIO())
    values = demo_values()
    problems = []
    for lang in LANGUAGES:
        for role in dict.fromkeys(role for role, _ in PAGES):
            _walk_role(browser, live_server.url, role, lang, values, problems)
    assert not problems, "\n".join(problems)
