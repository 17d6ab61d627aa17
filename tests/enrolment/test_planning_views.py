"""The planning chain's pages, step by step over HTTP (001 §§10-18): who sees what, deadlines, late flags."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from enrolment.enums import PlanApplicationStatus, PlanStatus, RequestStatus
from enrolment.models import AdmissionOrder, Plan, PlanApplication, ScheduleAgreement
from enrolment.services import planning as chain
from enrolment.views import planning as pages
from tests.enrolment.planning_helpers import TODAY, YEAR, hierarchy, scan, state_course, teacher_values
from tests.factories import UserFactory, listener, page_queries, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def clock(monkeypatch):
    now = {"today": TODAY}
    monkeypatch.setattr(chain, "_today", lambda: now["today"])
    monkeypatch.setattr(pages, "_today", lambda: now["today"])
    return now


@pytest.fixture
def w(db, org, clock):
    return hierarchy()


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def accepted(w, school="school", **kwargs):
    teacher = UserFactory()
    application = chain.plan_application_submit(by=teacher, organisation=w[school], **teacher_values(**kwargs))
    return chain.plan_application_decide(application, by=w[f"{school}_rep"], accept=True)


def sent(w, key):
    plan = chain.plan_create(by=w[f"{key}_rep"], partner=w[key])
    chain.plan_build(plan, by=w[f"{key}_rep"])
    return chain.plan_submit(plan, by=w[f"{key}_rep"])


# --------------------------------------------------------------------------- 001 §10


def test_a_teacher_applies_online_and_sees_the_heads_decision_001_10(w):
    person = listener(born=datetime.date(1986, 3, 1))
    client = client_of(person.user)
    page = client.get("/planning/apply/")
    assert page.status_code == 200 and person.iin in page.content.decode()
    values = teacher_values(iin=person.iin, birth_date=person.birth_date)
    data = {k: v for k, v in values.items()} | {"organisation": w["school"].pk, "birth_date": "1986-03-01"}
    response = client.post("/planning/apply/", data)
    assert response.status_code == 302
    application = PlanApplication.objects.get(applicant=person.user)
    chain.plan_application_decide(application, by=w["school_rep"], accept=False, note="Орын жоқ")
    page = client.get("/planning/apply/").content.decode()
    assert "Declined by the head" in page and "Орын жоқ" in page


def test_a_second_application_for_the_year_is_refused_beside_the_form_001_app_1(w):
    person = UserFactory()
    client = client_of(person)
    data = teacher_values() | {"organisation": w["school"].pk}
    data["birth_date"] = data["birth_date"].isoformat()
    assert client.post("/planning/apply/", data).status_code == 302
    again = client.post("/planning/apply/", data)
    assert again.status_code == 400 and "already filed" in again.content.decode()
    assert PlanApplication.objects.count() == 1


def test_an_abroad_application_without_a_country_is_refused_001_app_2(w):
    client = client_of(UserFactory())
    data = teacher_values() | {"organisation": w["school"].pk, "abroad": "on", "country": ""}
    data["birth_date"] = data["birth_date"].isoformat()
    response = client.post("/planning/apply/", data)
    assert response.status_code == 400 and "country and the term" in response.content.decode()
    assert not PlanApplication.objects.exists()


def test_the_head_accepts_on_the_planning_page_001_10(w):
    teacher = UserFactory()
    application = chain.plan_application_submit(by=teacher, organisation=w["school"], **teacher_values())
    client = client_of(w["school_rep"])
    page = client.get("/partner/planning/").content.decode()
    assert str(application) in page and "due by 01.06.2027" in page
    client.post(f"/partner/planning/applications/{application.pk}/decide/", {"accept": "1"})
    application.refresh_from_db()
    assert application.status == PlanApplicationStatus.ACCEPTED


def test_a_head_of_a_sibling_school_neither_sees_nor_decides_the_application_001_10(w):
    application = chain.plan_application_submit(by=UserFactory(), organisation=w["school"], **teacher_values())
    client = client_of(w["school2_rep"])
    assert str(application) not in client.get("/partner/planning/").content.decode()
    assert client.post(f"/partner/planning/applications/{application.pk}/decide/", {"accept": "1"}).status_code == 404
    application.refresh_from_db()
    assert application.status == PlanApplicationStatus.SUBMITTED


# --------------------------------------------------------------------------- 001 §§11-13


def test_the_school_builds_and_sends_its_plan_on_its_pages_001_11(w):
    accepted(w)
    client = client_of(w["school_rep"])
    response = client.post("/partner/planning/open/")
    plan = Plan.objects.get(partner=w["school"])
    assert response.url == f"/partner/planning/plans/{plan.pk}/"
    client.post(f"/partner/planning/plans/{plan.pk}/build/", {"perspective": "Үш жылдық жоспар"})
    page = client.get(f"/partner/planning/plans/{plan.pk}/").content.decode()
    assert "Мұғалімова" in page and "due by 01.06.2027" in page and 'data-late="0"' in page
    client.post(f"/partner/planning/plans/{plan.pk}/submit/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.perspective == "Үш жылдық жоспар"


def test_a_late_plan_is_flagged_and_its_refusal_is_shown_001_11(w, clock):
    accepted(w)
    plan = chain.plan_create(by=w["school_rep"], partner=w["school"])
    chain.plan_build(plan, by=w["school_rep"])
    clock["today"] = datetime.date(2027, 6, 5)
    client = client_of(w["school_rep"])
    page = client.get(f"/partner/planning/plans/{plan.pk}/").content.decode()
    assert 'data-late="1"' in page
    followed = client.post(f"/partner/planning/plans/{plan.pk}/submit/", follow=True).content.decode()
    assert "ask the centre to record it" in followed
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_the_centre_records_its_decision_on_a_late_plan_001_11(w, clock, registrar):
    accepted(w)
    plan = chain.plan_create(by=w["school_rep"], partner=w["school"])
    clock["today"] = datetime.date(2027, 6, 5)
    staff = client_of(registrar)
    assert "allow-late" in staff.get(f"/staff/enrolment/planning/plans/{plan.pk}/").content.decode()
    staff.post(f"/staff/enrolment/planning/plans/{plan.pk}/late/", {"reason": "Карантин"})
    assert plan.late_decision.reason == "Карантин"


def test_the_department_sees_its_schools_plans_and_returns_one_001_12(w):
    accepted(w)
    plan = sent(w, "school")
    client = client_of(w["north_rep"])
    page = client.get("/partner/planning/").content.decode()
    assert w["school"].name in page and w["school2"].name in page and w["other"].name not in page
    assert "due by 01.07.2027" in page
    client.post(f"/partner/planning/plans/{plan.pk}/return/", {"reason": "Пәнін жазыңыз"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED


def test_a_plans_pages_show_its_history_who_built_sent_and_returned_it_001_12(w, registrar):
    """The school, the department above it and the centre read on the plan's page who opened, built, sent and
    returned it, and why."""
    accepted(w)
    plan = sent(w, "school")
    chain.plan_return(plan, by=w["north_rep"], reason="Пәнін жазыңыз")
    for client, url in (
        (client_of(w["school_rep"]), f"/partner/planning/plans/{plan.pk}/"),
        (client_of(w["north_rep"]), f"/partner/planning/plans/{plan.pk}/"),
        (client_of(registrar), f"/staff/enrolment/planning/plans/{plan.pk}/"),
    ):
        page = client.get(url).content.decode()
        panel = page[page.index('id="activity"') :]
        for action in ("Plan opened", "Plan built from the level below", "Plan sent", "Plan returned"):
            assert action in panel, (url, action)
        assert "Пәнін жазыңыз" in panel
        assert str(w["north_rep"]) in panel and str(w["school_rep"]) in panel


def test_a_sibling_department_reaches_nothing_of_another_districts_plans_001_12(w):
    accepted(w)
    plan = sent(w, "school")
    client = client_of(w["south_rep"])
    assert client.get(f"/partner/planning/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/partner/planning/plans/{plan.pk}/return/", {"reason": "x"}).status_code == 404
    assert client.get(f"/partner/planning/plans/{plan.pk}/export.xlsx").status_code == 404
    assert w["school"].name not in client.get("/partner/planning/").content.decode()


def test_the_plan_is_uploaded_from_excel_with_a_row_report_001_12(w):
    accepted(w)
    sent(w, "school")
    plan = chain.plan_create(by=w["north_rep"], partner=w["north"])
    chain.plan_build(plan, by=w["north_rep"])
    client = client_of(w["north_rep"])
    data = client.get(f"/partner/planning/plans/{plan.pk}/export.xlsx").content
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    sheet.append(["123", "Бекова", "Сара", "", "01.01.1980", "", "", w["other"].name, "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    before = list(plan.lines.values_list("iin", flat=True))
    report = client.post(
        f"/partner/planning/plans/{plan.pk}/upload/", {"file": SimpleUploadedFile("p.xlsx", buffer.getvalue())}
    )
    text = report.content.decode()
    assert report.status_code == 400 and "Nothing was saved" in text and "not among the organisations" in text
    assert list(plan.lines.values_list("iin", flat=True)) == before
    ok = client.post(f"/partner/planning/plans/{plan.pk}/upload/", {"file": SimpleUploadedFile("p.xlsx", data)})
    assert ok.status_code == 200 and "correct and saved" in ok.content.decode()


def test_the_region_distributes_teachers_over_courses_on_its_plan_page_001_13(w, clock):
    accepted(w)
    sent(w, "school")
    clock["today"] = datetime.date(2027, 6, 25)
    sent(w, "north")
    plan = chain.plan_create(by=w["region_rep"], partner=w["region"])
    chain.plan_build(plan, by=w["region_rep"])
    course = state_course()
    client = client_of(w["region_rep"])
    page = client.get(f"/partner/planning/plans/{plan.pk}/").content.decode()
    assert course.code in page and "due by 01.09.2027" in page
    line = plan.lines.get()
    client.post(f"/partner/planning/plans/{plan.pk}/assign/", {f"line-{line.pk}": course.pk})
    line.refresh_from_db()
    assert line.cohort == course
    client.post(f"/partner/planning/plans/{plan.pk}/submit/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


# --------------------------------------------------------------------------- 001 §§14-18


def test_the_centre_records_an_agreement_with_its_document_001_15(w, registrar):
    course = state_course()
    client = client_of(registrar)
    assert client.get(f"/staff/enrolment/cohorts/{course.pk}/agreements/").status_code == 200
    response = client.post(
        f"/staff/enrolment/cohorts/{course.pk}/agreements/",
        {
            "partner": w["region"].pk,
            "places": 10,
            "agreed_by_name": "Бекова Ә., орынбасар",
            "agreed_on": "2027-10-01",
            "document": scan("agreement.pdf"),
        },
    )
    assert response.status_code == 302
    agreement = ScheduleAgreement.objects.get()
    download = client.get(f"/staff/enrolment/agreements/{agreement.pk}/document/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    too_many = client.post(
        f"/staff/enrolment/cohorts/{course.pk}/agreements/",
        {"partner": w["region"].pk, "places": 99, "agreed_by_name": "X", "agreed_on": "2027-10-01", "document": scan()},
    )
    assert too_many.status_code == 400 and "do not fit" in too_many.content.decode()


@pytest.fixture
def region_list(w, clock, registrar):
    accepted(w)
    accepted(w, school="other")
    sent(w, "school")
    sent(w, "other")
    clock["today"] = datetime.date(2027, 6, 25)
    sent(w, "north")
    sent(w, "south")
    clock["today"] = datetime.date(2027, 8, 25)
    plan = chain.plan_create(by=w["region_rep"], partner=w["region"])
    chain.plan_build(plan, by=w["region_rep"])
    course = state_course()
    chain.plan_courses_assign(plan, by=w["region_rep"], courses={line.pk: course for line in plan.lines.all()})
    chain.plan_submit(plan, by=w["region_rep"])
    chain.schedule_agreement_record(
        course, by=registrar, partner=w["region"], places=5, agreed_by_name="Б", agreed_on=TODAY, document=scan()
    )
    clock["today"] = datetime.date(2027, 12, 1)
    return {"plan": plan, "course": course}


def test_the_region_draws_its_list_attaches_orders_and_sends_its_letter_001_14_001_16(w, region_list):
    client = client_of(w["region_rep"])
    plan, course = region_list["plan"], region_list["course"]
    home = client.get("/partner/planning/").content.decode()
    assert course.code in home and "due by 02.01.2028" in home
    response = client.post(f"/partner/planning/plans/{plan.pk}/list/", {"cohort": course.pk, "letter_number": "01-5"})
    item = course.requests.get()
    assert response.url == f"/partner/planning/lists/{item.pk}/"
    assert item.teachers.count() == 2
    client.post(
        f"/partner/planning/lists/{item.pk}/referrals/",
        {"issued_by": w["region"].pk, "number": "88", "issued_on": "2027-11-30", "file": scan()},
    )
    assert item.referrals.count() == 1
    page = client.get(f"/partner/planning/lists/{item.pk}/").content.decode()
    assert "№ 88" in page or "No. 88" in page
    client.post(f"/partner/planning/lists/{item.pk}/submit/")
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED
    referral = item.referrals.get()
    download = client.get(f"/planning/referrals/{referral.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_of(hierarchy(" (2)")["region_rep"]).get(f"/planning/referrals/{referral.pk}/file/").status_code == 404


def test_the_registrar_prepares_the_admission_order_on_the_regions_letter_001_18(w, region_list, registrar):
    item = chain.region_list_create(region_list["plan"], by=w["region_rep"], cohort=region_list["course"])
    chain.referral_order_attach(
        item, by=w["region_rep"], issued_by=w["north"], number="3", issued_on=TODAY, file=scan()
    )
    from enrolment.services.requests import request_submit

    request_submit(item, by=w["region_rep"])
    client = client_of(registrar)
    page = client.get(f"/staff/enrolment/planning/lists/{item.pk}/").content.decode()
    assert "letter-order" in page
    response = client.post(
        f"/staff/enrolment/planning/lists/{item.pk}/order/",
        {"number": "15-қ", "issued_on": "2027-12-01", "responsible": "Ли М."},
    )
    order = AdmissionOrder.objects.get()
    assert response.url == f"/staff/enrolment/admission-orders/{order.pk}/" or str(order.pk) in response.url
    assert order.enrolments.count() == 2


def test_a_list_larger_than_the_agreed_places_is_refused_with_a_message_001_14(w, region_list):
    ScheduleAgreement.objects.update(places=1)
    client = client_of(w["region_rep"])
    followed = client.post(
        f"/partner/planning/plans/{region_list['plan'].pk}/list/", {"cohort": region_list["course"].pk}, follow=True
    ).content.decode()
    assert "places are agreed" in followed
    assert not region_list["course"].requests.exists()


# --------------------------------------------------------------------------- dashboards


def _many(w, n):
    for _ in range(n):
        accepted(w)
        accepted(w, school="other")


@pytest.mark.parametrize("n", [1, 6])
def test_the_centres_dashboard_reads_in_constant_queries(w, registrar, n):
    _many(w, n)
    sent(w, "school")
    client = client_of(registrar)
    # Pinned, so that any change in the page's queries shows in review.
    assert page_queries(client, f"/staff/enrolment/planning/?year={YEAR}") == 13


@pytest.mark.parametrize("n", [1, 6])
def test_the_regions_dashboard_reads_in_constant_queries(w, n):
    _many(w, n)
    sent(w, "school")
    sent(w, "other")
    assert page_queries(client_of(w["region_rep"]), "/partner/planning/") == 16


def test_the_dashboards_count_the_chain_per_district_organisation_and_course(w, region_list, registrar):
    client = client_of(registrar)
    page = client.get(f"/staff/enrolment/planning/?year={YEAR}").content.decode()
    assert w["north"].name in page and w["south"].name in page and region_list["course"].code in page
    from enrolment.planning_selectors import chain_figures

    figures = chain_figures(YEAR, today=TODAY)
    assert figures.total.requested == 2 and figures.total.planned == 2 and figures.total.listed == 0
    by_district = {f.name: f.planned for f in figures.by_district}
    assert by_district == {w["north"].name: 1, w["south"].name: 1}
    region_page = client_of(w["region_rep"]).get("/partner/planning/").content.decode()
    assert "figures-district" in region_page
    school_page = client_of(w["north_rep"]).get("/partner/planning/").content.decode()
    assert w["other"].name not in school_page


def test_a_department_that_has_not_sent_is_shown_late(w, clock, registrar):
    clock["today"] = datetime.date(2027, 7, 10)
    page = client_of(registrar).get(f"/staff/enrolment/planning/?year={YEAR}").content.decode()
    assert "late-steps" in page and w["north"].name in page.split('id="late-steps"')[1]


def test_staff_without_the_planning_permission_get_a_refusal_page(w):
    trainer = staff_user("trainer")
    response = client_of(trainer).get("/staff/enrolment/planning/")
    assert response.status_code == 403 and "site-header" in response.content.decode()


def test_a_user_who_represents_no_organisation_is_refused_in_the_layout(w):
    response = client_of(UserFactory()).get("/partner/planning/")
    assert response.status_code == 403 and "site-header" in response.content.decode()


def test_the_ministry_reaches_every_level_below_it_and_a_region_not_its_sibling_001_13(w):
    from enrolment.models import Partner
    from tests.enrolment.planning_helpers import representative

    ministry = Partner.objects.create(name="Министрлік", kind="ministry")
    Partner.objects.filter(pk=w["region"].pk).update(parent=ministry)
    minister = representative(ministry)
    accepted(w)
    plan = sent(w, "school")
    assert client_of(minister).get(f"/partner/planning/plans/{plan.pk}/").status_code == 200
    assert w["region"].name in client_of(minister).get("/partner/planning/").content.decode()
    other = hierarchy(" (2)")
    assert client_of(other["region_rep"]).get(f"/partner/planning/plans/{plan.pk}/").status_code == 404
