"""The activity log: who changed what, when, from which value to which.

Every service that changes something calls ``log_action`` (one record) or ``log_actions`` (a grid of
records, in one query) inside its transaction, so a refused change, which raises before or rolls back,
leaves no entry. An entry keeps the object (content type and id, with a short label taken at the time),
the ids of the program, cohort and listener it belongs to, the values before and after in ``data`` and a
note. Each app names its actions in its ``activity`` module (``register_action``), found at start-up, so
the history reads "Attendance marked: late → present" in the reader's language.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access
from .models import ActivityLog

SCOPE_KEYS = ("program_id", "cohort_id", "listener_id")
# A record that is itself a program, a cohort or a listener.
_SELF_SCOPE = {"programs.program": "program_id", "enrolment.cohort": "cohort_id", "enrolment.listener": "listener_id"}
# The relations followed upwards to find the program, cohort and listener of a record.
_PARENTS = (
    "enrolment",
    "cohort",
    "session",
    "version",
    "program",
    "listener",
    "attempt",
    "test",
    "work",
    "certificate",
    "contract",
    "invoice",
    "application",
    "request",
    "discussion",
    "submission",
    "module",
)
LABEL_LENGTH = ActivityLog._meta.get_field("object_label").max_length


# --------------------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Action:
    code: str
    name: object
    fields: dict = field(default_factory=dict)  # field name -> its translatable label
    choices: dict = field(default_factory=dict)  # field name -> TextChoices class or {value: label}


ACTIONS: dict[str, Action] = {}


def register_action(code, name, *, fields=None, choices=None):
    """Name an action for the history (``name`` translatable), with labels of its fields and of their values."""
    ACTIONS[code] = Action(code, name, dict(fields or {}), dict(choices or {}))
    return ACTIONS[code]


def register_actions(*actions):
    """``register_action`` for each tuple (code, name) or (code, name, {options})."""
    for code, name, *options in actions:
        register_action(code, name, **(options[0] if options else {}))


def action_name(code):
    action = ACTIONS.get(code)
    return str(action.name) if action else code


# ------------------------------------------------------------------------------------------- writing


def _plain(value):
    """A value as it is kept in the log's JSON: numbers as text, records as their label."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _values(values):
    if values is None:
        return None
    if not isinstance(values, dict):
        values = {"value": values}
    return {str(k): _plain(v) for k, v in values.items()}


def _fk(obj, name):
    try:
        f = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and reverse relations alike: not a parent
        return None
    return f if getattr(f, "many_to_one", False) or (getattr(f, "one_to_one", False) and f.concrete) else None


def scope_of(obj, depth=3):
    """The ids of the program, cohort and listener that ``obj`` belongs to, as far as they can be told.

    Follows the foreign keys named in ``_PARENTS`` upwards (reading a parent not yet loaded).
    """
    scope = {}
    own = _SELF_SCOPE.get(obj._meta.label_lower)
    if own:
        scope[own] = obj.pk
    for key in SCOPE_KEYS:
        f = key not in scope and _fk(obj, key[:-3])
        if f and getattr(obj, f.attname) is not None:
            scope[key] = getattr(obj, f.attname)
    if depth:
        for name in _PARENTS:
            if len(scope) == len(SCOPE_KEYS):
                break
            f = _fk(obj, name)
            if f is None or getattr(obj, f.attname) is None:
                continue
            for key, value in scope_of(getattr(obj, name), depth - 1).items():
                scope.setdefault(key, value)
    return scope


def _actor(by):
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    return by


def _entry(obj, action, *, actor, before, after, note, data, label, scope, at):
    payload = dict(_values(data) or {})
    if before is not None:
        payload["before"] = _values(before)
    if after is not None:
        payload["after"] = _values(after)
    entry = ActivityLog(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_label=str(label if label is not None else obj)[:LABEL_LENGTH],
        data=payload,
        note=str(note or ""),
    )
    if at is not None:
        entry.at = at
    for key in SCOPE_KEYS:
        setattr(entry, key, scope.get(key))
    return entry


def log_action(obj, action, *, by, before=None, after=None, note="", data=None, label=None, scope=None, at=None):
    """Record that ``by`` (a user; None or anonymous for the system) did ``action`` to ``obj``.

    ``action`` is a dotted code registered in an app's ``activity`` module, e.g.
    ``"enrolment.attendance.marked"``. ``before`` and ``after`` are dicts of field -> value (a single value
    is kept as ``{"value": ...}``); dates, decimals, enums and records are kept as text. ``data`` adds
    other values; ``note`` is free text (a reason). ``label`` replaces ``str(obj)``; ``scope`` gives the
    ``program_id`` / ``cohort_id`` / ``listener_id`` when the caller knows them (otherwise they are found
    by following ``obj``'s foreign keys). Call it inside the service's transaction, after the checks.
    """
    scope = dict(scope or {})
    if not all(key in scope for key in SCOPE_KEYS):
        scope = {**scope_of(obj), **scope}
    entry = _entry(
        obj,
        action,
        actor=_actor(by),
        before=before,
        after=after,
        note=note,
        data=data,
        label=label,
        scope=scope,
        at=at,
    )
    entry.save(force_insert=True)
    return entry


