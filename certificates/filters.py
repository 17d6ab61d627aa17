"""The filters of the certificates' lists (``ziat.listing``)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ziat.listing import FilterSet, Search

from .forms import ReferencePeriodForm


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


def _date(label, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name="issued_on",
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ReferenceFilter(FilterSet):
    """The register's entries found by number or holder, the period of issue and the cohort."""

    q = Search(label=_("number or holder"), fields=("registration_number", "holder_name"))
    date_from = _date(_("issued from"), "gte")
    date_to = _date(_("issued to"), "lte")
    cohort = django_filters.CharFilter(
        label=_("cohort code"), field_name="enrolment__cohort__code", lookup_expr="icontains", max_length=50
    )

    class Meta:
        form = ReferencePeriodForm
