"""The admission order: prepared by the registrar with the admissible listeners, signed by the director
(SPEC 2.5; 001 §18, 003 §4.3, §6.4)."""

import datetime
import re
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.utils import translation

from enrolment.enums import EnrolmentStatus, Funding
from enrolment.models import AdmissionOrder, Enrolment, Invoice, Message
from enrolment.services.admission import (
    admission_candidates,
    admission_order_create,
    admission_order_sign,
    admission_order_update,
    contract_draw_up,
)
from enrolment.services.core import enrolment_admit
from enrolment.services.payments import payment_record
from tests.factories import cohort, listener, page_queries, pdf_response, program, staff_user
from ziat.errors import DomainError

PRICE = Decimal("150000")
ON = datetime.date(2026, 2, 25)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def accountant(db):
    return staff_user("accountant")


def admit(c, registrar, **kwargs):
    e = enrolment_admit(cohort=c, listener=listener(**kwargs), by=registrar)
    contract_draw_up(e, by=registrar)
    return e


def pay_in_full(e, accountant):
    invoice = Invoice.objects.get(contract__enrolment=e)
    payment_record(invoice, by=accountant, number=f"П-{e.pk}", paid_on=ON, amount=invoice.amount, payer="X")


def prepare(c, registrar, number="12-Қ"):
    return admission_order_create(
        c, by=registrar, number=number, issued_on=ON, responsible="Иванова А. А., руководитель программы"
    )


@pytest.fixture
def paid(db, org):
    return cohort(program(), funding=Funding.OWN, price=PRICE)


@pytest.fixture
def state(db, org):
    return cohort(program(), funding=Funding.STATE)


# --- preparing: only admissible listeners (001 §18, 003 §6.4) ----------------------------------------------


def test_order_includes_only_paid_listeners_and_shows_why_others_are_not_003_6_4(paid, registrar, accountant):
    ok = admit(paid, registrar, last_name="Абаева")
    unpaid = admit(paid, registrar, last_name="Бекова")
    pay_in_full(ok, accountant)
    candidates = {c.enrolment.pk: c for c in admission_candidates(paid)}
    assert candidates[ok.pk].included and not candidates[unpaid.pk].included
    assert "Not paid in full" in candidates[unpaid.pk].reason
    order = prepare(paid, registrar)
    assert list(order.enrolments.all()) == [ok]
    assert Enrolment.objects.get(pk=ok.pk).status == EnrolmentStatus.ADMITTED  # not before signing


def test_state_funded_listeners_are_always_included_001_18(state, registrar):
    es = [admit(state, registrar) for _ in range(3)]
    order = prepare(state, registrar)
    assert set(order.enrolments.all()) == set(es)


def test_an_empty_order_is_refused(paid, registrar):
    admit(paid, registrar)  # not paid
    with pytest.raises(DomainError, match="empty order"):
        prepare(paid, registrar)
    assert not AdmissionOrder.objects.exists()


def test_a_listener_on_an_unsigned_order_is_not_listed_again(state, registrar):
    first = admit(state, registrar)
    prepare(state, registrar, number="1")
    second = admit(state, registrar)
    order = prepare(state, registrar, number="2")
    assert list(order.enrolments.all()) == [second]
    reasons = {c.enrolment.pk: c.reason for c in admission_candidates(state)}
    assert "unsigned order No. 1" in reasons[first.pk]


def test_only_the_registrar_or_director_prepares_orders(state, registrar, accountant):
    admit(state, registrar)
    with pytest.raises(DomainError):
        prepare(state, accountant)


# --- signing (001 §18) ------------------------------------------------------------------------------------


def test_signing_enrols_the_listed_listeners_and_notifies_them_001_18(state, registrar, director):
    es = [admit(state, registrar) for _ in range(2)]
    order = prepare(state, registrar)
    Message.objects.all().delete()
    admission_order_sign(order, by=director)
    order.refresh_from_db()
    assert order.signed_by == director and order.signed_at is not None
    for e in es:
        e.refresh_from_db()
        assert (e.status, e.admission_order) == (EnrolmentStatus.ENROLLED, order)
    assert Message.objects.filter(listener__in=[e.listener for e in es]).count() == 2
    assert all(f"No. {order.number}" in m.body or order.number in m.body for m in Message.objects.all())


@pytest.mark.parametrize("role", ["registrar", "accountant", "methodist"])
def test_only_the_director_signs_the_order(state, registrar, role):
    e = admit(state, registrar)
    order = prepare(state, registrar)
    with pytest.raises(DomainError, match="Only the director"):
        admission_order_sign(order, by=staff_user(role))
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ADMITTED
    assert AdmissionOrder.objects.get().signed_at is None


def test_an_order_is_not_signed_twice_nor_changed_after_signing(state, registrar, director):
    admit(state, registrar)
    order = prepare(state, registrar)
    admission_order_sign(order, by=director)
    with pytest.raises(DomainError, match="already signed"):
        admission_order_sign(order, by=director)
    with pytest.raises(DomainError, match="cannot be changed"):
        admission_order_update(order, by=director, number="99", issued_on=ON, responsible="X")
    assert AdmissionOrder.objects.get().number == "12-Қ"


