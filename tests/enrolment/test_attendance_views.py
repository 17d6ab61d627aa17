"""The trainers' attendance grid and its sheets (SPEC 3.3, 001 §24)."""

import datetime
import io
import re

import pypdfium2 as pdfium
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from enrolment.models import Attendance, Session
from tests.factories import cohort, enrolment, export_download, listener, page_queries, program, sessions, staff_user


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def taught(c, trainer, n_hours):
    ss = sessions(c, n_hours)
    Session.objects.filter(pk__in=[s.pk for s in ss]).update(trainer=trainer)
    return list(Session.objects.filter(pk__in=[s.pk for s in ss]).order_by("date"))


@pytest.fixture
def course(db, org, trainer):
    c = cohort(program())
    ss = taught(c, trainer, ["4", "4", "2"])
    e1 = enrolment(c, listener(last_name="Абаева"))
    e2 = enrolment(c, listener(last_name="Жұмабаев"))
    return c, ss, (e1, e2)


def grid(c):
    return reverse("enrolment:attendance_grid", args=[c.pk])


def test_trainer_saves_the_grid_in_one_request_with_all_four_marks(course, trainer, client):
    c, ss, (e1, e2) = course
    client.force_login(trainer)
    data = {
        f"m-{ss[0].pk}-{e1.pk}": "present",
        f"m-{ss[1].pk}-{e1.pk}": "late",
        f"m-{ss[2].pk}-{e1.pk}": "present",
        f"m-{ss[0].pk}-{e2.pk}": "absent",
        f"m-{ss[1].pk}-{e2.pk}": "excused",
        f"m-{ss[2].pk}-{e2.pk}": "",  # left as it is
    }
    response = client.post(grid(c), data)
    assert response.status_code == 302
    saved = dict(((a.session_id, a.enrolment_id), a.status) for a in Attendance.objects.all())
    assert saved == {
        (ss[0].pk, e1.pk): "present",
        (ss[1].pk, e1.pk): "late",
        (ss[2].pk, e1.pk): "present",
        (ss[0].pk, e2.pk): "absent",
        (ss[1].pk, e2.pk): "excused",
    }
    page = client.get(grid(c)).content.decode()
    row = page[page.index(f'id="row-{e2.pk}"') :]
    row = row[: row.index("</tr>")]
    # 0 of 10 hours attended, 8 marked missed: at most 20% reachable, not admitted.
    assert "0 / 10" in row and "0.00%" in row and "20.00%" in row
    assert "below 80% — not admitted" in row
    assert "below 80%" not in page[page.index(f'id="row-{e1.pk}"') : page.index(f'id="row-{e2.pk}"')]


def test_at_risk_badge(course, trainer, client):
    c, ss, (e1, _e2) = course
    later = timezone.localdate() + datetime.timedelta(days=3)
    Session.objects.filter(pk=ss[2].pk).update(hours=30, date=later)  # 38 hours: missing 4 leaves 34 (89.47%) ...
    client.force_login(trainer)
    client.post(grid(c), {f"m-{ss[0].pk}-{e1.pk}": "absent", f"m-{ss[1].pk}-{e1.pk}": "present"})
    page = client.get(grid(c)).content.decode()
    assert "89.47%" in page and "at risk" not in page
    Session.objects.filter(pk=ss[2].pk).update(hours=14)  # ... of 22 hours it leaves 18 (81.81%)
    page = client.get(grid(c)).content.decode()
    assert "81.81%" in page and "at risk" in page and "below 80% — not admitted" not in page


def test_sessions_not_yet_started_are_read_only_and_a_posted_mark_is_refused(course, trainer, client):
    c, ss, (e1, _e2) = course
    future = Session.objects.create(
        cohort=c,
        date=timezone.localdate() + datetime.timedelta(days=2),
        starts_at=datetime.time(9),
        ends_at=datetime.time(11),
        hours=2,
        trainer=trainer,
    )
    client.force_login(trainer)
    page = client.get(grid(c)).content.decode()
    assert f'name="m-{ss[0].pk}-{e1.pk}"' in page
    assert f'name="m-{future.pk}-{e1.pk}"' not in page
    response = client.post(grid(c), {f"m-{ss[0].pk}-{e1.pk}": "present", f"m-{future.pk}-{e1.pk}": "present"})
    assert response.status_code == 200
    assert "has not started yet" in response.content.decode()
    assert not Attendance.objects.exists()


def test_distance_sessions_are_marked_the_same_way(course, trainer, client):
    c, ss, (e1, _e2) = course
    Session.objects.filter(pk=ss[0].pk).update(place="https://zoom.example.kz/j/1")
    client.force_login(trainer)
    client.post(grid(c), {f"m-{ss[0].pk}-{e1.pk}": "late"})
    assert Attendance.objects.get().status == "late"


