"""Each staff role sees and changes only what its job needs; listeners never reach the back-office
(SPEC "People")."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assessment.models import FinalResult
from certificates.models import Certificate
from enrolment.models import Attendance, Session
from programs.enums import ProgramStatus
from tests.certificates.helpers import course, enrol
from tests.factories import enrolment, listener, program, staff_user, teach
from ziat import roles

STAFF_ROLES = [roles.DIRECTOR, roles.METHODIST, roles.REGISTRAR, roles.TRAINER, roles.ACCOUNTANT, roles.MONITORING]


def _perms(role):
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


# --- the role -> permission map ----------------------------------------------------------------------------


def test_every_role_group_has_exactly_its_mapped_permissions(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(STAFF_ROLES)
    for role in STAFF_ROLES:
        assert _perms(role) == set(roles.ROLE_PERMISSIONS[role]), role


@pytest.mark.parametrize(
    ("perm", "holders"),
    [
        ("certificates.issue_certificate", {roles.DIRECTOR}),
        ("certificates.revoke_certificate", {roles.DIRECTOR}),
        ("programs.approve_program", {roles.DIRECTOR}),
        ("enrolment.mark_attendance", {roles.DIRECTOR, roles.TRAINER}),
        ("assessment.change_finalresult", {roles.DIRECTOR, roles.TRAINER}),
        ("programs.change_topic", {roles.DIRECTOR, roles.METHODIST}),
        ("enrolment.add_listener", {roles.DIRECTOR, roles.REGISTRAR}),
        ("enrolment.add_enrolment", {roles.DIRECTOR, roles.REGISTRAR}),
        ("ziat.change_organisation", {roles.DIRECTOR}),
    ],
)
def test_a_sensitive_permission_belongs_only_to_the_roles_whose_job_needs_it(db, perm, holders):
    assert {role for role in STAFF_ROLES if perm in _perms(role)} == holders


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_role_may_change_or_delete_issued_certificates_5_4(db, role):
    perms = _perms(role)
    assert "certificates.change_certificate" not in perms
    assert "certificates.delete_certificate" not in perms


# --- issuing certificates, results and attendance: on staff pages, never in the back-office -------------------


def _issue_url(c):
    return reverse("certificates:cohort_certificates", args=[c.pk])


def test_director_may_open_and_post_the_issuing_page(client, org, director):
    c = course()
    enrol(c)
    client.force_login(director)
    assert client.get(_issue_url(c)).status_code == 200
    assert client.post(_issue_url(c), {"issue": "1"}).status_code == 302
    assert Certificate.objects.filter(enrolment__cohort=c).count() == 1


@pytest.mark.parametrize("role", [roles.REGISTRAR, roles.TRAINER, roles.ACCOUNTANT])
def test_registrar_trainer_accountant_may_not_post_the_issuing_page(client, org, role):
    c = course()
    enrol(c)
    client.force_login(staff_user(role))
    assert client.post(_issue_url(c), {"issue": "1"}).status_code == 403
    assert not Certificate.objects.exists()


def test_registrar_may_see_the_issuing_page_without_the_issue_button(client, org):
    c = course()
    enrol(c)
    client.force_login(staff_user(roles.REGISTRAR))
    response = client.get(_issue_url(c))
    assert response.status_code == 200
    assert response.context["can_issue"] is False
    assert 'name="issue"' not in response.content.decode()


@pytest.fixture
def class_(db, org):
    c = course()
    return c, enrolment(c), list(c.sessions.all())


def _results_url(c):
    return reverse("assessment:final_results", args=[c.pk])


def test_the_cohorts_trainer_may_post_final_results(client, class_):
    c, e, sessions = class_
    trainer = staff_user(roles.TRAINER)
    Session.objects.filter(pk=sessions[0].pk).update(trainer=trainer)
    client.force_login(trainer)
    response = client.post(_results_url(c), {f"score-{e.pk}": "21"})
    assert response.status_code == 302
    assert FinalResult.objects.get(enrolment=e).score == 21


def test_a_trainer_who_teaches_nothing_in_the_cohort_may_neither_read_nor_post_its_final_results(client, class_):
    c, e, _sessions = class_
    client.force_login(teach(course(), staff_user(roles.TRAINER)))
    url = _results_url(c)
    response = client.get(url)
    assert response.status_code == 403
    assert e.listener.iin not in response.content.decode()
    assert client.post(url, {f"score-{e.pk}": "21"}).status_code == 403
    assert not FinalResult.objects.exists()


def test_accountant_may_not_post_final_results(client, class_):
    c, e, _sessions = class_
    client.force_login(staff_user(roles.ACCOUNTANT))
    response = client.post(_results_url(c), {f"score-{e.pk}": "21"})
    assert response.status_code == 403
    assert not FinalResult.objects.exists()


def test_registrar_sees_results_but_may_not_post_them(client, class_):
    c, e, _sessions = class_
    client.force_login(staff_user(roles.REGISTRAR))
    assert client.get(_results_url(c)).status_code == 200
    assert client.post(_results_url(c), {f"score-{e.pk}": "21"}).status_code == 403
    assert not FinalResult.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/enrolment/cohort/{cohort}/attendance/",
        "/admin/assessment/finalresult/cohort/{cohort}/",
        "/admin/certificates/certificate/issue/{cohort}/",
    ],
)
def test_the_back_office_has_no_grid_results_sheet_or_issuing_page(client, class_, director, path):
    c, e, sessions = class_
    client.force_login(director)
    client.post(path.format(cohort=c.pk), {f"a-{sessions[0].pk}-{e.pk}": "on", f"score-{e.pk}": "21", "issue": "1"})
    assert not Attendance.objects.exists()
    assert not FinalResult.objects.exists()
    assert not Certificate.objects.exists()


# --- approving programs (000 §2.12) -----------------------------------------------------------------------------


def test_methodist_cannot_approve_on_the_program_page_000_2_12(client, org, director):
    draft = program(approved=False)
    client.force_login(staff_user(roles.METHODIST))
    response = client.post(f"/staff/programs/{draft.pk}/approve/", {"order_number": "1", "approved_on": "2026-01-01"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.DRAFT
    assert draft.approved_version_id is None


def test_the_admin_offers_no_approval_without_the_state_bodys_agreement_000_2_12(client, org, director):
    client.force_login(director)
    response = client.get("/admin/programs/program/")
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no bulk action at all: programs move on their staff pages


# --- listeners and the back-office; monitoring ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/admin/enrolment/listener/", "/admin/certificates/certificate/"])
def test_a_listener_cannot_enter_the_admin(client, db, path):
    person = listener()
    client.force_login(person.user)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_a_listener_cannot_issue_certificates(client, org):
    c = course()
    e = enrol(c)
    client.force_login(e.listener.user)
    assert client.post(reverse("certificates:cohort_certificates", args=[c.pk]), {"issue": "1"}).status_code == 403
    assert client.post(f"/admin/certificates/certificate/issue/{c.pk}/").url.startswith("/admin/login/")
    assert not Certificate.objects.exists()


def test_a_listener_cannot_log_in_to_the_admin_with_a_password(client, db):
    person = listener()
    credentials = {"username": person.user.username, "password": "pass-12345"}
    response = client.post("/admin/login/", credentials)
    assert response.status_code == 200  # the form again
    assert "_auth_user_id" not in client.session
    # the same credentials do open the listener's own cabinet
    assert client.post("/accounts/login/", credentials).status_code == 302
    assert client.session["_auth_user_id"] == str(person.user.pk)


def test_monitoring_dashboard_is_forbidden_to_a_listener_7(client, db):
    client.force_login(listener().user)
    assert client.get("/monitoring/").status_code == 403


def test_monitoring_dashboard_is_open_to_the_monitoring_role_7(client, org):
    course(code="MON-1")
    client.force_login(staff_user(roles.MONITORING))
    assert client.get("/monitoring/").status_code == 200
    # The cohort is within the role's reach: chosen by its code, it is taken (an unknown code is refused, 400).
    response = client.get("/monitoring/", {"cohort": "mon-1"})
    assert response.status_code == 200
    assert 'value="MON-1"' in response.content.decode()
