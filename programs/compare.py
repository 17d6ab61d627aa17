"""Comparison of two versions of a program: section by section per language, module by module in the plan.

Pure functions over versions loaded with their texts and plan (``selectors.version_for_display``): they
make no queries. Changed text is marked with ``<del class="diff-del">`` and ``<ins class="diff-ins">``.
"""

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .enums import HOUR_FIELDS, SectionLanguage


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    fields: tuple


# The sections of the program document, 000 §2.8; section 5 also holds the plan of modules and topics.
SECTIONS = (
    Section(1, _("General provisions"), ("general_provisions",)),
    Section(2, _("Glossary"), ("glossary",)),
    Section(3, _("Topic of the program"), ("subject",)),
    Section(4, _("Goal, objectives and expected results"), ("goal", "objectives", "expected_results")),
    Section(5, _("Structure and content of the program"), ("structure",)),
    Section(6, _("Organisation of the learning process"), ("organisation",)),
    Section(7, _("Educational-methodical support of the program"), ("methodical_support",)),
    Section(8, _("Assessment of learning outcomes"), ("assessment",)),
    Section(9, _("Post-course support"), ("postcourse",)),
    Section(10, _("Main and additional literature"), ("literature_main", "literature_additional")),
)

FIELD_LABELS = {
    "general_provisions": "",
    "glossary": "",
    "subject": "",
    "goal": _("Goal"),
    "objectives": _("Objectives"),
    "expected_results": _("Expected results"),
    "structure": "",
    "organisation": "",
    "methodical_support": "",
    "assessment": "",
    "postcourse": "",
    "literature_main": _("Main literature"),
    "literature_additional": _("Additional literature"),
}
LIST_FIELDS = {"glossary", "objectives", "expected_results", "literature_main", "literature_additional"}

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"
SIMILAR = 0.5  # titles at least this similar (difflib ratio) are one row edited, not one removed and one added


# --------------------------------------------------------------------------- text


def _tokens(text):
    return [t for t in re.split(r"(\s+)", text or "") if t]


def _html(tokens):
    return escape("".join(tokens)).replace("\n", "<br>")


