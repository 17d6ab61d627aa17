"""Links of a list's pages that keep the rest of the address (its filters and the other lists' pages)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param, number):
    """``?…`` of the current address with ``param`` set to ``number``."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()
