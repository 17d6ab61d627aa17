"""The attendance grid of listeners × sessions saves in one request (SPEC 3.3)."""

import pytest

from enrolment.models import Attendance
from tests.factories import cohort, enrolment, page_queries, program, sessions, teach


@pytest.fixture
def course(db, org, trainer):
    c = cohort(program())
    ss = sessions(c, ["4", "4", "2"])
    teach(c, trainer)
    return c, ss, [enrolment(c), enrolment(c)]


def test_trainer_saves_the_whole_grid_at_once(course, trainer, client):
    c, ss, (e1, e2) = course
    client.force_login(trainer)
    url = f"/admin/enrolment/cohort/{c.pk}/attendance/"
    response = client.post(
        url, {f"a-{ss[0].pk}-{e1.pk}": "on", f"a-{ss[1].pk}-{e1.pk}": "on", f"a-{ss[2].pk}-{e2.pk}": "on"}
    )
    assert response.status_code == 302
    present = set(Attendance.objects.filter(status="present").values_list("session_id", "enrolment_id"))
    assert present == {(ss[0].pk, e1.pk), (ss[1].pk, e1.pk), (ss[2].pk, e2.pk)}
    assert Attendance.objects.count() == 6
    page = client.get(url).content.decode()
    assert page.count("checked") == 3


def test_unticking_records_an_absence(course, trainer, client):
    c, ss, (e1, _e2) = course
    client.force_login(trainer)
    url = f"/admin/enrolment/cohort/{c.pk}/attendance/"
    client.post(url, {f"a-{ss[0].pk}-{e1.pk}": "on"})
    client.post(url, {})
    assert not Attendance.objects.filter(status="present").exists()


def test_accountant_may_not_mark_attendance(course, client):
    from tests.factories import staff_user

    c, ss, (e1, _e2) = course
    client.force_login(staff_user("accountant"))
    response = client.post(f"/admin/enrolment/cohort/{c.pk}/attendance/", {f"a-{ss[0].pk}-{e1.pk}": "on"})
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_unknown_cohort_is_404(db, trainer, client):
    client.force_login(trainer)
    assert client.get("/admin/enrolment/cohort/999999/attendance/").status_code == 404


def test_grid_query_count_does_not_grow_with_rows(db, org, trainer, client):
    counts = []
    for n in (1, 5):
        c = cohort(program())
        sessions(c, ["2"] * n)
        teach(c, trainer)
        for _ in range(n):
            enrolment(c)
        client.force_login(trainer)
        counts.append(page_queries(client, f"/admin/enrolment/cohort/{c.pk}/attendance/"))
    assert counts[0] == counts[1]
