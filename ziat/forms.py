"""One way of rendering a form everywhere: every field as label, input, help and its own errors.

The templates are the project's (templates/ziat/forms/); the widgets are Django's. A field's input is linked to its
help and its errors (aria-describedby) and marked invalid (aria-invalid) by Django's BoundField; the field's own
template keeps the four together in one block, so that an error can never be read as the next field's.

The core's own forms (the working-day calendar's) are here too.
"""

from django import forms
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .calendar import FIRST_YEAR, LAST_YEAR

# A form with more fields than this shows, above it, the list of the fields to correct.
SUMMARY_MIN_FIELDS = 6


class FormRenderer(TemplatesSetting):
    form_template_name = "ziat/forms/form.html"
    formset_template_name = "ziat/forms/formset.html"
    field_template_name = "ziat/forms/field.html"


# The one empty choice of every select: Django's own label (translated in the project's catalogue), so that a
# page never shows "---------" beside "- Select an option -".
EMPTY_CHOICE = ("", BLANK_CHOICE_LABEL)


class DecisionForm(forms.Form):
    """A government's decision on the working-day calendar (``ziat.calendar_decisions``)."""

    date = forms.DateField(label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working = forms.TypedChoiceField(
        label=gettext_lazy("the day becomes"),
        choices=[("1", gettext_lazy("a working day")), ("0", gettext_lazy("a day off"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=gettext_lazy("government's act"),
        max_length=300,
        help_text=gettext_lazy("Its number and date, e.g. “Government decree No. 1084 of 31 December 2025”."),
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a day from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return day
