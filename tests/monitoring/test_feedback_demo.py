"""The demo's feedback on its finished cohort: satisfaction, self-analysis, follow-ups, the school's
observation and the NOBD deadlines (000 §4.5, 001 §19, §34, §35)."""

import pytest
from django.core.management import call_command
from django.test import Client

from enrolment.models import Cohort
from monitoring.models import NobdDeadline, SatisfactionComment, SatisfactionReceipt, SelfAnalysis
from monitoring.rules import satisfaction_shown
from monitoring.selectors import satisfaction_results
from postcourse.models import FollowUp, SchoolObservation
from ziat.models import User


def _counts():
    return (
        SatisfactionReceipt.objects.count(),
        SatisfactionComment.objects.count(),
        SelfAnalysis.objects.count(),
        FollowUp.objects.filter(answered_at__isnull=False).count(),
        SchoolObservation.objects.count(),
        NobdDeadline.objects.filter(confirmed_at__isnull=False).count(),
    )


@pytest.mark.django_db(transaction=True)
def test_demo_feedback_of_the_finished_cohort_is_loaded_once_000_4_5_001_34_001_35_001_19(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    cohort = Cohort.objects.get(code="DEMO-004-01")
    results = satisfaction_results(cohort)
    assert satisfaction_shown(results.answers) and results.shown
    assert {a.role for a in SelfAnalysis.objects.filter(cohort=cohort)} == {"trainer", "organiser"}
    # The answered follow-ups are due ones (001 §34): those of the cohort of three years ago, one left open.
    answered = FollowUp.objects.filter(answered_at__isnull=False)
    assert answered.count() == 7 and not answered.filter(enrolment__cohort=cohort).exists()
    assert all(f.due_on <= f.answered_at.date() for f in answered)
    assert FollowUp.objects.filter(enrolment__cohort=cohort).count() == 3 * 10  # planned for each certified
    assert SchoolObservation.objects.filter(enrolment__cohort=cohort, author__username="school").exists()
    assert NobdDeadline.objects.filter(confirmed_at__isnull=False).count() == 1
    assert NobdDeadline.objects.filter(cohort=cohort).exists()
    school = Client()
    school.force_login(User.objects.get(username="school"))
    page = school.get("/partner/teachers/").content.decode()
    observed = SchoolObservation.objects.filter(author__username="school").select_related("enrolment__listener__user")
    assert all(o.enrolment.listener.user.last_name in page for o in observed)
    director = Client()
    director.force_login(User.objects.get(username="director"))
    assert 'id="satisfaction"' in director.get(f"/monitoring/satisfaction/{cohort.pk}/").content.decode()
