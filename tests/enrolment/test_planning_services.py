"""The planning chain of budget-funded courses, step by step, through its services (001 §§10-18)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from enrolment.enums import EnrolmentStatus, PlanApplicationStatus, PlanStatus, RequestStatus
from enrolment.models import AdmissionOrder, Enrolment, Plan, PlanLine, ReferralOrder, RequestedTeacher
from enrolment.planning_rules import list_due_on, months_before, plan_due_on
from enrolment.services import planning as chain
from enrolment.services.requests import request_submit
from tests.enrolment.planning_helpers import TODAY, YEAR, hierarchy, scan, state_course, teacher_values
from ziat.errors import DomainError
from ziat.models import ActivityLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def clock(monkeypatch):
    """The planning services' today, moved by the test (the clock is the system's edge)."""
    now = {"today": TODAY}
    monkeypatch.setattr(chain, "_today", lambda: now["today"])
    return now


@pytest.fixture
def w(db, org, clock):
    return hierarchy()


def apply(w, school="school", **kwargs):
    applicant = w[f"{school}_rep"].__class__.objects.create_user(
        username=f"teacher{kwargs.get('iin', '')}{id(kwargs)}", password="pass-12345"
    )
    values = teacher_values(**kwargs)
    return chain.plan_application_submit(by=applicant, organisation=w[school], **values)


def accepted(w, school="school", **kwargs):
    application = apply(w, school, **kwargs)
    return chain.plan_application_decide(application, by=w[f"{school}_rep"], accept=True)


def sent_plan(w, key, clock=None):
    plan = chain.plan_create(by=w[f"{key}_rep"], partner=w[key])
    chain.plan_build(plan, by=w[f"{key}_rep"])
    return chain.plan_submit(plan, by=w[f"{key}_rep"])


# --------------------------------------------------------------------------- 001 §10, App. 1 and 2


def test_a_teacher_applies_to_their_organisation_for_the_coming_year_001_10(w):
    application = apply(w)
    assert application.organisation == w["school"]
    assert application.year == YEAR
    assert application.status == PlanApplicationStatus.SUBMITTED
    log = ActivityLog.objects.get(action="enrolment.plan_application.submitted")
    assert log.data["after"]["year"] == YEAR


def test_the_application_form_asks_for_the_language_of_instruction_001_app_1(w):
    application = apply(w, language="ru")
    assert application.get_language_display() == "Russian"


def test_a_course_abroad_needs_the_country_and_the_term_001_app_2(w):
    with pytest.raises(DomainError, match="country and the term"):
        apply(w, abroad=True, country="")
    application = apply(w, abroad=True, country="Финляндия", abroad_term="months")
    assert application.abroad and application.country == "Финляндия"


def test_an_application_to_a_department_is_refused_001_10(w):
    with pytest.raises(DomainError, match="education organisation where you work"):
        apply(w, school="north")


def test_an_iin_whose_date_of_birth_differs_is_refused_001_app_1(w):
    with pytest.raises(DomainError, match="does not agree"):
        apply(w, birth_date=datetime.date(1970, 1, 1))
    assert not w["school"].plan_applications.exists()


def test_the_head_decides_and_the_decision_is_recorded_001_10(w):
    application = apply(w)
    chain.plan_application_decide(application, by=w["school_rep"], accept=True)
    application.refresh_from_db()
    assert application.status == PlanApplicationStatus.ACCEPTED and application.decided_by == w["school_rep"]
    log = ActivityLog.objects.get(action="enrolment.plan_application.decided")
    assert log.data["before"] == {"status": "submitted"} and log.data["after"] == {"status": "accepted"}


def test_a_representative_of_another_organisation_may_not_decide_001_10(w):
    application = apply(w)
    for outsider in ("school2_rep", "other_rep", "north_rep"):
        with pytest.raises(DomainError, match="may not act for"):
            chain.plan_application_decide(application, by=w[outsider], accept=True)
    application.refresh_from_db()
    assert application.status == PlanApplicationStatus.SUBMITTED


def test_declining_needs_a_reason_001_10(w):
    application = apply(w)
    with pytest.raises(DomainError, match="reason"):
        chain.plan_application_decide(application, by=w["school_rep"], accept=False)


# --------------------------------------------------------------------------- 001 §11: the organisation's plan


def test_the_deadlines_of_the_chain_001_11_001_12_001_13_001_14():
    assert plan_due_on("school", 2028) == datetime.date(2027, 6, 1)
    assert plan_due_on("kindergarten", 2028) == datetime.date(2027, 6, 1)
    assert plan_due_on("district", 2028) == datetime.date(2027, 7, 1)
    assert plan_due_on("regional", 2028) == datetime.date(2027, 9, 1)
    assert plan_due_on("ministry", 2028) is None
    assert list_due_on(datetime.date(2028, 3, 2)) == datetime.date(2028, 1, 2)
    assert months_before(datetime.date(2028, 4, 30), 2) == datetime.date(2028, 2, 29)


def test_the_organisations_plan_is_built_from_accepted_applications_and_sent_by_1_june_001_11(w):
    kept = accepted(w)
    declined = apply(w)
    chain.plan_application_decide(declined, by=w["school_rep"], accept=False, note="Келесі жылы")
    plan = chain.plan_create(by=w["school_rep"], partner=w["school"])
    chain.plan_build(plan, by=w["school_rep"], perspective="2028-2030: барлық мұғалімдер")
    assert list(plan.lines.values_list("iin", flat=True)) == [kept.iin]
    chain.plan_submit(plan, by=w["school_rep"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.perspective.startswith("2028")
    log = ActivityLog.objects.get(action="enrolment.plan.submitted")
    assert log.data["before"] == {"status": "draft"} and log.data["after"]["late"] is False


def test_a_late_plan_is_sent_only_with_the_centres_recorded_decision_001_11(w, clock, registrar):
    accepted(w)
    plan = chain.plan_create(by=w["school_rep"], partner=w["school"])
    chain.plan_build(plan, by=w["school_rep"])
    clock["today"] = datetime.date(2027, 6, 2)
    with pytest.raises(DomainError, match="due by 01.06.2027"):
        chain.plan_submit(plan, by=w["school_rep"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    with pytest.raises(DomainError, match="registrar or director"):
        chain.late_decision_record(by=w["north_rep"], plan=plan, reason="Ауру")
    chain.late_decision_record(by=registrar, plan=plan, reason="Директор ауырды")
    chain.plan_submit(plan, by=w["school_rep"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert ActivityLog.objects.get(action="enrolment.plan.late_allowed").note == "Директор ауырды"


def test_a_plan_is_sent_on_its_deadline_day_001_11(w, clock):
    accepted(w)
    clock["today"] = datetime.date(2027, 6, 1)
    assert sent_plan(w, "school").status == PlanStatus.SUBMITTED


def test_a_representative_may_not_make_the_plan_of_another_organisation_001_11(w):
    with pytest.raises(DomainError, match="may not act for"):
        chain.plan_create(by=w["north_rep"], partner=w["school"])
    plan = chain.plan_create(by=w["school_rep"], partner=w["school"])
    with pytest.raises(DomainError, match="may not act for"):
        chain.plan_build(plan, by=w["school2_rep"])


def test_a_republican_organisation_sends_its_request_to_the_ministry_001_11(w):
    from enrolment.models import Partner

    ministry = Partner.objects.create(name="Министрлік", kind="ministry")
    college = Partner.objects.create(name="Республикалық колледж", kind="college", parent=ministry, republican=True)
    from tests.enrolment.planning_helpers import representative

    w["college"], w["college_rep"] = college, representative(college)
    accepted(w, school="college")
    plan = sent_plan(w, "college")
    assert plan.partner.parent == ministry and plan_due_on(college.kind, YEAR) == datetime.date(2027, 6, 1)


# --------------------------------------------------------------------------- 001 §12: the department


def test_the_department_consolidates_its_schools_plans_by_1_july_001_12(w, clock):
    a = accepted(w)
    b = accepted(w, school="school2")
    sent_plan(w, "school")
    sent_plan(w, "school2")
    clock["today"] = datetime.date(2027, 6, 20)
    plan = sent_plan(w, "north")
    assert set(plan.lines.values_list("iin", flat=True)) == {a.iin, b.iin}
    assert set(plan.lines.values_list("organisation__name", flat=True)) == {w["school"].name, w["school2"].name}


def test_a_teacher_listed_twice_in_one_plan_is_refused_and_nothing_is_saved_001_12(w):
    a = accepted(w)
    accepted(w, school="school2", iin=a.iin, birth_date=a.birth_date)
    sent_plan(w, "school")
    sent_plan(w, "school2")
    plan = chain.plan_create(by=w["north_rep"], partner=w["north"])
    with pytest.raises(DomainError, match="listed once in a plan"):
        chain.plan_build(plan, by=w["north_rep"])
    assert not plan.lines.exists()


def test_the_department_returns_a_plan_with_a_reason_and_only_its_own_schools_001_12(w):
    accepted(w)
    plan = sent_plan(w, "school")
    with pytest.raises(DomainError, match="Only the level the plan is sent to"):
        chain.plan_return(plan, by=w["south_rep"], reason="Қате")
    chain.plan_return(plan, by=w["north_rep"], reason="Пәнін көрсетіңіз")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "Пәнін көрсетіңіз"


# --------------------------------------------------------------------------- 001 §13: the region


def _region_plan(w, clock):
    accepted(w)
    accepted(w, school="other")
    sent_plan(w, "school")
    sent_plan(w, "other")
    clock["today"] = datetime.date(2027, 6, 25)
    sent_plan(w, "north")
    sent_plan(w, "south")
    clock["today"] = datetime.date(2027, 8, 20)
    plan = chain.plan_create(by=w["region_rep"], partner=w["region"])
    chain.plan_build(plan, by=w["region_rep"])
    return plan


def test_the_region_distributes_its_teachers_over_the_courses_by_1_september_001_13(w, clock):
    plan = _region_plan(w, clock)
    course = state_course()
    with pytest.raises(DomainError, match="no course yet"):
        chain.plan_submit(plan, by=w["region_rep"])
    chain.plan_courses_assign(plan, by=w["region_rep"], courses={line.pk: course for line in plan.lines.all()})
    chain.plan_submit(plan, by=w["region_rep"])
    assert set(plan.lines.values_list("cohort", flat=True)) == {course.pk}


def test_a_paid_or_other_years_course_is_not_in_the_regions_plan_001_13(w, clock):
    plan = _region_plan(w, clock)
    paid = state_course(funding="own", price=1000)
    with pytest.raises(DomainError, match="not a budget-funded course"):
        chain.plan_courses_assign(plan, by=w["region_rep"], courses={plan.lines.first().pk: paid})


def test_a_teacher_in_two_regions_plans_is_refused_001_13(w, clock):
    plan = _region_plan(w, clock)
    other = hierarchy(" (2)")
    teacher = plan.lines.first()
    clock["today"] = TODAY
    accepted(other, iin=teacher.iin, birth_date=teacher.birth_date)
    sent_plan(other, "school")
    clock["today"] = datetime.date(2027, 6, 25)
    sent_plan(other, "north")
    clock["today"] = datetime.date(2027, 8, 20)
    second = chain.plan_create(by=other["region_rep"], partner=other["region"])
    with pytest.raises(DomainError, match="another region's plan"):
        chain.plan_build(second, by=other["region_rep"])
    assert not second.lines.exists()


# --------------------------------------------------------------------------- Excel in and out


def _xlsx(rows, header=None):
    book = Workbook()
    sheet = book.active
    sheet.append(header or [names[0] for names in chain.PLAN_COLUMNS.values()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue())


def test_a_plan_goes_out_to_excel_and_comes_back_unchanged(w):
    accepted(w)
    accepted(w)
    plan = chain.plan_create(by=w["school_rep"], partner=w["school"])
    chain.plan_build(plan, by=w["school_rep"])
    before = list(plan.lines.values_list("iin", "last_name", "birth_date", "organisation"))
    data = chain.plan_workbook(plan)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "ЖСН / ИИН" and len(rows) == 3
    checks, saved = chain.plan_lines_import(plan, by=w["school_rep"], upload=SimpleUploadedFile("p.xlsx", data))
    assert saved and all(c.ok for c in checks)
    assert list(plan.lines.values_list("iin", "last_name", "birth_date", "organisation")) == before


def test_an_excel_plan_with_errors_imports_nothing_and_reports_each_row(w):
    a = accepted(w)
    plan = chain.plan_create(by=w["north_rep"], partner=w["north"])
    good = teacher_values()
    rows = [
        [
            good["iin"],
            "Асқарова",
            "Дана",
            "",
            good["birth_date"].strftime("%d.%m.%Y"),
            "",
            "",
            w["school"].name,
            "",
            "",
        ],
        [
            good["iin"],
            "Асқарова",
            "Дана",
            "",
            good["birth_date"].strftime("%d.%m.%Y"),
            "",
            "",
            w["school"].name,
            "",
            "",
        ],
        ["123", "Бекова", "", "", "31.02.1980", "", "", w["other"].name, "", ""],
        [a.iin, "Сәкенова", "Айым", "", a.birth_date.strftime("%d.%m.%Y"), "", "", w["school2"].name, "", "C-1"],
    ]
    checks, saved = chain.plan_lines_import(plan, by=w["north_rep"], upload=_xlsx(rows))
    assert not saved and not plan.lines.exists()
    assert checks[0].ok
    assert "row 2" in " ".join(checks[1].errors)
    text = " ".join(checks[2].errors)
    assert "First name is required" in text and "not among the organisations" in text
    assert "Only the region assigns courses" in " ".join(checks[3].errors)


def test_a_file_without_the_plans_columns_is_refused(w):
    plan = chain.plan_create(by=w["school_rep"], partner=w["school"])
    with pytest.raises(DomainError, match="Columns are missing"):
        chain.plan_lines_import(plan, by=w["school_rep"], upload=_xlsx([["1"]], header=["ЖСН / ИИН"]))


# --------------------------------------------------------------------------- 001 §15: the schedule's agreements


def test_the_schedule_is_agreed_course_by_course_with_the_region_001_15(w, registrar):
    course = state_course(capacity=20)
    agreement = chain.schedule_agreement_record(
        course,
        by=registrar,
        partner=w["region"],
        places=12,
        agreed_by_name="Ә. Бекова, басшының орынбасары",
        agreed_on=datetime.date(2027, 10, 5),
        document=scan(),
    )
    assert agreement.recorded_by == registrar and agreement.document.name.endswith(".pdf")
    log = ActivityLog.objects.get(action="enrolment.schedule.agreed")
    assert log.data["after"]["places"] == 12 and log.data["after"]["agreed_by"].startswith("Ә. Бекова")
    other = hierarchy(" (2)")["region"]
    with pytest.raises(DomainError, match="do not fit"):
        chain.schedule_agreement_record(
            course, by=registrar, partner=other, places=9, agreed_by_name="X", agreed_on=TODAY, document=scan()
        )


def test_only_a_region_or_the_ministry_agrees_and_only_the_centre_records_it_001_15(w, registrar):
    course = state_course()
    with pytest.raises(DomainError, match="regional education department or the ministry"):
        chain.schedule_agreement_record(
            course, by=registrar, partner=w["north"], places=1, agreed_by_name="X", agreed_on=TODAY, document=scan()
        )
    with pytest.raises(DomainError, match="may not record"):
        chain.schedule_agreement_record(
            course,
            by=w["region_rep"],
            partner=w["region"],
            places=1,
            agreed_by_name="X",
            agreed_on=TODAY,
            document=scan(),
        )


# --------------------------------------------------------------------------- 001 §§14, 16, 18: the region's list


@pytest.fixture
def listed(w, clock, registrar):
    """The region's plan sent with its teachers on one course agreed for 5 places; the list drawn from it."""
    plan = _region_plan(w, clock)
    course = state_course()
    chain.plan_courses_assign(plan, by=w["region_rep"], courses={line.pk: course for line in plan.lines.all()})
    chain.plan_submit(plan, by=w["region_rep"])
    chain.schedule_agreement_record(
        course, by=registrar, partner=w["region"], places=5, agreed_by_name="Басшы", agreed_on=TODAY, document=scan()
    )
    clock["today"] = datetime.date(2027, 12, 1)
    item = chain.region_list_create(plan, by=w["region_rep"], cohort=course, letter_number="01-12/345")
    return {"plan": plan, "course": course, "list": item}


