"""The filters of the certificates' lists (``ziat.listing``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ziat.listing import FilterSet, Search


class InternshipFilter(FilterSet):
    """Listeners of TVET internship courses found by name or IIN, cohort and whether their certificate is issued."""

    q = Search(
        label=_("name or IIN"),
        fields=("listener__user__last_name", "listener__user__first_name", "listener__iin"),
    )
    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="cohort__code", lookup_expr="icontains", max_length=50
    )
    issued = django_filters.ChoiceFilter(
        label=_("Internship certificate"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        method="filter_issued",
    )

    def filter_issued(self, queryset, name, value):
        return queryset.filter(internship__certificate__isnull=value == "no")
