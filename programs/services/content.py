"""The content of a program's current version: its text sections (000 §2.8) and its thematic plan.

Both services save the whole request in one transaction or nothing at all, and refuse a version that was
sent out (frozen) or a program that is no longer being drafted (``version_check_editable``).
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError

from ..enums import HOUR_FIELDS, SectionLanguage
from ..models import Module, Program, ProgramVersion, Topic, VersionText
from .workflow import version_check_editable

EDIT_PERMISSION = "programs.change_programversion"

# The sections of 000 §2.8 kept as text (paragraphs) and as lists (one item a line).
TEXT_FIELDS = (
    "general_provisions",
    "subject",
    "goal",
    "structure",
    "organisation",
    "methodical_support",
    "assessment",
    "postcourse",
)
LIST_FIELDS = ("objectives", "expected_results", "literature_main", "literature_additional")
GLOSSARY_FIELD = "glossary"

MAX_HOURS = Decimal("9999.5")  # Topic's hour fields hold 5 digits with one decimal place.
TITLE_MAX = 500
CODE_MAX = 20
_SHIFT = 100_000  # positions are moved out of the way before renumbering (unique per version/module)


def _locked_editable(version):
    """Lock the program and the version (in the order the workflow locks them) and check they may change."""
    Program.objects.select_for_update().filter(pk=version.program_id).first()
    version = ProgramVersion.objects.select_for_update(of=("self",)).select_related("program").get(pk=version.pk)
    version_check_editable(version)
    if version.program.current_version_id != version.pk:
        raise DomainError(_("Only the current version of a program can be edited."))
    return version


# --------------------------------------------------------------------------- text sections (000 §2.8)


def _clean_list(value, label):
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple):
        raise DomainError(_("%(section)s must be a list.") % {"section": label})
    items = []
    for item in value:
        if not isinstance(item, str):
            raise DomainError(_("%(section)s must be a list of lines of text.") % {"section": label})
        if item.strip():
            items.append(item.strip())
    return items


def _clean_glossary(value):
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise DomainError(_("The glossary must be a list of terms with their definitions."))
    pairs = []
    for row in value:
        if not isinstance(row, list | tuple) or len(row) != 2 or not all(isinstance(x, str | None) for x in row):
            raise DomainError(_("The glossary must be a list of terms with their definitions."))
        term, definition = ((x or "").strip() for x in row)
        if not term and not definition:
            continue
        if not definition:
            raise DomainError(_("The term “%(term)s” of the glossary has no definition.") % {"term": term})
        if not term:
            raise DomainError(
                _("The definition “%(definition)s” of the glossary has no term.") % {"definition": definition[:60]}
            )
        pairs.append([term, definition])
    return pairs


def _label(name):
    return str(VersionText._meta.get_field(name).verbose_name)


@transaction.atomic
def version_text_save(version, *, by, language, data):
    """Save the text sections of ``version`` in ``language`` (kk or ru).

    ``data`` maps field names of ``VersionText`` to values: text for the text sections, lists of lines for
    objectives, expected results and literature, and [term, definition] pairs for the glossary. Fields left
    out keep their values. Everything is checked before anything is written.
    """
    access.require(by, EDIT_PERMISSION, version, _("You may not edit the content of programs."))
    if language not in SectionLanguage.values:
        raise DomainError(_("Choose the language of the text: Kazakh or Russian."))
    unknown = set(data) - {*TEXT_FIELDS, *LIST_FIELDS, GLOSSARY_FIELD}
    if unknown:
        raise TypeError(f"Not sections of a program's text: {sorted(unknown)}")
    version = _locked_editable(version)

    values = {}
    for name, value in data.items():
        if name in TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                raise DomainError(_("%(section)s must be text.") % {"section": _label(name)})
            values[name] = (value or "").strip()
        elif name in LIST_FIELDS:
            values[name] = _clean_list(value, _label(name))
        else:
            values[name] = _clean_glossary(value)

    text = VersionText.objects.filter(version=version, language=language).first()
    if text is None:
        text = VersionText(version=version, language=language)
        if not any(values.values()):
            return text  # nothing to keep: no empty text is created for a language
        for name, value in values.items():
            setattr(text, name, value)
        text.save()
        log_action(
            version,
            "programs.version.text_saved",
            by=by,
            after={"language": language, "sections": [_label(n) for n, v in values.items() if v]},
        )
        return text
    changed = [name for name, value in values.items() if getattr(text, name) != value]
    for name in changed:
        setattr(text, name, values[name])
    if changed:
        text.save(update_fields=changed)
        log_action(
            version,
            "programs.version.text_saved",
            by=by,
            after={"language": language, "sections": [_label(n) for n in changed]},
        )
    return text


# --------------------------------------------------------------------------- the thematic plan (000 §2.8 item 5)


def parse_hours(value, *, where):
    """Academic hours from user input: a non-negative number in whole or half hours (2, 2.5, "2,5")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0")
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        raise DomainError(_("%(where)s: “%(value)s” is not a number of hours.") % {"where": where, "value": value})
    raw = value.strip().replace(",", ".").replace("\u00a0", "") if isinstance(value, str) else value
    try:
        hours = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not hours.is_finite():
        raise DomainError(_("%(where)s: “%(value)s” is not a number of hours.") % {"where": where, "value": value})
    if hours < 0:
        raise DomainError(_("%(where)s: hours cannot be negative.") % {"where": where})
    if (hours * 2) % 1:
        raise DomainError(
            _("%(where)s: hours are counted in whole and half hours; %(value)s is neither.")
            % {"where": where, "value": value}
        )
    if hours > MAX_HOURS:
        raise DomainError(_("%(where)s: %(value)s hours is too many.") % {"where": where, "value": value})
    return hours.quantize(Decimal("0.1"))


