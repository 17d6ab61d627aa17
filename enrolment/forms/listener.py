from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Listener
from .iin_fields import IINDerivedFieldsMixin


class ListenerCreateForm(IINDerivedFieldsMixin, forms.ModelForm):
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
