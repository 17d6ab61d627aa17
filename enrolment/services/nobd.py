"""Personal data of listeners from an export of the national education database (NOBD), 001 §24, 003 §6.9.

The staff upload the export; rows are matched to listeners by IIN. Nothing changes until the staff have
seen, per listener, what would change and confirmed it; the changes are then computed again from the
current data and applied in one transaction. A file that cannot be read imports nothing; rows with
errors and rows of unknown IINs are listed and skipped. An empty cell keeps the value on record.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ziat import access
from ziat.activity import log_actions
from ziat.errors import DomainError
from ziat.excel import as_date, as_text, read_table
from ziat.jobs import job_create
from ziat.models import Job

from ..iin import InvalidIIN, iin_birth_date
from ..models import Listener

# Column key -> accepted headers (Kazakh, Russian, English). The first is shown when a column is missing.
COLUMNS = {
    "iin": ("ЖСН", "ИИН", "IIN"),
    "last_name": ("Тегі", "Фамилия", "Last name"),
    "first_name": ("Аты", "Имя", "First name"),
    "middle_name": ("Әкесінің аты", "Отчество", "Middle name"),
    "birth_date": ("Туған күні", "Дата рождения", "Date of birth"),
    "position": ("Лауазымы", "Должность", "Position"),
    "workplace": ("Жұмыс орны", "Место работы", "Workplace"),
    "education": ("Білімі", "Образование", "Education"),
    "category": ("Біліктілік санаты", "Квалификационная категория", "Qualification category"),
    "category_valid_until": ("Санаттың қолданылу мерзімі", "Срок действия категории", "Category valid until"),
    "experience_total": ("Жалпы еңбек өтілі", "Общий стаж", "Total experience"),
    "experience_teaching": ("Педагогикалық өтілі", "Педагогический стаж", "Teaching experience"),
}
HEADER_LANGUAGES = {"kk": 0, "ru": 1, "en": 2}

USER_FIELDS = ("last_name", "first_name", "middle_name")
LISTENER_FIELDS = (
    "birth_date",
    "position",
    "workplace",
    "education",
    "category",
    "category_valid_until",
    "experience_total",
    "experience_teaching",
)
DATE_FIELDS = ("birth_date", "category_valid_until")
NUMBER_FIELDS = ("experience_total", "experience_teaching")
LABELS = {
    "last_name": gettext_lazy("last name"),
    "first_name": gettext_lazy("first name"),
    "middle_name": gettext_lazy("middle name"),
}
MAX_EXPERIENCE = 80
# The background jobs that read an export and apply it; a reading is confirmed within the hour.
READ_KIND = "enrolment.nobd_read"
APPLY_KIND = "enrolment.nobd_apply"
PREVIEW_MAX_AGE = datetime.timedelta(hours=1)


def header_row(language):
    index = HEADER_LANGUAGES.get((language or "kk")[:2], 0)
    return [names[index] for names in COLUMNS.values()]


def field_label(name):
    if name in LABELS:
        return str(LABELS[name])
    return str(Listener._meta.get_field(name).verbose_name)


def _max_length(name):
    if name in USER_FIELDS:
        return 150
    return Listener._meta.get_field(name).max_length


def _parse_row(values):
    """One row as plain JSON values (dates ISO, years int, empty as None), or raise ValueError(message)."""
    iin = as_text(values["iin"]).replace(" ", "")
    if isinstance(values["iin"], int | float) and iin.isdigit():
        iin = iin.zfill(12)  # a number cell loses the leading zero of those born in 2000-2009
    if not iin:
        raise ValueError(_("The IIN is empty."))
    try:
        born = iin_birth_date(iin)
    except InvalidIIN as e:
        raise ValueError(str(e)) from None
    row = {"iin": iin}
    for name in USER_FIELDS + LISTENER_FIELDS:
        raw = values[name]
        text = as_text(raw)
        if text == "":
            row[name] = None
        elif name in DATE_FIELDS:
            try:
                row[name] = as_date(raw).isoformat()
            except ValueError:
                raise ValueError(
                    _("%(field)s: “%(value)s” is not a date (dd.mm.yyyy).")
                    % {"field": field_label(name), "value": text}
                ) from None
        elif name in NUMBER_FIELDS:
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                number = -1
            if not (number.is_integer() and 0 <= number <= MAX_EXPERIENCE):
                raise ValueError(
                    _("%(field)s: “%(value)s” is not a number of years.") % {"field": field_label(name), "value": text}
                )
            row[name] = int(number)
        else:
            if len(text) > _max_length(name):
                raise ValueError(_("%(field)s is too long.") % {"field": field_label(name)})
            row[name] = text
    if row["birth_date"] and row["birth_date"] != born.isoformat():
        raise ValueError(_("The date of birth does not agree with the IIN."))
    total, teaching = row["experience_total"], row["experience_teaching"]
    if total is not None and teaching is not None and teaching > total:
        raise ValueError(_("The teaching experience cannot be longer than the total experience."))
    return row


def nobd_parse(upload, *, progress=None):
    """Read an uploaded export: (rows, errors). A file that cannot be read raises DomainError.

    ``rows`` are dicts of plain values with their ``row`` number; ``errors`` are (row, iin, message).
    ``progress(done, total, message)``, when given, is told how far the reading is.
    """
    table = read_table(upload, COLUMNS)
    if not table:
        raise DomainError(_("The file has no rows."))
    rows, errors, seen = [], [], {}
    for done, (number, values) in enumerate(table, start=1):
        if progress is not None:
            progress(done, len(table), _("Checking the rows"))
        try:
            row = _parse_row(values)
        except ValueError as e:
            errors.append((number, as_text(values["iin"]), str(e)))
            continue
        if row["iin"] in seen:
            errors.append((number, row["iin"], _("The IIN is repeated (row %(row)s).") % {"row": seen[row["iin"]]}))
            continue
        seen[row["iin"]] = number
        rows.append({"row": number, **row})
    return rows, errors


def _value(name, value):
    if value is not None and name in DATE_FIELDS and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def _shown(value):
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def nobd_diff(rows, *, lock=False):
    """What applying ``rows`` would change: (changes, unknown).

    ``changes`` is a list of (listener, [(field, label, old, new, old_shown, new_shown)]) for listeners with
    at least one change; ``unknown`` the rows whose IIN is not a listener's.
    """
    listeners = Listener.objects.filter(iin__in=[r["iin"] for r in rows]).select_related("user")
    if lock:
        listeners = listeners.select_for_update()
    by_iin = {listener.iin: listener for listener in listeners}
    changes, unknown = [], []
    for row in rows:
        listener = by_iin.get(row["iin"])
        if listener is None:
            unknown.append(row)
            continue
        fields = []
        for name in USER_FIELDS + LISTENER_FIELDS:
            new = _value(name, row.get(name))
            if new is None:
                continue
            old = getattr(listener.user if name in USER_FIELDS else listener, name)
            if old != new:
                fields.append((name, field_label(name), old, new, _shown(old), _shown(new)))
        if fields:
            changes.append((listener, fields))
    return changes, unknown


def nobd_read_result(job, *, today=None):
    """The rows and errors a finished reading job found, ready for the preview: (rows, errors).

    A reading that failed raises DomainError with its message; one older than ``PREVIEW_MAX_AGE`` too,
    so that a preview is confirmed while it still shows the data of the day.
    """
    if job.kind != READ_KIND:
        raise DomainError(_("This is not a reading of an NOBD export."))
    if job.status == job.Status.FAILED:
        raise DomainError(job.message or _("The file could not be read."))
    if job.status != job.Status.DONE or not isinstance(job.result, dict):
        raise DomainError(_("The file is still being read."))
    if job.finished_at and job.finished_at < (today or timezone.now()) - PREVIEW_MAX_AGE:
        raise DomainError(_("The preview is too old; upload the file again."))
    return job.result.get("rows", []), [tuple(e) for e in job.result.get("errors", [])]


@transaction.atomic
def nobd_apply_job(read_job, *, by, next_url=""):
    """The job that applies a confirmed preview, and whether it is new: one per reading. Confirming again (a
    double click, a second tab) gives the job already started, which the caller does not start twice; once
    that job has failed, confirming starts another."""
    read_job = Job.objects.select_for_update().get(pk=read_job.pk)
    nobd_read_result(read_job)
    started = (
        Job.objects.filter(pk=read_job.result.get("applying_job"), owner=by).exclude(status=Job.Status.FAILED).first()
    )
    if started is not None:
        return started, False
    applying = job_create(kind=APPLY_KIND, title=_("Applying the NOBD data"), owner=by, next_url=next_url, total=1)
    read_job.result = {**read_job.result, "applying_job": applying.pk}
    read_job.save(update_fields=["result"])
    return applying, True


@transaction.atomic
def nobd_apply(*, rows, by, progress=None):
    """Apply the NOBD rows to the listeners, all or nothing; returns the number of listeners changed."""
    refusal = _("You may not change listeners' personal data.")
    access.require(by, "enrolment.change_listener", None, refusal)
    changes, _unknown = nobd_diff(rows, lock=True)
    for listener, _fields in changes:
        access.require(by, "enrolment.change_listener", listener, refusal)
    for done, (listener, fields) in enumerate(changes, start=1):
        if progress is not None:
            progress(done, len(changes), _("Saving the listeners' data"))
        user_fields = [f[0] for f in fields if f[0] in USER_FIELDS]
        listener_fields = [f[0] for f in fields if f[0] in LISTENER_FIELDS]
        for name, _label, _old, new, *_rest in fields:
            setattr(listener.user if name in USER_FIELDS else listener, name, new)
        if user_fields:
            listener.user.save(update_fields=user_fields)
        if listener_fields:
            listener.save(update_fields=listener_fields)
    log_actions(
        "enrolment.listener.nobd_updated",
        [(li, {f[0]: f[2] for f in fields}, {f[0]: f[3] for f in fields}) for li, fields in changes],
        by=by,
        scope=lambda li: {"listener_id": li.pk},
        label=lambda li: li.user.full_name,
    )
    return len(changes)
