"""The setting up of a cohort's tests, the import of a test bank and the assessment rules refuse, in the service
itself, anyone outside the record they act on, and change nothing (000 §2.11, §3.6; ``ziat.access``).

A cohort's tests belong to the cohort: a trainer of another cohort is refused even given the permission. A test
bank and the assessment rules are a program's, the centre's own: the permission decides, and the trainer, the
representative and the listener hold none.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from assessment import enums
from assessment.models import AssessmentScheme, BankVersion, CohortTest, Question, RubricCriterion
from assessment.services.bank import bank_import
from assessment.services.cohort_tests import cohort_test_save
from assessment.services.scheme import scheme_save
from enrolment.models import Partner, Representative
from tests.assessment import stafftests_factories as st
from tests.factories import UserFactory, cohort, enrolment, program, staff_user, teach
from ziat.access import AccessDenied
from ziat.errors import DomainError
from ziat.models import ActivityLog

WATCHED = [CohortTest, BankVersion, Question, AssessmentScheme, RubricCriterion, ActivityLog]


def everything():
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in WATCHED}


def given(user, perm):
    app_label, codename = perm.split(".")
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return get_user_model().objects.get(pk=user.pk)


def workbook_upload():
    book = Workbook()
    book.active.append(["module", "question", "option"])
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("bank.xlsx", data.getvalue())


@pytest.fixture
def w(db, org):
    prog = program()
    a, b = cohort(prog, code="A-1"), cohort(prog, code="B-1")
    bank = st.bank(prog)
    representative = UserFactory()
    Representative.objects.create(user=representative, partner=Partner.objects.create(name="№ 2 мектеп", kind="school"))
    return {
        "program": prog,
        "a": a,
        "b": b,
        "bank": bank,
        "test_a": st.make_test(a, bank),
        "outsiders": {
            "trainer of another cohort": teach(b, staff_user("trainer")),
            "representative of another organisation": representative,
            "listener of another cohort": enrolment(b).listener.user,
        },
    }


def _test_terms(w):
    now = timezone.now()
    return {
        "kind": enums.TestKind.ENTRANCE,
        "bank": w["bank"],
        "draw": {"1": 2, "2": 2},
        "time_limit_minutes": 30,
        "opens_at": now + datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=2),
        "title": "Кіріс диагностикасы",
    }


COHORT_CASES = {
    "cohort_test_add": (
        "assessment.add_cohorttest",
        lambda w, by: cohort_test_save(cohort=w["a"], by=by, **_test_terms(w)),
    ),
    "cohort_test_change": (
        "assessment.change_cohorttest",
        lambda w, by: cohort_test_save(cohort=w["a"], by=by, test=w["test_a"], **_test_terms(w)),
    ),
}
CENTRE_CASES = {
    "bank_import": lambda w, by: bank_import(program=w["program"], upload=workbook_upload(), by=by),
    "scheme_save": lambda w, by: scheme_save(
        program=w["program"],
        by=by,
        has_project=False,
        excellent_from=None,
        good_from=None,
        pass_from=None,
        module_grade_rule="",
    ),
}
OUTSIDERS = ["trainer of another cohort", "representative of another organisation", "listener of another cohort"]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("service", list(COHORT_CASES))
def test_a_cohorts_tests_refuse_an_outsider_given_the_permission(w, service, who):
    """000 §3.6: the tests are set up for the cohort by the centre; no one outside it changes them."""
    perm, call = COHORT_CASES[service]
    before = everything()
    with pytest.raises(AccessDenied):
        call(w, given(w["outsiders"][who], perm))
    assert everything() == before


@pytest.mark.parametrize("service", list(COHORT_CASES))
def test_the_same_trainer_given_the_permission_passes_the_rule_of_the_cohort_they_teach(w, service):
    """What refuses the trainer above is the cohort's rule: on the cohort they teach only the test's own rules
    may stop them."""
    perm, call = COHORT_CASES[service]
    trainer = given(w["outsiders"]["trainer of another cohort"], perm)
    own = {**w, "a": w["b"], "test_a": st.make_test(w["b"], w["bank"])}
    try:
        call(own, trainer)
    except AccessDenied:
        pytest.fail("the trainer was refused the cohort they teach")
    except DomainError:
        pass


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("service", list(CENTRE_CASES))
def test_a_programs_bank_and_rules_refuse_an_outsider(w, service, who):
    """000 §2.11: the methodists keep a program's test bank and assessment rules."""
    before = everything()
    with pytest.raises(AccessDenied):
        CENTRE_CASES[service](w, w["outsiders"][who])
    assert everything() == before