def test_a_trainer_cannot_mark_another_trainers_cohort(course, client):
    c, ss, (e1, _e2) = course
    other = staff_user("trainer")
    client.force_login(other)
    assert client.get(grid(c)).status_code == 403
    assert client.post(grid(c), {f"m-{ss[0].pk}-{e1.pk}": "present"}).status_code == 403
    assert client.get(reverse("enrolment:attendance_xlsx", args=[c.pk])).status_code == 403
    assert not Attendance.objects.exists()


def test_director_marks_any_cohort_and_registrar_may_see_it(course, director, registrar, client):
    c, ss, (e1, _e2) = course
    client.force_login(director)
    assert client.post(grid(c), {f"m-{ss[0].pk}-{e1.pk}": "present"}).status_code == 302
    client.force_login(registrar)
    assert client.get(grid(c)).status_code == 200


def test_accountant_and_anonymous_are_kept_out(course, client):
    c, _ss, _es = course
    assert client.get(grid(c)).status_code == 302
    client.force_login(staff_user("accountant"))
    assert client.get(grid(c)).status_code == 403


def test_unknown_mark_is_refused(course, trainer, client):
    c, ss, (e1, _e2) = course
    client.force_login(trainer)
    response = client.post(grid(c), {f"m-{ss[0].pk}-{e1.pk}": "sleeping"})
    assert "Unknown attendance mark" in response.content.decode()
    assert not Attendance.objects.exists()


def _grid_of(trainer, n_listeners, n_sessions):
    c = cohort(program(), ends_on=datetime.date(2026, 5, 30))
    ss = taught(c, trainer, ["2"] * n_sessions)
    es = [enrolment(c) for _ in range(n_listeners)]
    return c, ss, es


def test_grid_query_count_is_the_same_for_30_by_40_as_for_2_by_3(db, org, trainer, client):
    client.force_login(trainer)
    counts = []
    for n_listeners, n_sessions in ((2, 3), (30, 40)):
        c, ss, es = _grid_of(trainer, n_listeners, n_sessions)
        Attendance.objects.bulk_create(
            Attendance(session=s, enrolment=e, status="present", marked_by=trainer) for s in ss for e in es
        )
        counts.append(page_queries(client, grid(c)))
    assert counts[0] == counts[1]


def test_saving_query_count_is_the_same_for_30_by_40_as_for_2_by_3(db, org, trainer, client):
    client.force_login(trainer)
    counts = []
    for n_listeners, n_sessions in ((2, 3), (30, 40)):
        c, ss, es = _grid_of(trainer, n_listeners, n_sessions)
        data = {f"m-{s.pk}-{e.pk}": "present" for s in ss for e in es}
        with CaptureQueriesContext(connection) as queries:
            assert client.post(grid(c), data).status_code == 302
        assert Attendance.objects.filter(session__cohort=c).count() == n_listeners * n_sessions
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_excel_sheet_reads_back(course, trainer, client):
    c, ss, (e1, e2) = course
    client.force_login(trainer)
    client.post(grid(c), {f"m-{ss[0].pk}-{e1.pk}": "present", f"m-{ss[1].pk}-{e1.pk}": "late"})
    response = export_download(client, reverse("enrolment:attendance_xlsx", args=[c.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'attendance-{c.code}.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("№", "Listener", f"{ss[0].date:%d.%m.%Y} 09:00 (4 h)")
    assert rows[0][-4:] == ("Attended hours", "So far, %", "Maximum reachable, %", "Remark")
    first = rows[1]
    assert first[1] == e1.listener.full_name
    assert first[2:5] == ("Present", "Late", None)
    assert (first[5], first[6], first[7], first[8]) == (8, 80, 100, None)  # the third session is not marked
    assert rows[2][1] == e2.listener.full_name and rows[2][-1] == "below 80% — not admitted"
    assert [r[0] for r in book.worksheets[1].iter_rows(values_only=True)][1:] == [f"{s.date:%d.%m.%Y}" for s in ss]


def test_pdf_sheet_reads_back_with_marks_and_signature_lines(course, trainer, client, org):
    c, ss, (e1, e2) = course
    trainer.last_name, trainer.first_name = "Оспанов", "Ерлан"
    trainer.save(update_fields=["last_name", "first_name"])
    client.force_login(trainer)
    client.post(grid(c), {f"m-{ss[0].pk}-{e1.pk}": "present", f"m-{ss[0].pk}-{e2.pk}": "absent"})
    response = client.get(reverse("enrolment:attendance_pdf", args=[c.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.content)
    text = re.sub(r"\s+", " ", " ".join(page.get_textpage().get_text_range() for page in pdf))
    assert org.name_kk in text and org.name_ru in text
    assert "Attendance sheet" in text and c.code in text
    assert "Абаева" in text and "Жұмабаев" in text
    assert "Signature" in text and "Trainer" in text and "Оспанов" in text
    assert "+ — Present" in text and "A — Absent" in text
