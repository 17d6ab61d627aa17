"""Invoices and payment documents of paid courses, with the balances the accountant needs.

A paid course is paid before it starts; the training contract is the basis for payment (001 §25). The
centre invoices either one listener (an invoice per contract, issued with the contract) or an
organisation that sent its teachers (an invoice per accepted request). Payment documents are recorded
with their number, date, amount and payer (003 §6.4); an invoice is never paid beyond its amount.

A listener of a paid cohort may be put on the admission order only when paid in full, or covered by an
accepted request of their organisation whose invoice is paid in full; state-funded listeners always.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.excel import workbook

from ..enums import Funding, RequestStatus
from ..models import Enrolment, Invoice, Payment, RequestedTeacher, TeacherRequest
from ..selectors import ZERO, balances_by_listener, balances_by_partner, invoices_with_balances, paid_subquery
from .core import SEAT_STATES


def money(amount):
    """An amount in tenge as people write it: ``150 000`` or ``150 000,50``."""
    if amount is None:
        return ""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = divmod(abs(amount), 1)
    text = f"{int(whole):,}".replace(",", " ")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return ("-" if amount < 0 else "") + text


def enrolment_funding(enrolment):
    """The enrolment's funding source, the cohort's when the enrolment does not say."""
    return enrolment.funding or enrolment.cohort.funding


def is_paid(enrolment):
    return enrolment_funding(enrolment) != Funding.STATE


# --- what is owed, and who may be admitted ----------------------------------------------------------------


def invoice_balance(invoice):
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or ZERO
    return invoice.amount - paid


@dataclass
class Admissibility:
    """Whether an enrolment may go on the admission order, and why (or why not)."""

    ok: bool
    reason: str


def admissibility(enrolments):
    """``{enrolment pk: Admissibility}`` for ``enrolments`` (with ``cohort``), in a constant number of queries."""
    enrolments = list(enrolments)
    paid_ones = [e for e in enrolments if is_paid(e)]
    result = {e.pk: Admissibility(True, _("State order (budget)")) for e in enrolments if not is_paid(e)}
    if not paid_ones:
        return result
    own = {
        i.contract.enrolment_id: i
        for i in Invoice.objects.annotate(paid=paid_subquery())
        .filter(contract__enrolment__in=[e.pk for e in paid_ones])
        .select_related("contract")
    }
    cohort_ids = {e.cohort_id for e in paid_ones}
    covers = {}
    teachers = RequestedTeacher.objects.filter(
        request__cohort__in=cohort_ids,
        request__status=RequestStatus.ACCEPTED,
        listener__in=[e.listener_id for e in paid_ones],
    ).values_list("listener_id", "request__cohort_id", "request_id")
    for listener_id, cohort_id, request_id in teachers:
        covers.setdefault((listener_id, cohort_id), []).append(request_id)
    request_ids = {r for ids in covers.values() for r in ids}
    request_invoices = {
        i.request_id: i
        for i in Invoice.objects.annotate(paid=paid_subquery())
        .filter(request__in=request_ids)
        .select_related("request__partner")
    }
    partners = dict(TeacherRequest.objects.filter(pk__in=request_ids).values_list("pk", "partner__name"))
    for e in paid_ones:
        result[e.pk] = _paid_admissibility(
            e, own.get(e.pk), covers.get((e.listener_id, e.cohort_id), []), request_invoices, partners
        )
    return result


def _paid_admissibility(enrolment, invoice, request_ids, request_invoices, partners):
    for request_id in request_ids:
        covering = request_invoices.get(request_id)
        if covering is not None and covering.paid >= covering.amount:
            return Admissibility(
                True,
                _("Paid by %(organisation)s (invoice No. %(number)s)")
                % {"organisation": partners[request_id], "number": covering.number},
            )
    if invoice is not None:
        if invoice.paid >= invoice.amount:
            return Admissibility(True, _("Paid in full (invoice No. %(number)s)") % {"number": invoice.number})
        return Admissibility(
            False,
            _("Not paid in full: %(balance)s tenge of invoice No. %(number)s is due")
            % {"balance": money(invoice.amount - invoice.paid), "number": invoice.number},
        )
    if request_ids:
        names = ", ".join(sorted({partners[r] for r in request_ids}))
        if any(r in request_invoices for r in request_ids):
            return Admissibility(
                False, _("The invoice of %(organisation)s is not paid in full") % {"organisation": names}
            )
        return Admissibility(False, _("No invoice is issued to %(organisation)s yet") % {"organisation": names})
    if enrolment.cohort.price is not None and enrolment.cohort.price == 0:
        return Admissibility(True, _("Free of charge"))
    return Admissibility(False, _("No invoice is issued yet: the training contract is not drawn up"))


# --- changes of state -------------------------------------------------------------------------------------


def invoice_for_contract(contract, *, by):
    """The invoice of a listener's contract (amount = the contract's price); called when it is drawn up."""
    existing = Invoice.objects.filter(contract=contract).first()
    if existing is not None:
        return existing
    invoice = Invoice.objects.create(
        number=contract.number,
        issued_on=timezone.localdate(),
        cohort=contract.enrolment.cohort,
        contract=contract,
        amount=contract.price,
        created_by=by,
    )
    log_action(invoice, "enrolment.invoice.created", by=by, after={"number": invoice.number, "amount": invoice.amount})
    return invoice


def teachers_admitted_through(request):
    """How many teachers of ``request`` hold a seat of its cohort (admitted or enrolled)."""
    return (
        Enrolment.objects.filter(
            cohort_id=request.cohort_id,
            status__in=SEAT_STATES,
            listener__in=request.teachers.filter(listener__isnull=False).values("listener"),
        )
        .distinct()
        .count()
    )


@transaction.atomic
def invoice_for_request(request, *, by):
    """Invoice an organisation for the teachers admitted through its accepted request (003 §6.4).

    Idempotent: the request's invoice is returned when it was already issued.
    """
    access.require(by, "enrolment.add_invoice", request, _("You may not issue invoices."))
    request = TeacherRequest.objects.select_for_update().select_related("cohort", "partner").get(pk=request.pk)
    existing = Invoice.objects.filter(request=request).first()
    if existing is not None:
        return existing
    cohort = request.cohort
    if request.status != RequestStatus.ACCEPTED:
        raise DomainError(_("Only an accepted request is invoiced."))
    if cohort.funding == Funding.STATE or not cohort.price:
        raise DomainError(_("The cohort %(code)s is not paid: there is nothing to invoice.") % {"code": cohort.code})
    count = teachers_admitted_through(request)
    if not count:
        raise DomainError(_("No teacher of this request is admitted yet: there is nothing to invoice."))
    number = f"{cohort.code}-R{request.pk}"
    if Invoice.objects.filter(number=number).exists():
        raise DomainError(_("An invoice No. %(number)s already exists.") % {"number": number})
    invoice = Invoice.objects.create(
        number=number,
        issued_on=timezone.localdate(),
        cohort=cohort,
        request=request,
        amount=cohort.price * count,
        created_by=by,
    )
    log_action(invoice, "enrolment.invoice.created", by=by, after={"number": number, "amount": invoice.amount})
    return invoice


@transaction.atomic
def payment_record(invoice, *, by, number, paid_on, amount, payer):
    """Record a payment document against an invoice; more than the invoice's balance is refused."""
    access.require(by, "enrolment.add_payment", invoice, _("You may not record payments."))
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    amount = Decimal(amount)
    number, payer = str(number).strip(), str(payer).strip()
    if not number or not payer:
        raise DomainError(_("A payment document needs its number and the payer."))
    if amount <= 0:
        raise DomainError(_("The amount must be positive."))
    if isinstance(paid_on, datetime.datetime):
        paid_on = paid_on.date()
    if paid_on > timezone.localdate():
        raise DomainError(_("A payment cannot be dated in the future."))
    balance = invoice_balance(invoice)
    if balance <= 0:
        raise DomainError(
            _("Invoice No. %(number)s is already paid in full; nothing was recorded.") % {"number": invoice.number}
        )
    if amount > balance:
        raise DomainError(
            _(
                "The payment of %(amount)s tenge exceeds the balance of invoice No. %(number)s, %(balance)s tenge; "
                "nothing was recorded."
            )
            % {"amount": money(amount), "number": invoice.number, "balance": money(balance)}
        )
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                invoice=invoice, number=number, paid_on=paid_on, amount=amount, payer=payer, recorded_by=by
            )
    except IntegrityError:
        raise DomainError(
            _("The payment document No. %(number)s of this date is already recorded for this invoice.")
            % {"number": number}
        ) from None
    log_action(
        payment,
        "enrolment.payment.recorded",
        by=by,
        before={"balance": balance},
        after={"balance": balance - amount, "amount": amount, "paid_on": paid_on, "payer": payer},
        note=number,
    )
    return payment


