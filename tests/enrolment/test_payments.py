"""Invoices, payment documents and balances of paid courses (SPEC 2.4; 001 §25, 003 §6.4)."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from enrolment.enums import Funding
from enrolment.models import Invoice, Partner, Payment, RequestedTeacher, TeacherRequest
from enrolment.selectors import balances_by_listener, balances_by_partner, invoices_with_balances
from enrolment.services.admission import contract_draw_up
from enrolment.services.core import enrolment_admit
from enrolment.services.payments import admissibility, invoice_for_request, payment_record
from tests.factories import cohort, export_download, listener, many_cohorts, page_queries, program, staff_user
from ziat.errors import DomainError

PRICE = Decimal("150000")
DAY = datetime.date(2026, 2, 20)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def accountant(db):
    return staff_user("accountant")


@pytest.fixture
def paid(db, org):
    return cohort(program(), funding=Funding.OWN, price=PRICE, language="ru")


def contracted(c, registrar, **kwargs):
    e = enrolment_admit(cohort=c, listener=listener(**kwargs), by=registrar)
    contract_draw_up(e, by=registrar)
    return e


def pay(invoice, amount, by, number="1", on=DAY, payer="Плательщик"):
    return payment_record(invoice, by=by, number=number, paid_on=on, amount=Decimal(amount), payer=payer)


def sent_by(partner, c, registrar, enrolments):
    request = TeacherRequest.objects.create(partner=partner, cohort=c, status="accepted", created_by=registrar)
    for row, e in enumerate(enrolments, start=1):
        RequestedTeacher.objects.create(
            request=request,
            row=row,
            iin=e.listener.iin,
            last_name=e.listener.user.last_name,
            first_name=e.listener.user.first_name,
            birth_date=e.listener.birth_date,
            listener=e.listener,
        )
    return request


# --- payment documents (003 §6.4) --------------------------------------------------------------------------


def test_accountant_records_a_payment_document_003_6_4(paid, registrar, accountant):
    e = contracted(paid, registrar)
    invoice = Invoice.objects.get(contract__enrolment=e)
    p = pay(invoice, "100000", accountant, number="ПП-17", payer="Сәрсенова Әйгерім")
    assert (p.number, p.paid_on, p.amount, p.payer, p.recorded_by) == (
        "ПП-17",
        DAY,
        Decimal("100000"),
        "Сәрсенова Әйгерім",
        accountant,
    )
    assert invoices_with_balances().get(pk=invoice.pk).paid == Decimal("100000")


def test_paying_more_than_the_balance_is_refused_and_nothing_is_saved_003_6_4(paid, registrar, accountant):
    invoice = Invoice.objects.get(contract__enrolment=contracted(paid, registrar))
    pay(invoice, "100000", accountant, number="1")
    with pytest.raises(DomainError, match="exceeds the balance"):
        pay(invoice, "50000.01", accountant, number="2")
    assert Payment.objects.count() == 1
    pay(invoice, "50000", accountant, number="2")
    with pytest.raises(DomainError, match="already paid in full"):
        pay(invoice, "1", accountant, number="3")
    assert Payment.objects.count() == 2


def test_the_same_payment_document_is_not_recorded_twice(paid, registrar, accountant):
    invoice = Invoice.objects.get(contract__enrolment=contracted(paid, registrar))
    pay(invoice, "1000", accountant, number="7")
    with pytest.raises(DomainError, match="already recorded"):
        pay(invoice, "1000", accountant, number="7")
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("role", ["registrar", "director", "trainer"])
def test_only_the_accountant_records_payments(paid, registrar, role):
    invoice = Invoice.objects.get(contract__enrolment=contracted(paid, registrar))
    with pytest.raises(DomainError):
        pay(invoice, "1000", staff_user(role))
    assert not Payment.objects.exists()


def test_payments_page_records_a_payment_and_refuses_an_overpayment(client, paid, registrar, accountant):
    invoice = Invoice.objects.get(contract__enrolment=contracted(paid, registrar))
    client.force_login(accountant)
    url = f"/staff/enrolment/payments/{invoice.pk}/"
    data = {"number": "ПП-1", "paid_on": "2026-02-20", "amount": "150000.01", "payer": "Сәрсенова"}
    response = client.post(url, data)
    assert response.status_code == 200 and "exceeds the balance" in response.content.decode()
    assert not Payment.objects.exists()
    assert client.post(url, {**data, "amount": "150000"}).status_code == 302
    assert Payment.objects.get().amount == PRICE


def test_registrar_sees_payments_but_cannot_record_them(client, paid, registrar):
    invoice = Invoice.objects.get(contract__enrolment=contracted(paid, registrar))
    client.force_login(registrar)
    assert client.get("/staff/enrolment/payments/").status_code == 200
    client.post(
        f"/staff/enrolment/payments/{invoice.pk}/",
        {"number": "1", "paid_on": "2026-02-20", "amount": "10", "payer": "X"},
    )
    assert not Payment.objects.exists()


def test_trainer_may_not_open_the_payments(client, paid):
    client.force_login(staff_user("trainer"))
    assert client.get("/staff/enrolment/payments/").status_code == 403


# --- invoices per organisation request --------------------------------------------------------------------


def test_request_invoice_is_the_price_times_the_teachers_admitted_through_it_003_6_4(paid, registrar, accountant):
    school = Partner.objects.create(name="Школа № 12", kind="school")
    enrolments = [contracted(paid, registrar) for _ in range(3)]
    request = sent_by(school, paid, registrar, enrolments)
    invoice = invoice_for_request(request, by=accountant)
    assert invoice.amount == PRICE * 3 and invoice.request == request and invoice.contract is None
    assert invoice_for_request(request, by=accountant) == invoice  # issued once


def test_state_cohort_requests_are_not_invoiced(db, org, registrar, accountant):
    c = cohort(program(), funding=Funding.STATE)
    e = enrolment_admit(cohort=c, listener=listener(), by=registrar)
    request = sent_by(Partner.objects.create(name="ГУ отдел образования", kind="district"), c, registrar, [e])
    with pytest.raises(DomainError, match="not paid"):
        invoice_for_request(request, by=accountant)
    assert not Invoice.objects.exists()


def test_only_accepted_requests_are_invoiced(paid, registrar, accountant):
    e = enrolment_admit(cohort=paid, listener=listener(), by=registrar)
    request = sent_by(Partner.objects.create(name="Школа", kind="school"), paid, registrar, [e])
    TeacherRequest.objects.filter(pk=request.pk).update(status="submitted")
    with pytest.raises(DomainError):
        invoice_for_request(request, by=accountant)


# --- balances per listener and organisation ---------------------------------------------------------------


def test_balances_per_listener_and_per_organisation(paid, registrar, accountant):
    a = contracted(paid, registrar, last_name="Абаева")
    b = contracted(paid, registrar, last_name="Бекова")
    pay(Invoice.objects.get(contract__enrolment=a), "150000", accountant)
    pay(Invoice.objects.get(contract__enrolment=b), "40000", accountant)
    school = Partner.objects.create(name="Школа № 12", kind="school")
    sent = [enrolment_admit(cohort=paid, listener=listener(), by=registrar) for _ in range(2)]
    pay(invoice_for_request(sent_by(school, paid, registrar, sent), by=accountant), "100000", accountant)

    invoices = invoices_with_balances(cohort=paid)
    listeners = {row.payer.pk: (row.invoiced, row.paid, row.balance) for row in balances_by_listener(invoices)}
    assert listeners == {
        a.listener.pk: (PRICE, PRICE, Decimal("0")),
        b.listener.pk: (PRICE, Decimal("40000"), Decimal("110000")),
    }
    partners = [(row.payer, row.invoiced, row.paid, row.balance) for row in balances_by_partner(invoices)]
    assert partners == [(school, PRICE * 2, Decimal("100000"), Decimal("200000"))]


# --- who is admissible to the order -----------------------------------------------------------------------


def test_paid_listener_is_admissible_only_when_fully_paid_003_6_4(paid, registrar, accountant):
    e = contracted(paid, registrar)
    invoice = Invoice.objects.get(contract__enrolment=e)
    assert not admissibility([e])[e.pk].ok
    pay(invoice, "149999.99", accountant, number="1")
    verdict = admissibility([e])[e.pk]
    assert not verdict.ok and "0,01" in verdict.reason
    pay(invoice, "0.01", accountant, number="2")
    assert admissibility([e])[e.pk].ok


def test_listener_covered_by_a_fully_paid_request_is_admissible_001_25(paid, registrar, accountant):
    es = [enrolment_admit(cohort=paid, listener=listener(), by=registrar) for _ in range(2)]
    request = sent_by(Partner.objects.create(name="Школа № 3", kind="school"), paid, registrar, es)
    assert not any(v.ok for v in admissibility(es).values())
    invoice = invoice_for_request(request, by=accountant)
    pay(invoice, "150000", accountant)
    assert not any(v.ok for v in admissibility(es).values())
    pay(invoice, "150000", accountant, number="2")
    verdicts = admissibility(es)
    assert all(v.ok for v in verdicts.values()) and "Школа № 3" in verdicts[es[0].pk].reason


def test_state_funded_listener_is_always_admissible(db, org, registrar):
    c = cohort(program(), funding=Funding.STATE)
    e = enrolment_admit(cohort=c, listener=listener(), by=registrar)
    assert admissibility([e])[e.pk].ok


# --- the list page and the Excel export -------------------------------------------------------------------


def test_payments_list_shows_paid_and_balance_and_filters_by_cohort(client, paid, registrar, accountant):
    e = contracted(paid, registrar, last_name="Абаева")
    other = cohort(program(), funding=Funding.OWN, price=Decimal("90000"))
    o = contracted(other, registrar, last_name="Омарова")
    pay(Invoice.objects.get(contract__enrolment=e), "40000", accountant)
    client.force_login(accountant)
    page = client.get(f"/staff/enrolment/payments/?cohort={paid.pk}").content.decode()
    assert e.contract.number in page and o.contract.number not in page
    assert "110,000.00" in page and "40,000.00" in page
    assert o.contract.number in client.get("/staff/enrolment/payments/").content.decode()


def test_the_cohort_is_typed_by_its_code_never_chosen_from_a_list_of_every_cohort_003_6_4(
    client, paid, registrar, accountant
):
    e = contracted(paid, registrar, last_name="Абаева")
    other = cohort(program(), funding=Funding.OWN, price=Decimal("90000"))
    o = contracted(other, registrar, last_name="Омарова")
    client.force_login(accountant)
    # Typed in any case: the invoices of that cohort, the box showing its code.
    page = client.get("/staff/enrolment/payments/", {"cohort": f"  {paid.code.lower()} "}).content.decode()
    assert e.contract.number in page and o.contract.number not in page
    assert re.search(rf'<input type="text" name="cohort" value="{re.escape(paid.code)}"', page)
    # A link from the cohort's page gives its id: the same list, the box showing the code, not the number.
    page = client.get(f"/staff/enrolment/payments/?cohort={paid.pk}").content.decode()
    assert e.contract.number in page and o.contract.number not in page
    assert f'value="{paid.code}"' in page and other.code not in page
    # No list of every cohort on the page.
    assert "<select" not in page.split('name="cohort"')[0].rsplit("<label", 1)[-1]
    assert f'<option value="{other.pk}"' not in page
    # A code that names no cohort: the reason beside the box, an empty list, nothing else.
    with translation.override("kk"):
        reason = translation.gettext("No cohort has this code.")
    assert reason != "No cohort has this code."
    for typed in ("NO-SUCH-COHORT", "²", "DEMO\x00", "9" * 30):
        response = client.get("/staff/enrolment/payments/", {"cohort": typed}, HTTP_ACCEPT_LANGUAGE="kk")
        assert response.status_code == 400, typed
        body = response.content.decode()
        assert html.escape(reason) in body
    assert e.contract.number not in body and o.contract.number not in body


@pytest.mark.parametrize("rows", [1, 13])
def test_payments_list_query_count_does_not_grow_with_rows(client, paid, registrar, accountant, rows):
    school = Partner.objects.create(name="Школа", kind="school")
    for i in range(rows):
        e = contracted(paid, registrar)
        pay(Invoice.objects.get(contract__enrolment=e), "1000", accountant, number=str(i))
    sent = [enrolment_admit(cohort=paid, listener=listener(), by=registrar) for _ in range(rows)]
    invoice_for_request(sent_by(school, paid, registrar, sent), by=accountant)
    client.force_login(accountant)
    assert page_queries(client, "/staff/enrolment/payments/") == QUERIES
    assert page_queries(client, f"/staff/enrolment/payments/?cohort={paid.pk}") == QUERIES + 1


@pytest.mark.parametrize("count", [10, 200])
def test_the_payments_page_makes_the_same_queries_for_few_and_many_invoices_003_6_4(client, org, accountant, count):
    """Invoices to listeners (through their contracts) and to organisations, made in a few queries."""
    from enrolment.models import Contract, Enrolment

    cohorts = many_cohorts(program(), count, funding=Funding.OWN, price=PRICE)
    enrolments = Enrolment.objects.filter(cohort__in=cohorts).order_by("pk")
    contracts = Contract.objects.bulk_create(
        Contract(enrolment=e, number=f"K-{e.pk}", text="—", text_sha256="0" * 64) for e in enrolments
    )
    partners = Partner.objects.bulk_create(Partner(name=f"Мектеп {n}", kind="school") for n in range(count))
    requests = TeacherRequest.objects.bulk_create(
        TeacherRequest(partner=p, cohort=c, status="accepted", created_by=accountant)
        for p, c in zip(partners, cohorts, strict=True)
    )
    Invoice.objects.bulk_create(
        [
            Invoice(
                number=f"L-{k.pk}",
                issued_on=DAY,
                cohort_id=k.enrolment.cohort_id,
                contract=k,
                amount=PRICE,
                created_by=accountant,
            )
            for k in contracts
        ]
        + [
            Invoice(number=f"R-{r.pk}", issued_on=DAY, cohort=r.cohort, request=r, amount=PRICE, created_by=accountant)
            for r in requests
        ]
    )
    Payment.objects.bulk_create(
        Payment(invoice=i, number=f"P-{i.pk}", paid_on=DAY, amount=Decimal("1000"), payer="—", recorded_by=accountant)
        for i in Invoice.objects.all()
    )
    client.force_login(accountant)
    assert page_queries(client, "/staff/enrolment/payments/") == QUERIES
    assert page_queries(client, "/staff/enrolment/payments/?state=owing&listeners=2&organisations=2") == QUERIES


# The session and user, the count and page of invoices, the totals, the counts and pages
# of the balances per listener and per organisation with their payers, and the staff menu's reads.
QUERIES = 14


def test_payments_are_paged_searched_and_totalled_over_the_whole_selection_003_6_4(client, paid, registrar, accountant):
    """The totals and balances count every invoice of the selection, not only the page shown."""
    people = [contracted(paid, registrar, last_name=f"Абаева{i:02d}") for i in range(27)]
    for e in people[:3]:
        pay(Invoice.objects.get(contract__enrolment=e), str(PRICE), accountant)
    client.force_login(accountant)
    response = client.get("/staff/enrolment/payments/")
    assert response.status_code == 200
    assert len(response.context["list"].rows) == 25 and response.context["list"].page.paginator.count == 27
    totals = response.context["totals"]
    assert (totals.invoiced, totals.paid, totals.balance) == (PRICE * 27, PRICE * 3, PRICE * 24)
    assert response.context["by_listener"].paginator.count == 27
    second = client.get("/staff/enrolment/payments/?listeners=2")
    assert [b.payer.pk for b in second.context["by_listener"]] == [e.listener.pk for e in people[25:]]
    owing = client.get("/staff/enrolment/payments/?state=owing&payer=listener")
    assert owing.context["list"].page.paginator.count == 24
    assert owing.context["totals"].paid == 0
    found = client.get("/staff/enrolment/payments/?q=Абаева05")
    assert [i.contract.enrolment_id for i in found.context["list"].rows] == [people[5].pk]
    assert client.get("/staff/enrolment/payments/?cohort=nonsense").status_code == 400


def test_excel_export_has_invoices_payments_and_balances(client, paid, registrar, accountant):
    e = contracted(paid, registrar, last_name="Абаева")
    pay(Invoice.objects.get(contract__enrolment=e), "40000", accountant, number="ПП-5", payer="Абаева")
    school = Partner.objects.create(name="Школа № 12", kind="school", bin="123456789012")
    sent = [enrolment_admit(cohort=paid, listener=listener(), by=registrar)]
    request_invoice = invoice_for_request(sent_by(school, paid, registrar, sent), by=accountant)
    client.force_login(accountant)
    response = export_download(client, f"/staff/enrolment/payments/export.xlsx?cohort={paid.pk}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Invoices", "Payments", "Listeners", "Organisations"]
    invoices = list(book["Invoices"].iter_rows(values_only=True))
    assert invoices[0][-3:] == ("amount, tenge", "paid, tenge", "balance, tenge")
    by_number = {row[0]: row for row in invoices[1:]}
    assert by_number[e.contract.number][5] == e.listener.full_name
    assert by_number[e.contract.number][-3:] == (150000, 40000, 110000)
    assert by_number[request_invoice.number][-3:] == (150000, 0, 150000)
    payments = list(book["Payments"].iter_rows(values_only=True))[1:]
    assert [(p[0], p[3], p[5], p[6]) for p in payments] == [(e.contract.number, "ПП-5", 40000, "Абаева")]
    assert list(book["Listeners"].iter_rows(values_only=True))[1:] == [
        (e.listener.full_name, e.listener.iin, 150000, 40000, 110000)
    ]
    assert list(book["Organisations"].iter_rows(values_only=True))[1:] == [
        ("Школа № 12", "123456789012", 150000, 0, 150000)
    ]


def test_request_invoice_view_issues_the_invoice(client, paid, registrar, accountant):
    e = enrolment_admit(cohort=paid, listener=listener(), by=registrar)
    request = sent_by(Partner.objects.create(name="Школа", kind="school"), paid, registrar, [e])
    client.force_login(registrar)
    assert client.post(f"/staff/enrolment/requests/{request.pk}/invoice/").status_code == 403
    client.force_login(accountant)
    assert client.post(f"/staff/enrolment/requests/{request.pk}/invoice/").status_code == 302
    assert Invoice.objects.get(request=request).amount == PRICE
