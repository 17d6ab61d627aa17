"""Requests of education departments and schools with their lists of teachers (001 §§11-18, 003 §4.1-4.2).

A partner's representative drafts a request for a cohort, lists its teachers (typed in one by one or
uploaded as an Excel file that is checked row by row before anything is saved) and sends it to the
centre. The registrar accepts it, and every teacher becomes a listener admitted to the cohort, or
returns it with a reason for the representative to correct and send again.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.excel import as_date, as_text, read_table

from ..enums import PartnerKind, RequestStatus
from ..iin import InvalidIIN, iin_birth_date
from ..models import Cohort, Enrolment, Listener, Representative, RequestedTeacher, TeacherRequest
from ..notifications import notify
from .admission import contract_draw_up
from .core import cohort_check_program, enrolment_admit, listener_create, seats_taken

log = logging.getLogger(__name__)

# At most this many teachers in one request (and so in one uploaded file).
MAX_ROWS = 500

# The states in which the representative may still change the request, and the allowed moves.
EDITABLE = (RequestStatus.DRAFT, RequestStatus.RETURNED)
MOVES = {
    "submit": EDITABLE,
    "accept": (RequestStatus.SUBMITTED,),
    "return": (RequestStatus.SUBMITTED,),
}

# The columns of a list of teachers: the key, then the headers accepted for it (the template's first).
# The headers are the same in every interface language: the file is filled in Kazakh or Russian.
COLUMNS = {
    "iin": ("ЖСН / ИИН", "ЖСН", "ИИН", "IIN"),
    "last_name": ("Тегі / Фамилия", "Тегі", "Фамилия", "Last name"),
    "first_name": ("Аты / Имя", "Аты", "Имя", "First name"),
    "middle_name": ("Әкесінің аты / Отчество", "Әкесінің аты", "Отчество", "Middle name"),
    "birth_date": ("Туған күні / Дата рождения", "Туған күні", "Дата рождения", "Date of birth"),
    "position": ("Лауазымы / Должность", "Лауазымы", "Должность", "Position"),
    "subject": ("Пәні / Предмет", "Пәні", "Предмет", "Subject"),
    "email": ("Электрондық пошта / Электронная почта", "Электрондық пошта", "Электронная почта", "E-mail", "Email"),
    "phone": ("Телефон", "Phone"),
}
TEXT_KEYS = ("iin", "last_name", "first_name", "middle_name", "position", "subject", "email", "phone")
REQUIRED = ("iin", "last_name", "first_name", "birth_date")


# --------------------------------------------------------------------------- who acts


def _partner_of(by):
    representative = getattr(by, "representative", None)
    if representative is None or not by.is_active:
        raise DomainError(_("Only a representative of an education department or school may do this."))
    return representative.partner


def _own_for_change(teacher_request, by):
    """The request, locked, when ``by`` represents its partner and it may still be changed."""
    partner = _partner_of(by)
    locked = (
        TeacherRequest.objects.select_for_update(of=("self",))
        .select_related("cohort", "partner")
        .get(pk=teacher_request.pk)
    )
    if locked.partner_id != partner.pk:
        raise DomainError(_("This request belongs to another organisation."))
    if locked.status not in EDITABLE:
        raise DomainError(_("The request is already sent to the centre; it cannot be changed now."))
    return locked


def _check_may_decide(by, teacher_request):
    access.require(by, "enrolment.change_teacherrequest", teacher_request, _("You may not decide on requests."))


def _check_cohort_open(cohort):
    if not cohort.is_published:
        raise DomainError(_("The cohort %(code)s is not open for requests.") % {"code": cohort.code})
    if cohort.ends_on < timezone.localdate():
        raise DomainError(_("The cohort %(code)s has already ended.") % {"code": cohort.code})


def _tell_partner(teacher_request, kind):
    """E-mail the partner and its representatives of the centre's decision, once the transaction commits."""
    partner = teacher_request.partner
    addresses = {partner.email, *Representative.objects.filter(partner=partner).values_list("user__email", flat=True)}
    addresses = sorted(a for a in addresses if a)
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(PARTNER_SUBJECTS[kind])
        body = render_to_string(
            f"enrolment/requests/mail_{kind}.txt",
            {"item": teacher_request, "cohort": teacher_request.cohort, "site_url": settings.SITE_URL},
        ).strip()

    def send():
        try:
            send_mail(subject, body, None, addresses)
        except OSError:
            log.exception("Mail to a partner failed")

    transaction.on_commit(send)


