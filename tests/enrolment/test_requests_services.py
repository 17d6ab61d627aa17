"""Partners' requests with their lists of teachers: the services (001 §§11-18, 003 §4.1-4.2)."""

import datetime
import io
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from enrolment.enums import EnrolmentStatus, PartnerKind, RequestStatus
from enrolment.iin import make_iin
from enrolment.models import (
    Contract,
    Enrolment,
    Listener,
    Message,
    Partner,
    Representative,
    RequestedTeacher,
    TeacherRequest,
)
from enrolment.services.requests import (
    COLUMNS,
    representative_create,
    request_accept,
    request_create,
    request_return,
    request_rows_preview,
    request_submit,
    request_teacher_add,
    request_teacher_remove,
    request_teachers_import,
)
from tests.factories import UserFactory, cohort, listener, staff_user
from ziat.errors import DomainError

pytestmark = pytest.mark.django_db

_serial = itertools.count(5000)
HEADER = [names[0] for names in COLUMNS.values()]


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are matched in the source language; the kk and ru catalogues are checked on their own."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# --------------------------------------------------------------------------- helpers (shared with the views)


def open_cohort(**kwargs):
    today = timezone.localdate()
    defaults = {
        "is_published": True,
        "starts_on": today + datetime.timedelta(days=60),
        "ends_on": today + datetime.timedelta(days=64),
        "capacity": 30,
    }
    defaults.update(kwargs)
    return cohort(**defaults)


def make_partner(name="№ 7 мектеп-гимназиясы", kind=PartnerKind.SCHOOL):
    return Partner.objects.create(name=name, kind=kind)


def make_representative(partner=None):
    user = UserFactory(last_name="Өкіл", first_name="Бақыт")
    return Representative.objects.create(user=user, partner=partner or make_partner()).user


def teacher(born=datetime.date(1988, 5, 17), **kwargs):
    """A valid row of a list, as values."""
    values = {
        "iin": make_iin(born, next(_serial)),
        "last_name": "Жұмабаева",
        "first_name": "Гүлнар",
        "middle_name": "Серікқызы",
        "birth_date": born,
        "position": "Мұғалім",
        "subject": "Математика",
        "email": "gulnar@example.kz",
        "phone": "+7 701 000 0000",
    }
    values.update(kwargs)
    return values


def sheet_row(values):
    return [values.get(key, "") for key in COLUMNS]


