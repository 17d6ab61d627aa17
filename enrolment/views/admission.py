"""Admission orders, training contracts and payments: the registrar's, director's, accountant's and
listener's pages. Views parse, call a service and render; they never write models themselves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs.selectors import plan_totals, version_with_plan
from ziat import access
from ziat.client import client_ip
from ziat.errors import DomainError, PermissionDeniedError
from ziat.exports import export_start
from ziat.listing import PAGE_SIZE, listing
from ziat.models import Organisation
from ziat.refusals import staff_required
from ziat.stored_documents import document_view

from ..filters import InvoiceFilter
from ..forms.admission import AdmissionOrderForm, ContractAcceptForm, PaymentForm
from ..models import AdmissionOrder, Cohort, Contract, TeacherRequest
from ..selectors import balances_by_listener, balances_by_partner, invoices_with_balances, payment_totals
from ..services.admission import (
    admission_candidates,
    admission_order_create,
    admission_order_sign,
    admission_order_update,
    contract_accept,
    text_sha256,
)
from ..services.payments import invoice_balance, invoice_for_request, payment_record

# --- the listener's contract ------------------------------------------------------------------------------


def _contracts_of(request):
    listener = getattr(request.user, "listener", None)
    if listener is None:
        raise Http404
    return Contract.objects.filter(enrolment__listener=listener).select_related(
        "enrolment__cohort__program", "enrolment__listener__user", "invoice"
    )


def _own_contract(request, pk):
    """The contract of the logged-in listener; anyone else's (or none) is a 404."""
    return get_object_or_404(_contracts_of(request), pk=pk)


@login_required
@require_GET
def my_contracts(request):
    return render(request, "enrolment/admission/my_contracts.html", {"contracts": list(_contracts_of(request))})


@login_required
@require_http_methods(["GET", "POST"])
def contract(request, pk):
    """The listener reads the contract and accepts the very text shown (its fingerprint travels with the form)."""
    item = _own_contract(request, pk)
    form = ContractAcceptForm(request.POST or None, initial={"sha256": text_sha256(item.text)})
    if request.method == "POST" and form.is_valid():
        try:
            contract_accept(item, by=request.user, shown_sha256=form.cleaned_data["sha256"], ip=client_ip(request))
        except PermissionDeniedError:
            raise
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("You have accepted the contract. Thank you."))
        return redirect("enrolment:contract", pk=item.pk)
    invoice = getattr(item, "invoice", None)
    context = {"contract": item, "form": form, "invoice": invoice}
    if invoice is not None:
        context["payments"] = list(invoice.payments.order_by("paid_on", "pk"))
        context["balance"] = invoice_balance(invoice)
    return render(request, "enrolment/admission/contract.html", context)


def _contract_pdf(request, item):
    enrolment = item.enrolment
    language = "ru" if enrolment.cohort.language == "ru" else "kk"
    # An accepted contract is a file that never changes; until then each version of its text is its own file.
    return document_view(
        request,
        kind="enrolment.contract",
        key=str(item.pk),
        filename=f"contract-{item.number}.pdf",
        template="enrolment/documents/contract.html",
        context=lambda: {
            "contract": item,
            "org": Organisation.current(),
            "listener": enrolment.listener,
            "cohort": enrolment.cohort,
            "language": language,
        },
        language=language,
        final=item.accepted_at is not None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_pdf(request, pk):
    return _contract_pdf(request, _own_contract(request, pk))


@staff_required("enrolment.view_contract")
@require_http_methods(["GET", "POST"])
def contract_staff_pdf(request, pk):
    item = get_object_or_404(
        Contract.objects.select_related("enrolment__cohort__program", "enrolment__listener__user"), pk=pk
    )
    access.check(request.user, "enrolment.view_contract", item)
    return _contract_pdf(request, item)


# --- payments ---------------------------------------------------------------------------------------------


@staff_required("enrolment.view_invoice")
@require_GET
def payments(request):
    """Invoices with paid and balance, filtered and paged, their totals, and the balances per listener and per
    organisation of the same selection, each paged on its own (003 §6.4)."""
    return _payments_page(request)


def _payments_page(request):
    """The payments of the selection in the address (400 when a filter is not valid)."""
    found = listing(request, InvoiceFilter, invoices_with_balances())
    selected = found.filters.qs if not found.invalid else invoices_with_balances().none()
    context = {
        "list": found,
        "totals": payment_totals(selected),
        "by_listener": Paginator(balances_by_listener(selected), PAGE_SIZE).get_page(request.GET.get("listeners")),
        "by_partner": Paginator(balances_by_partner(selected), PAGE_SIZE).get_page(request.GET.get("organisations")),
        "export_url": reverse("enrolment:payments_export"),
    }
    return render(request, "enrolment/admission/payments.html", context, status=found.status)


@staff_required("enrolment.view_invoice")
@require_http_methods(["GET", "POST"])
def payments_export(request):
    """The selected payments as an Excel workbook, written by a background job (started by a POST; a GET shows
    the button that starts it)."""
    filters = InvoiceFilter(request.GET, queryset=invoices_with_balances())
    if not filters.is_valid():
        return _payments_page(request)
    cohort = filters.form.cleaned_data.get("cohort")
    suffix = f"-{cohort.code}" if cohort else ""
    return export_start(
        request,
        builder="enrolment.tasks.payments_file",
        kwargs={"filters": request.GET.urlencode()},
        filename=f"payments{suffix}-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Export of payments"),
    )


