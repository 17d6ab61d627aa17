"""Training contracts: the text with the four conditions, acceptance in the cabinet, the PDF copy
(SPEC 2.6; 000 §3.6, 001 §24-25, 003 §6.3-6.4)."""

import datetime
import hashlib
import re
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.utils import translation

from enrolment.enums import Funding
from enrolment.models import Contract, Invoice, Message, Partner, RequestedTeacher, TeacherRequest
from enrolment.services.admission import contract_accept, contract_draw_up
from enrolment.services.core import enrolment_admit
from enrolment.services.payments import payment_record
from tests.factories import cohort, listener, pdf_response, program, staff_user
from ziat.errors import DomainError

PRICE = Decimal("150000")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def admitted(c, *, registrar, **kwargs):
    return enrolment_admit(cohort=c, listener=listener(**kwargs), by=registrar)


@pytest.fixture
def paid(db, org):
    return cohort(program(), funding=Funding.OWN, price=PRICE, language="ru")


@pytest.fixture
def state(db, org):
    return cohort(program(), funding=Funding.STATE, language="kk")


def pdf_text(content):
    doc = pdfium.PdfDocument(content)
    return re.sub(r"\s+", " ", " ".join(page.get_textpage().get_text_range() for page in doc))


# --- the text (000 §3.6, 001 §24-25) ----------------------------------------------------------------------


def test_contract_states_the_four_conditions_000_3_6(paid, registrar):
    e = admitted(paid, registrar=registrar, workplace="Школа-лицей № 5")
    c = contract_draw_up(e, by=registrar)
    text = " ".join(c.text.split())
    assert "обучаться согласно установленному учебному плану, графику и расписанию занятий" in text
    assert "соблюдать учебную дисциплину и нормы поведения" in text
    assert "проявлять уважение к преподавательскому составу и другим обучающимся" in text
    assert "посещать не менее 80% всех занятий" in text
    # The program's own pass mark (004: 17 of 25), not the legal floor of 50%.
    assert (paid.test_pass_score, paid.test_max_score) == (17, 25)
    assert "итоговое тестирование с результатом не менее 68% от максимального балла (17 из 25)" in text
    assert e.listener.full_name in text and e.listener.iin in text and "Школа-лицей № 5" in text
    assert "Профессиональный рост педагога" in text
    assert "10 академических часов" in text


def test_kazakh_cohort_contract_is_in_kazakh_with_the_four_conditions_001_24(state, registrar):
    c = contract_draw_up(admitted(state, registrar=registrar), by=registrar)
    text = " ".join(c.text.split())
    assert text.startswith("БІЛІКТІЛІКТІ АРТТЫРУ КУРСТАРЫНДА ОҚЫТУ ШАРТЫ")
    assert "оқу жоспарына, кестесіне және сабақ кестесіне сәйкес оқуға" in text
    assert "оқу тәртібін және мінез-құлық нормаларын сақтауға" in text
    assert "сабақтардың кемінде 80%-на қатысуға" in text
    assert "кемінде 68% көлемінде (25 балдан 17) қорытынды тестілеуден өтуге" in text
    assert "Педагогтің кәсіби өсуі" in text


@pytest.mark.parametrize(
    ("pass_score", "floor", "printed"),
    [
        (13, 50, "не менее 52% от максимального балла (13 из 25)"),
        (13, 70, "не менее 70% от максимального балла (17,5 из 25)"),
    ],
)
def test_contract_prints_the_pass_mark_in_force_never_below_50_percent_000_3_6(
    db, org, registrar, pass_score, floor, printed
):
    """The fourth condition is the mark the final test will apply: the cohort's, raised to the organisation's
    floor (never below 50%), so that a listener who meets the contract passes."""
    org.pass_floor_percent = floor
    org.save()
    c = cohort(program(), funding=Funding.STATE, language="ru", test_pass_score=pass_score)
    text = " ".join(contract_draw_up(admitted(c, registrar=registrar), by=registrar).text.split())
    assert printed in text


def test_bilingual_cohort_signs_in_kazakh(db, org, registrar):
    c = cohort(program(), language="kk_ru")
    contract = contract_draw_up(admitted(c, registrar=registrar), by=registrar)
    assert contract.text.startswith("БІЛІКТІЛІКТІ")


def test_paid_contract_states_the_price_and_payment_before_the_start_001_25(paid, registrar):
    c = contract_draw_up(admitted(paid, registrar=registrar), by=registrar)
    text = " ".join(c.text.split())
    assert "Стоимость обучения составляет 150 000 тенге" in text
    assert "до начала обучения (02.03.2026)" in text
    assert "является основанием для оплаты" in text
    assert c.price == PRICE
    assert c.number == f"{paid.code}-1"


