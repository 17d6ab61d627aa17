"""Forms of the NOBD import (001 §24, 003 §6.9): the upload, and the confirmation carrying the signed rows."""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

SALT = "enrolment.nobd.rows"
MAX_AGE = 60 * 60  # a preview is confirmed within the hour


def sign_rows(rows, *, user):
    return signing.dumps({"by": user.pk, "rows": rows}, salt=SALT, compress=True)


class NobdUploadForm(forms.Form):
    file = forms.FileField(
        label=_("NOBD export (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class NobdConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_payload(self):
        try:
            data = signing.loads(self.cleaned_data["payload"], salt=SALT, max_age=MAX_AGE)
        except signing.SignatureExpired:
            raise forms.ValidationError(_("The preview is too old; upload the file again.")) from None
        except signing.BadSignature:
            raise forms.ValidationError(_("The preview is damaged; upload the file again.")) from None
        if data.get("by") != self.user.pk:
            raise forms.ValidationError(_("The preview was made by someone else; upload the file again."))
        return data["rows"]
