from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import RevocationCategory

REASON_MAX_LENGTH = 2000


class RevokeForm(forms.Form):
    category = forms.ChoiceField(
        label=_("reason for revocation"),
        choices=RevocationCategory.choices,
        help_text=_("Shown on the public verification page in these words."),
    )
    note = forms.CharField(
        label=_("internal note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("Kept in the register for staff; never shown in public."),
    )
