"""Personal data from the national education database (NOBD) export: preview, then apply (001 §24, 003 §6.9)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from enrolment.iin import iin_check_digit, make_iin
from enrolment.models import Listener
from tests import factories

RU = [
    "ИИН",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Должность",
    "Место работы",
    "Образование",
    "Квалификационная категория",
    "Срок действия категории",
    "Общий стаж",
    "Педагогический стаж",
]
URL = "/staff/enrolment/nobd/"
BORN = datetime.date(1985, 4, 12)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def xlsx(rows, header=RU, name="nobd.xlsx", prepare=None):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if prepare:
        prepare(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(listener, **changes):
    values = {
        "iin": listener.iin,
        "last_name": listener.user.last_name,
        "first_name": listener.user.first_name,
        "middle_name": "",
        "birth_date": BORN,
        "position": "Учитель химии",
        "workplace": "КГУ «Школа-лицей № 12»",
        "education": "Высшее, ЕНУ, 2007",
        "category": "педагог-исследователь",
        "category_valid_until": "31.05.2029",
        "experience_total": 17,
        "experience_teaching": 15,
    }
    values.update(changes)
    return list(values.values())


@pytest.fixture
def known(db, org):
    return factories.listener(born=BORN, iin=make_iin(BORN, 901, female=True), position="Мұғалім")


def _preview(client, upload):
    """Upload: a background job reads the file and leads to its preview (or stays with its failure)."""
    return client.post(URL, {"file": upload}, follow=True)


def _confirm(client, preview):
    """Confirm the preview shown by ``preview``: a background job applies it and leads back to the upload."""
    return client.post(preview.request["PATH_INFO"], follow=True)


def test_preview_shows_the_changes_and_applies_only_on_confirm_003_6_9(known, client, registrar):
    client.force_login(registrar)
    stranger = make_iin(datetime.date(1990, 1, 1), 55)
    upload = xlsx(
        [
            row(known),
            row(known, iin=stranger, last_name="Незнакомов", birth_date=datetime.date(1990, 1, 1)),
        ]
    )
    response = _preview(client, upload)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Мұғалім" in page and "Учитель химии" in page
    assert "31.05.2029" in page
    assert stranger in page and "Незнакомов" in page
    assert [r["iin"] for r in response.context["unknown"]] == [stranger]
    assert response.context["errors"] == []
    changes = dict((listener.iin, fields) for listener, fields in response.context["changes"])
    names = {f[0]: (f[2], f[3]) for f in changes[known.iin]}
    assert names["position"] == ("Мұғалім", "Учитель химии")
    assert names["experience_total"] == (None, 17)
    assert "last_name" not in names  # unchanged values are not listed
    # Nothing is saved by the preview.
    known.refresh_from_db()
    assert known.position == "Мұғалім" and known.experience_total is None

    response = _confirm(client, response)
    assert response.request["PATH_INFO"] == URL
    assert "1 listeners changed" in response.content.decode()
    known.refresh_from_db()
    assert known.position == "Учитель химии"
    assert known.workplace == "КГУ «Школа-лицей № 12»"
    assert known.category_valid_until == datetime.date(2029, 5, 31)
    assert (known.experience_total, known.experience_teaching) == (17, 15)
    assert not Listener.objects.filter(iin=stranger).exists()


def test_rows_with_errors_are_listed_and_skipped(known, client, registrar):
    other = factories.listener(born=BORN, iin=make_iin(BORN, 950))
    bad_check = known.iin[:11] + str((int(known.iin[11]) + 1) % 10)
    impossible = "850231" + "40123"
    impossible += str(iin_check_digit(impossible))
    client.force_login(registrar)
    upload = xlsx(
        [
            row(known, iin=bad_check),
            row(known, iin=impossible),
            row(known, birth_date=datetime.date(1985, 4, 13)),
            row(other, category_valid_until="31/05/2029"),
            row(other, experience_total=5, experience_teaching=9),
            row(other, experience_total="много"),
        ]
    )
    response = _preview(client, upload)
    errors = response.context["errors"]
    assert [e[0] for e in errors] == [2, 3, 4, 5, 6, 7]
    messages = " | ".join(e[2] for e in errors)
    assert "check digit" in messages
    assert "date of birth does not agree with the IIN" in messages
    assert "is not a date" in messages
    assert "cannot be longer than the total experience" in messages
    assert "is not a number of years" in messages
    assert response.context["changes"] == []
    assert "Apply the changes" not in response.content.decode()


def test_the_diff_is_computed_again_on_apply(known, client, registrar):
    client.force_login(registrar)
    response = _preview(client, xlsx([row(known)]))
    # Meanwhile someone corrects the workplace by hand; the rest still comes from the file.
    Listener.objects.filter(pk=known.pk).update(position="Учитель химии")
    _confirm(client, response)
    known.refresh_from_db()
    assert known.position == "Учитель химии" and known.experience_total == 17


def test_a_foreign_or_stale_preview_is_refused(known, client, registrar, director):
    from ziat.models import Job

    client.force_login(registrar)
    preview = _preview(client, xlsx([row(known)]))
    path = preview.request["PATH_INFO"]
    # Another member of staff can neither see nor confirm the registrar's preview.
    client.force_login(director)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    # An hour later the preview is refused as too old, with the upload offered again.
    client.force_login(registrar)
    job = Job.objects.get(kind="enrolment.nobd_read")
    Job.objects.filter(pk=job.pk).update(finished_at=job.finished_at - datetime.timedelta(hours=2))
    response = client.post(path)
    assert response.status_code == 400
    assert "too old" in response.content.decode()
    assert not Job.objects.filter(kind="enrolment.nobd_apply").exists()
    known.refresh_from_db()
    assert known.position == "Мұғалім"


def test_the_reading_and_the_applying_are_background_jobs_with_progress(known, client, registrar):
    """Slow work in the background: the upload leads to a job page; its outcome is kept with the job."""
    from ziat.models import Job

    client.force_login(registrar)
    response = client.post(URL, {"file": xlsx([row(known)])})
    read = Job.objects.get(kind="enrolment.nobd_read")
    assert response.status_code == 302 and response.url == f"/jobs/{read.pk}/"
    assert read.status == Job.Status.DONE and read.owner == registrar
    assert read.result["rows"][0]["iin"] == known.iin and read.done == read.total == 1
    _confirm(client, client.get(read.next_url))
    applied = Job.objects.get(kind="enrolment.nobd_apply")
    assert applied.status == Job.Status.DONE
    assert "1 listeners changed" in applied.message


def test_empty_cells_keep_what_is_on_record(known, client, registrar):
    client.force_login(registrar)
    response = _preview(client, xlsx([row(known, position=None, experience_total=None, experience_teaching=None)]))
    _confirm(client, response)
    known.refresh_from_db()
    assert known.position == "Мұғалім"
    assert known.education == "Высшее, ЕНУ, 2007"


def test_kazakh_and_english_headers_are_accepted(known, client, registrar):
    from enrolment.services.nobd import header_row

    client.force_login(registrar)
    for language in ("kk", "en"):
        response = _preview(client, xlsx([row(known)], header=header_row(language)))
        assert response.status_code == 200 and len(response.context["changes"]) == 1


def test_an_iin_stored_as_a_number_keeps_its_leading_zero(db, org, client, registrar):
    born = datetime.date(2003, 7, 9)
    young = factories.listener(born=born, iin=make_iin(born, 12))
    assert young.iin.startswith("0")
    client.force_login(registrar)
    response = _preview(client, xlsx([row(young, iin=int(young.iin), birth_date=born)]))
    assert response.context["errors"] == []
    assert len(response.context["changes"]) == 1


def _merge(sheet):
    sheet.merge_cells("B2:C2")


def _formula(sheet):
    sheet["F2"] = "=1+1"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda k: SimpleUploadedFile("nobd.xlsx", b"IIN;Name\n1;2\n"), "not a XLSX file"),
        (lambda k: SimpleUploadedFile("nobd.csv", b"IIN;Name\n1;2\n"), "not accepted"),
        (lambda k: xlsx([row(k)], prepare=_merge), "merged cells"),
        (lambda k: xlsx([row(k)], prepare=_formula), "formula"),
        (lambda k: xlsx([row(k)[:-1]], header=RU[:-1]), "Columns are missing"),
        (lambda k: xlsx([]), "no rows"),
    ],
)
def test_a_bad_file_imports_nothing(known, client, registrar, upload, message):
    client.force_login(registrar)
    response = _preview(client, upload(known))
    assert message in response.content.decode()
    assert "changes" not in response.context
    # Back from the failed reading: the upload again, the reason beside the file field.
    back = client.get(response.context["job"].next_url)
    assert back.status_code == 400
    assert message in str(back.context["form"].errors["file"])
    known.refresh_from_db()
    assert known.position == "Мұғалім" and known.experience_total is None


def test_too_many_rows_are_refused(known, client, registrar, monkeypatch):
    from enrolment.services import nobd
    from ziat.excel import read_table

    monkeypatch.setattr(nobd, "read_table", lambda upload, columns: read_table(upload, columns, max_rows=2))
    client.force_login(registrar)
    response = _preview(client, xlsx([row(known)] * 3))
    assert "at most 2" in response.content.decode()


def test_the_apply_is_all_or_nothing(known, client, registrar, monkeypatch):
    other = factories.listener(born=BORN, iin=make_iin(BORN, 960))
    client.force_login(registrar)
    preview = _preview(client, xlsx([row(known), row(other)]))

    original = Listener.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self.pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Listener, "save", failing_save)
    response = _confirm(client, preview)
    monkeypatch.undo()
    assert response.context["job"].status == "failed"
    assert "unexpected error" in response.content.decode()
    assert not Listener.objects.filter(position="Учитель химии").exists()


def test_the_template_has_the_headers(db, client, registrar):
    client.force_login(registrar)
    response = client.get("/staff/enrolment/nobd/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == [
        "IIN",
        "Last name",
        "First name",
        "Middle name",
        "Date of birth",
        "Position",
        "Workplace",
        "Education",
        "Qualification category",
        "Category valid until",
        "Total experience",
        "Teaching experience",
    ]


@pytest.mark.parametrize("role", ["trainer", "methodist", "accountant"])
def test_only_staff_who_change_listeners_import(known, client, role):
    client.force_login(factories.staff_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": xlsx([row(known)])}).status_code == 403
    client.force_login(known.user)
    assert client.get(URL).status_code == 403


def test_the_upload_page_offers_the_template(db, client, registrar):
    client.force_login(registrar)
    page = client.get(URL).content.decode()
    assert "/staff/enrolment/nobd/template.xlsx" in page


def test_confirming_a_preview_twice_starts_one_job_003_6_9(known, client, registrar):
    """A double click or a second tab on the preview's confirm: the second is led to the job already started."""
    from ziat.models import Job

    client.force_login(registrar)
    preview = _preview(client, xlsx([row(known)]))
    path = preview.request["PATH_INFO"]
    first = client.post(path)
    second = client.post(path)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind="enrolment.nobd_apply").count() == 1
    known.refresh_from_db()
    assert known.position == "Учитель химии"
    # Once that job has failed, confirming again starts another.
    Job.objects.filter(kind="enrolment.nobd_apply").update(status=Job.Status.FAILED)
    third = client.post(path)
    assert third.status_code == 302 and third["Location"] != first["Location"]
    assert Job.objects.filter(kind="enrolment.nobd_apply").count() == 2
