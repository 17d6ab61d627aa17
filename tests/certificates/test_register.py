"""The register of issued certificates (003 §7.6, SPEC 5.4, 5.6): every certificate, revoked and replaced ones
included, searched and filtered on a staff page and exported to Excel as filtered; only staff who may view
certificates reach it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.lifecycle import certificate_reissue, duplicate_issue
from certificates.models import Certificate
from certificates.services import certificate_revoke, certificates_issue_for_cohort
from enrolment.models import Partner, Representative, RequestedTeacher, TeacherRequest
from tests.certificates.helpers import course, enrol, issued
from tests.factories import UserFactory, export_download, listener, page_queries, staff_user

URL = reverse("certificates:register")
EXPORT = reverse("certificates:register_export")
DAY = datetime.date(2026, 3, 10)
OLD_DAY = datetime.date(2022, 2, 1)  # more than three years ago: expired
NO_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def register(db, org, director, settings):
    """Two programs; certificates valid, expired, revoked, replaced (with its correction), with a duplicate; one
    holder sent by a school of the Akmola region, another living in Astana. Their files are not made (the
    register reads none); the export's task runs as usual."""
    tasks = settings.TASKS
    settings.TASKS = NO_TASKS
    first = course(code="REG-A")
    second = course(code="REG-B")
    valid = issued(director, cohort_=first, on=DAY, last_name="Алмасова", region="astana")
    expired = issued(director, cohort_=second, on=OLD_DAY, last_name="Ескіева")
    revoked = issued(director, cohort_=first, on=DAY, last_name="Жойылған")
    certificate_revoke(revoked, by=director, category="false_data", note="Подложный диплом")
    replaced = issued(director, cohort_=second, on=DAY, last_name="Қатеева")
    correction = certificate_reissue(replaced, by=director, reason_note="Исправлена фамилия", on=DAY)
    copied = issued(director, cohort_=first, on=DAY, last_name="Көшірмеева")
    duplicate_issue(copied, by=director, reason="lost", on=DAY)
    school = Partner.objects.create(name="Мектеп-гимназия № 7", kind="school", region="akmola")
    representative = UserFactory(last_name="Өкілова")
    Representative.objects.create(user=representative, partner=school)
    request = TeacherRequest.objects.create(partner=school, cohort=first, created_by=representative, status="accepted")
    RequestedTeacher.objects.create(
        request=request,
        row=1,
        iin=copied.enrolment.listener.iin,
        last_name="Көшірмеева",
        first_name="Әйгерім",
        birth_date=datetime.date(1985, 4, 12),
        listener=copied.enrolment.listener,
    )
    for c in (valid, expired, revoked, replaced, copied):
        c.refresh_from_db()
    settings.TASKS = tasks
    return {
        "valid": valid,
        "expired": expired,
        "revoked": revoked,
        "replaced": replaced,
        "correction": correction,
        "copied": copied,
        "first": first,
        "second": second,
        "school": school,
        "representative": representative,
    }


def _found(client, **filters):
    # The register pages and filters through ``ziat.listing``: its filters and page are the context's "list".
    response = client.get(URL, filters)
    assert response.status_code == 200, response.context["list"].filters.errors
    return {c.pk for c in response.context["list"].rows}


def _pks(register, *names):
    return {register[n].pk for n in names}


ALL = ("valid", "expired", "revoked", "replaced", "correction", "copied")


def test_the_register_lists_every_certificate_revoked_and_replaced_included_003_7_6(client, register, director):
    client.force_login(staff_user("registrar"))
    assert _found(client) == _pks(register, *ALL)
    html = client.get(URL).content.decode()
    for name in ALL:
        assert register[name].registration_number in html
    assert "issued on the basis of false information" in html  # the revocation's category
    correction = reverse("certificates:certificate_staff", args=[register["correction"].pk])
    assert f'replaced by <a href="{correction}"' in html


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "алмасова"}, ("valid",)),
        ({"q": "Қатеева"}, ("replaced", "correction")),
        ({"issued_from": "2026-01-01"}, ("valid", "revoked", "replaced", "correction", "copied")),
        ({"issued_to": "2023-01-01"}, ("expired",)),
        ({"issued_from": "2022-01-01", "issued_to": "2022-12-31"}, ("expired",)),
        ({"state": "valid"}, ("valid", "correction", "copied")),
        ({"state": "expired"}, ("expired",)),
        ({"state": "revoked"}, ("revoked",)),
        ({"state": "replaced"}, ("replaced",)),
        ({"state": "duplicate"}, ("copied",)),
        ({"region": "astana"}, ("valid",)),
        ({"region": "akmola"}, ("copied",)),
        ({"state": "valid", "q": "Көшірме"}, ("copied",)),
    ],
)
def test_each_filter_of_the_register_003_7_6(client, register, filters, expected):
    client.force_login(staff_user("monitoring"))
    assert _found(client, **filters) == _pks(register, *expected)


def test_the_register_finds_by_number_program_cohort_and_organisation_003_7_6(client, register):
    client.force_login(staff_user("registrar"))
    assert _found(client, q=register["revoked"].registration_number) == _pks(register, "revoked")
    assert _found(client, program=register["first"].program_id) == _pks(register, "valid", "revoked", "copied")
    assert _found(client, cohort=register["second"].pk) == _pks(register, "expired", "replaced", "correction")
    assert _found(client, organisation=register["school"].pk) == _pks(register, "copied")
    html = client.get(URL, {"organisation": register["school"].pk}).content.decode()
    assert "Мектеп-гимназия № 7" in html


