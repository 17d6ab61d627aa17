from django import forms
from django.utils.translation import gettext_lazy

SCORE_CHOICES = [(str(s), str(s)) for s in (1, 2, 3, 4, 5)]


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


class SatisfactionForm(forms.Form):
    content = forms.TypedChoiceField(
        label=gettext_lazy("Content of the course"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Organisation of the course"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    teaching = forms.TypedChoiceField(
        label=gettext_lazy("Quality of teaching"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SelfAnalysisForm(forms.Form):
    goals_met = forms.TypedChoiceField(
        label=gettext_lazy("How far were the course's goals met? (1 — not at all, 5 — fully)"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    what_worked = forms.CharField(label=gettext_lazy("What worked"), widget=forms.Textarea(attrs={"rows": 4}))
    difficulties = forms.CharField(
        label=gettext_lazy("Difficulties"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    improvements = forms.CharField(
        label=gettext_lazy("What to change next time"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
