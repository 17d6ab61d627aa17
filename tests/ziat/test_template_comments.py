"""A template's ``{# … #}`` comment ends on its own line: Django prints the text of one that runs on to the next
line, so the page would show it."""

from pathlib import Path

from django.conf import settings
from django.test import Client


def _templates():
    for folder in settings.TEMPLATES[0]["DIRS"]:
        yield from sorted(Path(folder).rglob("*.html"))
        yield from sorted(Path(folder).rglob("*.txt"))


def test_no_template_has_a_comment_that_runs_on_to_the_next_line():
    open_comments = [
        f"{path}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert open_comments == []


def test_a_list_page_shows_no_comment_of_its_template(db, org):
    body = Client().get("/schedule/").content.decode()
    assert 'id="filters"' in body
    assert "ziat.listing.Listing" not in body and "{#" not in body