def test_paid_contract_issues_its_invoice_for_the_price_003_6_4(paid, registrar):
    c = contract_draw_up(admitted(paid, registrar=registrar), by=registrar)
    invoice = Invoice.objects.get(contract=c)
    assert invoice.amount == PRICE and invoice.cohort == paid and invoice.request is None


def test_state_funded_contract_has_no_price_and_no_invoice_003_1_9(state, registrar):
    c = contract_draw_up(admitted(state, registrar=registrar), by=registrar)
    assert c.price is None
    assert "бюджет қаражаты есебінен" in c.text
    assert "теңге" not in c.text
    assert not Invoice.objects.exists()


def test_listener_sent_by_an_organisation_is_not_invoiced_personally_001_25(paid, registrar):
    e = admitted(paid, registrar=registrar)
    partner = Partner.objects.create(name="Школа № 12 г. Уральска", kind="school")
    request = TeacherRequest.objects.create(partner=partner, cohort=paid, status="accepted", created_by=registrar)
    RequestedTeacher.objects.create(
        request=request,
        row=1,
        iin=e.listener.iin,
        last_name="Сәрсенова",
        first_name="Әйгерім",
        birth_date=e.listener.birth_date,
        listener=e.listener,
    )
    c = contract_draw_up(e, by=registrar)
    assert "Оплату производит Школа № 12 г. Уральска" in " ".join(c.text.split())
    assert not Invoice.objects.exists()


def test_drawing_up_is_idempotent_and_numbers_run_in_the_cohort(paid, registrar):
    e1, e2 = admitted(paid, registrar=registrar), admitted(paid, registrar=registrar)
    first = contract_draw_up(e1, by=registrar)
    assert contract_draw_up(e1, by=registrar) == first
    second = contract_draw_up(e2, by=registrar)
    assert (first.number, second.number) == (f"{paid.code}-1", f"{paid.code}-2")
    assert Contract.objects.count() == 2 and Invoice.objects.count() == 2
    assert Message.objects.filter(subject__isnull=False).count() == 2  # one notice per contract


def test_drawing_up_notifies_the_listener(paid, registrar):
    e = admitted(paid, registrar=registrar)
    c = contract_draw_up(e, by=registrar)
    message = Message.objects.get(listener=e.listener)
    assert c.number in message.body
    assert c.text_sha256 == hashlib.sha256(c.text.encode()).hexdigest()


def test_only_staff_with_the_permission_draw_up_contracts(paid, registrar):
    e = admitted(paid, registrar=registrar)
    with pytest.raises(DomainError):
        contract_draw_up(e, by=staff_user("trainer"))
    assert not Contract.objects.exists()


# --- acceptance (001 §24) ---------------------------------------------------------------------------------


@pytest.fixture
def drawn(paid, registrar):
    return contract_draw_up(admitted(paid, registrar=registrar), by=registrar)


def test_acceptance_records_time_fingerprint_and_address_001_24(drawn):
    user = drawn.enrolment.listener.user
    contract_accept(drawn, by=user, shown_sha256=drawn.text_sha256, ip="10.1.2.3")
    drawn.refresh_from_db()
    assert drawn.accepted_at is not None
    assert drawn.accepted_sha256 == drawn.text_sha256 == hashlib.sha256(drawn.text.encode()).hexdigest()
    assert drawn.accepted_ip == "10.1.2.3"


def test_acceptance_of_a_changed_text_is_refused_001_24(drawn):
    shown = drawn.text_sha256
    changed = drawn.text + "7. Дополнительное условие.\n"
    Contract.objects.filter(pk=drawn.pk).update(text=changed, text_sha256=hashlib.sha256(changed.encode()).hexdigest())
    with pytest.raises(DomainError, match="changed since you opened it; read it again"):
        contract_accept(drawn, by=drawn.enrolment.listener.user, shown_sha256=shown, ip="10.1.2.3")
    drawn.refresh_from_db()
    assert drawn.accepted_at is None and drawn.accepted_sha256 == ""


def test_accepting_twice_is_refused_politely(drawn):
    user = drawn.enrolment.listener.user
    contract_accept(drawn, by=user, shown_sha256=drawn.text_sha256, ip="10.1.2.3")
    with pytest.raises(DomainError, match="already accepted"):
        contract_accept(drawn, by=user, shown_sha256=drawn.text_sha256, ip="10.9.9.9")
    drawn.refresh_from_db()
    assert drawn.accepted_ip == "10.1.2.3"


def test_another_user_cannot_accept_the_contract(drawn):
    with pytest.raises(DomainError):
        contract_accept(drawn, by=listener().user, shown_sha256=drawn.text_sha256, ip="10.1.2.3")


