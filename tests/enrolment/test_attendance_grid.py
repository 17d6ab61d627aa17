"""The back-office has no attendance grid of its own: marks are taken on the staff grid (SPEC 3.3), where
all four marks are kept; a post to the former back-office address changes no mark."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enrolment.enums import AttendanceStatus
from enrolment.models import Attendance
from enrolment.services.core import attendance_save
from tests.factories import cohort, enrolment, program, sessions, teach


@pytest.fixture
def course(db, org, trainer):
    c = cohort(program())
    ss = sessions(c, ["4", "4", "2"])
    teach(c, trainer)
    return c, ss, [enrolment(c), enrolment(c)]


def test_late_and_excused_marks_survive_a_post_to_the_former_back_office_grid_3_3(course, director, client):
    c, ss, (e1, e2) = course
    attendance_save(
        cohort=c,
        marks={(ss[0].pk, e1.pk): AttendanceStatus.LATE, (ss[0].pk, e2.pk): AttendanceStatus.EXCUSED},
        by=director,
        now=timezone.make_aware(datetime.datetime.combine(ss[0].date, datetime.time(14))),
    )
    client.force_login(director)
    client.post(f"/admin/enrolment/cohort/{c.pk}/attendance/", {f"a-{ss[0].pk}-{e1.pk}": "on"})
    marks = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert marks == {e1.pk: AttendanceStatus.LATE, e2.pk: AttendanceStatus.EXCUSED}


def test_the_back_office_cohort_page_sends_to_the_staff_grid(course, director, client):
    c, _ss, _enrolments = course
    client.force_login(director)
    html = client.get(reverse("admin:enrolment_cohort_change", args=[c.pk])).content.decode()
    assert 'name="_save"' not in html
    html = client.get(reverse("admin:enrolment_cohort_changelist")).content.decode()
    assert reverse("enrolment:attendance_grid", args=[c.pk]) in html
