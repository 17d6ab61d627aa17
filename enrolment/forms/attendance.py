"""The attendance grid as posted: one select per listener × session, named ``m-<session pk>-<enrolment pk>``."""

import re

from django import forms
from django.utils.translation import gettext as _

from ..enums import AttendanceStatus

FIELD = re.compile(r"^m-(\d+)-(\d+)$")


def field_name(session_pk, enrolment_pk):
    return f"m-{session_pk}-{enrolment_pk}"


class AttendanceGridForm(forms.Form):
    """Reads every posted mark; a blank select leaves the cell as it is.

    Which pairs belong to the cohort and which sessions have started is the service's business
    (``attendance_save`` refuses the whole sheet otherwise), so a tampered sheet is refused there.
    """

    def clean(self):
        marks, unknown = {}, []
        for name in self.data:
            match = FIELD.match(name)
            if not match:
                continue
            value = self.data.get(name, "")
            if value == "":
                continue
            if value not in AttendanceStatus.values:
                unknown.append(value)
                continue
            marks[(int(match[1]), int(match[2]))] = value
        if unknown:
            raise forms.ValidationError(_("Unknown attendance mark: %(mark)s.") % {"mark": unknown[0]})
        self.cleaned_data["marks"] = marks
        return self.cleaned_data

    @property
    def marks(self):
        return self.cleaned_data["marks"]
