"""The form of a message written to a cohort's listeners."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Listener

ALL, CHOSEN = "all", "chosen"


class ListenerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class MessageForm(forms.Form):
    to = forms.ChoiceField(
        label=_("send to"),
        choices=[(ALL, _("all current listeners of the cohort")), (CHOSEN, _("the chosen listeners"))],
        initial=ALL,
        widget=forms.RadioSelect,
    )
    listeners = ListenerChoice(
        label=_("listeners"),
        queryset=Listener.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Only current listeners of this cohort may be chosen; expelled or transferred ones may not."
            ),
            "invalid_pk_value": _("Choose listeners from the list."),
        },
    )
    subject = forms.CharField(label=_("subject"), max_length=300)
    body = forms.CharField(label=_("text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, listeners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listeners"].queryset = listeners

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == CHOSEN and not cleaned.get("listeners") and "listeners" not in self.errors:
            self.add_error("listeners", _("Choose at least one listener."))
        return cleaned

    def recipients(self):
        """None for every current listener, else the chosen ones."""
        return list(self.cleaned_data["listeners"]) if self.cleaned_data["to"] == CHOSEN else None
