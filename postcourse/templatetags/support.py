from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def span(value):
    """A duration as days and hours ("2 d 3 h"), or hours and minutes under a day; "—" for none."""
    if value is None:
        return "—"
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}


@register.filter
def event_title(event):
    """The event's title in the reader's language (Russian for Russian, Kazakh otherwise)."""
    from django.utils import translation

    if translation.get_language() == "ru":
        return event.title_ru or event.title_kk
    return event.title_kk or event.title_ru