PARTNER_SUBJECTS = {
    "accepted": gettext_lazy("Your request for places is accepted"),
    "returned": gettext_lazy("Your request for places is returned for corrections"),
}


# --------------------------------------------------------------------------- the request


@transaction.atomic
def request_create(*, by, cohort, letter_number="", note=""):
    partner = _partner_of(by)
    _check_cohort_open(cohort)
    created = TeacherRequest.objects.create(
        partner=partner, cohort=cohort, letter_number=letter_number.strip(), note=note.strip(), created_by=by
    )
    log_action(
        created,
        "enrolment.request.created",
        by=by,
        after={"cohort": cohort.code, "letter_number": created.letter_number},
    )
    return created


@transaction.atomic
def request_update(teacher_request, *, by, cohort, letter_number="", note=""):
    locked = _own_for_change(teacher_request, by)
    if cohort.pk != locked.cohort_id:
        _check_cohort_open(cohort)
        if locked.teachers.filter(iin__in=_enrolled_iins(cohort, locked.teachers.values("iin"))).exists():
            raise DomainError(
                _("Some teachers of the request are already enrolled in the cohort %(code)s.") % {"code": cohort.code}
            )
    before = {"cohort": locked.cohort.code, "letter_number": locked.letter_number, "note": locked.note}
    locked.cohort, locked.letter_number, locked.note = cohort, letter_number.strip(), note.strip()
    locked.save(update_fields=["cohort", "letter_number", "note"])
    log_action(
        locked,
        "enrolment.request.changed",
        by=by,
        before=before,
        after={"cohort": cohort.code, "letter_number": locked.letter_number, "note": locked.note},
    )
    return locked


@transaction.atomic
def request_submit(teacher_request, *, by):
    locked = _own_for_change(teacher_request, by)
    if locked.status not in MOVES["submit"]:
        raise DomainError(_("This request cannot be sent now."))
    if not locked.teachers.exists():
        raise DomainError(_("Add at least one teacher before sending the request."))
    _check_cohort_open(locked.cohort)
    if locked.partner.kind == PartnerKind.REGIONAL:
        # A region's list follows the agreed schedule and its places (001 §§14-15).
        from .planning import region_list_check

        region_list_check(locked)
    before = locked.status
    locked.status, locked.submitted_at = RequestStatus.SUBMITTED, timezone.now()
    locked.save(update_fields=["status", "submitted_at"])
    log_action(locked, "enrolment.request.submitted", by=by, before={"status": before}, after={"status": locked.status})
    return locked