def test_the_regions_list_is_drawn_from_its_plan_two_months_before_the_course_001_14(w, listed):
    item = listed["list"]
    assert list(item.teachers.values_list("iin", flat=True)) == list(
        listed["plan"].lines.order_by("row").values_list("iin", flat=True)
    )
    request_submit(item, by=w["region_rep"])
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED


def test_a_list_larger_than_the_agreed_places_is_refused_001_14(w, listed, registrar):
    chain.schedule_agreement_record(
        listed["course"],
        by=registrar,
        partner=w["region"],
        places=1,
        agreed_by_name="Б",
        agreed_on=TODAY,
        document=scan(),
    )
    with pytest.raises(DomainError, match="places are agreed"):
        request_submit(listed["list"], by=w["region_rep"])
    listed["list"].refresh_from_db()
    assert listed["list"].status == RequestStatus.DRAFT


def test_a_late_list_needs_the_centres_decision_001_14(w, listed, clock, registrar):
    clock["today"] = datetime.date(2028, 1, 3)
    with pytest.raises(DomainError, match="due by 02.01.2028"):
        request_submit(listed["list"], by=w["region_rep"])
    chain.late_decision_record(by=registrar, request=listed["list"], reason="Хат кешікті")
    request_submit(listed["list"], by=w["region_rep"])