def log_actions(action, changes, *, by, note="", scope=None, label=None):
    """Record one ``action`` for many objects at once, in one query (for grids and sheets).

    ``changes`` is an iterable of ``(obj, before, after)`` or ``(obj, before, after, extra)``, where
    ``extra`` may hold this entry's ``label``, ``scope``, ``data`` and ``note``. ``scope`` is a dict of
    ``program_id`` / ``cohort_id`` / ``listener_id`` for all of them, or a function of the object returning
    it; ``label`` a function of the object returning its label (give both for large grids, so that nothing
    else is read).
    """
    actor = _actor(by)
    entries = []
    for obj, before, after, *rest in changes:
        extra = rest[0] if rest else {}
        if "scope" in extra:
            own = extra["scope"]
        else:
            own = scope(obj) if callable(scope) else (scope if scope is not None else scope_of(obj))
        own_label = extra.get("label") or (label(obj) if label else None)
        entries.append(
            _entry(
                obj,
                action,
                actor=actor,
                before=before,
                after=after,
                note=extra.get("note", note),
                data=extra.get("data"),
                label=own_label,
                scope=own or {},
                at=None,
            )
        )
    return ActivityLog.objects.bulk_create(entries)


# ------------------------------------------------------------------------------------------- reading


def history(*, obj=None, program=None, cohort=None, listener=None, user=None):
    """The entries about ``obj``, or about anything of a program, a cohort or a listener (either of them
    given: any of them matches), newest first, with their actors.

    With ``user``, only the entries that person may know of: staff whose duties cover every cohort read
    them all; anyone else (a trainer) only the entries of no cohort and no listener, and those of the
    cohorts they teach (the access rules of ``ziat.access``)."""
    condition = Q()
    if obj is not None:
        condition |= Q(content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk)
    for key, value in (("program_id", program), ("cohort_id", cohort), ("listener_id", listener)):
        if value is not None:
            condition |= Q(**{key: getattr(value, "pk", value)})
    if not condition:
        return ActivityLog.objects.none()
    entries = ActivityLog.objects.filter(condition).select_related("actor")
    if user is not None and not access.centre_wide(user):
        entries = entries.filter(
            Q(cohort_id__isnull=True, listener_id__isnull=True)
            | Q(cohort_id__in=access.taught_cohorts(user).values("cohort_id"))
        )
    return entries


def _display(action, key, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = action.choices.get(key) if action else None
    if choices is not None:
        labels = dict(choices.choices) if hasattr(choices, "choices") else dict(choices)
        if value in labels:
            return str(labels[value])
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            if len(value) == 10:
                return date_format(datetime.date.fromisoformat(value), "d.m.Y")
        except ValueError:
            pass
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass
class Change:
    label: str
    before: str
    after: str
    created: bool


# The labels of values that several actions log under the same name and that are no field of the logged record.
COMMON_LABELS = {
    "agreed_by": gettext_lazy("agreed by"),
    "category": gettext_lazy("reason"),
    "changed": gettext_lazy("changed"),
    "file": gettext_lazy("file"),
    "issued_by": gettext_lazy("issued by"),
    "late": gettext_lazy("after the deadline"),
    "lines": gettext_lazy("teachers"),
    "number": gettext_lazy("number"),
    "on": gettext_lazy("date"),
    "order": gettext_lazy("order"),
    "questions": gettext_lazy("questions"),
    "remarks": gettext_lazy("remarks"),
    "teachers": gettext_lazy("teachers"),
}


def _field_label(entry, key):
    """The label of a value its action did not name: one of ``COMMON_LABELS``, else the logged record's field
    of that name (its translated verbose name), else the key itself."""
    if key in COMMON_LABELS:
        return str(COMMON_LABELS[key])
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    try:
        return str(model._meta.get_field(key).verbose_name)
    except (AttributeError, FieldDoesNotExist):
        return key.replace("_", " ")


def changes_of(entry):
    """The changed values of an entry, as (field label, before, after) in the reader's language."""
    action = ACTIONS.get(entry.action)
    before, after = entry.before, entry.after
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    result = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        label = ""
        if action and key in action.fields:
            label = str(action.fields[key])
        elif len(keys) > 1 and key != "value":
            label = _field_label(entry, key)
        result.append(Change(label, _display(action, key, old), _display(action, key, new), created=key not in before))
    return result


def describe(entry):
    """One line for an entry: "Attendance marked: late → present"."""
    parts = []
    for change in changes_of(entry):
        text = change.after if change.created else f"{change.before} → {change.after}"
        parts.append(f"{change.label} {text}" if change.label else text)
    name = action_name(entry.action)
    return f"{name}: {'; '.join(parts)}" if parts else name


@dataclass
class HistoryPanel:
    entries: list
    more_url: str = ""
    has_more: bool = False
    title: object = gettext_lazy("Activity log")


def _decorate(entries):
    for entry in entries:
        entry.name = action_name(entry.action)
        entry.changes = changes_of(entry)
    return entries


def history_panel(queryset, *, more_url="", limit=10):
    """The newest ``limit`` entries of ``queryset`` for a page's history panel (one query)."""
    rows = list(queryset[: limit + 1])
    return HistoryPanel(entries=_decorate(rows[:limit]), more_url=more_url, has_more=len(rows) > limit)


def history_page(queryset, page_number, *, per_page=50):
    """A page of a full history (two queries: the count and the rows)."""
    page = Paginator(queryset, per_page).get_page(page_number)
    page.object_list = _decorate(list(page.object_list))
    return page


# The log's own actions.
register_actions(
    ("ziat.record.changed", gettext_lazy("Changed")),
    (
        "ziat.calendar_day.recorded",
        gettext_lazy("Calendar decision recorded"),
        {"fields": {"is_working": gettext_lazy("working day")}},
    ),
    (
        "ziat.calendar_day.withdrawn",
        gettext_lazy("Calendar decision withdrawn"),
        {"fields": {"is_working": gettext_lazy("working day")}},
    ),
)


def render_history_page(request, queryset, *, subject, back_url=""):
    """The whole history of something, paged, in the staff layout; the caller has checked access."""
    from django.shortcuts import render

    page = history_page(queryset, request.GET.get("page"))
    return render(request, "ziat/history/page.html", {"page": page, "subject": subject, "back_url": back_url})
