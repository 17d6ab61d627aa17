"""One way of rendering a form everywhere: every field as label, input, help and its own errors.

The templates are the project's (templates/ziat/forms/); the widgets are Django's. A field's input is linked to its
help and its errors (aria-describedby) and marked invalid (aria-invalid) by Django's BoundField; the field's own
template keeps the four together in one block, so that an error can never be read as the next field's.
"""

from django.db.models.fields import BLANK_CHOICE_LABEL
from django.forms.renderers import TemplatesSetting

# A form with more fields than this shows, above it, the list of the fields to correct.
SUMMARY_MIN_FIELDS = 6


class FormRenderer(TemplatesSetting):
    form_template_name = "ziat/forms/form.html"
    formset_template_name = "ziat/forms/formset.html"
    field_template_name = "ziat/forms/field.html"


# The one empty choice of every select: Django's own label (translated in the project's catalogue), so that a
# page never shows "---------" beside "- Select an option -".
EMPTY_CHOICE = ("", BLANK_CHOICE_LABEL)
