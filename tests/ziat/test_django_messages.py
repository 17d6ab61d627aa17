"""The Kazakh interface never falls back to Django's English: the main forms with errors and the back-office pages
are rendered in Kazakh and their text is searched for every English message of Django's own catalogues.

The messages are not listed by hand: they are read from the English source catalogues that Django ships (forms,
models, validators, pagination, the back-office, accounts), so that a message that Django's Kazakh catalogue lacks
and the project's catalogue does not supply (ziat/django_messages.py) makes the test fail with its text.
"""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from enrolment.iin import make_iin
from enrolment.models import TeacherRequest
from tests import factories
from tests.enrolment.test_requests_services import make_representative, open_cohort

DJANGO = Path(django.__file__).parent
CATALOGUES = ("conf/locale", "contrib/admin/locale", "contrib/auth/locale", "contrib/contenttypes/locale")
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdr]|%[sdr]|\{[a-z_0-9]*\}")
# Django's own msgids that are not English words on a Kazakh page (codes, formats, names).
NOT_WORDS = {"IPv4 or IPv6", "Django Documentation", "Django Community"}


def _po_msgids(path):
    """The msgids (and plurals) of a .po file: enough of the format for Django's catalogues."""
    ids, current, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            ids += [current.get("msgid", ""), current.get("msgid_plural", "")]
            current, key = {}, None
        elif line.startswith(("msgid ", "msgid_plural ")):
            key, _, value = line.partition(" ")
            current[key] = value[1:-1]
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.startswith('"'):
            key = None
    return [i.encode().decode("unicode_escape").encode("latin-1").decode() for i in ids if i]


def english_patterns():
    patterns = {}
    for catalogue in CATALOGUES:
        for msgid in _po_msgids(DJANGO / catalogue / "en/LC_MESSAGES/django.po"):
            literal = PLACEHOLDER.sub(" ", msgid)
            words = re.findall(r"[A-Za-z]{2,}", literal)
            if len(words) < 2 or msgid in NOT_WORDS or "<" in msgid:
                continue
            parts = [re.escape(p.strip()) for p in PLACEHOLDER.split(msgid)]
            patterns[msgid] = re.compile(r"\s*.+?\s*".join(p for p in parts if p) if len(parts) > 1 else parts[0])
    return patterns


class _Text(HTMLParser):
    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.chunks += [value for name, value in attrs if name in self.ATTRIBUTES and value]
        if tag in ("input", "button") and dict(attrs).get("type") in ("submit", "button"):
            self.chunks.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


def visible_text(response):
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.chunks).split())


def english_in(text, patterns):
    return sorted(msgid for msgid, pattern in patterns.items() if pattern.search(text))


def _kazakh(user=None):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    if user is not None:
        client.force_login(user)
    return client


def test_the_patterns_find_django_english():
    """The search itself works: Django's English messages are found in English text."""
    patterns = english_patterns()
    assert len(patterns) > 300
    text = "Enter a valid email address. Ensure this value has at most 150 characters (it has 151). Recent actions"
    assert {"Enter a valid email address.", "Recent actions"} <= set(english_in(text, patterns))
    assert any(m.startswith("Ensure this value has at most") for m in english_in(text, patterns))


@pytest.fixture
def pages(db, org):
    """The main forms with errors and the back-office pages, each rendered in Kazakh."""
    responses = {}
    cohort = open_cohort()
    born = datetime.date(1986, 9, 14)
    apply_url = f"/apply/{cohort.pk}/"
    responses["apply"] = _kazakh().get(apply_url)
    responses["apply with errors"] = _kazakh().post(
        apply_url,
        {
            "iin": make_iin(born, 4321, female=True),
            "last_name": "Ә" * 151,
            "first_name": "Әйгерім",
            "email": "x@y",
            "password1": "12345",
            "password2": "12345",
        },
    )
    rep = make_representative()
    partner = _kazakh(rep)
    partner.post(reverse("enrolment:partner_request_create"), {"cohort": cohort.pk})
    item = TeacherRequest.objects.get()
    responses["partner teacher with errors"] = partner.post(
        reverse("enrolment:partner_teacher_add", args=[item.pk]),
        {"iin": "123", "last_name": "", "email": "bad", "birth_date": "31.02.1990"},
    )
    admin = _kazakh(factories.staff_user("director", is_superuser=True))
    listener = factories.listener()
    for url in (
        "/admin/",
        "/admin/ziat/organisation/",
        f"/admin/ziat/organisation/{org.pk}/change/",
        f"/admin/ziat/organisation/{org.pk}/history/",
        "/admin/enrolment/listener/",
        f"/admin/enrolment/listener/{listener.pk}/change/",
        "/admin/enrolment/listener/add/",
        "/admin/enrolment/cohort/",
        f"/admin/enrolment/cohort/{cohort.pk}/change/",
        "/admin/enrolment/partner/",
        "/admin/auth/group/",
        "/admin/ziat/user/",
        f"/admin/ziat/user/{rep.pk}/password/",
    ):
        responses[url] = admin.get(url)
    responses["admin organisation with errors"] = admin.post(
        f"/admin/ziat/organisation/{org.pk}/change/", {"academic_hour_minutes": "x", "pass_floor_percent": "10"}
    )
    responses["admin listener with errors"] = admin.post(
        "/admin/enrolment/listener/add/", {"iin": "12", "email": "bad", "birth_date": "x"}
    )
    responses["admin password with errors"] = admin.post(
        f"/admin/ziat/user/{rep.pk}/password/", {"password1": "123", "password2": "1234"}
    )
    return responses


def test_forms_and_back_office_in_kazakh_show_no_english_django_message(pages):
    patterns = english_patterns()
    found = {}
    for name, response in pages.items():
        assert response.status_code in (200, 400), (name, response.status_code)
        english = english_in(visible_text(response), patterns)
        if english:
            found[name] = english
    assert found == {}, "\n".join(f"{name}: {msgs}" for name, msgs in found.items())


def test_the_kazakh_messages_reach_the_page(pages):
    """What the user reads instead: Kazakh validation beside the fields, the back-office's Kazakh words."""
    apply = visible_text(pages["apply with errors"])
    assert "Дұрыс электрондық пошта мекенжайын енгізіңіз." in apply
    assert "Бұл мәнде ең көбі 150 таңба болуы тиіс (қазір 151)." in apply
    assert "Бұл құпиясөз тек цифрлардан тұрады." in apply
    back_office = visible_text(pages["/admin/"])
    assert "Соңғы әрекеттер" in back_office
    history = visible_text(pages[pages and next(k for k in pages if k.endswith("/history/"))])
    assert "Өзгерістер тарихы" in history and "Өзгерес" not in history
