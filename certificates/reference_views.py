"""The staff's register of references of attendance (000 §3.9, 001 §31): number, holder, cohort and date,
filtered by the period of issue."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ziat.refusals import staff_required

from .references import references_in_period

PER_PAGE = 100


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("issued to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


@require_GET
@staff_required("certificates.view_certificate")
def reference_register(request):
    form = PeriodForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    period = form.cleaned_data if form.is_bound and valid else {}
    found = references_in_period(date_from=period.get("date_from"), date_to=period.get("date_to"), user=request.user)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "certificates/reference/register.html", context, status=200 if valid else 400)
