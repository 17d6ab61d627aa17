"""Only an approved program with a complete methodical complex is taught (000 §2.1, §2.11)."""

import pytest
from django.utils import translation

from enrolment.models import Enrolment
from enrolment.services.core import enrolment_create
from programs.enums import ComplexPart
from tests.factories import cohort, listener, program
from ziat.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_listener_is_enrolled_on_an_approved_program_with_its_complex(registrar):
    enrolment_create(cohort=cohort(), listener=listener(), by=registrar)
    assert Enrolment.objects.count() == 1


def test_an_incomplete_methodical_complex_stops_enrolment_000_2_11(registrar):
    group = cohort()
    group.program.complex_items.filter(part=ComplexPart.TEST_BANK).delete()
    with pytest.raises(DomainError, match="methodical complex"):
        enrolment_create(cohort=group, listener=listener(), by=registrar)
    assert not Enrolment.objects.exists()


def test_an_unapproved_program_is_not_taught_000_2_1(registrar):
    draft = program(approved=False)
    approved = program()
    group = cohort(approved)
    type(group).objects.filter(pk=group.pk).update(program=draft)
    with pytest.raises(DomainError, match="approved"):
        enrolment_create(cohort=group, listener=listener(), by=registrar)
    assert not Enrolment.objects.exists()