def xlsx(rows, *, header=HEADER, name="list.xlsx", fill=None):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(sheet_row(row) if isinstance(row, dict) else row)
    if fill:
        fill(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def draft(by, cohort_=None, teachers=()):
    item = request_create(by=by, cohort=cohort_ or open_cohort(), letter_number="12-05/341")
    for values in teachers:
        request_teacher_add(item, by=by, **values)
    return item


def submitted(by, cohort_=None, count=2):
    item = draft(by, cohort_, [teacher(born=datetime.date(1980 + i % 20, 1 + i % 12, 10)) for i in range(count)])
    return request_submit(item, by=by)


@pytest.fixture
def rep(db):
    return make_representative()


# --------------------------------------------------------------------------- the per-row check


def test_upload_reports_each_row_and_saves_nothing_on_error_003_4_1(rep):
    item = draft(rep)
    known = listener(last_name="Сәрсенова", first_name="Әйгерім")
    good = teacher()
    bad_check = teacher()
    bad_check["iin"] = bad_check["iin"][:11] + str((int(bad_check["iin"][11]) + 1) % 10)
    wrong_birth = teacher(born=datetime.date(1990, 3, 3))
    wrong_birth["birth_date"] = datetime.date(1990, 3, 4)
    upload = xlsx(
        [
            good,
            bad_check,
            wrong_birth,
            teacher(last_name=""),
            {**teacher(), "iin": good["iin"], "birth_date": good["birth_date"]},
            teacher(iin=known.iin, born=known.birth_date, last_name="Басқа", first_name="Адам"),
            teacher(iin=known.iin, born=known.birth_date, last_name="Сәрсенова", first_name="Әйгерім"),
            teacher(birth_date="31.02.1990"),
        ]
    )
    rows, checks = request_rows_preview(item, by=rep, upload=upload)
    report = {c.row: c.errors for c in checks}
    assert report[2] == []
    assert report[3] == ["The IIN's check digit is wrong."]
    assert report[4] == ["The date of birth 04.03.1990 does not agree with the IIN, which gives 03.03.1990."]
    assert report[5] == ["Last name is required."]
    assert report[6] == ["The same IIN is in row 2 of the list."]
    assert report[7] == ["A listener with this IIN is registered under another name."]
    assert report[8] == ["The same IIN is in row 7 of the list."]
    assert "is not a date" in " ".join(report[9])
    assert not item.teachers.exists()
    with pytest.raises(DomainError, match="7 rows of the list have errors; nothing was saved"):
        request_teachers_import(item, by=rep, rows=rows)
    assert not RequestedTeacher.objects.exists()


def test_a_correct_list_is_saved_whole_and_an_existing_listener_with_the_same_name_is_fine_003_4_1(rep):
    item = draft(rep)
    known = listener(last_name="Сәрсенова", first_name="Әйгерім")
    rows, checks = request_rows_preview(
        item,
        by=rep,
        upload=xlsx(
            [teacher(), teacher(iin=known.iin, born=known.birth_date, last_name="СӘРСЕНОВА ", first_name="әйгерім")]
        ),
    )
    assert all(c.ok for c in checks)
    saved = request_teachers_import(item, by=rep, rows=rows)
    assert [t.row for t in saved] == [1, 2]
    assert item.teachers.count() == 2


def test_a_teacher_already_in_the_request_is_refused_and_replace_empties_the_list_first(rep):
    first = teacher()
    item = draft(rep, teachers=[first])
    rows, checks = request_rows_preview(item, by=rep, upload=xlsx([first]))
    assert checks[0].errors == ["This teacher is already in the request (No. 1)."]
    rows, checks = request_rows_preview(item, by=rep, upload=xlsx([first, teacher()]), replace=True)
    assert all(c.ok for c in checks)
    request_teachers_import(item, by=rep, rows=rows, replace=True)
    assert item.teachers.count() == 2


def test_an_iin_typed_as_a_number_keeps_its_leading_zero(rep):
    values = teacher(born=datetime.date(2001, 2, 3))
    assert values["iin"].startswith("0")
    rows, checks = request_rows_preview(draft(rep), by=rep, upload=xlsx([[int(values["iin"]), *sheet_row(values)[1:]]]))
    assert rows[0]["iin"] == values["iin"]
    assert checks[0].ok


BAD_FILES = {
    "not-excel": (lambda: SimpleUploadedFile("list.xlsx", b"IIN;Name\n850412400123;x\n"), "not a XLSX"),
    "csv": (lambda: SimpleUploadedFile("list.csv", b"IIN;Name\n"), "not accepted"),
    "missing-columns": (lambda: xlsx([], header=["ЖСН / ИИН", "Тегі / Фамилия"]), "Columns are missing: Аты / Имя"),
    "formula": (lambda: xlsx([["=1+1", "x"]]), "Cell A2 holds a formula"),
    "merged": (lambda: xlsx([teacher()], fill=lambda s: s.merge_cells("B2:C2")), "merged cells"),
    "10000-rows": (lambda: xlsx([["1", "x"]] * 10_000), "10000 rows; at most 500"),
    "empty": (lambda: xlsx([]), "lists no teachers"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_refused_whole_003_4_1(rep, kind):
    make, message = BAD_FILES[kind]
    item = draft(rep)
    with pytest.raises(DomainError, match=message):
        request_rows_preview(item, by=rep, upload=make())
    assert not item.teachers.exists()


def test_a_teacher_typed_in_is_checked_like_a_row(rep):
    item = draft(rep)
    values = teacher()
    request_teacher_add(item, by=rep, **values)
    with pytest.raises(DomainError, match="already in the request"):
        request_teacher_add(item, by=rep, **values)
    with pytest.raises(DomainError, match="does not agree with the IIN"):
        request_teacher_add(item, by=rep, **teacher(birth_date=datetime.date(1970, 1, 1)))
    added = item.teachers.get()
    request_teacher_remove(item, by=rep, teacher=added)
    assert not item.teachers.exists()


# --------------------------------------------------------------------------- the request's path


def test_a_request_is_for_an_open_cohort_and_is_sent_with_teachers(rep):
    with pytest.raises(DomainError, match="not open for requests"):
        request_create(by=rep, cohort=open_cohort(is_published=False))
    past = timezone.localdate() - datetime.timedelta(days=10)
    with pytest.raises(DomainError, match="has already ended"):
        request_create(by=rep, cohort=open_cohort(starts_on=past, ends_on=past))
    with pytest.raises(DomainError, match="Only a representative"):
        request_create(by=staff_user("registrar"), cohort=open_cohort())
    item = draft(rep)
    with pytest.raises(DomainError, match="at least one teacher"):
        request_submit(item, by=rep)
    request_teacher_add(item, by=rep, **teacher())
    sent = request_submit(item, by=rep)
    assert sent.status == RequestStatus.SUBMITTED and sent.submitted_at
    with pytest.raises(DomainError, match="cannot be changed"):
        request_teacher_add(item, by=rep, **teacher())


def test_another_partners_representative_cannot_touch_the_request(rep):
    item = draft(rep)
    other = make_representative(make_partner("Басқа мектеп"))
    with pytest.raises(DomainError, match="another organisation"):
        request_teacher_add(item, by=other, **teacher())
    with pytest.raises(DomainError, match="another organisation"):
        request_submit(item, by=other)


def test_accept_creates_listeners_admits_them_and_tells_them_001_18(rep, registrar, django_capture_on_commit_callbacks):
    known = listener(last_name="Сәрсенова", first_name="Әйгерім", email="")
    c = open_cohort(capacity=5)
    Partner.objects.filter(pk=rep.representative.partner_id).update(email="school@example.kz")
    item = draft(
        rep, c, [teacher(), teacher(iin=known.iin, born=known.birth_date, last_name="Сәрсенова", first_name="Әйгерім")]
    )
    request_submit(item, by=rep)
    with django_capture_on_commit_callbacks(execute=True):
        request_accept(item, by=registrar)
    item.refresh_from_db()
    assert item.status == RequestStatus.ACCEPTED and item.decided_by == registrar
    teachers = list(item.teachers.select_related("listener__user"))
    new = teachers[0].listener
    assert new.iin == teachers[0].iin and new.workplace == item.partner.name and new.position == "Мұғалім"
    assert not new.user.has_usable_password() and not new.user.is_staff
    assert new.user.middle_name == "Серікқызы"
    assert teachers[1].listener == known
    assert Listener.objects.count() == 2
    enrolments = Enrolment.objects.filter(cohort=c)
    assert {e.status for e in enrolments} == {EnrolmentStatus.ADMITTED}
    assert {e.funding for e in enrolments} == {c.funding}
    assert {e.listener_id for e in enrolments} == {new.pk, known.pk}
    # Each is told of the admission and of the contract to accept (000 §3.6).
    kinds = sorted(Message.objects.filter(listener__in=[new, known]).values_list("kind", flat=True))
    assert kinds == ["admitted"] * 2 + ["contract_to_accept"] * 2
    assert Contract.objects.filter(enrolment__in=enrolments).count() == 2
    # The known listener has no address; the school is told of the decision too.
    assert sorted(m.to for m in mail.outbox) == [["gulnar@example.kz"]] * 2 + [["school@example.kz"]]


def test_a_full_cohort_refuses_the_whole_acceptance_naming_the_seats_left(rep, registrar):
    c = open_cohort(capacity=3)
    Enrolment.objects.create(cohort=c, listener=listener(), status=EnrolmentStatus.ENROLLED)
    item = submitted(rep, c, count=3)
    with pytest.raises(DomainError, match="has 2 seats left, and the request lists 3 teachers. Nothing was accepted"):
        request_accept(item, by=registrar)
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED
    assert Listener.objects.count() == 1
    assert Enrolment.objects.filter(cohort=c).count() == 1
    assert not Message.objects.exists()


def test_a_failing_row_on_acceptance_undoes_the_other_rows(rep, registrar):
    c = open_cohort()
    item = submitted(rep, c, count=2)
    second = item.teachers.order_by("row")[1]
    # Meanwhile the IIN of the second teacher is registered under another name.
    listener(iin=second.iin, born=second.birth_date, last_name="Басқа", first_name="Адам")
    with pytest.raises(DomainError, match="Row 2, .*registered as Басқа Адам.*Nothing was accepted"):
        request_accept(item, by=registrar)
    assert Listener.objects.count() == 1
    assert not Enrolment.objects.exists()
    assert TeacherRequest.objects.get().status == RequestStatus.SUBMITTED


def test_return_needs_a_reason_and_the_representative_sends_again(rep, registrar, django_capture_on_commit_callbacks):
    rep.email = "school7@example.kz"
    rep.save(update_fields=["email"])
    item = submitted(rep)
    with pytest.raises(DomainError, match="Give the reason"):
        request_return(item, by=registrar, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        request_return(item, by=registrar, reason="Хат нөмірі жоқ / нет номера письма")
    item.refresh_from_db()
    assert item.status == RequestStatus.RETURNED and item.return_reason.startswith("Хат")
    (message,) = mail.outbox
    assert message.to == ["school7@example.kz"]
    assert "Хат нөмірі жоқ / нет номера письма" in message.body
    assert f"/partner/requests/{item.pk}/" in message.body
    request_teacher_add(item, by=rep, **teacher())
    assert request_submit(item, by=rep).status == RequestStatus.SUBMITTED


def test_only_the_registrar_decides_and_only_on_a_sent_request(rep, registrar):
    item = draft(rep, teachers=[teacher()])
    with pytest.raises(DomainError, match="Only a request sent"):
        request_accept(item, by=registrar)
    request_submit(item, by=rep)
    for user in (rep, staff_user("trainer")):
        with pytest.raises(DomainError, match="may not decide"):
            request_accept(item, by=user)
        with pytest.raises(DomainError, match="may not decide"):
            request_return(item, by=user, reason="x")


def test_the_template_downloads_with_headers_in_kazakh_and_russian(rep, client):
    client.force_login(rep)
    response = client.get("/partner/requests/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["ЖСН / ИИН", "Тегі / Фамилия", "Аты / Имя", "Әкесінің аты / Отчество"]
    assert "Туған күні / Дата рождения" in header
    # Filled in and uploaded, the template is read back.
    sheet.append(sheet_row(teacher()))
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    rows, checks = request_rows_preview(
        draft(rep), by=rep, upload=SimpleUploadedFile("teachers.xlsx", buffer.getvalue())
    )
    assert len(rows) == 1 and checks[0].ok


def test_representative_create_makes_a_non_staff_user(director):
    partner = make_partner()
    made = representative_create(
        by=director, partner=partner, username="school7", last_name="Өкіл", first_name="Бақыт", password="Qwerty-12345!"
    )
    user = get_user_model().objects.get(username="school7")
    assert made.user == user and not user.is_staff and user.check_password("Qwerty-12345!")
    with pytest.raises(DomainError, match="already taken"):
        representative_create(by=director, partner=partner, username="school7", last_name="A", first_name="B")
