"""Who may do what to which record: the one place that decides it.

Permissions (``ziat.roles``) say what a role may do to a kind of record; this module adds *which* records:

- staff of the centre-wide roles (director, methodist, registrar, accountant, monitoring officer) reach every
  cohort and person, as far as their permissions go;
- a trainer reaches only the cohorts they teach (a session of theirs in the cohort) and those cohorts'
  listeners and records;
- a representative reaches their own organisation's records and those of the levels below it in the planning
  chain (a region's departments and their schools, a department's schools), never a sibling's;
- a listener reaches their own records only;
- anyone else reaches no per-person record.

The apps that own the records say how each record leads to its cohort, its listener and its organisation
(``register``), and how to find the cohorts a user teaches and the organisation a user represents
(``register_teaching``, ``register_partner``); ``ziat`` imports no app.

Some records belong to the centre as a whole, not to a cohort, a person or an organisation, and are declared so
(``register_centre``): the programs and everything of their development and approval (needs surveys, council
minutes, development orders, versions, the public discussion, the state body's submissions, the methodical
complex), a program's test bank and assessment rules, its effectiveness reviews, the support events announced to
the listeners of every program, and the Kazakhstan working-day calendar. The centre develops and approves
each program as a whole, and only centre-wide roles (the methodist, the director, the monitoring officer) hold
permissions to change these records: the permission alone decides, for every record of the kind.

Every service names the record it acts on: ``require(by, perm, obj)``. A service acts with no record only where
the record does not exist yet and would belong to the centre as a whole: a new program, needs survey, review of
legislation, council minutes or development order, a new trainer in the registry, a support event for every
program, a decision on the calendar. A new cohort names its program; a new record of a cohort names the cohort.
A record of a kind this module has no rule for is a mistake in the code, not a record anyone reaches: ``reaches``
raises ``LookupError`` for it.

Which staff role acts on which records follows from the two together (``ziat.roles`` gives the duties):
the director, the methodist, the registrar, the accountant and the monitoring officer act on every cohort and
organisation as far as their permissions go (the registrar plans the schedule and the timetable, admits, moves
and groups listeners in any cohort; the accountant invoices any cohort or organisation); a trainer holds no
permission to plan a cohort, change its timetable, admit or move its listeners, and changes what is theirs to
change (attendance, results, project works, support, messages) only in the cohorts they teach; a
representative changes only their organisation's records, and a listener only their own.

The API:

- ``scope(user, queryset)``: the rows of ``queryset`` the user may know of (lists, selectors, admin);
- ``reaches(user, obj)``: whether ``obj`` is one of them;
- ``may(user, perm, obj=None)``: the permission ``perm`` (None: none needed) and, with ``obj``, its reach;
- ``require(user, perm, obj=None, message=None)``: the same for services: raises ``AccessDenied`` (a
  ``DomainError`` with a translated message, and a ``PermissionDenied`` that the refusal page answers when a
  view lets it through) when refused;
- ``check(user, perm, obj=None)``: the same for views: raises Django's ``PermissionDenied`` (the refusal page,
  ``ziat.refusals``);
- ``teaches(user, cohort)``, ``taught_cohorts(user)``: the trainer's cohorts;
- ``ScopedAdmin``: the admin's lists and change pages scoped by ``scope`` (applied to every registered
  model admin by ``scope_admin_site``).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .errors import PermissionDeniedError
from .roles import ACCOUNTANT, DIRECTOR, METHODIST, MONITORING, REGISTRAR, TRAINER

# Roles whose duties cover every cohort of the centre (README's role table); their permissions alone decide.
CENTRE_WIDE_ROLES = frozenset({DIRECTOR, METHODIST, REGISTRAR, ACCOUNTANT, MONITORING})


class AccessDenied(PermissionDeniedError):
    """The actor may not do this to this record."""


@dataclass(frozen=True)
class Rule:
    cohort: str | None = None  # lookup from the record to its cohort ("pk" for the cohort itself)
    person: str | None = None  # lookup from the record to the user whose record it is (a listener, a trainer)
    partner: str | None = None  # lookup from the record to its organisation (partner)
    many: bool = False  # a lookup passes a many-valued relation: rows are de-duplicated
    centre: bool = False  # a record of the centre as a whole: whoever's permission allows it reaches every one


_rules = {}
_teaching = []
_partner_of = []
_partner_reach = []


def register(model, *, cohort=None, person=None, partner=None, many=False):
    """Declare how a record of ``model`` leads to its cohort, to the user whose record it is (the listener)
    and to its organisation. ``many``: a lookup crosses a many-valued relation."""
    _rules[model] = Rule(cohort=cohort, person=person, partner=partner, many=many)


def register_centre(*models):
    """Declare ``models`` records of the centre as a whole: no cohort, person or organisation owns one, so the
    permission alone decides who acts on them (see the module's note for which records and why)."""
    for model in models:
        _rules[model] = Rule(centre=True)


def register_teaching(function):
    """``function(user)`` returns a queryset with a ``cohort_id`` column: the cohorts the user teaches."""
    _teaching[:] = [function]
    return function


def register_partner(function):
    """``function(user)`` returns the id of the organisation the user represents, or None."""
    _partner_of[:] = [function]
    return function


def register_partner_reach(function):
    """``function(partner_id)`` returns a queryset of the ids of that organisation and of those below it."""
    _partner_reach[:] = [function]
    return function


def rule_of(model):
    return _rules.get(model)


# ------------------------------------------------------------------------------------------------ who is who


def roles(user):
    """The user's role names, read once per request (kept on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_access_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._access_roles = cached
    return cached


def centre_wide(user):
    """Staff whose duties cover every cohort: the superuser and the centre-wide roles."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and bool(roles(user) & CENTRE_WIDE_ROLES))


def is_trainer(user):
    return user.is_authenticated and user.is_active and user.is_staff and TRAINER in roles(user)


def taught_cohorts(user):
    """A queryset with a ``cohort_id`` column: the cohorts ``user`` teaches."""
    if not _teaching:
        raise LookupError("no teaching rule is registered")
    return _teaching[0](user)


def teaches(user, cohort):
    """Whether ``user`` teaches a session of ``cohort`` (a cohort or its id)."""
    cohort_id = getattr(cohort, "pk", cohort)
    return user.is_authenticated and taught_cohorts(user).filter(cohort_id=cohort_id).exists()


def partner_of(user):
    if not (user.is_authenticated and user.is_active) or user.is_staff or not _partner_of:
        return None
    return _partner_of[0](user)


def partner_reach(user):
    """The ids of the organisations ``user`` represents or oversees (their own and the levels below), as a
    queryset or a list; empty for anyone who represents none."""
    partner_id = partner_of(user)
    if partner_id is None:
        return []
    if not _partner_reach:
        return [partner_id]
    return _partner_reach[0](partner_id)


# ------------------------------------------------------------------------------------------------ the policy


def scope(user, queryset):
    """The rows of ``queryset`` that ``user`` may know of. A model without a rule is not per-person: its
    rows are left to the permissions, as are the centre's own records."""
    rule = _rules.get(queryset.model)
    if rule is None or rule.centre:
        return queryset
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if centre_wide(user):
        return queryset
    condition = Q(pk__in=[])
    if rule.person is not None:
        condition |= Q(**{rule.person: user})
    if user.is_staff:
        if rule.cohort is not None and is_trainer(user):
            condition |= Q(**{f"{rule.cohort}__in": taught_cohorts(user).values("cohort_id")})
    elif rule.partner is not None:
        partner_id = partner_of(user)
        if partner_id is not None:
            condition |= Q(**{f"{rule.partner}__in": partner_reach(user)})
    return _narrow(queryset, rule, condition)


def _narrow(queryset, rule, condition):
    if rule.many:
        return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def reaches(user, obj):
    """Whether ``obj`` is among the records ``user`` may know of. A record of a kind with no rule is a mistake in
    the code (``LookupError``): the app that owns it registers it, as the centre's own record if it is one."""
    rule = _rules.get(type(obj))
    if rule is None:
        raise LookupError(f"no access rule for {type(obj).__name__}: register it in its app's access module")
    if rule.centre:
        return user.is_authenticated
    if centre_wide(user):
        return True
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def may(user, perm, obj=None):
    """``perm`` (an "app.codename" permission; None when the record's own rule is enough, as for a
    listener's own records) and, when ``obj`` is given, the reach of ``obj``. Permissions are the staff roles'
    (``ziat.roles``): a user who is not staff (a listener, a representative) holds none, whatever was granted to
    them. No user (``None``) may anything."""
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    if perm is not None and not (user.is_staff and user.has_perm(perm)):
        return False
    return obj is None or reaches(user, obj)


def require(user, perm, obj=None, message=None):
    """For services: refuse with ``AccessDenied`` (translated ``message``) unless ``may``."""
    if not may(user, perm, obj):
        raise AccessDenied(message or _("You may not do this to this record."))


def check(user, perm, obj=None):
    """For views: a 403 page unless ``may``."""
    if not may(user, perm, obj):
        raise PermissionDenied


# ------------------------------------------------------------------------------------------------ the admin


class ScopedAdmin:
    """A model admin whose lists and change pages hold only the rows the user may know of."""

    def get_queryset(self, request):
        return scope(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope(request.user, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope(request.user, field.queryset)
        return field


def scope_admin_site(site):
    """Put ``ScopedAdmin`` in front of every model admin registered on ``site`` (once)."""
    for model_admin in site._registry.values():
        cls = type(model_admin)
        if issubclass(cls, ScopedAdmin):
            continue
        model_admin.__class__ = type(cls.__name__, (ScopedAdmin, cls), {"__module__": cls.__module__})