@pytest.mark.parametrize(
    "filters",
    [{"issued_from": "yesterday"}, {"issued_from": "2026-05-01", "issued_to": "2026-01-01"}, {"state": "lost"}],
)
def test_bad_filters_answer_400_with_the_reason_and_list_nothing(client, register, filters):
    client.force_login(staff_user("registrar"))
    response = client.get(URL, filters)
    assert response.status_code == 400 and response.context["list"].filters.errors  # the context of ziat.listing
    assert list(response.context["list"].rows) == []
    assert 'class="errorlist' in response.content.decode()
    assert client.get(EXPORT, filters).status_code == 400


def _sheet(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_excel_export_holds_the_filtered_selection_003_7_6(client, register):
    client.force_login(staff_user("registrar"))
    response = export_download(client, EXPORT + f"?cohort={register['second'].pk}")
    assert response["Content-Disposition"].endswith('certificate-register.xlsx"')
    header, rows = _sheet(response)
    assert header[:2] == ("Registration number", "Holder") and "Replaced by" in header and "Duplicates" in header
    numbers = [row[0] for row in rows]
    assert numbers == [c.registration_number for c in register_order(register, "second")]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    replaced = by_number[register["replaced"].registration_number]
    assert replaced["State"] == "Replaced"
    assert replaced["Replaced by"] == register["correction"].registration_number
    correction = by_number[register["correction"].registration_number]
    assert correction["Replaces"] == register["replaced"].registration_number
    expired = by_number[register["expired"].registration_number]
    assert expired["State"] == "Expired"
    assert expired["Date of issue"].date() == OLD_DAY
    assert Decimal(str(expired["Academic hours"])) == register["expired"].hours
    assert expired["Course topic (Kazakh)"] == register["expired"].program_title_kk
    assert expired["Course topic (Russian)"] == register["expired"].program_title_ru
    assert expired["Cohort"] == "REG-B"


def register_order(register, cohort):
    return Certificate.objects.filter(enrolment__cohort=register[cohort]).order_by("-issued_on", "-year", "-sequence")


def test_the_export_shows_revocations_duplicates_and_the_sending_organisation_003_7_6(client, register):
    client.force_login(staff_user("registrar"))
    header, rows = _sheet(export_download(client, EXPORT + f"?program={register['first'].program_id}"))
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_number) == {register[n].registration_number for n in ("valid", "revoked", "copied")}
    revoked = by_number[register["revoked"].registration_number]
    assert revoked["State"] == "Revoked"
    assert revoked["Reason for revocation"] == "issued on the basis of false information"
    copied = by_number[register["copied"].registration_number]
    assert copied["Duplicates"] == "10.03.2026 (the original was lost)"
    assert copied["Organisation"] == "Мектеп-гимназия № 7"


def test_the_whole_register_is_exported_without_filters_003_7_6(client, register):
    client.force_login(staff_user("monitoring"))
    _header, rows = _sheet(export_download(client, EXPORT))
    assert {row[0] for row in rows} == {register[n].registration_number for n in ALL}


@pytest.fixture
def _no_documents(settings):
    """The certificates' files are not made (the page reads none): the documents' tasks are left queued."""
    settings.TASKS = NO_TASKS


# The register page's queries, whatever the number of its rows.
REGISTER_QUERIES = 10


@pytest.mark.parametrize("size", [10, 200])
def test_the_registers_query_count_does_not_grow_with_its_rows_003_7_6(client, org, director, _no_documents, size):
    c = course()
    for _ in range(size):
        enrol(c)
    issued_ = certificates_issue_for_cohort(c, by=director, on=DAY)[0]
    duplicate_issue(issued_[0], by=director, reason="damaged", on=DAY)
    certificate_reissue(issued_[1], by=director, reason_note="Исправлена фамилия", on=DAY)
    certificate_revoke(issued_[2], by=director, category="issued_in_error")
    client.force_login(staff_user("registrar"))
    assert Certificate.objects.count() == size + 1
    assert page_queries(client, URL) == page_queries(client, URL + "?state=valid&q=%D0%B0") == REGISTER_QUERIES


# --- who reaches it --------------------------------------------------------------------------------------------


def _refused(response):
    html = response.content.decode()
    return response.status_code == 403 and 'id="refusal"' in html and 'class="site-header"' in html


@pytest.mark.parametrize("who", ["trainer", "accountant", "methodist", "listener", "representative", "outsider"])
def test_who_may_not_view_certificates_is_refused_the_register_and_its_export_003_7_6(client, register, who):
    user = {
        "trainer": lambda: staff_user("trainer"),
        "accountant": lambda: staff_user("accountant"),
        "methodist": lambda: staff_user("methodist"),
        "listener": lambda: register["valid"].enrolment.listener.user,
        "representative": lambda: register["representative"],
        "outsider": lambda: listener(last_name="Бөгде").user,
    }[who]()
    client.force_login(user)
    assert _refused(client.get(URL))
    assert _refused(client.get(EXPORT))


def test_an_anonymous_visitor_is_sent_to_log_in(client, register):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(("role", "shown"), [("director", True), ("registrar", True), ("methodist", False)])
def test_the_staff_navigation_links_the_register_for_who_may_read_it(client, register, role, shown):
    client.force_login(staff_user(role))
    assert (f'href="{URL}"' in client.get(reverse("programs:staff_list")).content.decode()) is shown
