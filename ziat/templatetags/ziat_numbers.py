from django import template

from ziat import numbers

register = template.Library()


@register.filter
def money(value):
    """{{ invoice.amount|money }} -> "45 000,00 ₸" (in the page's language)."""
    return numbers.money(value)


@register.filter
def amount(value, decimal_pos=2):
    """{{ invoice.amount|amount }} -> "45 000,00", where the text already says "tenge"."""
    return numbers.amount(value, decimal_pos=int(decimal_pos))