def _text(value, *, where, limit=None):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(_("%(where)s must be text.") % {"where": where})
    value = value.strip()
    if limit and len(value) > limit:
        raise DomainError(
            _("%(where)s is longer than %(limit)s characters.") % {"where": where, "limit": limit},
        )
    return value


def _pk(value, known, seen, *, where):
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = None
    if pk is None or pk not in known or pk in seen:
        raise DomainError(
            _("%(where)s does not belong to this version; reload the page and try again.") % {"where": where}
        )
    seen.add(pk)
    return pk


def _clean_module(raw, m_pos, where_m, *, module_ids, seen_modules):
    """A module's fields, checked (raises DomainError)."""
    module = {
        "id": _pk(raw.get("id"), module_ids, seen_modules, where=where_m),
        "position": m_pos,
        "title_kk": _text(raw.get("title_kk"), where=where_m, limit=TITLE_MAX),
        "title_ru": _text(raw.get("title_ru"), where=where_m, limit=TITLE_MAX),
        "is_final_assessment": bool(raw.get("is_final_assessment")),
    }
    for name in ("content_kk", "content_ru"):
        if name in raw:
            module[name] = _text(raw[name], where=where_m)
    if not (module["title_kk"] or module["title_ru"]):
        raise DomainError(_("%(where)s needs a title in Kazakh or Russian.") % {"where": where_m})
    return module


def _clean_topic(raw_topic, t_pos, where_t, *, topic_ids, seen_topics, errors):
    """A topic's fields with its hours, or None when something is wrong (each error added to ``errors``)."""
    try:
        topic = {
            "id": _pk(raw_topic.get("id"), topic_ids, seen_topics, where=where_t),
            "position": t_pos,
            "code": _text(raw_topic.get("code"), where=where_t, limit=CODE_MAX),
            "title_kk": _text(raw_topic.get("title_kk"), where=where_t, limit=TITLE_MAX),
            "title_ru": _text(raw_topic.get("title_ru"), where=where_t, limit=TITLE_MAX),
        }
        if not (topic["title_kk"] or topic["title_ru"]):
            raise DomainError(_("%(where)s needs a title in Kazakh or Russian.") % {"where": where_t})
    except DomainError as error:
        errors.append(error.message)
        topic = None
    for name in HOUR_FIELDS:
        column = Topic._meta.get_field(name).verbose_name
        try:
            hours = parse_hours(raw_topic.get(name), where=f"{where_t}, {column}")
        except DomainError as error:
            errors.append(error.message)
            topic = None
        if topic is not None:
            topic[name] = hours
    return topic