def test_a_list_for_a_course_not_agreed_with_the_region_is_refused_001_15(w, listed):
    listed["list"].cohort.agreements.all().delete()
    with pytest.raises(DomainError, match="not agreed with"):
        request_submit(listed["list"], by=w["region_rep"])


def test_a_teacher_in_two_regions_lists_for_a_course_is_refused_001_14(w, listed, registrar):
    other = hierarchy(" (2)")
    from enrolment.models import TeacherRequest

    chain.schedule_agreement_record(
        listed["course"],
        by=registrar,
        partner=other["region"],
        places=5,
        agreed_by_name="Б",
        agreed_on=TODAY,
        document=scan(),
    )
    request_submit(listed["list"], by=w["region_rep"])
    theirs = TeacherRequest.objects.create(
        partner=other["region"], cohort=listed["course"], created_by=other["region_rep"]
    )
    first = listed["list"].teachers.first()
    RequestedTeacher.objects.create(
        request=theirs,
        row=1,
        iin=first.iin,
        last_name=first.last_name,
        first_name=first.first_name,
        birth_date=first.birth_date,
    )
    with pytest.raises(DomainError, match="another region's list"):
        request_submit(theirs, by=other["region_rep"])


def test_the_heads_referral_orders_are_attached_to_the_list_001_16(w, listed):
    order = chain.referral_order_attach(
        listed["list"], by=w["region_rep"], issued_by=w["school"], number="45-н", issued_on=TODAY, file=scan()
    )
    assert order.file.name.endswith(".pdf")
    outsider = hierarchy(" (2)")["school"]
    with pytest.raises(DomainError, match="issued by the region or one of its organisations"):
        chain.referral_order_attach(
            listed["list"], by=w["region_rep"], issued_by=outsider, number="1", issued_on=TODAY, file=scan()
        )
    with pytest.raises(DomainError, match="may not act for"):
        chain.referral_order_attach(
            listed["list"], by=w["north_rep"], issued_by=w["north"], number="1", issued_on=TODAY, file=scan()
        )
    with pytest.raises(DomainError, match="not a PDF"):
        chain.referral_order_attach(
            listed["list"],
            by=w["region_rep"],
            issued_by=w["region"],
            number="2",
            issued_on=TODAY,
            file=SimpleUploadedFile("x.pdf", b"not a pdf"),
        )
    assert ReferralOrder.objects.count() == 1


