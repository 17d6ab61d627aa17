from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 2000


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Kept in the register and shown on the verification page's record."),
    )
