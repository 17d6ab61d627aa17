"""The listener's cabinet: one home page, extended by each stage of the lifecycle with its own panel.

Enrolment owns the page (a listener exists from enrolment on). A later stage (assessment, certificates,
post-course support) registers its panel in its ``AppConfig.ready`` by calling :func:`register`; the
cabinet imports none of them, so dependencies keep pointing backwards along the lifecycle.

A panel is shown once for each of the listener's courses, in the order of ``order``. Its ``load`` gets
all the listener's enrolments at once (read with the cohort and program) and returns the context of each
enrolment that shows the panel, keyed by the enrolment's id, in a fixed number of queries whatever the
number of courses. An enrolment missing from the mapping does not show the panel.

A panel's context may hold ``"next"``: a list of :class:`Step` — what the listener should do now for this
course (take the open test, ask for a re-assessment, download the certificate). The cabinet shows every
course's steps at the top of the page (:func:`next_steps`), the urgent ones first; they cost no query.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    order: int
    # load(enrolments, *, today) -> {enrolment_id: context}
    load: Callable


_panels: dict[str, Panel] = {}


def register(panel):
    """Add (or replace, by key) a panel of the cabinet's courses."""
    _panels[panel.key] = panel
    return panel


def panels():
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


@dataclass(frozen=True)
class Step:
    """One thing to do next: the text, where it is done, and whether it cannot wait (an open test)."""

    text: str
    url: str
    urgent: bool = False
    label: str = ""  # the text of the link, when it differs from ``text``


@dataclass
class Course:
    """One course of the cabinet: the enrolment and its panels, each with its context."""

    enrolment: object
    panels: list


def cabinet_courses(enrolments, *, today):
    """The listener's courses with their panels' contexts (``enrolments``: a list, read once)."""
    loaded = [(panel, panel.load(enrolments, today=today)) for panel in panels()]
    return [
        Course(
            enrolment=e,
            panels=[(panel, contexts[e.pk]) for panel, contexts in loaded if e.pk in contexts],
        )
        for e in enrolments
    ]


def next_steps(courses):
    """Every course's next steps from its panels' contexts, urgent first: [(course, step)]."""
    found = [
        (course, step) for course in courses for _panel, data in course.panels for step in (data.get("next") or [])
    ]
    return sorted(found, key=lambda pair: not pair[1].urgent)
