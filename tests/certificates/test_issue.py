"""Issuing and revoking certificates (SPEC 5; 000 §3.6-3.8, 001 §24, §29, §33, 003 §7.6)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation

from assessment.models import ModuleGrade
from certificates.enums import CertificateState
from certificates.models import AppendixLine, Certificate
from certificates.services import certificate_issue, certificate_revoke, certificates_issue_for_cohort
from enrolment.enums import EnrolmentStatus
from tests.certificates.helpers import course, enrol, issued
from tests.factories import organisation, staff_user
from ziat.errors import DomainError

# 50 academic hours: two modules of 25, so that 39.5 hours are 79% and 40 hours are 80%.
FIFTY_HOURS = ((("1.1", 20, 5, 0, 0, 0),), (("2.1", 20, 5, 0, 0, 0),))


@pytest.fixture
def fifty(db, org):
    return course(modules=FIFTY_HOURS, session_hours=(Decimal("39.5"), Decimal("0.5"), 10))


# --- eligibility: both gates (000 §3.6, 001 §24) ---------------------------------------------------------


def test_listener_with_exactly_80_percent_and_the_pass_mark_gets_a_certificate_000_3_6(fifty, director):
    e = enrol(fifty, hours=40, test=17)
    certificate = certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    assert certificate.enrolment == e
    assert certificate.hours == Decimal("50")
    assert certificate.holder_name == e.listener.user.full_name


def test_attendance_below_80_percent_refuses_the_certificate_and_creates_nothing_000_3_6(fifty, director):
    e = enrol(fifty, hours=Decimal("39.5"), test=25)  # 79%
    with pytest.raises(DomainError):
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    assert not Certificate.objects.exists()
    assert not AppendixLine.objects.exists()


def test_score_below_the_pass_mark_refuses_the_certificate_and_creates_nothing_001_24(fifty, director):
    e = enrol(fifty, hours=None, test="16.9")  # pass mark 17 of 25
    with pytest.raises(DomainError):
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    assert not Certificate.objects.exists()


def test_listener_without_a_final_result_gets_no_certificate_001_29(fifty, director):
    e = enrol(fifty, hours=None, test=None)
    with pytest.raises(DomainError):
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    assert not Certificate.objects.exists()


def test_expelled_listener_gets_no_certificate_001_32(fifty, director):
    e = enrol(fifty, hours=None, test=25)
    e.status = EnrolmentStatus.EXPELLED
    e.save(update_fields=["status"])
    with pytest.raises(DomainError):
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    assert not Certificate.objects.exists()


def test_a_refused_issue_does_not_use_up_a_registration_number_003_7_6(fifty, director):
    bad = enrol(fifty, hours=10, test=25)
    with pytest.raises(DomainError):
        certificate_issue(bad, by=director, on=datetime.date(2026, 3, 10))
    good = enrol(fifty, hours=None, test=20)
    assert certificate_issue(good, by=director, on=datetime.date(2026, 3, 10)).registration_number == (
        "ZIAT-2026-00001"
    )


def test_a_listener_gets_only_one_certificate_per_enrolment_5_4(org, director):
    certificate = issued(director)
    with pytest.raises(DomainError):
        certificate_issue(certificate.enrolment, by=director, on=datetime.date(2026, 3, 11))
    assert Certificate.objects.count() == 1


# --- registration numbers (003 §7.6) -----------------------------------------------------------------------


def test_registration_numbers_are_sequential_per_year_with_the_prefix_003_7_6(org, director):
    c = course()
    first = issued(director, cohort_=c, on=datetime.date(2026, 3, 10))
    second = issued(director, cohort_=c, on=datetime.date(2026, 3, 10))
    third = issued(director, cohort_=c, on=datetime.date(2026, 12, 31))
    assert [first.registration_number, second.registration_number, third.registration_number] == [
        "ZIAT-2026-00001",
        "ZIAT-2026-00002",
        "ZIAT-2026-00003",
    ]


def test_registration_sequence_restarts_each_year_003_7_6(org, director):
    c = course()
    numbers = [
        issued(director, cohort_=c, on=day).registration_number
        for day in (datetime.date(2025, 12, 30), datetime.date(2026, 1, 5), datetime.date(2025, 12, 31))
    ]
    assert numbers == ["ZIAT-2025-00001", "ZIAT-2026-00001", "ZIAT-2025-00002"]


def test_registration_prefix_is_the_organisations_setting_spec_organisation(db, director):
    organisation(registration_prefix="WKITU")
    assert issued(director, on=datetime.date(2026, 5, 4)).registration_number == "WKITU-2026-00001"


# --- verification token (000 §3.8) ---------------------------------------------------------------------------


def test_token_has_at_least_128_random_bits_and_is_unique_000_3_8(org, director):
    c = course()
    certificates = [issued(director, cohort_=c) for _ in range(6)]
    tokens = [x.token for x in certificates]
    for certificate in certificates:
        # URL-safe base64 carries 6 bits a character: 22 characters are 132 bits.
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", certificate.token)
        assert certificate.registration_number not in certificate.token
        assert str(certificate.pk) != certificate.token
    assert len(set(tokens)) == len(tokens)
    # Random tokens share no long common prefix (a counter or a timestamp would).
    assert len({t[:8] for t in tokens}) == len(tokens)


# --- validity: 3 years from issue (000 §3.8) ---------------------------------------------------------------


def test_certificate_valid_three_years_from_issue_000_3_8(org, director):
    certificate = issued(director, on=datetime.date(2026, 3, 10))
    assert certificate.issued_on == datetime.date(2026, 3, 10)
    assert certificate.valid_until == datetime.date(2029, 3, 10)
    assert certificate.state_on(datetime.date(2029, 3, 10)) == CertificateState.VALID
    assert certificate.state_on(datetime.date(2029, 3, 11)) == CertificateState.EXPIRED


def test_certificate_issued_on_29_february_is_valid_until_28_february_000_3_8(org, director):
    certificate = issued(director, on=datetime.date(2028, 2, 29))
    assert certificate.valid_until == datetime.date(2031, 2, 28)


# --- appendix (001 App. 4, 000 App. 2) -----------------------------------------------------------------------


def test_appendix_lines_are_the_programs_modules_then_the_final_assessment_adding_up_to_the_hours_001_app4(
    org, director
):
    modules = (
        (("1.1", 2, 1, 0, 0, 1), ("1.2", 1, 1, 1, 1, 1)),  # 4 + 5 = 9 hours
        (("2.1", 4, 0, 2, 0, 0),),  # 6 hours
        (("3.1", Decimal("1.5"), 0, 0, 0, 0), ("3.2", 0, 0, 0, 0, Decimal("0.5"))),  # 2 hours
    )
    final = (("ҚА", 2, 0, 0, 0, 0),)
    c = course(modules=modules, final=final, session_hours=(4, 4, 4, 4, 3))
    certificate = issued(director, cohort_=c)
    lines = list(certificate.lines.order_by("position"))
    assert [(x.position, x.module_title_kk, x.module_title_ru, x.hours, x.is_final_assessment) for x in lines] == [
        (1, "1-модуль", "Модуль 1", Decimal("9"), False),
        (2, "2-модуль", "Модуль 2", Decimal("6"), False),
        (3, "3-модуль", "Модуль 3", Decimal("2"), False),
        (4, "4-модуль", "Модуль 4", Decimal("2"), True),
    ]
    # The volume of the course is the whole plan, final assessment included, and the appendix adds up to it.
    assert certificate.hours == Decimal("19") == sum(x.hours for x in lines)
    assert certificate.snapshot["hours"] == "19"
    assert [m["hours"] for m in certificate.snapshot["modules"]] == ["9", "6", "2", "2"]


def test_appendix_line_carries_the_recorded_module_grade_spec_4_6(org, director):
    c = course()
    e = enrol(c)
    module = c.version.modules.get(position=2)
    ModuleGrade.objects.create(enrolment=e, module=module, grade="өте жақсы / отлично")
    certificate = certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    grades = dict(certificate.lines.values_list("position", "grade"))
    assert grades[2] == "өте жақсы / отлично"
    assert grades[1]  # a module without a recorded grade still has one printed


def test_certificate_keeps_what_it_certified_when_the_program_is_renamed_later_5_1(org, director):
    certificate = issued(director)
    program = certificate.enrolment.cohort.program
    program.title_ru = "Другое название"
    program.save(update_fields=["title_ru"])
    certificate.refresh_from_db()
    assert certificate.program_title_ru == "Профессиональный рост педагога"


# --- who may issue and revoke ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["methodist", "registrar", "trainer", "accountant", "monitoring"])
def test_only_the_director_issues_certificates_5_1(org, role):
    e = enrol(course())
    with pytest.raises(DomainError):
        certificate_issue(e, by=staff_user(role), on=datetime.date(2026, 3, 10))
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("role", ["methodist", "registrar", "trainer"])
def test_only_the_director_issues_for_a_cohort_5_1(org, role):
    c = course()
    enrol(c)
    with pytest.raises(DomainError):
        certificates_issue_for_cohort(c, by=staff_user(role), on=datetime.date(2026, 3, 10))
    assert not Certificate.objects.exists()


def test_director_revokes_with_a_reason_5_6(org, director):
    certificate = issued(director)
    certificate_revoke(certificate, by=director, category="issued_in_error", note="  Выдан по ошибке  ")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_category == "issued_in_error"
    assert certificate.revoked_reason == "Выдан по ошибке"
    assert certificate.revoked_by == director
    assert certificate.state == CertificateState.REVOKED


@pytest.mark.parametrize("category", ["", "   ", None, "because"])
def test_revocation_without_an_official_reason_is_refused_5_6(org, director, category):
    certificate = issued(director)
    with pytest.raises(DomainError):
        certificate_revoke(certificate, by=director, category=category, note="a note alone is not enough")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.parametrize("role", ["registrar", "trainer", "methodist", "monitoring"])
def test_only_the_director_revokes_5_6(org, director, role):
    certificate = issued(director)
    with pytest.raises(DomainError):
        certificate_revoke(certificate, by=staff_user(role), category="false_data")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_a_revoked_certificate_cannot_be_revoked_again_5_6(org, director):
    certificate = issued(director)
    certificate_revoke(certificate, by=director, category="issued_in_error", note="Выдан по ошибке")
    with pytest.raises(DomainError):
        certificate_revoke(certificate, by=director, category="false_data", note="Ещё раз")
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Выдан по ошибке"


# --- a whole cohort --------------------------------------------------------------------------------------------


def test_issuing_for_a_cohort_returns_the_skipped_listeners_with_reasons_5_1(fifty, director):
    passed = enrol(fifty, hours=None, test=20, last_name="Жұмабаев")
    absent = enrol(fifty, hours=30, test=25, last_name="Иванова")
    failed = enrol(fifty, hours=None, test=10, last_name="Ким")
    untested = enrol(fifty, hours=None, test=None, last_name="Оспанова")
    both = enrol(fifty, hours=10, test=3, last_name="Петров")
    with translation.override("en"):
        certificates, skipped = certificates_issue_for_cohort(fifty, by=director, on=datetime.date(2026, 3, 10))
    assert [c.enrolment for c in certificates] == [passed]
    reasons = {e: r for e, r in skipped}
    assert set(reasons) == {absent, failed, untested, both}
    assert len(reasons[absent]) == 1 and "80%" in reasons[absent][0]
    assert len(reasons[failed]) == 1 and "pass mark" in reasons[failed][0]
    assert len(reasons[untested]) == 1 and "No final test result" in reasons[untested][0]
    assert len(reasons[both]) == 2
    assert list(Certificate.objects.values_list("enrolment", flat=True)) == [passed.pk]


def test_issuing_for_a_cohort_twice_issues_nothing_new_5_4(org, director):
    c = course()
    enrol(c)
    enrol(c)
    first, _skipped = certificates_issue_for_cohort(c, by=director, on=datetime.date(2026, 3, 10))
    again, skipped = certificates_issue_for_cohort(c, by=director, on=datetime.date(2026, 3, 11))
    assert len(first) == 2
    assert again == [] and skipped == []
    assert sorted(Certificate.objects.values_list("registration_number", flat=True)) == [
        "ZIAT-2026-00001",
        "ZIAT-2026-00002",
    ]
