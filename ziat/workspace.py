"""The staff member's home: the work waiting for them, gathered from every stage of the lifecycle.

``ziat`` imports no app. Each app registers, in its ``AppConfig.ready``, the providers of the work it owns
(:func:`register`): a provider is a plain function of the app's selectors, ``load(user, *, today)``, that
returns the :class:`Item` list waiting for ``user`` — read through the app's access layer, in a fixed number
of queries whatever the number of waiting rows. A provider names the roles whose duty the work is; a user
with several roles sees the union of their roles' providers, each provider once.

The staff menu is also here: the staff pages grouped by duty, each link shown only when the user's
permissions allow the page (:func:`menu`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .roles import ROLE_NAMES


@dataclass(frozen=True)
class Item:
    """One kind of work waiting: what, how many, the nearest deadline, where it is done."""

    key: str
    title: str
    count: int
    url: str
    deadline: date | None = None
    note: str = ""
    # An overdue deadline is shown as such; "prominent" items come first (today's sessions).
    prominent: bool = False

    @property
    def slug(self):
        """The item's id on the page ("enrolment.applications" -> "enrolment-applications")."""
        return self.key.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class Link:
    """A page the role works from although nothing in particular waits there (a dashboard)."""

    key: str
    title: str
    url: str

    @property
    def slug(self):
        return self.key.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class Provider:
    key: str
    roles: frozenset
    order: int
    # load(user, *, today) -> list[Item | Link]
    load: Callable


_providers: dict[str, Provider] = {}


def register(key, *, roles, load, order=100):
    """Add (or replace, by ``key``) a provider of the work of ``roles`` (role names of ``ziat.roles``)."""
    _providers[key] = Provider(key=key, roles=frozenset(roles), order=order, load=load)
    return load


def providers_for(user):
    """The providers of the user's roles (a superuser: all), in order; each once."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    mine = set(ROLE_NAMES) if user.is_superuser else set(access.roles(user))
    return sorted((p for p in _providers.values() if p.roles & mine), key=lambda p: (p.order, p.key))


@dataclass
class Home:
    items: list = field(default_factory=list)  # Items with something waiting, prominent first
    links: list = field(default_factory=list)  # Links of the roles' own pages
    roles: list = field(default_factory=list)  # the user's role names, translated


def home_for(user, *, today):
    """What waits for ``user`` today, from every provider of their roles."""
    home = Home(roles=[ROLE_NAMES[r] for r in sorted(access.roles(user)) if r in ROLE_NAMES])
    seen = set()
    for provider in providers_for(user):
        for entry in provider.load(user, today=today):
            if entry.key in seen:
                continue
            seen.add(entry.key)
            if isinstance(entry, Link):
                home.links.append(entry)
            elif entry.count:
                home.items.append(entry)
    home.items.sort(key=lambda i: (not i.prominent, i.deadline is None, i.deadline or today))
    return home


# ------------------------------------------------------------------------------------------- the staff menu

# The staff pages by duty: (section title, [(link title, URL name, permission)]). A section with no link the
# user may open is not shown. URL names are strings: the apps are not imported.
MENU = [
    (
        _("Programs"),
        [
            (_("Programs"), "programs:staff_list", "programs.view_program"),
            (_("Revisions due"), "programs:revisions", "programs.view_program"),
            (_("Needs analysis"), "programs:needs_home", "programs.view_needssurvey"),
        ],
    ),
    (
        _("Courses and listeners"),
        [
            (_("Schedule"), "enrolment:schedule", "enrolment.change_cohort"),
            (_("Planning of courses"), "enrolment:planning_dashboard", "enrolment.view_plan"),
            (_("Requests of organisations"), "enrolment:request_list", "enrolment.view_teacherrequest"),
            (_("Applications"), "enrolment:application_list", "enrolment.view_application"),
            (_("Listeners"), "enrolment:listener_list", "enrolment.view_listener"),
            (_("Payments"), "enrolment:payments", "enrolment.view_invoice"),
            (_("Trainers"), "enrolment:trainer_list", "enrolment.view_trainer"),
        ],
    ),
    (
        _("Certificates"),
        [
            (_("Register of certificates"), "certificates:register", "certificates.view_certificate"),
            (_("References of attendance"), "certificates:reference_register", "certificates.view_certificate"),
            (_("Internships"), "certificates:internship_list", "certificates.view_certificate"),
        ],
    ),
    (
        _("Support"),
        [
            (_("Post-course support"), "postcourse:support_cohorts", "postcourse.view_supportactivity"),
            (_("Consultations"), "postcourse:consultations_staff", "postcourse.view_consultation"),
            (_("Publications"), "postcourse:publications_staff", "postcourse.view_publication"),
            (_("Events"), "postcourse:events_staff", "postcourse.view_supportevent"),
            (_("Follow-up answers"), "postcourse:follow_up_answers", "postcourse.view_followup"),
        ],
    ),
    (
        _("Monitoring"),
        [
            (_("Dashboard"), "monitoring:dashboard", "monitoring.view_satisfactiontally"),
            (_("Effectiveness reviews"), "monitoring:reviews", "monitoring.view_effectivenessreview"),
            (_("NOBD deadlines"), "monitoring:nobd", "monitoring.view_nobddeadline"),
            (_("NOBD import"), "enrolment:nobd_import", "enrolment.change_listener"),
        ],
    ),
]


@dataclass
class MenuLink:
    title: str
    url: str
    current: bool = False
    exact: bool = False  # current only on this very address (the home, whose address prefixes the others)


@dataclass
class MenuSection:
    title: str
    links: list
    current: bool = False


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def menu(user, path):
    """The staff menu for ``user``: sections by duty with the links their permissions allow; the link whose
    address is the longest prefix of ``path`` is the current one."""
    if not (user.is_authenticated and user.is_staff):
        return []
    # The trainer's day is linked from their home (today's sessions, "My pages"), not here: the menu reads
    # nothing from the database beyond the permissions the page's own check has already loaded.
    sections = [
        MenuSection(title=_("My work"), links=[MenuLink(_("Waiting for me"), reverse("staff_home"), exact=True)]),
    ]
    for title, entries in MENU:
        links = [
            MenuLink(link_title, url)
            for link_title, name, perm in entries
            if user.has_perm(perm) and (url := _url(name)) is not None
        ]
        if links:
            sections.append(MenuSection(title=title, links=links))
    back_office = [MenuLink(_("Back-office"), reverse("admin:index"))]
    if user.has_perm("ziat.view_calendarday"):
        back_office.insert(0, MenuLink(_("Working-day calendar"), reverse("calendar")))
    sections.append(MenuSection(title=_("Configuration"), links=back_office))
    candidates = [
        link
        for s in sections
        for link in s.links
        if link.url and (path == link.url if link.exact else path.startswith(link.url))
    ]
    if candidates:
        current = max(candidates, key=lambda link: len(link.url))
        current.current = True
        for s in sections:
            s.current = any(link.current for link in s.links)
    return sections
