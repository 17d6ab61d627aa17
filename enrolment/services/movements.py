"""Transfers, interruptions and resumptions (000 §3.10, 003 §7.4) and expulsion (001 §32, 003 §7.5).

A listener who moves never loses what they earned: the earlier enrolment keeps its attendance and
results, and the new enrolment points to it through ``continues``. Each move is a Movement row with its
supporting document; an expulsion is an Expulsion row with the director's order and the commission's
decision, and the employer is told in writing.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.documents import render_pdf
from ziat.errors import DomainError
from ziat.models import Organisation
from ziat.uploads import SCAN_TYPES, check_document

from ..enums import EnrolmentStatus, MovementKind
from ..models import Cohort, Enrolment, Expulsion, Movement
from ..notifications import notify
from .core import cohort_check_program, seats_taken

log = logging.getLogger(__name__)

# The states from which each move may start.
TRANSFERABLE = (EnrolmentStatus.ADMITTED, EnrolmentStatus.ENROLLED)
INTERRUPTIBLE = (EnrolmentStatus.ENROLLED,)
EXPELLABLE = (EnrolmentStatus.ADMITTED, EnrolmentStatus.ENROLLED, EnrolmentStatus.INTERRUPTED)


def _locked(enrolment):
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort__program", "listener__user")
        .get(pk=enrolment.pk)
    )


def _refuse_state(enrolment, allowed, refusals):
    """Refuse a move from a state not in ``allowed`` with the action's own message for that state."""
    if enrolment.status == EnrolmentStatus.TRANSFERRED or enrolment.continued_by.exists():
        raise DomainError(
            _("The listener continues this course in a later enrolment (a transfer or a resumption); act on that one.")
        )
    if enrolment.status in allowed:
        return
    message = refusals.get(enrolment.status) or refusals["other"]
    raise DomainError(message % {"state": enrolment.get_status_display()})


def _check_move(reason, document):
    if not (reason or "").strip():
        raise DomainError(_("State the valid reason (000 §3.10)."))
    if not document:
        raise DomainError(_("Attach the supporting document (000 §3.10)."))
    check_document(document, types=SCAN_TYPES)


def _check_same_program(enrolment, cohort):
    if cohort.program_id != enrolment.cohort.program_id:
        raise DomainError(
            _("A listener moves only to a cohort of the same program (“%(program)s”).")
            % {"program": enrolment.cohort.program}
        )


def _target(enrolment, to_cohort, on):
    """The cohort a listener moves into, locked, after the checks every move shares."""
    target = Cohort.objects.select_for_update(of=("self",)).select_related("program").get(pk=to_cohort.pk)
    _check_same_program(enrolment, target)
    if target.ends_on < on:
        raise DomainError(_("The cohort %(code)s has already ended.") % {"code": target.code})
    cohort_check_program(target)
    if target.pk != enrolment.cohort_id and target.enrolments.filter(listener_id=enrolment.listener_id).exists():
        raise DomainError(
            _("%(listener)s already has an enrolment in the cohort %(code)s.")
            % {"listener": enrolment.listener, "code": target.code}
        )
    if seats_taken(target) >= target.capacity:
        raise DomainError(
            _("The cohort %(code)s is full: all %(capacity)s seats are taken.")
            % {"code": target.code, "capacity": target.capacity}
        )
    return target


def _runs_in(cohort, year):
    return cohort.starts_on.year <= year <= cohort.ends_on.year