def test_the_regions_letter_becomes_the_admission_order_without_retyping_001_18(w, listed, registrar, director):
    item = listed["list"]
    request_submit(item, by=w["region_rep"])
    with pytest.raises(DomainError, match="referral orders are not attached"):
        chain.letter_admit(item, by=registrar, number="12-қ", issued_on=TODAY, responsible="Ли М.")
    chain.referral_order_attach(
        item, by=w["region_rep"], issued_by=w["region"], number="7", issued_on=TODAY, file=scan()
    )
    order = chain.letter_admit(item, by=registrar, number="12-қ", issued_on=TODAY, responsible="Ли М.")
    listed_iins = set(item.teachers.values_list("iin", flat=True))
    assert set(order.enrolments.values_list("listener__iin", flat=True)) == listed_iins
    assert set(Enrolment.objects.filter(cohort=listed["course"]).values_list("status", flat=True)) == {
        EnrolmentStatus.ADMITTED
    }
    assert AdmissionOrder.objects.count() == 1
    assert ActivityLog.objects.filter(action="enrolment.request.letter_admitted").exists()


def test_a_schools_request_is_not_the_basis_of_a_budget_order_001_18(w, registrar):
    from enrolment.models import TeacherRequest

    course = state_course()
    item = TeacherRequest.objects.create(
        partner=w["school"], cohort=course, created_by=w["school_rep"], status="submitted"
    )
    with pytest.raises(DomainError, match="Only a region's letter"):
        chain.letter_admit(item, by=registrar, number="1", issued_on=TODAY, responsible="X")


