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