@transaction.atomic
def request_accept(teacher_request, *, by, progress=None):
    """Admit every teacher of the request to its cohort, all or none (001 §18, 003 §4.2).

    A teacher who is not yet a listener becomes one, with an unusable password (they set one through
    the password reset). Each listener is told of the admission in the cabinet and by e-mail.
    ``progress(done, total, message)``, when given, is told of each teacher admitted and contract drawn up.
    """
    _check_may_decide(by, teacher_request)
    locked = TeacherRequest.objects.select_for_update(of=("self",)).select_related("partner").get(pk=teacher_request.pk)
    if locked.status not in MOVES["accept"]:
        raise DomainError(_("Only a request sent to the centre can be accepted."))
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("program").get(pk=locked.cohort_id)
    cohort_check_program(cohort)
    teachers = list(locked.teachers.order_by("row"))
    if not teachers:
        raise DomainError(_("The request lists no teachers."))
    left = max(cohort.capacity - seats_taken(cohort), 0)
    if len(teachers) > left:
        raise DomainError(
            ngettext(
                "The cohort %(code)s has %(left)s seat left, and the request lists %(count)s teachers. "
                "Nothing was accepted.",
                "The cohort %(code)s has %(left)s seats left, and the request lists %(count)s teachers. "
                "Nothing was accepted.",
                left,
            )
            % {"code": cohort.code, "left": left, "count": len(teachers)}
        )
    listeners = {li.iin: li for li in Listener.objects.filter(iin__in=[t.iin for t in teachers]).select_related("user")}
    enrolments = []
    total = 2 * len(teachers)
    for done, teacher in enumerate(teachers):
        if progress:
            progress(done, total, _("Admitting the teachers"))
        listener = listeners.get(teacher.iin)
        try:
            if listener is None:
                listener = listener_create(
                    by=by,
                    last_name=teacher.last_name,
                    first_name=teacher.first_name,
                    middle_name=teacher.middle_name,
                    iin=teacher.iin,
                    birth_date=teacher.birth_date,
                    email=teacher.email,
                    phone=teacher.phone,
                    workplace=locked.partner.name,
                    position=teacher.position,
                )
            elif not _same_person(listener, _values_of(teacher)):
                raise DomainError(
                    _("A listener with this IIN is registered as %(name)s; return the request for correction.")
                    % {"name": listener.full_name}
                )
            enrolments.append(enrolment_admit(cohort=cohort, listener=listener, by=by, funding=cohort.funding))
        except DomainError as e:
            raise DomainError(
                _("Row %(row)s, %(name)s: %(error)s Nothing was accepted.")
                % {"row": teacher.row, "name": teacher, "error": e.message}
            ) from None
        teacher.listener = listener
    RequestedTeacher.objects.bulk_update(teachers, ["listener"])
    before = locked.status
    locked.status, locked.decided_by, locked.decided_at = RequestStatus.ACCEPTED, by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    log_action(
        locked,
        "enrolment.request.accepted",
        by=by,
        before={"status": before},
        after={"status": locked.status, "teachers": len(teachers)},
    )
    for teacher in teachers:
        notify(teacher.listener, "admitted", cohort=cohort)
    # The contracts come after the request is accepted: they know the organisation pays for its teachers.
    for done, enrolment in enumerate(enrolments, start=len(teachers)):
        if progress:
            progress(done, total, _("Drawing up the contracts"))
        contract_draw_up(enrolment, by=by)
    _tell_partner(locked, "accepted")
    return locked


@transaction.atomic
def request_return(teacher_request, *, by, reason):
    _check_may_decide(by, teacher_request)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for returning the request."))
    locked = (
        TeacherRequest.objects.select_for_update(of=("self",))
        .select_related("partner", "cohort")
        .get(pk=teacher_request.pk)
    )
    if locked.status not in MOVES["return"]:
        raise DomainError(_("Only a request sent to the centre can be returned."))
    before = locked.status
    locked.status, locked.return_reason = RequestStatus.RETURNED, reason
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    log_action(
        locked,
        "enrolment.request.returned",
        by=by,
        before={"status": before},
        after={"status": locked.status},
        note=reason,
    )
    _tell_partner(locked, "returned")
    return locked


# --------------------------------------------------------------------------- the list of teachers


@dataclass
class RowCheck:
    """One row of a list of teachers with the problems found in it (none: the row may be saved)."""

    row: int
    values: dict
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def birth_date(self):
        value = self.values.get("birth_date")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def name(self):
        return " ".join(self.values.get(k, "") for k in ("last_name", "first_name", "middle_name")).strip()


def request_rows_read(upload):
    """The rows of an uploaded .xlsx list as plain values (text; the date of birth as yyyy-mm-dd).

    Refuses (DomainError) a file that is not an .xlsx workbook, has merged cells, formulas, missing
    columns, no teachers or more than MAX_ROWS rows. Rows are not checked here: see request_rows_check.
    """
    rows = []
    for number, cells in read_table(upload, COLUMNS, max_rows=MAX_ROWS):
        values = {"row": number}
        for key in TEXT_KEYS:
            values[key] = as_text(cells[key])
        raw_iin = cells["iin"]
        if isinstance(raw_iin, int | float) and values["iin"].isdigit():
            values["iin"] = values["iin"].zfill(12)  # a number cell loses the leading zero of an IIN
        values["iin"] = values["iin"].replace(" ", "")
        born = cells["birth_date"]
        values["birth_date"], values["birth_date_text"] = "", ""
        if born not in (None, ""):
            try:
                values["birth_date"] = as_date(born).isoformat()
            except ValueError:
                values["birth_date_text"] = as_text(born)
        rows.append(values)
    if not rows:
        raise DomainError(_("The file lists no teachers."))
    return rows