# --- the cabinet's pages ----------------------------------------------------------------------------------


def test_listener_reads_and_accepts_in_the_cabinet_with_the_shown_fingerprint(client, drawn):
    client.force_login(drawn.enrolment.listener.user)
    page = client.get(f"/cabinet/contracts/{drawn.pk}/").content.decode()
    assert drawn.number in page and "80%" in page
    assert f'value="{drawn.text_sha256}"' in page
    response = client.post(
        f"/cabinet/contracts/{drawn.pk}/", {"sha256": drawn.text_sha256, "agree": "on"}, REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302
    drawn.refresh_from_db()
    assert drawn.accepted_at is not None and drawn.accepted_ip == "192.0.2.7"


def test_cabinet_refuses_a_stale_fingerprint_and_records_nothing(client, drawn):
    client.force_login(drawn.enrolment.listener.user)
    response = client.post(f"/cabinet/contracts/{drawn.pk}/", {"sha256": "0" * 64, "agree": "on"}, follow=True)
    assert "read it again" in response.content.decode()
    drawn.refresh_from_db()
    assert drawn.accepted_at is None


@pytest.mark.parametrize("suffix", ["", "contract.pdf"])
def test_another_listeners_contract_is_404_001_24(client, drawn, suffix):
    client.force_login(listener().user)
    assert client.get(f"/cabinet/contracts/{drawn.pk}/{suffix}").status_code == 404
    assert (
        client.post(f"/cabinet/contracts/{drawn.pk}/", {"sha256": drawn.text_sha256, "agree": "on"}).status_code == 404
    )
    drawn.refresh_from_db()
    assert drawn.accepted_at is None


def test_staff_without_a_listener_profile_get_404_in_the_cabinet(client, drawn, registrar):
    client.force_login(registrar)
    assert client.get(f"/cabinet/contracts/{drawn.pk}/").status_code == 404


def test_my_contracts_lists_only_my_own(client, paid, registrar):
    mine = contract_draw_up(admitted(paid, registrar=registrar), by=registrar)
    other = contract_draw_up(admitted(paid, registrar=registrar), by=registrar)
    client.force_login(mine.enrolment.listener.user)
    page = client.get("/cabinet/contracts/").content.decode()
    assert mine.number in page and other.number not in page


# --- the PDF copy for both sides ------------------------------------------------------------------------


def test_contract_pdf_has_the_text_conditions_and_both_signature_blocks(client, drawn, org):
    client.force_login(drawn.enrolment.listener.user)
    response = pdf_response(client, f"/cabinet/contracts/{drawn.pk}/contract.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"ДОГОВОР № {drawn.number}" in text
    assert drawn.enrolment.listener.full_name in text
    assert "не менее 80%" in text and "не менее 68%" in text
    assert "150 000 тенге" in text
    assert org.name_ru in text and org.head_name in text
    assert "Слушатель" in text and "не принят" in text


def test_accepted_contract_pdf_carries_the_acceptance_stamp(client, drawn):
    user = drawn.enrolment.listener.user
    contract_accept(drawn, by=user, shown_sha256=drawn.text_sha256, ip="10.1.2.3")
    drawn.refresh_from_db()
    client.force_login(user)
    text = pdf_text(pdf_response(client, f"/cabinet/contracts/{drawn.pk}/contract.pdf").content)
    assert "Принят в электронной форме" in text
    assert drawn.text_sha256 in text.replace(" ", "")
    assert "10.1.2.3" in text


@pytest.mark.parametrize(("role", "status"), [("registrar", 200), ("accountant", 200), ("trainer", 403)])
def test_staff_pdf_of_a_contract_needs_the_view_permission(client, drawn, role, status):
    client.force_login(staff_user(role))
    assert pdf_response(client, f"/staff/enrolment/contracts/{drawn.pk}/contract.pdf").status_code == status


def test_the_listener_sees_the_payments_and_the_balance_of_their_invoice_003_6_4(client, drawn, org):
    accountant = staff_user("accountant")
    payment_record(
        drawn.invoice, by=accountant, number="ПП-17", paid_on=datetime.date(2026, 3, 1), amount="50000", payer="Ол"
    )
    client.force_login(drawn.enrolment.listener.user)
    page = client.get(f"/cabinet/contracts/{drawn.pk}/").content.decode()
    assert "ПП-17" in page and "01.03.2026" in page
    assert "Left to pay: 100,000.00 tenge." in page
    # Nobody else sees them: the page of another listener's contract does not exist for them.
    client.force_login(listener().user)
    assert client.get(f"/cabinet/contracts/{drawn.pk}/").status_code == 404
