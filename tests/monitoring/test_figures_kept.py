"""A finished cohort's outcome figures are kept and reused while nothing they rest on changed (000 §4.5 3))."""

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import CohortFigures
from monitoring.selectors import cohort_figures
from tests.certificates.helpers import attend, score
from tests.factories import staff_user

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(org):
    return staff_user("monitoring")


def _total(client, **params):
    page = client.get(reverse("monitoring:dashboard"), params)
    assert page.status_code == 200
    return page.context["overview"].total


def test_a_finished_cohorts_figures_are_kept_on_the_first_view_and_read_back_on_the_next_000_4_5(client, officer):
    c, _es = b.finished_cohort(results=(20, 10, 20), hours={2: 6})
    client.force_login(officer)
    total = _total(client)
    kept = CohortFigures.objects.get(cohort=c)
    assert (kept.enrolled, kept.completed, kept.passed, kept.attendance_listeners) == (3, 3, 1, 3)
    assert (total.passed, total.attendance) == (1, Decimal("86.7"))  # (100 + 100 + 60) / 3
    total = _total(client)
    assert (total.passed, total.attendance) == (1, Decimal("86.7"))
    again = CohortFigures.objects.get(cohort=c)
    assert (again.pk, again.updated_at, again.watermark) == (kept.pk, kept.updated_at, kept.watermark)
    # What the page shows is the kept row while its watermark is current (not the listeners' outcomes).
    CohortFigures.objects.filter(pk=kept.pk).update(passed=2)
    assert _total(client).passed == 2


def test_a_final_result_corrected_through_the_service_is_shown_at_once_000_4_5(client, officer):
    c, es = b.finished_cohort(results=(20, 10, 20))
    client.force_login(officer)
    assert _total(client).passed == 2
    before = CohortFigures.objects.get(cohort=c)
    score(es[1], 20)
    assert _total(client).passed == 3
    after = CohortFigures.objects.get(cohort=c)
    assert after.watermark != before.watermark and after.passed == 3


def test_attendance_saved_through_the_service_is_shown_at_once_000_4_5(client, officer):
    _c, es = b.finished_cohort(results=(20, 20))
    client.force_login(officer)
    total = _total(client)
    assert (total.passed, total.attendance) == (2, 100)
    attend(es[0], hours=6)  # 60%: below the 80% gate
    total = _total(client)
    assert (total.passed, total.attendance) == (1, 80)


def test_a_new_pass_mark_floor_of_the_organisation_recomputes_the_figures_000_4_5(client, officer, org):
    c, _es = b.finished_cohort(results=(20, 10, 20))  # of 25, the cohort's mark 17
    client.force_login(officer)
    assert _total(client).passed == 2
    org.pass_floor_percent = 90  # the mark becomes 22.5
    org.save()
    assert _total(client).passed == 0
    assert CohortFigures.objects.get(cohort=c).passed == 0


def test_a_running_cohorts_figures_are_never_kept_000_4_5(officer):
    c, _es = b.finished_cohort(results=(20, 10))
    [(_c, f)] = cohort_figures([c], today=c.ends_on)  # the course's last day: still running
    assert (f.enrolled, f.completed) == (2, 0)
    assert not CohortFigures.objects.exists()
    [(_c, f)] = cohort_figures([c])
    assert (f.completed, f.passed) == (2, 1)
    assert CohortFigures.objects.filter(cohort=c).exists()


def test_figures_of_an_organisations_teachers_are_computed_live_from_them_only_000_4_5(client, officer):
    c, es = b.finished_cohort(results=(20, 10, 20))
    partner, _rep = b.partner_with_teachers(c, es[1:2])
    client.force_login(officer)
    assert _total(client).passed == 2
    CohortFigures.objects.filter(cohort=c).update(enrolled=9, completed=9, passed=9)
    total = _total(client, organisation=partner.pk)
    assert (total.enrolled, total.completed, total.passed) == (1, 1, 0)
    assert CohortFigures.objects.get(cohort=c).passed == 9  # neither read nor written