@transaction.atomic
def enrolment_transfer(enrolment, *, by, to_cohort, reason, document, on=None):
    """Move a listener to another cohort of the same program within the current year, for a valid reason
    with a supporting document (000 §3.10, 003 §7.4.3). Returns the new enrolment."""
    # The listener leaves one cohort for another: both are the mover's to act on.
    for record in (enrolment, to_cohort):
        access.require(by, "enrolment.add_movement", record, _("You may not transfer listeners."))
    on = on or timezone.localdate()
    old = _locked(enrolment)
    _refuse_state(
        old,
        TRANSFERABLE,
        {
            EnrolmentStatus.EXPELLED: _("An expelled listener cannot be transferred."),
            EnrolmentStatus.INTERRUPTED: _("The course is interrupted: resume it in a cohort instead."),
            "other": _("Only an admitted or enrolled listener can be transferred; this one is “%(state)s”."),
        },
    )
    if to_cohort.pk == old.cohort_id:
        raise DomainError(_("Choose another cohort: the listener is already in this one."))
    _check_move(reason, document)
    _check_same_program(old, to_cohort)
    if not _runs_in(old.cohort, on.year) or not _runs_in(to_cohort, on.year):
        raise DomainError(
            _("A transfer is made within the current year: both cohorts must run in %(year)s (000 §3.10).")
            % {"year": on.year}
        )
    target = _target(old, to_cohort, on)
    new = Enrolment.objects.create(
        cohort=target,
        listener=old.listener,
        status=EnrolmentStatus.ENROLLED if old.status == EnrolmentStatus.ENROLLED else EnrolmentStatus.ADMITTED,
        funding=old.funding,
        continues=old,
    )
    before = old.status
    old.status = EnrolmentStatus.TRANSFERRED
    old.save(update_fields=["status"])
    log_action(
        old,
        "enrolment.enrolment.transferred",
        by=by,
        before={"status": before},
        after={"status": old.status, "to_cohort": target.code},
        note=reason.strip(),
    )
    log_action(new, "enrolment.enrolment.created", by=by, after={"status": new.status, "from_cohort": old.cohort.code})
    Movement.objects.create(
        enrolment=old,
        kind=MovementKind.TRANSFER,
        to_enrolment=new,
        on=on,
        reason=reason.strip(),
        document=document,
        by=by,
    )
    notify(old.listener, "transferred", cohort=target)
    return new


@transaction.atomic
def enrolment_interrupt(enrolment, *, by, reason, document, on=None):
    """Interrupt a listener's course for a valid reason with a supporting document; the seat is freed,
    and what was earned stays on this enrolment for a later resumption (000 §3.10)."""
    access.require(by, "enrolment.add_movement", enrolment, _("You may not interrupt courses."))
    on = on or timezone.localdate()
    current = _locked(enrolment)
    _refuse_state(
        current,
        INTERRUPTIBLE,
        {
            EnrolmentStatus.EXPELLED: _("An expelled listener's course cannot be interrupted."),
            "other": _("Only an enrolled listener's course can be interrupted; this one is “%(state)s”."),
        },
    )
    _check_move(reason, document)
    before = current.status
    current.status = EnrolmentStatus.INTERRUPTED
    current.save(update_fields=["status"])
    log_action(
        current,
        "enrolment.enrolment.interrupted",
        by=by,
        before={"status": before},
        after={"status": current.status},
        note=reason.strip(),
    )
    return Movement.objects.create(
        enrolment=current, kind=MovementKind.INTERRUPTION, on=on, reason=reason.strip(), document=document, by=by
    )


@transaction.atomic
def enrolment_resume(enrolment, *, by, to_cohort, reason, document, on=None):
    """Complete an interrupted course, possibly in a later year, with supporting documents (000 §3.10,
    003 §7.4.4). In the same cohort the enrolment is simply reinstated; in another cohort of the same
    program a new enrolment continues the interrupted one. Returns the enrolment the listener studies in."""
    for record in (enrolment, to_cohort):
        access.require(by, "enrolment.add_movement", record, _("You may not resume courses."))
    on = on or timezone.localdate()
    old = _locked(enrolment)
    _refuse_state(old, (EnrolmentStatus.INTERRUPTED,), {"other": _("Only an interrupted course can be resumed.")})
    _check_move(reason, document)
    _check_same_program(old, to_cohort)
    target = _target(old, to_cohort, on)
    if target.pk == old.cohort_id:
        new = old
        new.status = EnrolmentStatus.ENROLLED
        new.save(update_fields=["status"])
    else:
        new = Enrolment.objects.create(
            cohort=target,
            listener=old.listener,
            status=EnrolmentStatus.ENROLLED,
            funding=old.funding,
            continues=old,
        )
    Movement.objects.create(
        enrolment=old,
        kind=MovementKind.RESUMPTION,
        to_enrolment=new,
        on=on,
        reason=reason.strip(),
        document=document,
        by=by,
    )
    log_action(
        new,
        "enrolment.enrolment.resumed",
        by=by,
        before={"status": EnrolmentStatus.INTERRUPTED, "cohort": old.cohort.code},
        after={"status": new.status, "cohort": target.code},
        note=reason.strip(),
    )
    if new.pk != old.pk:
        notify(old.listener, "transferred", cohort=target)
    return new


# ------------------------------------------------------------------------------------------- expulsion