# --- the accountant's export ------------------------------------------------------------------------------


def _payer_name(invoice):
    if invoice.contract_id:
        return invoice.contract.enrolment.listener.full_name
    return invoice.request.partner.name


def payments_selected(filters=""):
    """The invoices that the payments page shows for ``filters``, its query string
    (``enrolment.filters.InvoiceFilter``); filters no longer valid raise DomainError."""
    from ..filters import InvoiceFilter

    found = InvoiceFilter(QueryDict(filters or ""), queryset=invoices_with_balances())
    if not found.is_valid():
        if "cohort" in found.errors:
            raise DomainError(_("The cohort no longer exists; nothing was exported."))
        raise DomainError(_("The filters are not valid."))
    return found.qs


def payments_workbook(filters=""):
    """An .xlsx for the accountant of the invoices selected on the payments page (its query string): invoices
    with paid and balance, payment documents, balances by payer."""
    selected = payments_selected(filters)
    invoices = list(selected.prefetch_related("payments"))
    invoice_rows = (
        (
            i.number,
            i.issued_on,
            i.cohort.code,
            i.cohort.program.title,
            _("listener") if i.contract_id else _("organisation"),
            _payer_name(i),
            i.contract.number if i.contract_id else "",
            i.amount,
            i.paid,
            i.amount - i.paid,
        )
        for i in invoices
    )
    payment_rows = (
        (i.number, i.cohort.code, _payer_name(i), p.number, p.paid_on, p.amount, p.payer)
        for i in invoices
        for p in sorted(i.payments.all(), key=lambda p: (p.paid_on, p.pk))
    )
    listener_rows = [
        (b.payer.full_name, b.payer.iin, b.invoiced, b.paid, b.balance) for b in balances_by_listener(selected)
    ]
    partner_rows = [(b.payer.name, b.payer.bin, b.invoiced, b.paid, b.balance) for b in balances_by_partner(selected)]
    money_header = [_("amount, tenge"), _("paid, tenge"), _("balance, tenge")]
    return workbook(
        [
            (
                _("Invoices"),
                [
                    _("invoice No."),
                    _("date"),
                    _("cohort"),
                    _("program"),
                    _("payer kind"),
                    _("payer"),
                    _("contract No."),
                    *money_header,
                ],
                invoice_rows,
            ),
            (
                _("Payments"),
                [
                    _("invoice No."),
                    _("cohort"),
                    _("invoiced to"),
                    _("payment document No."),
                    _("date"),
                    _("amount, tenge"),
                    _("payer"),
                ],
                payment_rows,
            ),
            (_("Listeners"), [_("listener"), _("IIN"), *money_header], listener_rows),
            (_("Organisations"), [_("organisation"), _("BIN"), *money_header], partner_rows),
        ]
    )
