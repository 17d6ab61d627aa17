"""The form of the NOBD import (001 §24, 003 §6.9): the upload of the export."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NobdUploadForm(forms.Form):
    file = forms.FileField(
        label=_("NOBD export (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    @classmethod
    def refused(cls, message):
        """An empty upload form showing why the last file was refused, beside the file field."""
        form = cls()
        form.full_clean()  # an unbound form: no errors yet, and nothing cleaned
        form.cleaned_data = {}
        form.add_error("file", message)
        return form
