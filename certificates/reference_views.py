"""The staff's register of references of attendance (000 §3.9, 001 §31): number, holder, cohort and date,
found by number, holder and cohort and filtered by the period of issue."""

import django_filters
from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ziat.listing import FilterSet, Search, listing
from ziat.refusals import staff_required

from .references import references_in_period

PER_PAGE = 100


class _PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


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
        form = _PeriodForm


@require_GET
@staff_required("certificates.view_certificate")
def reference_register(request):
    found = listing(request, ReferenceFilter, references_in_period(user=request.user), per_page=PER_PAGE)
    return render(request, "certificates/reference/register.html", {"list": found}, status=found.status)
