"""Forms of the admission order, the contract's acceptance and payments."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AdmissionOrderForm(forms.Form):
    number = forms.CharField(label=_("order No."), max_length=50)
    issued_on = forms.DateField(label=_("date"), widget=DateInput())
    responsible = forms.CharField(
        label=_("responsible persons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The heads of the program responsible for the course, one per line (003 §4.3)."),
    )


class ContractAcceptForm(forms.Form):
    """Carries the fingerprint of the text the listener was shown."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    agree = forms.BooleanField(label=_("I have read the contract and accept its terms"))


class PaymentForm(forms.Form):
    number = forms.CharField(label=_("payment document No."), max_length=50)
    paid_on = forms.DateField(label=_("date"), widget=DateInput())
    amount = forms.DecimalField(label=_("amount, tenge"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    payer = forms.CharField(label=_("payer"), max_length=300)