# --------------------------------------------------------------------------- reminders


def test_reminders_go_14_and_3_days_before_a_deadline_to_those_who_have_not_sent_001_11(w, settings):
    settings.SITE_URL = "https://ziat.example.kz"
    accepted(w)
    sent_plan(w, "school")
    mail.outbox.clear()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        count = chain.planning_reminders(datetime.date(2027, 5, 18))
    assert count == 2  # school2 and the south's school; the school has sent
    recipients = {address for m in mail.outbox for address in m.to}
    assert w["school2_rep"].email in recipients and w["school_rep"].email not in recipients
    assert "01.06.2027" in mail.outbox[0].subject
    assert chain.planning_reminders(datetime.date(2027, 5, 19)) == 0


def test_a_region_is_reminded_of_the_list_of_an_agreed_course_001_14(w, registrar):
    course = state_course()
    chain.schedule_agreement_record(
        course, by=registrar, partner=w["region"], places=5, agreed_by_name="Б", agreed_on=TODAY, document=scan()
    )
    due = list_due_on(course.starts_on)
    assert chain.planning_reminders(due - datetime.timedelta(days=3)) == 1


def test_the_daily_reminder_is_a_periodic_task(settings):
    assert settings.PERIODIC_TASKS["planning_reminders"]["task"] == "enrolment.tasks.planning_reminders"


def test_every_plan_line_is_unique_per_teacher_in_the_database(w):
    plan = Plan.objects.create(partner=w["school"], year=YEAR, created_by=w["school_rep"])
    values = teacher_values()
    values.pop("language")
    PlanLine.objects.create(plan=plan, row=1, organisation=w["school"], **values)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PlanLine.objects.create(plan=plan, row=2, organisation=w["school"], **values)


def test_the_daily_task_reminds_the_region_of_a_list_due_in_14_days_001_14(w, registrar):
    from django.utils import timezone

    from enrolment.tasks import planning_reminders as task

    today = timezone.localdate()
    due = today + datetime.timedelta(days=14)
    starts = next(
        today + datetime.timedelta(days=d)
        for d in range(50, 80)
        if list_due_on(today + datetime.timedelta(days=d)) == due
    )
    course = state_course(
        year=starts.year, month=starts.month, starts_on=starts, ends_on=starts + datetime.timedelta(4)
    )
    chain.schedule_agreement_record(
        course, by=registrar, partner=w["region"], places=5, agreed_by_name="Б", agreed_on=TODAY, document=scan()
    )
    assert task.call() == 1