@transaction.atomic
def enrolment_expel(
    enrolment,
    *,
    by,
    reason,
    commission_decision,
    order_number,
    order_date,
    employer=None,
    employer_name="",
    employer_email="",
):
    """Expel a listener for breach of the training contract by the director's order after the commission's
    decision (001 §32, 003 §7.5). The employer is notified in writing: a letter PDF is kept for print and,
    when an address is known, e-mailed with the letter attached once the order is saved."""
    access.require(by, "enrolment.add_expulsion", enrolment, _("Only the director expels listeners, by order."))
    current = _locked(enrolment)
    _refuse_state(
        current,
        EXPELLABLE,
        {
            EnrolmentStatus.EXPELLED: _("The listener is already expelled."),
            "other": _("This enrolment is “%(state)s”; there is nothing to expel from."),
        },
    )
    reason, commission_decision = (reason or "").strip(), (commission_decision or "").strip()
    order_number = (order_number or "").strip()
    if not reason:
        raise DomainError(_("State the breach of the training contract."))
    if not commission_decision:
        raise DomainError(_("Give the commission's decision (No. and date): the expulsion follows it (001 §32)."))
    if not order_number or not order_date:
        raise DomainError(_("Give the number and the date of the director's order."))
    employer_name = employer.name if employer else (employer_name or "").strip()
    employer_email = (employer_email or "").strip() or (employer.email if employer else "")
    if not employer_name:
        raise DomainError(_("Name the listener's employer: the centre notifies them of the expulsion (001 §32)."))
    expulsion = Expulsion.objects.create(
        enrolment=current,
        reason=reason,
        commission_decision=commission_decision,
        order_number=order_number,
        order_date=order_date,
        employer=employer,
        employer_name=employer_name,
        employer_email=employer_email,
        by=by,
    )
    before = current.status
    current.status = EnrolmentStatus.EXPELLED
    current.save(update_fields=["status"])
    log_action(
        current,
        "enrolment.enrolment.expelled",
        by=by,
        before={"status": before},
        after={"status": current.status, "order": f"{order_number} / {order_date}"},
        note=reason,
    )
    notify(current.listener, "expelled", cohort=current.cohort, expulsion=expulsion)
    if employer_email:
        transaction.on_commit(lambda: expulsion_notify_employer(expulsion.pk))
    return expulsion


def _document_context(expulsion):
    enrolment = expulsion.enrolment
    return {
        "org": Organisation.current(),
        "expulsion": expulsion,
        "enrolment": enrolment,
        "listener": enrolment.listener,
        "cohort": enrolment.cohort,
        "program": enrolment.cohort.program,
    }


def _expulsion(pk_or_expulsion):
    pk = getattr(pk_or_expulsion, "pk", pk_or_expulsion)
    return Expulsion.objects.select_related("enrolment__cohort__program", "enrolment__listener__user", "employer").get(
        pk=pk
    )


def expulsion_document_context(expulsion):
    """What the order of expulsion and the letter to the employer print."""
    return _document_context(_expulsion(expulsion))


def expulsion_order_pdf(expulsion):
    """The director's order of expulsion on the organisation's form, Kazakh and Russian (PDF bytes)."""
    return render_pdf("enrolment/documents/expulsion_order.html", _document_context(_expulsion(expulsion)))


def employer_letter_pdf(expulsion):
    """The written notice to the listener's employer (001 §32, 003 §7.5), Kazakh and Russian (PDF bytes)."""
    return render_pdf("enrolment/documents/employer_letter.html", _document_context(_expulsion(expulsion)))


def expulsion_notify_employer(expulsion_pk):
    """E-mail the employer the letter PDF; mark the expulsion as notified. Safe to run again."""
    expulsion = _expulsion(expulsion_pk)
    if expulsion.notified_at or not expulsion.employer_email:
        return False
    context = _document_context(expulsion)
    subject = " ".join(render_to_string("enrolment/movements/employer_mail_subject.txt", context).split())
    body = render_to_string("enrolment/movements/employer_mail.txt", {**context, "site_url": settings.SITE_URL})
    mail = EmailMessage(subject=subject, body=body.strip(), to=[expulsion.employer_email])
    mail.attach(f"expulsion-{expulsion.order_number}.pdf", employer_letter_pdf(expulsion), "application/pdf")
    try:
        mail.send()
    except OSError:
        log.exception("The employer's notice of expulsion %s was not sent; the letter stays for print", expulsion.pk)
        return False
    Expulsion.objects.filter(pk=expulsion.pk).update(notified_at=timezone.now())
    return True
