"""Post-course support opens with the certificate, for one calendar year from the course end (SPEC 6.1;
000 §4.1, 001 §36, 003 §8.2)."""

import datetime

import pytest
from django.db import transaction

from certificates.services import certificate_issue, certificates_issue_for_cohort
from postcourse.models import SupportPeriod
from postcourse.services import support_period_open
from tests.certificates.helpers import course, enrol
from ziat.errors import DomainError


def test_certificate_opens_one_calendar_year_of_support_from_the_course_end_000_4_1(
    org, director, django_capture_on_commit_callbacks
):
    c = course(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 6))
    e = enrol(c)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    period = SupportPeriod.objects.get(enrolment=e)
    assert period.starts_on == datetime.date(2026, 3, 6)
    assert period.ends_on == datetime.date(2027, 3, 6)


def test_support_period_opens_only_when_the_issue_is_committed_001_36(
    org, director, django_capture_on_commit_callbacks
):
    e = enrol(course())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    assert not SupportPeriod.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert SupportPeriod.objects.filter(enrolment=e).exists()


def test_a_rolled_back_issue_opens_no_support_period_001_36(org, director, django_capture_on_commit_callbacks):
    e = enrol(course())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
        raise RuntimeError("the surrounding work failed")
    assert not SupportPeriod.objects.exists()


def test_course_ending_on_29_february_is_supported_until_28_february_000_4_1(
    org, director, django_capture_on_commit_callbacks
):
    c = course(starts_on=datetime.date(2028, 2, 24), ends_on=datetime.date(2028, 2, 29))
    e = enrol(c)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue(e, by=director, on=datetime.date(2028, 3, 1))
    period = SupportPeriod.objects.get(enrolment=e)
    assert (period.starts_on, period.ends_on) == (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28))


def test_support_period_counts_from_the_course_end_not_from_the_issue_date_000_4_1(
    org, director, django_capture_on_commit_callbacks
):
    c = course(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 6))
    e = enrol(c)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue(e, by=director, on=datetime.date(2026, 5, 20))
    assert SupportPeriod.objects.get(enrolment=e).ends_on == datetime.date(2027, 3, 6)


def test_cohort_issue_opens_support_for_the_certified_only_001_36(org, director, django_capture_on_commit_callbacks):
    c = course()
    passed = [enrol(c), enrol(c)]
    failed = enrol(c, test=5)
    with django_capture_on_commit_callbacks(execute=True):
        issued, skipped = certificates_issue_for_cohort(c, by=director, on=datetime.date(2026, 3, 10))
    assert len(issued) == 2 and [e for e, _r in skipped] == [failed]
    assert set(SupportPeriod.objects.values_list("enrolment", flat=True)) == {e.pk for e in passed}


def test_refused_certificate_opens_no_support_period_001_36(org, director, django_capture_on_commit_callbacks):
    e = enrol(course(), hours=2)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    assert not SupportPeriod.objects.exists()


def test_opening_support_twice_keeps_one_period_001_36(org):
    e = enrol(course())
    first = support_period_open(e)
    second = support_period_open(e)
    assert first.pk == second.pk
    assert SupportPeriod.objects.filter(enrolment=e).count() == 1


def test_cabinet_shows_the_support_period_000_4_1(client, org, director, django_capture_on_commit_callbacks):
    c = course(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 6))
    e = enrol(c)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    client.force_login(e.listener.user)
    html = client.get("/cabinet/").content.decode()
    assert "06.03.2026" in html
    assert "06.03.2027" in html
