"""The demo's post-course support (000 §4.1-4.3): the finished cohort has its plan, consultations, a draft in
review and an event with registrations; loading the demo again changes nothing."""

import pytest
from django.core.management import call_command

from enrolment.models import Cohort
from postcourse.enums import ActivityStatus, ConsultationStatus, PublicationStatus
from postcourse.models import (
    Consultation,
    EventRegistration,
    Publication,
    SupportActivity,
    SupportEvent,
    SupportPeriod,
)


@pytest.mark.django_db
def test_the_demo_cohort_is_in_its_support_year_with_every_form_of_support_000_4_3(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    cohort = Cohort.objects.get(code="DEMO-004-01")
    assert SupportPeriod.objects.filter(enrolment__cohort=cohort).count() >= 4
    plan = SupportActivity.objects.filter(cohort=cohort)
    assert plan.count() == 5
    assert plan.filter(status=ActivityStatus.HELD).count() == 1
    assert all(a.expected_result for a in plan)  # each serves an expected result of the program (000 §4.2)
    assert sorted(Consultation.objects.filter(enrolment__cohort=cohort).values_list("status", flat=True)) == sorted(
        [ConsultationStatus.ANSWERED, ConsultationStatus.OPEN]
    )
    assert Publication.objects.get(enrolment__cohort=cohort).status == PublicationStatus.IN_REVIEW
    event = SupportEvent.objects.get()
    assert event.gives_certificate and list(event.programs.all()) == [cohort.program]
    assert EventRegistration.objects.filter(event=event).count() == 4
