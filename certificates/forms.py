from django import forms
from django.utils.translation import gettext_lazy as _

from ziat.forms import EMPTY_CHOICE

from .enums import DuplicateReason, RevocationCategory

REASON_MAX_LENGTH = 2000


class RevokeForm(forms.Form):
    category = forms.ChoiceField(
        label=_("reason for revocation"),
        choices=[EMPTY_CHOICE, *RevocationCategory.choices],
        help_text=_("Shown on the public verification page in these words."),
    )
    note = forms.CharField(
        label=_("internal note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("Kept in the register for staff; never shown in public."),
    )


class DuplicateForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("why a duplicate is needed"), choices=DuplicateReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("E.g. the holder's application; kept for staff."),
    )


class ReissueForm(forms.Form):
    note = forms.CharField(
        label=_("what is corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "The certificate gets a new registration number and is printed from the data as they stand now; "
            "this one stays in the register as replaced."
        ),
    )


class InternshipForm(forms.Form):
    """The fields of the enterprise's reference (001 App. 5); the rules are the service's."""

    starts_on = forms.DateField(label=_("internship from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("internship to"), widget=forms.DateInput(attrs={"type": "date"}))
    speciality = forms.CharField(label=_("speciality and qualification"), max_length=500)
    enterprise = forms.CharField(label=_("enterprise (organisation)"), max_length=500)
    hours = forms.DecimalField(label=_("academic hours"), max_digits=6, decimal_places=1)
    functions = forms.CharField(
        label=_("functional duties performed (position)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    skills = forms.CharField(
        label=_("professional skills acquired"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    head_name = forms.CharField(label=_("head of the enterprise"), max_length=300)


class ReferencePeriodForm(forms.Form):
    """The period of issue of the references' register: it does not end before it starts."""

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data
