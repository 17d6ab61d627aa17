"""No filter of any list widens what a user sees: every list page with filters in the address is asked, as each
outsider of side A (a trainer, a listener and a representative of side B), with each filter set to what would
find side A's people (their names, IINs, cohort, program, organisation) and with all of them at once; the
answer never shows side A's markers and is never a server error. A control proves the filters do find them for
a user whose reach covers side A."""

import re
from urllib.parse import urlencode

import pytest

from tests.ziat.test_access_walk import (
    MARKERS_A,
    OUTSIDERS,
    _ask,
    _client,
    _leaks,
    _outsider,
    _planning,
    _side,
    _walk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, org, director, registrar):
    """The access walk's two sides: A with the markers, B the outsiders' (made as the walk makes them)."""
    a = _side("A", director, registrar, markers=MARKERS_A)
    b = _side("B", director, registrar)
    _planning(a, "A", registrar, markers=MARKERS_A)
    _planning(b, "B", registrar)
    return {"A": a, "B": b, "director": director, "registrar": registrar}


def _form_of_filters(html):
    """The names of the list's filters and, for each select, its options' values."""
    if 'id="filters"' not in html:
        return None
    form = html.split('id="filters"', 1)[1].split("</form>", 1)[0]
    fields = {}
    for name in re.findall(r'<input[^>]*name="([^"]+)"', form):
        fields.setdefault(name, [])
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, flags=re.S):
        fields[name] = [v for v in re.findall(r'<option value="([^"]*)"', body) if v]
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def _shown(answer):
    """The answer without what echoes the address: the filters' form (the values asked for), the links that keep
    the filters (pages, export) and the language switcher's return address."""
    text = re.sub(r'<form[^>]*id="filters".*?</form>', "", answer.text, flags=re.S)
    answer.text = re.sub(r'(?:href|value)="[^"]*"', "", text)
    return answer


def _seeking_side_a(world):
    a = world["A"]
    return [
        MARKERS_A["listener"],
        MARKERS_A["listener_iin"],
        MARKERS_A["teacher"],
        MARKERS_A["expelled_iin"],
        a["cohort"].code,
        str(a["cohort"].pk),
        str(a["program"].pk),
        str(a["partner"].pk),
        a["partner"].name,
    ]


def _lists(client, side, user):
    """(name, path, fields) of the list pages with filters that ``client`` may open."""
    for name, path, _personal in _walk(side, user):
        if "<" in path or name.startswith("admin:") or path.endswith((".xlsx", ".pdf", ".zip", ".ics", ".json")):
            continue
        answer = _ask(client, path)
        if answer.status_code == 200 and (fields := _form_of_filters(answer.text)):
            yield name, path, fields


def _queries(fields, seeking):
    for field, options in fields.items():
        for value in [*seeking, *options]:
            yield {field: value}
    yield {field: seeking[0] for field in fields}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_filter_of_any_list_shows_an_outsider_another_cohorts_people(world, who):
    user = _outsider(world, who)
    client = _client(user)
    seeking = _seeking_side_a(world)
    problems, asked = [], 0
    for name, path, fields in _lists(client, world["A"], user):
        for query in _queries(fields, seeking):
            answer = _shown(_ask(client, f"{path}?{urlencode(query)}"))
            asked += 1
            if answer.status_code >= 500:
                problems.append((name, query, answer.status_code, "server error"))
            elif leaks := _leaks(answer):
                problems.append((name, query, answer.status_code, f"shows {leaks}"))
    assert problems == [], "\n".join(map(str, problems))
    if who != "listener of another cohort":
        assert asked, "the outsider opens at least one list with filters"


def test_the_filters_do_find_side_as_people_for_the_registrar(world):
    """The control: the same queries find the markers where the user's reach covers side A."""
    client = _client(world["registrar"])
    found = set()
    for name, path, fields in _lists(client, world["A"], world["registrar"]):
        if "q" in fields and _leaks(_shown(_ask(client, f"{path}?q={MARKERS_A['listener']}"))):
            found.add(name)
    assert {"enrolment:listener_list", "certificates:register"} <= found


# The lists whose filters and pages go through ``ziat.listing`` besides the enrolment lists: each is walked.
LISTS_OF_THE_RECORDS = {
    "certificates:register",
    "certificates:reference_register",
    "monitoring:nobd",
    "monitoring:self_analyses",
    "monitoring:reviews",
    "postcourse:events_staff",
    "postcourse:support_cohorts",
    "programs:survey_list",
}
# Those of them a trainer opens (their own cohorts' records).
TRAINERS_LISTS = {"monitoring:self_analyses", "postcourse:events_staff", "postcourse:support_cohorts"}


def test_the_walk_covers_the_lists_of_the_records_and_the_trainer_outsider_opens_theirs(world):
    director = world["director"]
    assert {name for name, _p, _f in _lists(_client(director), world["A"], director)} >= LISTS_OF_THE_RECORDS
    trainer = _outsider(world, "trainer of another cohort")
    assert {name for name, _p, _f in _lists(_client(trainer), world["A"], trainer)} >= TRAINERS_LISTS


def test_no_filter_of_a_trainers_list_shows_another_trainers_cohort(world):
    """The lists of cohorts show codes, not people: the outsider never sees side A's cohort whatever the filter,
    while side A's own trainer finds it with the same filter."""
    code = world["A"]["cohort"].code
    trainer = _outsider(world, "trainer of another cohort")
    client = _client(trainer)
    seeking = [code, code.lower(), "WALK", *_seeking_side_a(world)]
    problems = []
    for name, path, fields in _lists(client, world["A"], trainer):
        if name not in TRAINERS_LISTS:
            continue
        for query in _queries(fields, seeking):
            answer = _shown(_ask(client, f"{path}?{urlencode(query)}"))
            if answer.status_code >= 500 or code in answer.text:
                problems.append((name, query, answer.status_code))
    assert problems == [], "\n".join(map(str, problems))
    own = world["A"]["trainer"]
    found = _shown(_ask(_client(own), f"/monitoring/self-analysis/?{urlencode({'cohort': code})}"))
    assert found.status_code == 200 and code in found.text
