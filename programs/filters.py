"""The filters of the program lists (``ziat.listing``): the staff's list and the public catalogue."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ziat.listing import FilterSet, Search

from .enums import FormOfStudy, Language, ProgramStatus


class CatalogueFilter(FilterSet):
    q = Search(label=_("title"), fields=("title_kk", "title_ru"))
    form_of_study = django_filters.ChoiceFilter(label=_("form of study"), choices=FormOfStudy.choices)
    language = django_filters.ChoiceFilter(label=_("language of instruction"), choices=Language.choices)


class ProgramFilter(CatalogueFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProgramStatus.choices)


class SurveyFilter(FilterSet):
    """Needs surveys found by title and whether they are open for answers."""

    q = Search(label=_("title"), fields=("title_kk", "title_ru"))
    state = django_filters.ChoiceFilter(
        label=_("Status"), choices=[("open", _("open")), ("closed", _("closed"))], method="filter_state"
    )

    def filter_state(self, queryset, name, value):
        return queryset.filter(is_open=value == "open")
