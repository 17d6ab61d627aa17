"""Money and numbers as the reader's language writes them: "45 000,00 ₸" in Kazakh and Russian, "45,000.00 ₸" in
English. One function for pages, documents and Excel cells shown as text."""

from decimal import Decimal, InvalidOperation

from django.utils import numberformat
from django.utils.formats import get_format

CURRENCY = "₸"


def amount(value, *, decimal_pos=2):
    """A number grouped by thousands with the language's separators; '' for None or what is not a number."""
    if value is None or value == "":
        return ""
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimal_pos,
        grouping=get_format("NUMBER_GROUPING"),
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def money(value):
    """An amount in tenge with the currency sign: '45 000,00 ₸'."""
    text = amount(value)
    return f"{text}\xa0{CURRENCY}" if text else ""
