"""The staff home: where each kind of user lands, the work waiting for each role with its count, nearest
deadline and link, the union of several roles, the query count whatever the rows, and the staff menu by duty."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from assessment.models import ProjectWork
from enrolment.enums import ApplicationStatus, EnrolmentStatus, RequestStatus
from enrolment.models import (
    AdmissionOrder,
    Application,
    Attendance,
    Enrolment,
    Invoice,
    Partner,
    Representative,
    Session,
    TeacherRequest,
    Trainer,
)
from monitoring.enums import ReviewStatus
from monitoring.models import EffectivenessReview, NobdDeadline
from postcourse.models import Consultation, FollowUp
from programs.enums import ProgramStatus
from programs.models import NeedsSurvey, Program
from tests.factories import UserFactory, cohort, enrolment, listener, page_queries, program, staff_user
from ziat import roles, workspace


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


TODAY = timezone.localdate()
NOON = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12)))


@pytest.fixture(autouse=True)
def _noon(monkeypatch):
    """The clock stands at noon of the day the module was read: a session at 23:00 is still to come, whenever the
    tests run."""
    monkeypatch.setattr(timezone, "now", lambda: NOON)


def _login(client, user):
    client.force_login(user)
    return client


def _items(client):
    """{item id: (count, link, deadline text)} of the staff home."""
    body = client.get("/staff/").content.decode()
    found = re.findall(
        r'id="work-([\w-]+)">\s*<span class="work-count">(\d+)</span>\s*<a class="work-what" href="([^"]+)">'
        r"[^<]+</a>\s*(?:<span class=\"work-deadline\">([^<]+)</span>)?",
        body,
    )
    return {key: (int(n), url, deadline) for key, n, url, deadline in found}


# ------------------------------------------------------------------------------------------- landing


@pytest.mark.parametrize("role", sorted(roles.ROLE_NAMES))
def test_every_staff_role_lands_on_its_home_after_login(client, org, role):
    user = staff_user(role)
    response = client.post("/accounts/login/", {"username": user.username, "password": "pass-12345"}, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/"
    assert response.status_code == 200
    assert b'id="waiting"' in response.content or b'id="nothing-waiting"' in response.content


def test_a_representative_lands_on_the_organisations_requests(client, org):
    user = UserFactory()
    Representative.objects.create(user=user, partner=Partner.objects.create(name="Мектеп", kind="school"))
    response = client.post("/accounts/login/", {"username": user.username, "password": "pass-12345"}, follow=True)
    assert response.redirect_chain[-1][0] == "/partner/"
    assert response.status_code == 200


def test_a_listener_lands_in_the_cabinet(client, org):
    person = listener()
    response = client.post("/accounts/login/", {"username": person.iin, "password": "pass-12345"}, follow=True)
    assert response.redirect_chain[-1][0] == "/cabinet/"


def test_the_home_refuses_a_non_staff_user_in_the_base_layout(client, org):
    _login(client, listener().user)
    response = client.get("/staff/")
    assert response.status_code == 403
    assert b"site-header" in response.content


def test_nothing_waiting_shows_the_empty_state(client, org):
    _login(client, staff_user(roles.ACCOUNTANT))
    body = client.get("/staff/").content.decode()
    assert 'id="nothing-waiting"' in body
    assert "Nothing is waiting for you now." in body


# ------------------------------------------------------------------------------------------- the work


def _future_cohort(**kw):
    return cohort(starts_on=TODAY + datetime.timedelta(days=10), ends_on=TODAY + datetime.timedelta(days=14), **kw)


def _partner_request(c, status=RequestStatus.SUBMITTED):
    rep = UserFactory()
    partner = Partner.objects.create(name=f"Мектеп {rep.pk}", kind="school")
    Representative.objects.create(user=rep, partner=partner)
    return TeacherRequest.objects.create(partner=partner, cohort=c, created_by=rep, status=status)


def build_waiting(n, *, trainer, by):
    """``n`` rows of every kind of waiting work, and as many that wait for nobody."""
    Trainer.objects.get_or_create(user=trainer)
    near, far = _future_cohort(), _future_cohort()
    Program.objects.filter(pk=far.program_id).update(status=ProgramStatus.AGREED)
    for i in range(n):
        Program.objects.filter(pk=program(approved=False).pk).update(status=ProgramStatus.AGREED)
        Program.objects.filter(pk=program(approved=False).pk).update(status=ProgramStatus.DRAFT)
        for c in (near, far):
            Application.objects.create(
                listener=listener(), cohort=c, language="ru", funding=c.funding, status=ApplicationStatus.SUBMITTED
            )
            AdmissionOrder.objects.create(
                cohort=c, number=f"{c.code}-{i}", issued_on=TODAY, responsible="Тіркеуші", created_by=by
            )
            request = _partner_request(c)
            Invoice.objects.create(
                number=f"I-{c.code}-{i}", issued_on=TODAY, cohort=c, request=request, amount=10, created_by=by
            )
            Enrolment.objects.create(cohort=c, listener=listener(), status=EnrolmentStatus.ADMITTED)
        # Not waiting: a returned application, a draft request, a signed order.
        Application.objects.create(
            listener=listener(), cohort=near, language="ru", funding=near.funding, status=ApplicationStatus.WITHDRAWN
        )
        _partner_request(near, status=RequestStatus.DRAFT)
        AdmissionOrder.objects.create(
            cohort=near,
            number=f"S-{i}",
            issued_on=TODAY,
            responsible="-",
            created_by=by,
            signed_by=by,
            signed_at=timezone.now(),
        )
        # The trainer's: a session today, a session held last week with nobody marked, a work to score, a question.
        running = cohort(starts_on=TODAY - datetime.timedelta(days=7), ends_on=TODAY + datetime.timedelta(days=1))
        e = enrolment(running)
        Session.objects.create(
            cohort=running,
            date=TODAY,
            starts_at=datetime.time(23, 0),
            ends_at=datetime.time(23, 30),
            hours=1,
            trainer=trainer,
        )
        Session.objects.create(
            cohort=running,
            date=TODAY - datetime.timedelta(days=7),
            starts_at=datetime.time(9),
            ends_at=datetime.time(12),
            hours=4,
            trainer=trainer,
        )
        ProjectWork.objects.create(enrolment=e, title="Жоба", original_name="w.pdf", submitted_at=timezone.now())
        Consultation.objects.create(enrolment=e, kind="question", subject="Сұрақ")
        # A listener asking for more support in a follow-up questionnaire, and one not asking (001 §34).
        answered = {"due_on": TODAY, "answered_at": timezone.now(), "applying": "sometimes"}
        FollowUp.objects.create(enrolment=e, months=3, wants_support=True, **answered)
        FollowUp.objects.create(enrolment=e, months=6, wants_support=False, **answered)
        # Finished: its NOBD entry and its documents to issue.
        finished = cohort(starts_on=TODAY - datetime.timedelta(days=30), ends_on=TODAY - datetime.timedelta(days=26))
        enrolment(finished)
        NobdDeadline.objects.create(cohort=finished, due_on=TODAY + datetime.timedelta(days=i + 1))
        for status in (ReviewStatus.DRAFT, ReviewStatus.CONCLUDED):
            EffectivenessReview.objects.create(
                program=finished.program, period_from=TODAY, period_to=TODAY, status=status, created_by=by
            )
        NeedsSurvey.objects.create(title_ru=f"Опрос {i}", is_open=True, created_by=by)
    return near


def _everyone(**kw):
    user = UserFactory(is_staff=True, **kw)
    user.groups.add(*Group.objects.filter(name__in=roles.ROLE_NAMES))
    return user


def test_each_providers_counts_deadlines_and_links_against_built_data(client, org):
    by = staff_user(roles.DIRECTOR)
    trainer = staff_user(roles.TRAINER)
    near = build_waiting(2, trainer=trainer, by=by)
    start = near.starts_on.strftime("%d.%m.%Y")

    registrar = _items(_login(client, staff_user(roles.REGISTRAR)))
    assert registrar["enrolment-applications"] == (
        4,
        "/staff/enrolment/applications/?status=submitted",
        f"nearest deadline {start}",
    )
    assert registrar["enrolment-requests"][:2] == (4, "/staff/enrolment/requests/?status=submitted")
    assert registrar["enrolment-orders-to-draw-up"][:2] == (2, f"/staff/enrolment/cohorts/{near.pk}/orders/")
    assert registrar["monitoring-nobd-due"][0] == 2
    assert registrar["certificates-to-issue"][0] == 2
    assert "enrolment-orders-to-sign" not in registrar  # the director signs

    director = _items(_login(client, by))
    assert director["enrolment-orders-to-sign"][0] == 4
    assert director["enrolment-orders-to-sign"][2] == f"nearest deadline {start}"
    assert director["programs-to-approve"] == (3, "/staff/programs/?status=agreed", "")
    assert director["monitoring-reviews-to-approve"][0] == 2
    assert "monitoring-reviews-to-conclude" not in director

    methodist = _items(_login(client, staff_user(roles.METHODIST)))
    assert methodist["programs-drafting"][0] == 2
    assert methodist["monitoring-reviews-to-conclude"][0] == 2
    assert methodist["postcourse-consultations"][0] == 2
    assert methodist["postcourse-support-requests"] == (
        2,
        "/staff/support/follow-ups/?support=waiting",
        f"the oldest asked on {TODAY:%d.%m.%Y}",
    )

    accountant = _items(_login(client, staff_user(roles.ACCOUNTANT)))
    assert accountant["enrolment-invoices-open"] == (4, "/staff/enrolment/payments/", f"nearest deadline {start}")

    mine = _items(_login(client, trainer))
    assert mine["enrolment-today-sessions"] == (2, "/staff/enrolment/my-day/", "due today")
    assert mine["enrolment-attendance-to-mark"][0] == 2
    assert mine["assessment-works-to-score"][0] == 2
    assert mine["postcourse-consultations"][0] == 2
    assert mine["postcourse-support-requests"][0] == 2
    # Today's sessions come first.
    assert next(iter(mine)) == "enrolment-today-sessions"

    monitoring = _login(client, staff_user(roles.MONITORING)).get("/staff/").content.decode()
    assert 'href="/monitoring/"' in monitoring
    assert _items(client)["monitoring-surveys-open"][0] == 2


def test_a_trainer_sees_only_the_work_of_the_cohorts_they_teach(client, org):
    by = staff_user(roles.DIRECTOR)
    build_waiting(1, trainer=staff_user(roles.TRAINER), by=by)
    other = staff_user(roles.TRAINER)
    items = _items(_login(client, other))
    assert "assessment-works-to-score" not in items
    assert "postcourse-consultations" not in items
    assert "postcourse-support-requests" not in items
    assert "enrolment-today-sessions" not in items


def test_marked_attendance_is_no_longer_waiting(client, org):
    trainer = staff_user(roles.TRAINER)
    build_waiting(1, trainer=trainer, by=staff_user(roles.DIRECTOR))
    held = Session.objects.get(trainer=trainer, date__lt=TODAY)
    e = Enrolment.objects.get(cohort=held.cohort)
    Attendance.objects.create(session=held, enrolment=e, status="present", marked_by=trainer)
    assert "enrolment-attendance-to-mark" not in _items(_login(client, trainer))


def test_a_user_with_several_roles_sees_the_union_of_their_work(client, org):
    by = staff_user(roles.DIRECTOR)
    trainer = staff_user(roles.TRAINER)
    build_waiting(1, trainer=trainer, by=by)
    trainer.groups.add(Group.objects.get(name=roles.REGISTRAR))
    items = _items(_login(client, trainer))
    assert {"enrolment-applications", "enrolment-today-sessions", "assessment-works-to-score"} <= set(items)
    # A provider shared by two roles answers once.
    body = client.get("/staff/").content.decode()
    assert body.count('id="work-monitoring-nobd-due"') == 1


@pytest.mark.parametrize("n", [1, 4])
def test_the_homes_query_count_does_not_grow_with_the_waiting_rows(client, org, n):
    user = _everyone()
    build_waiting(n, trainer=user, by=staff_user(roles.DIRECTOR))
    _login(client, user)
    assert len(_items(client)) >= 16
    assert page_queries(client, "/staff/") == 32


def test_providers_are_registered_by_each_app_and_ziat_imports_none():
    keys = {p.key for p in workspace._providers.values()}
    assert {"enrolment.registrar", "programs.director", "assessment.scoring", "certificates.issuing"} <= keys
    assert {"postcourse.consultations", "monitoring.nobd"} <= keys
    source = Path(workspace.__file__).read_text(encoding="utf-8")
    for app in ("enrolment", "programs", "assessment", "certificates", "postcourse", "monitoring"):
        assert not re.search(rf"^\s*(from|import) {app}\b", source, re.M)


# ------------------------------------------------------------------------------------------- the menu


def _menu(page):
    return page[page.index('<nav class="staff-nav staff-menu"') : page.index("</nav>", page.index("staff-menu"))]


def test_the_menu_groups_pages_by_duty_and_shows_only_what_the_role_may_open(client, org):
    page = _login(client, staff_user(roles.ACCOUNTANT)).get("/staff/enrolment/payments/").content.decode()
    body = _menu(page)
    assert "Courses and listeners" in body
    assert 'href="/staff/enrolment/payments/" aria-current="page"' in body
    assert 'href="/staff/needs/"' not in body
    assert 'href="/staff/certificates/"' not in body
    assert "/monitoring/" not in body


def test_the_menu_marks_the_section_of_a_page_below_a_link(client, org):
    c = cohort()
    body = _login(client, staff_user(roles.REGISTRAR)).get(f"/staff/enrolment/schedule/{c.pk}/").content.decode()
    assert 'href="/staff/enrolment/schedule/" aria-current="page"' in body
    assert body.count('aria-current="page"') == 1


def test_the_home_link_is_current_only_on_the_home(client, org):
    _login(client, staff_user(roles.DIRECTOR))
    assert 'href="/staff/" aria-current="page"' in client.get("/staff/").content.decode()
    assert 'href="/staff/" aria-current="page"' not in client.get("/staff/programs/").content.decode()


def test_a_trainer_without_a_profile_is_led_to_the_timetable_not_to_a_refused_day(client, org):
    trainer = staff_user(roles.TRAINER)
    c = cohort(starts_on=TODAY, ends_on=TODAY)
    Session.objects.create(
        cohort=c, date=TODAY, starts_at=datetime.time(9), ends_at=datetime.time(10), hours=1, trainer=trainer
    )
    items = _items(_login(client, trainer))
    assert items["enrolment-today-sessions"][1] == f"/staff/enrolment/cohorts/{c.pk}/timetable/"
    assert client.get(items["enrolment-today-sessions"][1]).status_code == 200
    assert "/staff/enrolment/my-day/" not in client.get("/staff/").content.decode()


@pytest.mark.parametrize("role", sorted(roles.ROLE_NAMES))
def test_every_link_of_the_menu_and_of_the_home_opens_for_the_role(client, org, role):
    user = staff_user(role)
    trainer = user if role == roles.TRAINER else staff_user(roles.TRAINER)
    build_waiting(1, trainer=trainer, by=staff_user(roles.DIRECTOR))
    page = _login(client, user).get("/staff/").content.decode()
    hrefs = set(re.findall(r'href="([^"]+)"', _menu(page)))
    hrefs |= {url for _n, url, _d in _items(client).values()}
    hrefs |= set(re.findall(r'<a href="([^"]+)" id="link-', page))
    assert hrefs
    for href in sorted(hrefs):
        assert client.get(href).status_code == 200, href
