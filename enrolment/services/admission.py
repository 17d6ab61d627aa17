"""Training contracts and the admission order.

Each listener accepts a training contract with the four conditions of 000 §3.6 / 001 §24 (and, for a
paid course, its price and terms: the contract is the basis for payment, 001 §25). Admission is
formalised by the director's order listing the listeners, the program, the terms of study and the
responsible persons (001 §18, 003 §4.3); the enrolments take effect when the director signs it.
"""

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programs.selectors import plan_totals, version_with_plan
from ziat import access
from ziat.activity import log_action, log_actions
from ziat.errors import DomainError
from ziat.models import Organisation
from ziat.pass_marks import effective_pass_score, pass_percent

from ..enums import EnrolmentStatus, RequestStatus
from ..models import AdmissionOrder, Cohort, Contract, Enrolment, RequestedTeacher
from ..notifications import notify
from .payments import admissibility, enrolment_funding, invoice_for_contract, is_paid, money

# --- the training contract ------------------------------------------------------------------------------


def text_sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def contract_language(cohort):
    """The contract's language: the cohort's; a bilingual cohort signs in Kazakh."""
    return "ru" if cohort.language == "ru" else "kk"


def _covering_partner(enrolment):
    """The organisation whose accepted request for the cohort lists the listener (it pays for them)."""
    teacher = (
        RequestedTeacher.objects.filter(
            request__cohort_id=enrolment.cohort_id,
            request__status=RequestStatus.ACCEPTED,
            listener_id=enrolment.listener_id,
        )
        .select_related("request__partner")
        .order_by("request__pk")
        .first()
    )
    return teacher.request.partner if teacher else None


def _next_contract_number(cohort):
    n = Contract.objects.filter(enrolment__cohort=cohort).count() + 1
    while Contract.objects.filter(number=f"{cohort.code}-{n}").exists():
        n += 1
    return f"{cohort.code}-{n}"


def contract_render_text(enrolment, *, number, price, partner=None, on=None):
    """The contract's text in the cohort's language, from the listener, cohort, program and organisation."""
    cohort = enrolment.cohort
    language = contract_language(cohort)
    program = cohort.program
    org = Organisation.current()
    totals = plan_totals(version_with_plan(cohort.version_id))
    context = {
        "language": language,
        "number": number,
        "date": on or timezone.localdate(),
        "org": org,
        "listener": enrolment.listener,
        "full_name": enrolment.listener.full_name,
        "cohort": cohort,
        "program_title": (program.title_ru or program.title_kk)
        if language == "ru"
        else (program.title_kk or program.title_ru),
        "hours": totals.total.normalize(),
        "funding": enrolment_funding(enrolment),
        "paid": is_paid(enrolment),
        "price": money(price) if price is not None else "",
        "partner": partner,
        # Condition 4 prints the mark in force (000 §3.6), never below 50%: 17 of 25 is 68%.
        "pass_percent": pass_percent(cohort.test_pass_score, cohort.test_max_score, org.pass_floor_percent),
        "pass_score": effective_pass_score(
            cohort.test_pass_score, cohort.test_max_score, org.pass_floor_percent
        ).normalize(),
        "max_score": cohort.test_max_score,
    }
    with translation.override(language):
        return render_to_string("enrolment/documents/contract.txt", context).strip() + "\n"