def _clean_plan(modules, *, module_ids, topic_ids):
    """Check the whole plan before anything is written; returns a list of (module fields, [topic fields])."""
    if not isinstance(modules, list | tuple):
        raise DomainError(_("The plan must be a list of modules."))
    errors, plan = [], []
    seen_modules, seen_topics = set(), set()
    for m_pos, raw in enumerate(modules, start=1):
        where_m = _("Module %(number)s") % {"number": m_pos}
        if not isinstance(raw, dict) or not isinstance(raw.get("topics") or [], list | tuple):
            raise DomainError(_("%(where)s is not a module with a list of topics.") % {"where": where_m})
        try:
            module = _clean_module(raw, m_pos, where_m, module_ids=module_ids, seen_modules=seen_modules)
        except DomainError as error:
            errors.append(error.message)
            module = None
        topics = []
        for t_pos, raw_topic in enumerate(raw.get("topics") or (), start=1):
            if not isinstance(raw_topic, dict):
                raise DomainError(_("%(where)s has a topic that is not a row of the plan.") % {"where": where_m})
            code = raw_topic.get("code") if isinstance(raw_topic.get("code"), str) else ""
            where_t = _("Module %(number)s, topic %(topic)s") % {"number": m_pos, "topic": code.strip() or t_pos}
            topic = _clean_topic(raw_topic, t_pos, where_t, topic_ids=topic_ids, seen_topics=seen_topics, errors=errors)
            if topic is not None:
                topics.append(topic)
        plan.append((module, topics))
    if errors:
        raise DomainError(" ".join(str(e) for e in errors))
    return plan


def _assign(obj, fields):
    for name, value in fields.items():
        if name != "id":
            setattr(obj, name, value)
    return obj


@transaction.atomic
def version_plan_save(version, *, by, modules):
    """Replace the thematic plan of ``version`` with ``modules``, in one transaction.

    Each module is a dict with ``title_kk``, ``title_ru``, optional ``content_kk``/``content_ru``,
    ``is_final_assessment``, an optional ``id`` of an existing module of the version, and ``topics``: dicts
    with optional ``id``, ``code``, ``title_kk``, ``title_ru`` and the hours by kind of activity
    (``HOUR_FIELDS``). Modules and topics are numbered in the given order; existing rows not given are
    deleted. Hours are whole or half, never negative; totals are never stored, they are computed.
    """
    access.require(by, EDIT_PERMISSION, version, _("You may not edit the content of programs."))
    version = _locked_editable(version)
    existing_modules = {m.pk: m for m in Module.objects.filter(version=version)}
    existing_topics = {t.pk: t for t in Topic.objects.filter(module__version=version)}
    plan = _clean_plan(modules, module_ids=existing_modules.keys(), topic_ids=existing_topics.keys())

    kept_topics = {t["id"] for _m, topics in plan for t in topics if t["id"]}
    dropped_modules = existing_modules.keys() - {m["id"] for m, _t in plan if m["id"]}
    Topic.objects.filter(pk__in=existing_topics.keys() - kept_topics).delete()
    Module.objects.filter(version=version).update(position=F("position") + _SHIFT)
    Topic.objects.filter(module__version=version).update(position=F("position") + _SHIFT)

    saved_modules = []
    for module_fields, _topics in plan:
        if module_fields["id"]:
            saved_modules.append(_assign(existing_modules[module_fields["id"]], module_fields))
        else:
            saved_modules.append(_assign(Module(version=version), module_fields))
    Module.objects.bulk_update(
        [m for m in saved_modules if m.pk],
        ["position", "title_kk", "title_ru", "content_kk", "content_ru", "is_final_assessment"],
    )
    Module.objects.bulk_create([m for m in saved_modules if not m.pk])

    updated, created = [], []
    for module, (_fields, topics) in zip(saved_modules, plan, strict=True):
        for topic_fields in topics:
            if topic_fields["id"]:
                topic = _assign(existing_topics[topic_fields["id"]], topic_fields)
                topic.module = module
                updated.append(topic)
            else:
                created.append(_assign(Topic(module=module), topic_fields))
    Topic.objects.bulk_update(updated, ["module", "position", "code", "title_kk", "title_ru", *HOUR_FIELDS])
    Topic.objects.bulk_create(created)
    try:
        Module.objects.filter(pk__in=dropped_modules).delete()
    except ProtectedError as error:
        raise DomainError(_("A module that already has listeners' grades cannot be deleted.")) from error
    before = {"modules": len(existing_modules), "topics": len(existing_topics)}
    log_action(
        version,
        "programs.version.plan_saved",
        by=by,
        before=before,
        after={"modules": len(saved_modules), "topics": len(updated) + len(created)},
    )
    return version
