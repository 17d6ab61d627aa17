"""Lists that grow with the data: filters read from the query string by a ``django_filters.FilterSet``, the
rows paged by Django's ``Paginator``.

A list page passes a queryset already narrowed by the access layer (``ziat.access.scope``) or by its own
rule: filters only ever narrow it further, so no filter combination shows a user more than the list itself.
The filters live in the address (GET) so that a page can be bookmarked and shared; the page links keep them.
A value in the address that does not parse (a letter where a date is expected, a cohort that is not offered)
shows its error beside the field and an empty list with status 400, never a server error.

- ``FilterSet``: the base of every list's filters (a translated "all" in place of "---------");
- ``Search``: a text filter matching every word of the query in any of the given fields;
- ``CodeChoice``: a row typed by its code (a cohort's), in a text box rather than a list of every row;
- ``listing(request, filterset_class, queryset, ...)``: the filters, the page, and what the templates need
  (``templates/includes/list_filters.html``, ``list_pages.html``, ``list_empty.html``).
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 25
UNCHOSEN = django_filters.conf.settings.EMPTY_CHOICE_LABEL  # the library's "---------"


class Search(django_filters.CharFilter):
    """Every word of the query found in one of ``fields`` (case-insensitive); blanks collapsed."""

    def __init__(self, *, fields, **kwargs):
        kwargs.setdefault("label", _("search"))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.fields = tuple(fields)

    def filter(self, qs, value):
        words = (value or "").split()
        if not words:
            return qs
        each = [reduce(or_, (Q(**{f"{name}__icontains": word}) for name in self.fields)) for word in words]
        return qs.filter(reduce(and_, each))


class _CodeField(forms.ModelChoiceField):
    """A row typed by its code (any case; a number from a link is read as the row's id), in a text box: the page
    never lists every row, however many there are."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    default_error_messages = {"invalid_choice": _("No cohort has this code.")}

    def label_from_instance(self, obj):
        return obj.code

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()[:100]
        if "\x00" in text:  # PostgreSQL keeps no NUL in a text: no code has one
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        by_code = Q(code__iexact=text)
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        rows = list(self.queryset.filter(by_code | Q(pk=int(text)) if text.isdecimal() else by_code)[:2])
        found = next((row for row in rows if row.code.casefold() == text.casefold()), rows[0] if rows else None)
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        self._found = (text, found)
        return found

    def prepare_value(self, value):
        """What the box shows: the code of the row chosen (by code, or by id from a link)."""
        if hasattr(value, "code"):
            return value.code
        found = getattr(self, "_found", None)
        if isinstance(value, str) and found is not None and value.strip()[:100] == found[0]:
            return found[1].code
        return value


class CodeChoice(django_filters.ModelChoiceFilter):
    """A row chosen by its ``code`` typed in a text box (see ``_CodeField``)."""

    field_class = _CodeField


class FilterSet(django_filters.FilterSet):
    """The filters of one list page."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # Always bound (an empty address filters by nothing), so that ``filter_queryset`` may add a default.
        super().__init__(data if data is not None else {}, queryset=queryset, request=request, prefix=prefix)
        for form_field in self.form.fields.values():
            if getattr(form_field, "empty_label", None) == UNCHOSEN:
                form_field.empty_label = _("all")
            choices = getattr(form_field, "choices", None)
            if choices is not None and not hasattr(form_field, "queryset"):
                form_field.choices = [(v, _("all") if label == UNCHOSEN else label) for v, label in choices]


@dataclass
class Listing:
    filters: FilterSet
    page: Page
    query: str  # the filters of the address without the page number: for page links and exports
    clear_query: str  # what stays when the filters are cleared (e.g. the year of a schedule)
    filtered: bool  # a filter is set
    invalid: bool  # a filter value in the address does not parse
    kept: list = field(default_factory=list)  # (name, value) of the kept parameters, for hidden inputs

    @property
    def status(self):
        return 400 if self.invalid else 200

    @property
    def rows(self):
        return self.page.object_list


def listing(request, filterset_class, queryset, *, per_page=PAGE_SIZE, keep=(), arrange=None):
    """Filter ``queryset`` (ordered, and already scoped to what the user may see) by the address's query
    string and take the asked page. ``keep``: parameters that are not filters but belong to the list (a year):
    the page links keep them and clearing the filters does not drop them. ``arrange``: for a list whose rows
    are computed from the records (a schedule ordered by a worked-out date), a function of the filtered
    queryset and the filters' cleaned data that returns the rows to page; it may only drop rows."""
    filters = filterset_class(request.GET, queryset=queryset, request=request)
    invalid = not filters.is_valid()
    rows = queryset.none() if invalid else filters.qs
    if arrange is not None:
        rows = [] if invalid else arrange(rows, filters.form.cleaned_data)
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    clear = query.copy()
    for key in list(clear):
        if key not in keep:
            del clear[key]
    filtered = any(value.strip() for key in filters.filters for value in request.GET.getlist(key))
    return Listing(
        filters=filters,
        page=page,
        query=query.urlencode(),
        clear_query=clear.urlencode(),
        filtered=filtered,
        invalid=invalid,
        kept=[(key, value) for key in clear for value in clear.getlist(key)],
    )