@transaction.atomic
def contract_draw_up(enrolment, *, by):
    """Draw up the training contract of an enrolment and ask the listener to accept it.

    Idempotent: an enrolment has one contract, and drawing it up again returns it. For a paid enrolment
    that no organisation's request covers, the contract's invoice (amount = price) is issued with it.
    """
    access.require(by, "enrolment.add_contract", enrolment, _("You may not draw up contracts."))
    existing = Contract.objects.filter(enrolment_id=enrolment.pk).first()
    if existing is not None:
        return existing
    # One contract is numbered at a time in a cohort.
    cohort = Cohort.objects.select_for_update().select_related("program").get(pk=enrolment.cohort_id)
    enrolment = Enrolment.objects.select_related("cohort__program", "listener__user").get(pk=enrolment.pk)
    existing = Contract.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    if enrolment.status not in (EnrolmentStatus.ADMITTED, EnrolmentStatus.ENROLLED):
        raise DomainError(_("A contract is drawn up only for an admitted or enrolled listener."))
    paid = is_paid(enrolment)
    price = cohort.price if paid else None
    partner = _covering_partner(enrolment) if paid else None
    number = _next_contract_number(cohort)
    text = contract_render_text(enrolment, number=number, price=price, partner=partner)
    contract = Contract.objects.create(
        enrolment=enrolment, number=number, text=text, text_sha256=text_sha256(text), price=price
    )
    log_action(contract, "enrolment.contract.drawn_up", by=by, after={"number": number, "price": price})
    if paid and partner is None and price:
        invoice_for_contract(contract, by=by)
    notify(enrolment.listener, "contract_to_accept", contract=contract)
    return contract


@transaction.atomic
def contract_accept(contract, *, by, shown_sha256, ip):
    """The listener accepts the text they were shown; the time, the text's fingerprint and the address are kept."""
    contract = (
        Contract.objects.select_for_update(of=("self",)).select_related("enrolment__listener").get(pk=contract.pk)
    )
    if contract.enrolment.listener.user_id != by.pk:
        raise DomainError(_("Only the listener may accept their own contract."))
    if contract.accepted_at is not None:
        raise DomainError(
            _("You have already accepted this contract on %(date)s; nothing more is needed.")
            % {"date": timezone.localtime(contract.accepted_at).strftime("%d.%m.%Y %H:%M")}
        )
    current = text_sha256(contract.text)
    if current != contract.text_sha256 or (shown_sha256 or "").strip().lower() != current:
        raise DomainError(_("The text of the contract has changed since you opened it; read it again."))
    contract.accepted_at = timezone.now()
    contract.accepted_sha256 = current
    contract.accepted_ip = ip or None
    contract.save(update_fields=["accepted_at", "accepted_sha256", "accepted_ip"])
    log_action(contract, "enrolment.contract.accepted", by=by, data={"sha256": current, "ip": contract.accepted_ip})
    return contract


# --- the admission order ----------------------------------------------------------------------------------


@dataclass
class Candidate:
    enrolment: Enrolment
    included: bool
    reason: str


def admission_candidates(cohort, *, order=None):
    """The cohort's admitted enrolments not yet on a signed order, with whether ``order`` may list them.

    An enrolment listed in another unsigned order is shown with that reason; so is one not paid.
    """
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ADMITTED)
        .select_related("cohort", "listener__user", "admission_order")
        .order_by("listener__user__last_name", "listener__user__first_name", "pk")
    )
    verdicts = admissibility(enrolments)
    candidates = []
    for e in enrolments:
        other = e.admission_order
        if other is not None and (order is None or other.pk != order.pk):
            reason = _("Listed in the unsigned order No. %(number)s") % {"number": other.number}
            candidates.append(Candidate(e, False, reason))
            continue
        verdict = verdicts[e.pk]
        candidates.append(Candidate(e, verdict.ok, verdict.reason))
    return candidates


def _check_number_free(number, issued_on, *, exclude=None):
    qs = AdmissionOrder.objects.filter(number=number, issued_on=issued_on)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        raise DomainError(
            _("An order No. %(number)s of %(date)s already exists.")
            % {"number": number, "date": issued_on.strftime("%d.%m.%Y")}
        )


def _list(order, candidates):
    included = [c.enrolment.pk for c in candidates if c.included]
    if not included:
        raise DomainError(_("No listener of the cohort can be included in the order yet: an empty order is refused."))
    Enrolment.objects.filter(admission_order=order).exclude(pk__in=included).update(admission_order=None)
    Enrolment.objects.filter(pk__in=included).update(admission_order=order)
    return included


