"""Forms of the program-content editor: the text sections of one language and the grid of the plan."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import HOUR_FIELDS
from ..models import Topic, VersionText
from ..models.program import validate_half_hours
from ..services.content import GLOSSARY_FIELD, LIST_FIELDS, TEXT_FIELDS

# Section order of 000 §2.8.
TEXT_FORM_FIELDS = (
    "general_provisions",
    "glossary",
    "subject",
    "goal",
    "objectives",
    "expected_results",
    "structure",
    "organisation",
    "methodical_support",
    "assessment",
    "postcourse",
    "literature_main",
    "literature_additional",
)

# A glossary line: the term, then an em or en dash (or a hyphen with spaces around it), then the definition.
_GLOSSARY_LINE = re.compile(r"^(?P<term>.*?)\s*(?:—|–|\s-\s)\s*(?P<definition>.*)$")


def glossary_to_text(pairs):
    return "\n".join(f"{term} — {definition}" for term, definition in pairs or [])


def parse_glossary(text):
    """[term, definition] pairs from lines "term — definition"; a line without the dash is an error."""
    pairs, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _GLOSSARY_LINE.match(line.strip())
        if match is None:
            errors.append(
                _("Line %(line)s of the glossary has no dash between the term and its definition: “%(text)s”.")
                % {"line": number, "text": line.strip()[:80]}
            )
            continue
        term, definition = match["term"].strip(), match["definition"].strip()
        if not term:
            errors.append(_("Line %(line)s of the glossary has a definition but no term.") % {"line": number})
        elif not definition:
            errors.append(
                _("Line %(line)s of the glossary: the term “%(term)s” has no definition.")
                % {"line": number, "term": term}
            )
        else:
            pairs.append([term, definition])
    if errors:
        raise forms.ValidationError(errors)
    return pairs


def _textarea(rows):
    return forms.Textarea(attrs={"rows": rows})


class VersionTextForm(forms.Form):
    """The ten sections of 000 §2.8 in one language; lists are entered one item a line."""

    def __init__(self, *args, text=None, **kwargs):
        if text is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(text)
        super().__init__(*args, **kwargs)
        for name in TEXT_FORM_FIELDS:
            label = VersionText._meta.get_field(name).verbose_name
            if name in TEXT_FIELDS:
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=_textarea(3 if name in ("subject", "goal") else 6)
                )
            elif name in LIST_FIELDS:
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=_textarea(5), help_text=_("One item a line.")
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    widget=_textarea(6),
                    help_text=_("One term a line: term — definition."),
                )
        self.fields["structure"].help_text = _(
            "The introduction to section 5; the modules and topics with their hours are edited on the plan page."
        )

    @staticmethod
    def initial_from(text):
        initial = {}
        for name in TEXT_FORM_FIELDS:
            value = getattr(text, name)
            if name == GLOSSARY_FIELD:
                initial[name] = glossary_to_text(value)
            elif name in LIST_FIELDS:
                initial[name] = "\n".join(value or [])
            else:
                initial[name] = value
        return initial

    def clean_glossary(self):
        return parse_glossary(self.cleaned_data.get("glossary"))

    def _clean_list(self, name):
        return [line.strip() for line in (self.cleaned_data.get(name) or "").splitlines() if line.strip()]

    def clean_objectives(self):
        return self._clean_list("objectives")

    def clean_expected_results(self):
        return self._clean_list("expected_results")

    def clean_literature_main(self):
        return self._clean_list("literature_main")

    def clean_literature_additional(self):
        return self._clean_list("literature_additional")

    def data_for_service(self):
        return {name: self.cleaned_data[name] for name in TEXT_FORM_FIELDS}


# --------------------------------------------------------------------------- the plan grid

MODULE, FINAL, TOPIC = "module", "final", "topic"


def _plain(value):
    """Hours for an input: blank for zero, 2 rather than 2.0, 2.5 as is."""
    if not value:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class HoursField(forms.DecimalField):
    """Academic hours typed with a point or a comma (2.5 or 2,5), whatever the page's language."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class PlanRowForm(forms.Form):
    """One row of the grid: a module, the final-assessment block, or a topic of the module above it."""

    kind = forms.ChoiceField(
        label=_("Row"),
        choices=[(MODULE, _("Module")), (FINAL, _("Final assessment")), (TOPIC, _("Topic"))],
        initial=TOPIC,
    )
    row = forms.CharField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=0,
        max_value=10000,
        widget=forms.NumberInput(attrs={"class": "order"}),
    )
    code = forms.CharField(label=_("No."), required=False, max_length=20)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), required=False, max_length=500)
    title_ru = forms.CharField(label=_("Title (Russian)"), required=False, max_length=500)
    content_kk = forms.CharField(label=_("Content of the module (Kazakh)"), required=False, widget=_textarea(3))
    content_ru = forms.CharField(label=_("Content of the module (Russian)"), required=False, widget=_textarea(3))
    delete = forms.BooleanField(label=_("Delete"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in HOUR_FIELDS:
            self.fields[name] = HoursField(
                label=Topic._meta.get_field(name).verbose_name,
                required=False,
                min_value=0,
                max_digits=5,
                decimal_places=1,
                validators=[validate_half_hours],
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4, "class": "hours"}),
            )
        for field in self.fields.values():
            if field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))

    @property
    def hour_fields(self):
        return [self[name] for name in HOUR_FIELDS]

    def clean(self):
        data = super().clean()
        if data.get("delete") or not data.get("kind"):
            return data
        if not ((data.get("title_kk") or "").strip() or (data.get("title_ru") or "").strip()):
            self.add_error("title_ru", _("Give the row a title in Kazakh or Russian."))
        if data["kind"] == TOPIC:
            if (data.get("content_kk") or "").strip() or (data.get("content_ru") or "").strip():
                self.add_error("content_ru", _("Only a module has a content text; this row is a topic."))
        elif any(data.get(name) for name in HOUR_FIELDS):
            self.add_error(
                None, _("A module's hours are the sum of its topics: enter the hours on the rows of its topics.")
            )
        return data


class BasePlanFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        self.modules = []
        current, dropping = None, False
        for form in self._ordered_rows():
            data = form.cleaned_data
            kind = data["kind"]
            if kind in (MODULE, FINAL):
                dropping = data.get("delete")
                if dropping:
                    current = None
                    continue
                current = {
                    "id": _row_id(data.get("row"), "m"),
                    "title_kk": data.get("title_kk", ""),
                    "title_ru": data.get("title_ru", ""),
                    "content_kk": data.get("content_kk", ""),
                    "content_ru": data.get("content_ru", ""),
                    "is_final_assessment": kind == FINAL,
                    "topics": [],
                }
                self.modules.append(current)
                continue
            if data.get("delete") or dropping:
                continue
            if current is None:
                raise forms.ValidationError(
                    _("The topic “%(title)s” has no module above it: the plan starts with a module row.")
                    % {"title": data.get("title_ru") or data.get("title_kk")}
                )
            current["topics"].append(
                {
                    "id": _row_id(data.get("row"), "t"),
                    "code": data.get("code", ""),
                    "title_kk": data.get("title_kk", ""),
                    "title_ru": data.get("title_ru", ""),
                    **{name: data.get(name) or Decimal("0") for name in HOUR_FIELDS},
                }
            )

    def _ordered_rows(self):
        rows = [(i, form) for i, form in enumerate(self.forms) if form.cleaned_data and form.cleaned_data.get("kind")]

        def key(item):
            i, form = item
            order = form.cleaned_data.get("order")
            return (order is None, order if order is not None else 0, i)

        return [form for _i, form in sorted(rows, key=key)]


def _row_id(value, prefix):
    """The pk of an existing module ("m12") or topic ("t34"); a row whose kind changed becomes a new row."""
    value = value or ""
    return value[1:] if value.startswith(prefix) and value[1:].isdigit() else None


PlanFormSet = forms.formset_factory(
    PlanRowForm, formset=BasePlanFormSet, extra=5, max_num=1000, absolute_max=1500, validate_max=True
)


def plan_initial(version):
    """The rows of the grid for a version loaded with ``version_with_plan``."""
    rows, order = [], 0
    for module in version.modules.all():
        order += 1
        rows.append(
            {
                "kind": FINAL if module.is_final_assessment else MODULE,
                "row": f"m{module.pk}",
                "order": order,
                "title_kk": module.title_kk,
                "title_ru": module.title_ru,
                "content_kk": module.content_kk,
                "content_ru": module.content_ru,
            }
        )
        for topic in module.topics.all():
            order += 1
            rows.append(
                {
                    "kind": TOPIC,
                    "row": f"t{topic.pk}",
                    "order": order,
                    "code": topic.code,
                    "title_kk": topic.title_kk,
                    "title_ru": topic.title_ru,
                    **{name: _plain(getattr(topic, name)) for name in HOUR_FIELDS},
                }
            )
    return rows
