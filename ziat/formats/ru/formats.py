# Russian formats are Django's, except the first input format: ISO, which the browser's date and datetime-local
# inputs read (Django's "25.10.2006" would leave them empty).
from django.conf.locale.ru.formats import *  # noqa: F403

from ..kk.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
