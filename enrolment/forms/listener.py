from django import forms
from django.utils.translation import gettext_lazy as _

from ..iin import InvalidIIN, iin_birth_date
from ..models import Listener


class ListenerCreateForm(forms.ModelForm):
    last_name = forms.CharField(label=_("last name"), max_length=150)
    first_name = forms.CharField(label=_("first name"), max_length=150)
    middle_name = forms.CharField(label=_("middle name"), max_length=150, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    password = forms.CharField(
        label=_("password for the cabinet"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("The listener logs in with the IIN and this password."),
    )

    class Meta:
        model = Listener
        fields = ["iin", "birth_date", "phone", "workplace", "position"]

    def clean_iin(self):
        iin = self.cleaned_data["iin"].strip()
        try:
            self.iin_birth_date = iin_birth_date(iin)
        except InvalidIIN as e:
            raise forms.ValidationError(str(e)) from None
        return iin

    def clean(self):
        data = super().clean()
        born = getattr(self, "iin_birth_date", None)
        if born and data.get("birth_date") and data["birth_date"] != born:
            self.add_error("birth_date", _("The date of birth does not agree with the IIN."))
        return data
