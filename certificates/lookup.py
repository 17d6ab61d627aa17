"""Finding a certificate by its registration number and its holder's surname (SPEC 5.3): both must match;
the answer never says which of them did not."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Certificate

NUMBER_MAX_LENGTH = 50
SURNAME_MAX_LENGTH = 150


def _words(text):
    return str(text or "").casefold().replace("ё", "е").split()


def _number(text):
    return "".join(str(text or "").replace("№", " ").split()).upper()


def certificate_by_number_and_surname(number, surname):
    """The certificate with this registration number whose holder's surname (the name's first word, or words)
    is ``surname``, case-insensitively; None otherwise."""
    wanted = _words(surname)
    number = _number(number)
    if not wanted or not number:
        return None
    certificate = Certificate.objects.filter(registration_number__iexact=number).only("token", "holder_name").first()
    if certificate is None or _words(certificate.holder_name)[: len(wanted)] != wanted:
        return None
    return certificate


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number"),
        max_length=NUMBER_MAX_LENGTH,
        error_messages={"required": _("Type the registration number printed on the certificate.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "ZIAT-2026-00001"}),
    )
    surname = forms.CharField(
        label=_("Holder's surname"),
        max_length=SURNAME_MAX_LENGTH,
        error_messages={"required": _("Type the holder's surname.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self):
        number = _number(self.cleaned_data["number"])
        if not number or any(not (c.isalnum() or c in "-/._") for c in number):
            raise forms.ValidationError(
                _("A registration number has letters, digits and hyphens, e.g. ZIAT-2026-00001.")
            )
        return number

    def clean_surname(self):
        surname = " ".join(self.cleaned_data["surname"].split())
        if not surname or any(c.isdigit() for c in surname):
            raise forms.ValidationError(_("Type the holder's surname as printed on the certificate."))
        return surname