@staff_required("enrolment.view_invoice")
@require_http_methods(["GET", "POST"])
def invoice(request, pk):
    """One invoice with its payment documents, and the accountant's form to record another."""
    item = get_object_or_404(invoices_with_balances(), pk=pk)
    access.check(request.user, "enrolment.view_invoice", item)
    form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate(), "payer": _payer(item)})
    if request.method == "POST":
        if not request.user.has_perm("enrolment.add_payment"):
            messages.error(request, _("You may not record payments."))
            return redirect("enrolment:invoice", pk=item.pk)
        if form.is_valid():
            try:
                payment_record(item, by=request.user, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The payment is recorded."))
                return redirect("enrolment:invoice", pk=item.pk)
    context = {
        "invoice": item,
        "balance": item.amount - item.paid,
        "payments": list(item.payments.select_related("recorded_by")),
        "form": form,
    }
    return render(request, "enrolment/admission/invoice.html", context)


def _payer(invoice):
    if invoice.contract_id:
        return invoice.contract.enrolment.listener.full_name
    return invoice.request.partner.name


@staff_required("enrolment.add_invoice")
@require_POST
def request_invoice(request, pk):
    """Invoice an organisation for the teachers admitted through its accepted request."""
    teacher_request = get_object_or_404(TeacherRequest, pk=pk)
    access.check(request.user, "enrolment.add_invoice", teacher_request)
    try:
        item = invoice_for_request(teacher_request, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(f"{reverse('enrolment:payments')}?cohort={teacher_request.cohort_id}")
    messages.success(request, _("Invoice No. %(number)s is issued.") % {"number": item.number})
    return redirect("enrolment:invoice", pk=item.pk)


# --- the admission order ----------------------------------------------------------------------------------


def _order(request, pk, perm):
    order = get_object_or_404(
        AdmissionOrder.objects.select_related("cohort__program", "created_by", "signed_by"), pk=pk
    )
    access.check(request.user, perm, order)
    return order


def _listed(order):
    return list(
        order.enrolments.select_related("listener__user").order_by(
            "listener__user__last_name", "listener__user__first_name", "pk"
        )
    )


@staff_required("enrolment.view_admissionorder")
@require_GET
def admission_orders(request, cohort_pk):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    access.check(request.user, "enrolment.view_admissionorder", cohort)
    orders = list(cohort.admission_orders.select_related("signed_by"))
    return render(request, "enrolment/admission/orders.html", {"cohort": cohort, "orders": orders})


@staff_required("enrolment.add_admissionorder")
@require_http_methods(["GET", "POST"])
def admission_order_new(request, cohort_pk):
    """The registrar prepares the order: admitted listeners who are paid or covered; the others with why not."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    access.check(request.user, "enrolment.add_admissionorder", cohort)
    form = AdmissionOrderForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            order = admission_order_create(cohort, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The order is prepared; it takes effect when the director signs it."))
            return redirect("enrolment:admission_order", pk=order.pk)
    candidates = admission_candidates(cohort)
    return render(
        request,
        "enrolment/admission/order_form.html",
        {"cohort": cohort, "form": form, "candidates": candidates, "order": None},
    )


@staff_required("enrolment.change_admissionorder")
@require_http_methods(["GET", "POST"])
def admission_order_edit(request, pk):
    order = _order(request, pk, "enrolment.change_admissionorder")
    if order.signed_at is not None:
        messages.error(request, _("The order is signed and cannot be changed."))
        return redirect("enrolment:admission_order", pk=order.pk)
    initial = {"number": order.number, "issued_on": order.issued_on, "responsible": order.responsible}
    form = AdmissionOrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            admission_order_update(order, by=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The order is saved."))
            return redirect("enrolment:admission_order", pk=order.pk)
    candidates = admission_candidates(order.cohort, order=order)
    return render(
        request,
        "enrolment/admission/order_form.html",
        {"cohort": order.cohort, "form": form, "candidates": candidates, "order": order},
    )


@staff_required("enrolment.view_admissionorder")
@require_GET
def admission_order(request, pk):
    order = _order(request, pk, "enrolment.view_admissionorder")
    return render(request, "enrolment/admission/order.html", {"order": order, "enrolments": _listed(order)})


@staff_required("enrolment.sign_admissionorder")
@require_POST
def admission_order_sign_view(request, pk):
    order = _order(request, pk, "enrolment.sign_admissionorder")
    try:
        admission_order_sign(order, by=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The order is signed; the listeners are enrolled and notified."))
    return redirect("enrolment:admission_order", pk=order.pk)


@staff_required("enrolment.view_admissionorder")
@require_http_methods(["GET", "POST"])
def admission_order_pdf(request, pk):
    order = _order(request, pk, "enrolment.view_admissionorder")
    cohort = order.cohort

    def context():
        return {
            "order": order,
            "cohort": cohort,
            "program": cohort.program,
            "hours": plan_totals(version_with_plan(cohort.version_id)).total.normalize(),
            "enrolments": _listed(order),
            "responsible": [line.strip() for line in order.responsible.splitlines() if line.strip()],
            "org": Organisation.current(),
        }

    # A signed order is a file that never changes; a draft is printed as it stands (keyed by its text).
    return document_view(
        request,
        kind="enrolment.admission_order",
        key=str(order.pk),
        filename=f"order-{order.number}-{order.issued_on:%Y%m%d}.pdf",
        template="enrolment/documents/order.html",
        context=context,
        final=order.signed_at is not None,
    )


urlpatterns = [
    path("cabinet/contracts/", my_contracts, name="my_contracts"),
    path("cabinet/contracts/<int:pk>/", contract, name="contract"),
    path("cabinet/contracts/<int:pk>/contract.pdf", contract_pdf, name="contract_pdf"),
    path("staff/enrolment/contracts/<int:pk>/contract.pdf", contract_staff_pdf, name="contract_staff_pdf"),
    path("staff/enrolment/payments/", payments, name="payments"),
    path("staff/enrolment/payments/export.xlsx", payments_export, name="payments_export"),
    path("staff/enrolment/payments/<int:pk>/", invoice, name="invoice"),
    path("staff/enrolment/requests/<int:pk>/invoice/", request_invoice, name="request_invoice"),
    path("staff/enrolment/cohorts/<int:cohort_pk>/orders/", admission_orders, name="admission_orders"),
    path("staff/enrolment/cohorts/<int:cohort_pk>/orders/new/", admission_order_new, name="admission_order_new"),
    path("staff/enrolment/orders/<int:pk>/", admission_order, name="admission_order"),
    path("staff/enrolment/orders/<int:pk>/edit/", admission_order_edit, name="admission_order_edit"),
    path("staff/enrolment/orders/<int:pk>/sign/", admission_order_sign_view, name="admission_order_sign"),
    path("staff/enrolment/orders/<int:pk>/order.pdf", admission_order_pdf, name="admission_order_pdf"),
]