@transaction.atomic
def admission_order_create(cohort, *, by, number, issued_on, responsible):
    """Prepare the admission order of a cohort, listing its admitted listeners who are paid or covered."""
    access.require(by, "enrolment.add_admissionorder", cohort, _("You may not prepare admission orders."))
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    number, responsible = str(number).strip(), str(responsible).strip()
    if not number or not responsible:
        raise DomainError(_("An order needs its number and the responsible persons."))
    _check_number_free(number, issued_on)
    candidates = admission_candidates(cohort)
    if not any(c.included for c in candidates):
        raise DomainError(_("No listener of the cohort can be included in the order yet: an empty order is refused."))
    order = AdmissionOrder.objects.create(
        cohort=cohort, number=number, issued_on=issued_on, responsible=responsible, created_by=by
    )
    _list(order, candidates)
    log_action(order, "enrolment.admission_order.created", by=by, after={"number": number, "issued_on": issued_on})
    return order


@transaction.atomic
def admission_order_update(order, *, by, number, issued_on, responsible):
    """Change an unsigned order and bring its list up to date; a signed order is never changed."""
    access.require(by, "enrolment.change_admissionorder", order, _("You may not change admission orders."))
    order = AdmissionOrder.objects.select_for_update().get(pk=order.pk)
    if order.signed_at is not None:
        raise DomainError(_("The order is signed and cannot be changed."))
    number, responsible = str(number).strip(), str(responsible).strip()
    if not number or not responsible:
        raise DomainError(_("An order needs its number and the responsible persons."))
    _check_number_free(number, issued_on, exclude=order)
    _list(order, admission_candidates(order.cohort, order=order))
    before = {"number": order.number, "issued_on": order.issued_on, "responsible": order.responsible}
    order.number, order.issued_on, order.responsible = number, issued_on, responsible
    log_action(
        order,
        "enrolment.admission_order.changed",
        by=by,
        before=before,
        after={"number": number, "issued_on": issued_on, "responsible": responsible},
    )
    order.save(update_fields=["number", "issued_on", "responsible"])
    return order


@transaction.atomic
def admission_order_sign(order, *, by):
    """The director signs the order: every listener on it is enrolled and told so (001 §18)."""
    access.require(by, "enrolment.sign_admissionorder", order, _("Only the director signs admission orders."))
    order = AdmissionOrder.objects.select_for_update().select_related("cohort__program").get(pk=order.pk)
    if order.signed_at is not None:
        raise DomainError(_("The order is already signed."))
    enrolments = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(admission_order=order)
        .select_related("cohort", "listener__user")
    )
    if not enrolments:
        raise DomainError(_("The order lists no listener: an empty order cannot be signed."))
    verdicts = admissibility(enrolments)
    blocked = []
    for e in enrolments:
        if e.status != EnrolmentStatus.ADMITTED:
            blocked.append(f"{e.listener.full_name} ({e.get_status_display()})")
        elif not verdicts[e.pk].ok:
            blocked.append(f"{e.listener.full_name} ({verdicts[e.pk].reason})")
    if blocked:
        raise DomainError(
            _("These listeners may no longer be enrolled: %(names)s. Edit the order to bring its list up to date.")
            % {"names": "; ".join(blocked)}
        )
    order.signed_by, order.signed_at = by, timezone.now()
    order.save(update_fields=["signed_by", "signed_at"])
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        status=EnrolmentStatus.ENROLLED, admission_order=order
    )
    log_action(order, "enrolment.admission_order.signed", by=by, after={"number": order.number})
    log_actions(
        "enrolment.enrolment.enrolled",
        [(e, {"status": e.status}, {"status": EnrolmentStatus.ENROLLED}) for e in enrolments],
        by=by,
        note=order.number,
        scope=lambda e: {"program_id": order.cohort.program_id, "cohort_id": e.cohort_id, "listener_id": e.listener_id},
    )
    for e in enrolments:
        e.status = EnrolmentStatus.ENROLLED
        notify(e.listener, "enrolled", cohort=order.cohort, order=order)
    return order