def diff_text(old, new):
    """``new`` with words removed from ``old`` struck out and added words marked (safe HTML)."""
    a, b = _tokens(old), _tokens(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(_html(b[j1:j2]))
            continue
        if i2 > i1:
            out.append(f'<del class="diff-del">{_html(a[i1:i2])}</del>')
        if j2 > j1:
            out.append(f'<ins class="diff-ins">{_html(b[j1:j2])}</ins>')
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


@dataclass
class ItemDiff:
    status: str
    html: str


def diff_items(old, new):
    """Lists compared item by item: items added, removed, changed (with a word diff) or the same."""
    old, new = list(old or []), list(new or [])
    items = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            items += [ItemDiff(SAME, escape(x)) for x in new[j1:j2]]
        elif op == "replace":
            pairs = min(i2 - i1, j2 - j1)
            items += [ItemDiff(CHANGED, diff_text(old[i1 + k], new[j1 + k])) for k in range(pairs)]
            items += [ItemDiff(REMOVED, diff_text(x, "")) for x in old[i1 + pairs : i2]]
            items += [ItemDiff(ADDED, diff_text("", x)) for x in new[j1 + pairs : j2]]
        elif op == "delete":
            items += [ItemDiff(REMOVED, diff_text(x, "")) for x in old[i1:i2]]
        else:
            items += [ItemDiff(ADDED, diff_text("", x)) for x in new[j1:j2]]
    return items


def glossary_lines(pairs):
    return [f"{term} — {definition}" for term, definition in (pairs or [])]


@dataclass
class FieldDiff:
    name: str
    label: str
    changed: bool
    is_list: bool
    html: str = ""
    items: list = field(default_factory=list)


@dataclass
class SectionDiff:
    section: Section
    fields: list

    @property
    def changed(self):
        return any(f.changed for f in self.fields)


def _value(text, name):
    value = getattr(text, name) if text is not None else None
    if name == "glossary":
        return glossary_lines(value)
    if name in LIST_FIELDS:
        return list(value or [])
    return value or ""


def compare_texts(old, new):
    """The ten sections of two ``VersionText`` of one language (either may be None), in order."""
    sections = []
    for section in SECTIONS:
        fields = []
        for name in section.fields:
            a, b = _value(old, name), _value(new, name)
            if name in LIST_FIELDS:
                fields.append(FieldDiff(name, FIELD_LABELS[name], a != b, True, items=diff_items(a, b)))
            else:
                fields.append(FieldDiff(name, FIELD_LABELS[name], a.strip() != b.strip(), False, html=diff_text(a, b)))
        sections.append(SectionDiff(section, fields))
    return sections


@dataclass
class LanguageDiff:
    language: str
    label: str
    sections: list
    present_in_old: bool
    present_in_new: bool

    @property
    def changed(self):
        return any(s.changed for s in self.sections)


def compare_languages(old_version, new_version):
    """Per language present in either version (prefetch ``texts``), the sections compared."""
    old = {t.language: t for t in old_version.texts.all()}
    new = {t.language: t for t in new_version.texts.all()}
    result = []
    for language in SectionLanguage:
        if language.value in old or language.value in new:
            a, b = old.get(language.value), new.get(language.value)
            result.append(
                LanguageDiff(language.value, language.label, compare_texts(a, b), a is not None, b is not None)
            )
    return result


# --------------------------------------------------------------------------- the plan


def _title(obj, language=None):
    if language:
        return getattr(obj, f"title_{language}") or ""
    return obj.title_ru or obj.title_kk


def _norm(text):
    return " ".join((text or "").split()).casefold()


def _topic_total(topic):
    return sum((getattr(topic, f) for f in HOUR_FIELDS), Decimal("0"))


@dataclass
class TopicDiff:
    status: str
    old: object = None
    new: object = None
    code_html: str = ""
    titles: dict = field(default_factory=dict)  # language -> diff html, for the languages that changed or exist
    hours: dict = field(default_factory=dict)  # field -> (old, new) for the columns that differ
    old_total: Decimal = Decimal("0")
    new_total: Decimal = Decimal("0")

    @property
    def topic(self):
        return self.new if self.new is not None else self.old

    @property
    def columns(self):
        """(field, old, new, changed) for every column, for a table row."""
        return [
            (
                f,
                getattr(self.old, f) if self.old is not None else None,
                getattr(self.new, f) if self.new is not None else None,
                f in self.hours,
            )
            for f in HOUR_FIELDS
        ]


@dataclass
class ModuleDiff:
    status: str
    old: object = None
    new: object = None
    titles: dict = field(default_factory=dict)
    content_changed: dict = field(default_factory=dict)  # language -> diff html of the module's content
    topics: list = field(default_factory=list)
    old_hours: Decimal = Decimal("0")
    new_hours: Decimal = Decimal("0")

    @property
    def module(self):
        return self.new if self.new is not None else self.old

    @property
    def hours_changed(self):
        return self.old_hours != self.new_hours


def _titles(old, new):
    titles = {}
    for language in SectionLanguage.values:
        a = _title(old, language) if old is not None else ""
        b = _title(new, language) if new is not None else ""
        if a or b:
            titles[language] = (a != b, diff_text(a, b))
    return titles


def _topic_diff(old, new):
    status = ADDED if old is None else REMOVED if new is None else SAME
    hours = {}
    if old is not None and new is not None:
        hours = {f: (getattr(old, f), getattr(new, f)) for f in HOUR_FIELDS if getattr(old, f) != getattr(new, f)}
    titles = _titles(old, new)
    code_a, code_b = (old.code if old is not None else ""), (new.code if new is not None else "")
    if status == SAME and (hours or code_a != code_b or any(changed for changed, _html in titles.values())):
        status = CHANGED
    return TopicDiff(
        status=status,
        old=old,
        new=new,
        code_html=diff_text(code_a, code_b),
        titles=titles,
        hours=hours,
        old_total=_topic_total(old) if old is not None else Decimal("0"),
        new_total=_topic_total(new) if new is not None else Decimal("0"),
    )


def _align(old, new, key, make, similar):
    """Pair the items of two lists by ``key`` (difflib); inside a replaced block, pair only similar items."""
    out = []
    a, b = [key(x) for x in old], [key(x) for x in new]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out += [make(old[i1 + k], new[j1 + k]) for k in range(i2 - i1)]
            continue
        j = j1
        for x in old[i1:i2]:
            match = next((k for k in range(j, j2) if similar(x, new[k])), None)
            if match is None:
                out.append(make(x, None))
                continue
            out += [make(None, y) for y in new[j:match]]
            out.append(make(x, new[match]))
            j = match + 1
        out += [make(None, y) for y in new[j:j2]]
    return out


def _alike(a, b):
    a, b = _norm(a), _norm(b)
    return bool(a and b) and difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def _topics_alike(old, new):
    return (bool(_norm(old.code)) and _norm(old.code) == _norm(new.code)) or _alike(_title(old), _title(new))


def _modules_alike(old, new):
    if old.is_final_assessment and new.is_final_assessment:
        return True
    shared = {_topic_key(t) for t in old.topics.all()} & {_topic_key(t) for t in new.topics.all()}
    return bool(shared) or any(_alike(_title(old, lang), _title(new, lang)) for lang in SectionLanguage.values)


def _topic_key(topic):
    return _norm(topic.code) or _norm(_title(topic))


def _module_key(module):
    return (module.is_final_assessment, _norm(module.title_ru) or _norm(module.title_kk))


def _module_diff(old, new):
    old_topics = list(old.topics.all()) if old is not None else []
    new_topics = list(new.topics.all()) if new is not None else []
    topics = _align(old_topics, new_topics, _topic_key, _topic_diff, _topics_alike)
    titles = _titles(old, new)
    content = {}
    for language in SectionLanguage.values:
        a = getattr(old, f"content_{language}") if old is not None else ""
        b = getattr(new, f"content_{language}") if new is not None else ""
        if a.strip() != b.strip():
            content[language] = diff_text(a, b)
    status = ADDED if old is None else REMOVED if new is None else SAME
    if status == SAME and (
        content
        or any(changed for changed, _html in titles.values())
        or old.is_final_assessment != new.is_final_assessment
        or any(t.status != SAME for t in topics)
    ):
        status = CHANGED
    return ModuleDiff(
        status=status,
        old=old,
        new=new,
        titles=titles,
        content_changed=content,
        topics=topics,
        old_hours=sum((_topic_total(t) for t in old_topics), Decimal("0")),
        new_hours=sum((_topic_total(t) for t in new_topics), Decimal("0")),
    )


def compare_plans(old_version, new_version):
    """Module by module (prefetch ``modules__topics``): topics added, removed or changed, hours changed."""
    old, new = list(old_version.modules.all()), list(new_version.modules.all())
    return _align(old, new, _module_key, _module_diff, _modules_alike)


def column_totals(version):
    totals = dict.fromkeys(HOUR_FIELDS, Decimal("0"))
    for module in version.modules.all():
        for topic in module.topics.all():
            for f in HOUR_FIELDS:
                totals[f] += getattr(topic, f)
    return totals


@dataclass
class VersionComparison:
    old: object
    new: object
    languages: list
    modules: list
    totals: list  # (field or "total", old, new)

    @property
    def changed(self):
        return any(lang.changed for lang in self.languages) or any(m.status != SAME for m in self.modules)


def compare_versions(old_version, new_version):
    """Everything that differs between two versions of a program."""
    old_totals, new_totals = column_totals(old_version), column_totals(new_version)
    totals = [(f, old_totals[f], new_totals[f]) for f in HOUR_FIELDS]
    totals.append(("total", sum(old_totals.values(), Decimal("0")), sum(new_totals.values(), Decimal("0"))))
    return VersionComparison(
        old=old_version,
        new=new_version,
        languages=compare_languages(old_version, new_version),
        modules=compare_plans(old_version, new_version),
        totals=totals,
    )
