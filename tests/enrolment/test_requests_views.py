"""Partners' requests over HTTP: who may open what, the upload in two steps, the registrar's pages."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from certificates.legacy import legacy_documents_prepare
from certificates.models import Certificate
from enrolment.enums import EnrolmentStatus, RequestStatus
from enrolment.forms.requests import sign_rows
from enrolment.models import Enrolment, Listener, Representative, RequestedTeacher, TeacherRequest
from enrolment.services.requests import request_accept, request_submit
from tests.enrolment.test_requests_services import (
    draft,
    make_partner,
    make_representative,
    open_cohort,
    submitted,
    teacher,
    xlsx,
)
from tests.factories import listener, page_queries, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _client(user=None):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def rep(db):
    return make_representative()


@pytest.fixture
def as_rep(rep):
    return _client(rep)


@pytest.fixture
def as_registrar(registrar):
    return _client(registrar)


def _text(response):
    return response.content.decode()


# --------------------------------------------------------------------------- who may open what

PARTNER_PAGES = [
    ("get", "partner_home", False),
    ("get", "partner_request_create", False),
    ("get", "partner_request_template", False),
    ("get", "partner_request_detail", True),
    ("get", "partner_request_edit", True),
    ("post", "partner_teacher_add", True),
    ("get", "partner_request_upload", True),
    ("post", "partner_request_upload_confirm", True),
    ("post", "partner_request_submit", True),
]
STAFF_PAGES = [
    ("get", "request_list", False),
    ("get", "request_detail", True),
    ("post", "request_accept", True),
    ("post", "request_return", True),
    ("get", "request_export", True),
]


def _url(name, with_pk, item):
    return reverse(f"enrolment:{name}", kwargs={"pk": item.pk} if with_pk else None)


@pytest.mark.parametrize(("method", "name", "with_pk"), PARTNER_PAGES + STAFF_PAGES)
def test_anonymous_is_sent_to_login(rep, method, name, with_pk):
    url = _url(name, with_pk, submitted(rep))
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("method", "name", "with_pk"), PARTNER_PAGES + STAFF_PAGES)
def test_a_listener_is_refused(rep, method, name, with_pk):
    url = _url(name, with_pk, submitted(rep))
    assert getattr(_client(listener().user), method)(url).status_code == 403


@pytest.mark.parametrize(("method", "name", "with_pk"), PARTNER_PAGES)
def test_staff_do_not_use_the_partners_pages(rep, registrar, method, name, with_pk):
    url = _url(name, with_pk, submitted(rep))
    assert getattr(_client(registrar), method)(url).status_code == 403


@pytest.mark.parametrize(("method", "name", "with_pk"), STAFF_PAGES)
def test_a_representative_does_not_reach_the_registrars_pages(rep, method, name, with_pk):
    url = _url(name, with_pk, submitted(rep))
    assert getattr(_client(rep), method)(url).status_code == 403


@pytest.mark.parametrize(("method", "name", "with_pk"), [p for p in PARTNER_PAGES if p[2]])
def test_another_partners_request_is_not_found(rep, method, name, with_pk):
    item = draft(rep, teachers=[teacher()])
    other = _client(make_representative(make_partner("Басқа мектеп")))
    assert getattr(other, method)(_url(name, with_pk, item)).status_code == 404
    assert TeacherRequest.objects.get().status == RequestStatus.DRAFT
    assert RequestedTeacher.objects.count() == 1


def test_another_partners_teacher_cannot_be_removed(rep, as_rep):
    mine = draft(rep)
    theirs = draft(make_representative(make_partner("Басқа мектеп")), teachers=[teacher()])
    stranger = theirs.teachers.get()
    for item in (mine, theirs):
        url = reverse("enrolment:partner_teacher_remove", kwargs={"pk": item.pk, "teacher_pk": stranger.pk})
        assert as_rep.post(url).status_code == 404
    assert RequestedTeacher.objects.filter(pk=stranger.pk).exists()


def test_the_registrar_does_not_see_drafts(rep, as_registrar):
    item = draft(rep, teachers=[teacher()])
    assert as_registrar.get(reverse("enrolment:request_detail", args=[item.pk])).status_code == 404
    assert item.partner.name not in _text(as_registrar.get(reverse("enrolment:request_list")))


# --------------------------------------------------------------------------- the representative's pages


def test_a_representative_creates_a_request_adds_teachers_and_sends_it_003_4_1(rep, as_rep):
    c = open_cohort()
    closed = open_cohort(is_published=False)
    page = _text(as_rep.get(reverse("enrolment:partner_request_create")))
    assert c.code in page and closed.code not in page
    response = as_rep.post(reverse("enrolment:partner_request_create"), {"cohort": c.pk, "letter_number": "05-12/7"})
    item = TeacherRequest.objects.get()
    assert response.status_code == 302 and item.partner == rep.representative.partner
    values = teacher()
    form = {**values, "birth_date": values["birth_date"].isoformat()}
    add = reverse("enrolment:partner_teacher_add", args=[item.pk])
    assert as_rep.post(add, form).status_code == 302
    response = as_rep.post(add, {**form, "birth_date": "1970-01-01"})
    assert response.status_code == 400 and "does not agree with the IIN" in _text(response)
    detail = _text(as_rep.get(reverse("enrolment:partner_request_detail", args=[item.pk])))
    assert values["iin"] in detail and "not yet admitted" in detail
    assert as_rep.post(reverse("enrolment:partner_request_submit", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED
    assert "Add a teacher" not in _text(as_rep.get(reverse("enrolment:partner_request_detail", args=[item.pk])))


def _report_rows(html):
    table = re.search(r'<table class="list" id="report">(.*?)</table>', html, re.S).group(1)
    return re.findall(r"<tr class=\"(ok|error)\">\s*<td>(\d+)</td>", table)


def test_upload_shows_a_report_table_and_saves_nothing_until_confirmed_003_4_1(rep, as_rep):
    item = draft(rep)
    url = reverse("enrolment:partner_request_upload", args=[item.pk])
    assert as_rep.get(url).status_code == 200
    bad = teacher()
    bad["iin"] = bad["iin"][:11] + str((int(bad["iin"][11]) + 1) % 10)
    response = as_rep.post(url, {"file": xlsx([teacher(), bad])})
    html = _text(response)
    assert _report_rows(html) == [("ok", "2"), ("error", "3")]
    assert "The IIN&#x27;s check digit is wrong." in html
    assert "1 row has errors. Nothing was saved" in html
    assert "payload" not in html  # no way to save a list with errors
    assert not RequestedTeacher.objects.exists()

    response = as_rep.post(url, {"file": xlsx([teacher(), teacher()])})
    html = _text(response)
    assert _report_rows(html) == [("ok", "2"), ("ok", "3")]
    assert not RequestedTeacher.objects.exists()
    payload = re.search(r'name="payload" value="([^"]+)"', html).group(1)
    confirm = reverse("enrolment:partner_request_upload_confirm", args=[item.pk])
    response = as_rep.post(confirm, {"payload": payload}, follow=True)
    assert "2 teachers are saved in the request." in _text(response)
    assert item.teachers.count() == 2
    # The same list again: the rows are checked again at saving, and nothing more is saved.
    response = as_rep.post(confirm, {"payload": payload}, follow=True)
    assert "2 rows of the list have errors; nothing was saved." in _text(response)
    assert item.teachers.count() == 2


def test_the_request_is_edited_while_a_draft_and_may_move_to_another_open_cohort(rep, as_rep):
    item = draft(rep, teachers=[teacher()])
    other = open_cohort()
    url = reverse("enrolment:partner_request_edit", args=[item.pk])
    assert other.code in _text(as_rep.get(url))
    response = as_rep.post(url, {"cohort": other.pk, "letter_number": "№ 15", "note": "Ескерту"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.cohort, item.letter_number, item.note) == (other, "№ 15", "Ескерту")
    request_submit(item, by=rep)
    response = as_rep.post(url, {"cohort": other.pk, "letter_number": "№ 16"})
    assert response.status_code == 200 and "cannot be changed now" in _text(response)
    item.refresh_from_db()
    assert item.letter_number == "№ 15"


def test_a_refused_file_shows_the_reason_on_the_upload_page(rep, as_rep):
    item = draft(rep)
    response = as_rep.post(
        reverse("enrolment:partner_request_upload", args=[item.pk]),
        {"file": xlsx([], header=["ЖСН / ИИН", "Тегі / Фамилия"])},
    )
    assert response.status_code == 400
    assert "Columns are missing" in _text(response)


def test_a_forged_or_foreign_checked_list_is_refused(rep, as_rep):
    item = draft(rep)
    other = draft(rep)
    row = {**teacher(), "row": 2, "birth_date_text": ""}
    row["birth_date"] = row["birth_date"].isoformat()
    confirm = reverse("enrolment:partner_request_upload_confirm", args=[item.pk])
    forged = sign_rows(item, [row], replace=False)[:-3] + "abc"
    response = as_rep.post(confirm, {"payload": forged}, follow=True)
    assert "cannot be read" in _text(response)
    response = as_rep.post(confirm, {"payload": sign_rows(other, [row], replace=False)}, follow=True)
    assert "belongs to another request" in _text(response)
    assert not RequestedTeacher.objects.exists()


def test_the_representative_sees_each_teachers_status_and_certificate(rep, as_rep, registrar, director, org):
    item = submitted(rep, count=2)
    request_accept(item, by=registrar)
    first, second = item.teachers.order_by("row")
    enrolment = Enrolment.objects.get(listener=first.listener)
    enrolment.status = EnrolmentStatus.ENROLLED
    enrolment.save(update_fields=["status"])
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        registration_number="ZIAT-2026-00001",
        year=2026,
        sequence=1,
        token="t0k3n",
        holder_name=str(first),
        hours=10,
        issued_on=today,
        valid_until=today + datetime.timedelta(days=5 * 365),
        issued_by=director,
    )
    # A certificate recorded as a bare row gets its printed fields and files as a release prepares them.
    legacy_documents_prepare()
    html = _text(as_rep.get(reverse("enrolment:partner_request_detail", args=[item.pk])))
    pdf_url = reverse("certificates:certificate_pdf", args=[certificate.pk])
    assert "Certificate issued" in html and pdf_url in html
    assert str(EnrolmentStatus.ADMITTED.label) in html
    response = as_rep.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Another organisation's representative may not download it.
    other = _client(make_representative(make_partner("Басқа мектеп")))
    assert other.get(pdf_url).status_code == 404


def test_the_partner_home_lists_only_own_requests(rep, as_rep):
    mine = draft(rep)
    theirs = draft(make_representative(make_partner("Басқа мектеп")))
    html = _text(as_rep.get(reverse("enrolment:partner_home")))
    assert reverse("enrolment:partner_request_detail", args=[mine.pk]) in html
    assert reverse("enrolment:partner_request_detail", args=[theirs.pk]) not in html


@pytest.mark.parametrize("count", [1, 3])
def test_the_partner_home_makes_the_same_queries_for_few_and_many_requests(rep, as_rep, count):
    draft(rep, teachers=[teacher()])
    one = page_queries(as_rep, reverse("enrolment:partner_home"))
    for _ in range(count):
        draft(rep, teachers=[teacher()])
    assert page_queries(as_rep, reverse("enrolment:partner_home")) == one


# --------------------------------------------------------------------------- the registrar's pages


def test_the_registrar_accepts_over_http_and_listeners_are_admitted_001_18(rep, as_registrar):
    item = submitted(rep, count=2)
    list_html = _text(as_registrar.get(reverse("enrolment:request_list") + "?status=submitted"))
    assert reverse("enrolment:request_detail", args=[item.pk]) in list_html
    response = as_registrar.post(reverse("enrolment:request_accept", args=[item.pk]), follow=True)
    assert "The request is accepted: 2 teachers are admitted" in _text(response)
    assert Listener.objects.count() == 2
    assert set(Enrolment.objects.values_list("status", flat=True)) == {EnrolmentStatus.ADMITTED}


def test_a_full_cohort_refuses_acceptance_over_http(rep, as_registrar):
    item = submitted(rep, open_cohort(capacity=1), count=2)
    response = as_registrar.post(reverse("enrolment:request_accept", args=[item.pk]), follow=True)
    assert "has 1 seat left, and the request lists 2 teachers. Nothing was accepted." in _text(response)
    assert not Enrolment.objects.exists()


def test_return_needs_a_reason_over_http(rep, as_rep, as_registrar):
    item = submitted(rep)
    url = reverse("enrolment:request_return", args=[item.pk])
    response = as_registrar.post(url, {"reason": ""})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED
    assert as_registrar.post(url, {"reason": "Хаттың нөмірі жоқ"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.RETURNED
    html = _text(as_rep.get(reverse("enrolment:partner_request_detail", args=[item.pk])))
    assert "Хаттың нөмірі жоқ" in html and "Send the request to the centre" in html


def test_the_registrar_downloads_the_list(rep, as_registrar):
    item = submitted(rep, count=2)
    response = as_registrar.get(reverse("enrolment:request_export", args=[item.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ЖСН / ИИН"
    assert [r[0] for r in rows[1:]] == list(item.teachers.order_by("row").values_list("iin", flat=True))


def _accepted_with(rep, registrar, count):
    item = submitted(rep, open_cohort(capacity=count), count=count)
    request_accept(item, by=registrar)
    return item


def test_the_staff_request_page_makes_the_same_queries_for_3_and_300_teachers(rep, registrar, as_registrar):
    few = _accepted_with(rep, registrar, 3)
    many = _accepted_with(rep, registrar, 300)
    assert many.teachers.count() == 300
    few_queries = page_queries(as_registrar, reverse("enrolment:request_detail", args=[few.pk]))
    many_queries = page_queries(as_registrar, reverse("enrolment:request_detail", args=[many.pk]))
    assert many_queries == few_queries
    partner_queries = [
        page_queries(_client(rep), reverse("enrolment:partner_request_detail", args=[i.pk])) for i in (few, many)
    ]
    assert partner_queries[0] == partner_queries[1]


# Session, user, the user's and the groups' permissions, the user's roles, the organisation, the menu's listener
# record, the programs offered by the filter, the count and the page of requests with their partner, cohort and
# number of teachers.
REQUEST_LIST_QUERIES = 10


def _many_requests(rep, count, **kwargs):
    first = submitted(rep)
    partner = Representative.objects.get(user=rep).partner
    TeacherRequest.objects.bulk_create(
        TeacherRequest(
            partner=partner,
            cohort=first.cohort,
            status=RequestStatus.SUBMITTED,
            created_by=rep,
            submitted_at=timezone.now(),
            **kwargs,
        )
        for _ in range(count - 1)
    )


@pytest.mark.parametrize("count", [10, 200])
def test_the_staff_request_list_makes_the_same_queries_for_few_and_many(rep, registrar, as_registrar, count):
    _many_requests(rep, count)
    url = reverse("enrolment:request_list")
    assert page_queries(as_registrar, url) == REQUEST_LIST_QUERIES
    assert page_queries(as_registrar, url + "?q=мектеп&status=submitted&region=") == REQUEST_LIST_QUERIES


def test_the_staff_request_list_finds_requests_by_each_filter(rep, registrar, as_registrar):
    ours = submitted(rep)
    other_partner = make_partner(name="Абай ауданының білім бөлімі")
    other_partner.region = "abai"
    other_partner.save(update_fields=["region"])
    theirs = submitted(make_representative(other_partner))
    TeacherRequest.objects.filter(pk=theirs.pk).update(status=RequestStatus.RETURNED, return_reason="Тізім толық емес")
    url = reverse("enrolment:request_list")

    def found(query):
        page = _text(as_registrar.get(url + query))
        return {item.pk for item in (ours, theirs) if reverse("enrolment:request_detail", args=[item.pk]) in page}

    assert found("") == {ours.pk, theirs.pk}
    assert found("?q=Абай") == {theirs.pk}
    assert found(f"?q={theirs.cohort.code}") == {theirs.pk}
    assert found("?status=returned") == {theirs.pk}
    assert found("?region=abai") == {theirs.pk}
    assert found(f"?program={ours.cohort.program_id}") == {ours.pk}
    empty = as_registrar.get(url + "?q=ешкім")
    assert empty.status_code == 200 and "Nothing matches these filters." in _text(empty)
    bad = as_registrar.get(url + "?status=draft")
    assert bad.status_code == 400 and "A filter in the address is not valid" in _text(bad)


# --------------------------------------------------------------------------- the back-office


def test_the_back_office_adds_a_representative_with_an_account(director):
    partner = make_partner()
    client = _client(director)
    assert client.get(reverse("admin:enrolment_representative_add")).status_code == 200
    response = client.post(
        reverse("admin:enrolment_representative_add"),
        {
            "partner": partner.pk,
            "username": "school7",
            "last_name": "Өкіл",
            "first_name": "Бақыт",
            "middle_name": "",
            "email": "school7@example.kz",
            "position": "Директордың орынбасары",
            "password1": "Kurs-2026-secret!",
            "password2": "Kurs-2026-secret!",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Representative.objects.get()
    assert made.partner == partner and made.user.username == "school7"
    assert not made.user.is_staff and made.user.check_password("Kurs-2026-secret!")
    # The new representative logs in to the partner's pages.
    assert _client(made.user).get(reverse("enrolment:partner_home")).status_code == 200
    assert client.get(reverse("admin:enrolment_partner_change", args=[partner.pk])).status_code == 200
    assert client.get(reverse("admin:enrolment_representative_change", args=[made.pk])).status_code == 200
    assert client.get(reverse("admin:enrolment_teacherrequest_changelist")).status_code == 200


def test_a_staff_user_without_the_permission_is_refused(rep):
    item = submitted(rep)
    trainer = _client(staff_user("trainer"))
    assert trainer.get(reverse("enrolment:request_detail", args=[item.pk])).status_code == 403
