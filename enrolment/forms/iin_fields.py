"""The IIN already says the date of birth and the sex: forms that ask for them beside an IIN take them from it.

The fields stay on the form (a user sees what the IIN says, and a page's script fills them as the IIN is typed),
but they are optional: left empty they are filled from the IIN; filled in, they must agree with it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..iin import InvalidIIN, iin_birth_date
from ..services.applications import iin_sex


class IINDerivedFieldsMixin:
    iin_field = "iin"
    birth_date_field = "birth_date"
    sex_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        iin = self.fields[self.iin_field]
        iin.widget.attrs.update({"data-iin": "", "inputmode": "numeric", "maxlength": "12"})
        derived = _("Filled from the IIN.")
        for name in (self.birth_date_field, self.sex_field):
            if name and name in self.fields:
                field = self.fields[name]
                field.required = False
                field.help_text = derived
                field.widget.attrs["data-iin-derived"] = "birth_date" if name == self.birth_date_field else "sex"

    def clean_iin(self):
        iin = (self.cleaned_data.get(self.iin_field) or "").strip()
        try:
            iin_birth_date(iin)
        except InvalidIIN as e:
            raise forms.ValidationError(str(e)) from None
        return iin

    def clean(self):
        data = super().clean()
        iin = data.get(self.iin_field)
        if not iin:
            return data
        born = iin_birth_date(iin)
        if data.get(self.birth_date_field) is None:
            if self.birth_date_field not in self.errors:
                data[self.birth_date_field] = born
        elif data[self.birth_date_field] != born:
            self.add_error(self.birth_date_field, _("The date of birth does not agree with the IIN."))
        if self.sex_field:
            sex = iin_sex(iin)
            if not data.get(self.sex_field):
                if self.sex_field not in self.errors:
                    data[self.sex_field] = sex
            elif data[self.sex_field] != sex:
                self.add_error(self.sex_field, _("The sex does not agree with the 7th digit of the IIN."))
        return data
