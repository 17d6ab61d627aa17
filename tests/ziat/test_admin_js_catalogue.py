"""The back-office's JavaScript (calendar and clock, "Choose all", the counts of a filter) speaks Kazakh: its
catalogue (``/admin/jsi18n/``) translates every message of Django's own admin JavaScript catalogue.

The messages are read from the English source catalogue that Django ships, so a message that Django's Kazakh
lacks and the project's ``locale/kk/LC_MESSAGES/djangojs.po`` does not supply makes the test fail with its text.
"""

import json
import re
from pathlib import Path

import django
import pytest

SOURCE = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural) "(.*)"$')


def source_messages():
    """(context or None, msgid, plural or None) of every message of the English source catalogue."""
    messages, current, key = [], {}, None
    for line in [*SOURCE.read_text(encoding="utf-8").splitlines(), ""]:
        if match := FIELD.match(line):
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        else:
            if current.get("msgid"):
                unquote = lambda text: text.replace('\\"', '"') if text is not None else None  # noqa: E731
                messages.append(
                    (unquote(current.get("msgctxt")), unquote(current["msgid"]), unquote(current.get("msgid_plural")))
                )
            if not line.startswith("#"):
                current, key = ({} if not line.startswith("msgstr") else current), None
            if not line.strip():
                current = {}
    return messages


def catalogue(client, language):
    response = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = response.content.decode()
    start = text.index("const newcatalog = ") + len("const newcatalog = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


def test_the_source_catalogue_is_read():
    messages = source_messages()
    assert len(messages) > 80
    assert (None, "Today", None) in messages
    assert ("abbrev. month January", "Jan", None) in messages
    assert any(plural == "%s selected options not visible" for _context, _msgid, plural in messages)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_admin_javascript_is_translated_in_full(client, director, language):
    client.force_login(director)
    translated = catalogue(client, language)
    missing = []
    for context, msgid, plural in source_messages():
        key = f"{context}\x04{msgid}" if context else msgid
        value = translated.get(key)
        forms = value if isinstance(value, list) else [value]
        if not value or not all(forms) or (plural is None and forms == [msgid] and msgid[:1].isalpha()):
            missing.append(key)
    assert missing == []
    if language == "kk":
        assert translated["Today"] == "Бүгін"
        assert translated["January"] == "Қаңтар"
        assert translated["abbrev. day Monday\x04Mon"] == "Дс"