def request_rows_preview(teacher_request, *, by, upload, replace=False):
    """Read and check an uploaded list for the request; nothing is saved (the user confirms first)."""
    with transaction.atomic():
        _own_for_change(teacher_request, by)
    rows = request_rows_read(upload)
    return rows, request_rows_check(teacher_request, rows, replace=replace)


def _label(key):
    return capfirst(RequestedTeacher._meta.get_field(key).verbose_name)


def _norm(text):
    return " ".join(str(text or "").split()).casefold().replace("ё", "е")


def _same_person(listener, values):
    user = listener.user
    if _norm(user.last_name) != _norm(values["last_name"]) or _norm(user.first_name) != _norm(values["first_name"]):
        return False
    middle = _norm(values.get("middle_name"))
    return not (middle and user.middle_name) or _norm(user.middle_name) == middle


def _values_of(teacher):
    values = {key: getattr(teacher, key) for key in TEXT_KEYS}
    values["birth_date"] = teacher.birth_date.isoformat() if teacher.birth_date else ""
    return values


def _enrolled_iins(cohort, iins):
    return Enrolment.objects.filter(cohort=cohort, listener__iin__in=iins).values_list("listener__iin", flat=True)


def _row_errors(values, *, seen, in_request, listeners, enrolled):
    """What is wrong with one row of a list: its fields first, then its IIN against the list and the registry."""
    errors = _field_errors(values)
    iin = values.get("iin", "")
    if iin:
        errors += _iin_errors(values, iin, seen=seen, in_request=in_request, listeners=listeners, enrolled=enrolled)
    return errors


def _field_errors(values):
    errors = []
    for key in REQUIRED:
        if not values.get(key) and not (key == "birth_date" and values.get("birth_date_text")):
            errors.append(_("%(field)s is required.") % {"field": _label(key)})
    for key in TEXT_KEYS:
        limit = RequestedTeacher._meta.get_field(key).max_length
        if len(values.get(key, "")) > limit:
            errors.append(_("%(field)s is longer than %(limit)s characters.") % {"field": _label(key), "limit": limit})
    if values.get("birth_date_text"):
        errors.append(
            _("The date of birth “%(value)s” is not a date; write it as dd.mm.yyyy.")
            % {"value": values["birth_date_text"]}
        )
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(_("The e-mail address “%(value)s” is not valid.") % {"value": values["email"]})
    return errors


def _iin_errors(values, iin, *, seen, in_request, listeners, enrolled):
    errors = []
    try:
        born = iin_birth_date(iin)
    except InvalidIIN as e:
        errors.append(str(e))
        return errors
    typed = values.get("birth_date")
    if typed and datetime.date.fromisoformat(typed) != born:
        errors.append(
            _("The date of birth %(typed)s does not agree with the IIN, which gives %(born)s.")
            % {"typed": f"{datetime.date.fromisoformat(typed):%d.%m.%Y}", "born": f"{born:%d.%m.%Y}"}
        )
    if iin in seen:
        errors.append(_("The same IIN is in row %(row)s of the list.") % {"row": seen[iin]})
    else:
        seen[iin] = values["row"]
    if iin in in_request:
        errors.append(_("This teacher is already in the request (No. %(row)s).") % {"row": in_request[iin]})
    listener = listeners.get(iin)
    if listener is not None and values.get("last_name") and values.get("first_name"):
        if not _same_person(listener, values):
            # The registered name is not shown: the IIN alone must not reveal who it belongs to.
            errors.append(_("A listener with this IIN is registered under another name."))
        elif iin in enrolled:
            errors.append(_("This teacher is already enrolled in this cohort."))
    return errors


def request_rows_check(teacher_request, rows, *, replace=False):
    """Check each row of a list for the request: a list of RowCheck, one per row, in the list's order.

    A row needs a valid IIN (check digit), the date of birth the IIN encodes, the last and first name;
    an IIN may appear once in the list and once in the request; an IIN of a registered listener must
    come with that listener's name. ``replace``: the list replaces the request's teachers.
    """
    iins = {r.get("iin") for r in rows if r.get("iin")}
    listeners = {li.iin: li for li in Listener.objects.filter(iin__in=iins).select_related("user")}
    in_request = {} if replace else dict(teacher_request.teachers.filter(iin__in=iins).values_list("iin", "row"))
    enrolled = set(_enrolled_iins(teacher_request.cohort_id, iins))
    seen = {}
    return [
        RowCheck(
            row=values["row"],
            values=values,
            errors=_row_errors(values, seen=seen, in_request=in_request, listeners=listeners, enrolled=enrolled),
        )
        for values in rows
    ]


