"""A finished cohort's outcome figures are kept by a periodic task and reused while nothing they rest on changed
(000 §4.5 3)); the dashboard only reads them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.figures import cohort_figures_refresh
from monitoring.models import CohortFigures
from monitoring.selectors import cohort_figures
from monitoring.tasks import cohort_figures as cohort_figures_task
from tests.certificates.helpers import attend, score
from tests.factories import staff_user, write_statements

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(org):
    return staff_user("monitoring")


def _total(client, **params):
    page = client.get(reverse("monitoring:dashboard"), params)
    assert page.status_code == 200
    return page.context["overview"].total


def test_the_dashboard_writes_nothing_and_reads_the_figures_the_task_keeps_000_4_5(client, officer):
    c, _es = b.finished_cohort(results=(20, 10, 20), hours={2: 6})
    client.force_login(officer)
    with CaptureQueriesContext(connection) as reading:
        total = _total(client)
    assert write_statements(reading) == []
    assert (total.passed, total.attendance) == (1, Decimal("86.7"))  # (100 + 100 + 60) / 3, computed live
    assert not CohortFigures.objects.exists()
    assert cohort_figures_task.call() == 1  # as the scheduler does every few minutes
    kept = CohortFigures.objects.get(cohort=c)
    assert (kept.enrolled, kept.completed, kept.passed, kept.attendance_listeners) == (3, 3, 1, 3)
    total = _total(client)
    assert (total.passed, total.attendance) == (1, Decimal("86.7"))
    # Nothing changed since: the next run keeps the row as it is.
    assert cohort_figures_refresh() == 0
    again = CohortFigures.objects.get(cohort=c)
    assert (again.pk, again.updated_at, again.watermark) == (kept.pk, kept.updated_at, kept.watermark)
    # What the page shows is the kept row while its watermark is current (not the listeners' outcomes).
    CohortFigures.objects.filter(pk=kept.pk).update(passed=2)
    with CaptureQueriesContext(connection) as reading:
        assert _total(client).passed == 2
    assert write_statements(reading) == []


def test_a_final_result_corrected_through_the_service_is_shown_at_once_000_4_5(client, officer):
    c, es = b.finished_cohort(results=(20, 10, 20))
    cohort_figures_refresh()
    client.force_login(officer)
    assert _total(client).passed == 2
    before = CohortFigures.objects.get(cohort=c)
    score(es[1], 20)
    assert _total(client).passed == 3  # the kept row is behind: computed live
    assert cohort_figures_refresh() == 1
    after = CohortFigures.objects.get(cohort=c)
    assert after.watermark != before.watermark and after.passed == 3
    assert _total(client).passed == 3


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
    cohort_figures_refresh()
    client.force_login(officer)
    assert _total(client).passed == 2
    org.pass_floor_percent = 90  # the mark becomes 22.5
    org.save()
    assert _total(client).passed == 0
    cohort_figures_refresh()
    assert CohortFigures.objects.get(cohort=c).passed == 0


def test_a_running_cohorts_figures_are_never_kept_000_4_5(officer):
    c, _es = b.finished_cohort(results=(20, 10))
    [(_c, f)] = cohort_figures([c], today=c.ends_on)  # the course's last day: still running
    assert (f.enrolled, f.completed) == (2, 0)
    assert cohort_figures_refresh(today=c.ends_on) == 0
    assert not CohortFigures.objects.exists()
    assert cohort_figures_refresh() == 1
    [(_c, f)] = cohort_figures([c])
    assert (f.completed, f.passed) == (2, 1)
    assert CohortFigures.objects.filter(cohort=c).exists()


def test_figures_of_an_organisations_teachers_are_computed_live_from_them_only_000_4_5(client, officer):
    c, es = b.finished_cohort(results=(20, 10, 20))
    partner, _rep = b.partner_with_teachers(c, es[1:2])
    cohort_figures_refresh()
    client.force_login(officer)
    assert _total(client).passed == 2
    CohortFigures.objects.filter(cohort=c).update(enrolled=9, completed=9, passed=9)
    total = _total(client, organisation=partner.pk)
    assert (total.enrolled, total.completed, total.passed) == (1, 1, 0)
    assert CohortFigures.objects.get(cohort=c).passed == 9  # neither read nor written
