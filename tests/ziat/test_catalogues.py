"""The Kazakh and Russian catalogues are complete: every message translated, none left as a guess."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ENTRY = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def entries(path):
    """(flags, {field: text}) for every entry of a .po file, the header included."""
    result, flags, fields, current = [], [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if fields:
                result.append((flags, fields))
            flags, fields, current = [], {}, None
        elif line.startswith("#,"):
            flags += [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif match := ENTRY.match(line):
            current = match.group(1)
            fields[current] = match.group(2)[1:-1]
        elif line.startswith('"') and current:
            fields[current] += line[1:-1]
    return result


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_catalogue_is_complete(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    messages = [(flags, fields) for flags, fields in entries(path) if fields.get("msgid")]
    assert len(messages) > 1000
    fuzzy = [fields["msgid"] for flags, fields in messages if "fuzzy" in flags]
    empty = [
        fields["msgid"]
        for _flags, fields in messages
        if any(not text for key, text in fields.items() if key.startswith("msgstr"))
    ]
    assert fuzzy == [] and empty == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_placeholders_survive_translation(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    placeholder = re.compile(r"%\([a-z_]+\)[sd]")
    for _flags, fields in entries(path):
        if not fields.get("msgid"):
            continue
        expected = set(placeholder.findall(fields["msgid"] + fields.get("msgid_plural", "")))
        for key, text in fields.items():
            if key.startswith("msgstr") and "msgid_plural" not in fields:
                assert set(placeholder.findall(text)) == expected, fields["msgid"]