def _first_error_message(checks):
    bad = [c for c in checks if not c.ok]
    return ngettext(
        "%(count)s row of the list has errors; nothing was saved.",
        "%(count)s rows of the list have errors; nothing was saved.",
        len(bad),
    ) % {"count": len(bad)}


def _add_rows(locked, checks, *, replace):
    if replace:
        locked.teachers.all().delete()
        start = 0
    else:
        start = locked.teachers.aggregate(last=Max("row"))["last"] or 0
        if locked.teachers.count() + len(checks) > MAX_ROWS:
            raise DomainError(
                _("A request lists at most %(max)s teachers; split the list into several requests.") % {"max": MAX_ROWS}
            )
    return RequestedTeacher.objects.bulk_create(
        RequestedTeacher(
            request=locked,
            row=start + i,
            birth_date=datetime.date.fromisoformat(check.values["birth_date"]),
            **{key: check.values.get(key, "").strip() for key in TEXT_KEYS},
        )
        for i, check in enumerate(checks, start=1)
    )


@transaction.atomic
def request_teachers_import(teacher_request, *, by, rows, replace=False):
    """Save a checked list (rows as request_rows_read gives them): all rows, or none if any has an error."""
    locked = _own_for_change(teacher_request, by)
    if not rows:
        raise DomainError(_("The file lists no teachers."))
    if len(rows) > MAX_ROWS:
        raise DomainError(
            _("A request lists at most %(max)s teachers; split the list into several requests.") % {"max": MAX_ROWS}
        )
    checks = request_rows_check(locked, rows, replace=replace)
    if not all(c.ok for c in checks):
        raise DomainError(_first_error_message(checks))
    added = _add_rows(locked, checks, replace=replace)
    log_action(locked, "enrolment.request.teachers_imported", by=by, after={"rows": len(added), "replace": replace})
    return added


@transaction.atomic
def request_teacher_add(
    teacher_request,
    *,
    by,
    iin,
    last_name,
    first_name,
    birth_date,
    middle_name="",
    position="",
    subject="",
    email="",
    phone="",
):
    """Add one teacher typed in by the representative, checked as a row of an uploaded list."""
    locked = _own_for_change(teacher_request, by)
    values = {
        "row": 1,
        "iin": (iin or "").strip().replace(" ", ""),
        "last_name": last_name.strip(),
        "first_name": first_name.strip(),
        "middle_name": middle_name.strip(),
        "birth_date": birth_date.isoformat() if birth_date else "",
        "position": position.strip(),
        "subject": subject.strip(),
        "email": email.strip(),
        "phone": phone.strip(),
    }
    (check,) = request_rows_check(locked, [values])
    if not check.ok:
        raise DomainError(" ".join(check.errors))
    (teacher,) = _add_rows(locked, [check], replace=False)
    log_action(locked, "enrolment.request.teacher_added", by=by, after={"teacher": f"{teacher} ({teacher.iin})"})
    return teacher


@transaction.atomic
def request_teacher_remove(teacher_request, *, by, teacher):
    locked = _own_for_change(teacher_request, by)
    if teacher.request_id != locked.pk:
        raise DomainError(_("This teacher is not in the request."))
    log_action(locked, "enrolment.request.teacher_removed", by=by, before={"teacher": f"{teacher} ({teacher.iin})"})
    teacher.delete()


# --------------------------------------------------------------------------- representatives


@transaction.atomic
def representative_create(
    *, by, partner, username, last_name, first_name, middle_name="", email="", password=None, position=""
):
    """An account for a partner's representative: a user who is not staff and sees only that partner."""
    access.require(by, "enrolment.add_representative", partner, _("You may not add representatives."))
    user = get_user_model()(
        username=username.strip(),
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        middle_name=middle_name.strip(),
        email=email.strip(),
        is_staff=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise DomainError(_("This login is already taken.")) from None
    representative = Representative.objects.create(user=user, partner=partner, position=position.strip())
    log_action(representative, "enrolment.representative.created", by=by, after={"partner": partner.name})
    return representative
