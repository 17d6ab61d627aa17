from django import forms
from django.utils.translation import gettext_lazy


class ReviewPeriodForm(forms.Form):
    """The period an effectiveness review covers: the courses that ended in it."""

    period_from = forms.DateField(label=gettext_lazy("period from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=gettext_lazy("period to"), widget=forms.DateInput(attrs={"type": "date"}))


class ReviewConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=gettext_lazy("conclusion"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    measures = forms.CharField(
        label=gettext_lazy("measures decided"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
