from django import template

from ziat.forms import SUMMARY_MIN_FIELDS

register = template.Library()


@register.filter
def needs_error_summary(form):
    """A long form with errors in its fields lists them above it (a short one shows them beside the fields)."""
    if not form.is_bound or not form.errors:
        return False
    visible = form.visible_fields()
    return len(visible) >= SUMMARY_MIN_FIELDS and any(field.errors for field in visible)