def test_editing_an_unsigned_order_brings_its_list_up_to_date(paid, registrar, accountant):
    a = admit(paid, registrar, last_name="Абаева")
    b = admit(paid, registrar, last_name="Бекова")
    pay_in_full(a, accountant)
    order = prepare(paid, registrar)
    pay_in_full(b, accountant)
    admission_order_update(order, by=registrar, number="13", issued_on=ON, responsible="Петров П. П.")
    order.refresh_from_db()
    assert order.number == "13" and set(order.enrolments.all()) == {a, b}


def test_signing_refuses_a_listener_who_is_no_longer_admissible(paid, registrar, accountant, director):
    e = admit(paid, registrar)
    pay_in_full(e, accountant)
    order = prepare(paid, registrar)
    Invoice.objects.get(contract__enrolment=e).payments.all().delete()  # the payment was annulled
    with pytest.raises(DomainError, match="no longer be enrolled"):
        admission_order_sign(order, by=director)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ADMITTED


# --- pages ------------------------------------------------------------------------------------------------


def test_registrar_prepares_the_order_on_the_cohort_page(client, paid, registrar, accountant):
    ok = admit(paid, registrar, last_name="Абаева")
    unpaid = admit(paid, registrar, last_name="Бекова")
    pay_in_full(ok, accountant)
    client.force_login(registrar)
    url = f"/staff/enrolment/cohorts/{paid.pk}/orders/new/"
    page = client.get(url).content.decode()
    assert ok.listener.full_name in page and unpaid.listener.full_name in page and "Not paid in full" in page
    response = client.post(url, {"number": "5-Қ", "issued_on": "2026-02-25", "responsible": "Иванова А. А."})
    order = AdmissionOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/enrolment/orders/{order.pk}/"
    assert list(order.enrolments.all()) == [ok]


def test_director_signs_on_the_order_page(client, state, registrar, director):
    e = admit(state, registrar)
    order = prepare(state, registrar)
    client.force_login(registrar)
    assert client.post(f"/staff/enrolment/orders/{order.pk}/sign/").status_code == 403
    client.force_login(director)
    page = client.get(f"/staff/enrolment/orders/{order.pk}/").content.decode()
    assert "Sign the order" in page and e.listener.full_name in page
    assert client.post(f"/staff/enrolment/orders/{order.pk}/sign/").status_code == 302
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ENROLLED


def test_order_pdf_in_the_organisations_form_001_18(client, state, registrar, director, org):
    es = [
        admit(state, registrar, last_name="Абаева", workplace="Школа № 5"),
        admit(state, registrar, last_name="Бекова", workplace="Гимназия № 1"),
    ]
    order = prepare(state, registrar)
    admission_order_sign(order, by=director)
    client.force_login(registrar)
    response = pdf_response(client, f"/staff/enrolment/orders/{order.pk}/order.pdf")
    assert response["Content-Type"] == "application/pdf"
    doc = pdfium.PdfDocument(response.content)
    text = re.sub(r"\s+", " ", " ".join(p.get_textpage().get_text_range() for p in doc))
    assert "БҰЙРЫҚ/ПРИКАЗ" in text.replace(" ", "") and "№ 12-Қ" in text and "25.02.2026" in text
    assert org.name_kk in text and org.name_ru in text and org.head_name in text
    assert "Профессиональный рост педагога" in text and "Педагогтің кәсіби өсуі" in text
    assert "02.03.2026" in text and "06.03.2026" in text
    for e in es:
        assert e.listener.full_name in text and e.listener.workplace in text
        assert e.listener.iin not in text
    assert "Иванова А. А." in text
    assert "Подписан в электронной форме" in text


@pytest.mark.parametrize("role", ["trainer", "accountant"])
def test_other_roles_do_not_see_orders(client, state, registrar, role):
    admit(state, registrar)
    order = prepare(state, registrar)
    client.force_login(staff_user(role))
    for suffix in ("", "order.pdf"):
        assert client.get(f"/staff/enrolment/orders/{order.pk}/{suffix}").status_code == 403
    assert client.get(f"/staff/enrolment/cohorts/{state.pk}/orders/new/").status_code == 403


@pytest.mark.parametrize("rows", [1, 6])
def test_order_page_query_count_does_not_grow_with_rows(client, state, registrar, rows):
    for _ in range(rows):
        admit(state, registrar)
    order = prepare(state, registrar)
    client.force_login(registrar)
    # Each page reads the user's roles once for the access rule of the order or cohort it names.
    assert page_queries(client, f"/staff/enrolment/orders/{order.pk}/") == 8
    assert page_queries(client, f"/staff/enrolment/cohorts/{state.pk}/orders/new/") == 8


@pytest.mark.parametrize("rows", [1, 6])
def test_new_order_page_of_a_paid_cohort_query_count_is_constant(client, paid, registrar, accountant, rows):
    for i in range(rows):
        e = admit(paid, registrar)
        if i % 2:
            pay_in_full(e, accountant)
    client.force_login(registrar)
    assert page_queries(client, f"/staff/enrolment/cohorts/{paid.pk}/orders/new/") == 10
