"""The back-office edits configuration only; lifecycle records are read there and change on staff pages.

Every model registered in the admin is either declared configuration below or treated as a lifecycle record,
so a newly registered model is read-only until someone decides otherwise here.
"""

import datetime
import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.models import CohortTest, ExternalAssessment, Reassessment
from enrolment.models import Cohort, Listener, Partner, Representative
from postcourse.models import SupportPeriod
from tests import factories
from ziat.models import ActivityLog, CalendarDay, Organisation, User

# The organisation, users and roles, and the reference list of partners with their representatives'
# accounts: no staff page with a service changes them, and they have no lifecycle. The government's calendar
# decisions are recorded on the staff calendar page (logged), and read here.
CONFIGURATION = {User, Group, Organisation, Partner, Representative, Listener}


def _label(model):
    return model._meta.label


PROJECT_APPS = {"ziat", "programs", "enrolment", "assessment", "certificates", "postcourse", "monitoring"}
LIFECYCLE = sorted((m for m in admin.site._registry if m not in CONFIGURATION), key=_label)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_is_classified_and_configuration_is_registered():
    assert set(admin.site._registry) >= CONFIGURATION
    assert LIFECYCLE, "lifecycle records are registered for reading"


@pytest.fixture
def demo(db):
    """The demo course, plus one record of each kind the demo does not make (arranged directly)."""
    call_command("seed_demo", stdout=io.StringIO())
    cohort = Cohort.objects.get(code="DEMO-004-01")
    enrolment = cohort.enrolments.order_by("pk").first()
    director = User.objects.get(username="director")
    now = timezone.now()
    test = CohortTest.objects.filter(cohort=cohort).order_by("pk").first()
    Reassessment.objects.create(
        enrolment=enrolment, test=test, opens_at=now, closes_at=now + datetime.timedelta(hours=2), granted_by=director
    )
    ExternalAssessment.objects.create(
        enrolment=enrolment,
        held_on=cohort.ends_on,
        assessor="РИПК",
        result="зачтено",
        passed=True,
        document="external/2026/protocol.pdf",
        recorded_by=director,
    )
    SupportPeriod.objects.get_or_create(
        enrolment=enrolment,
        defaults={"starts_on": cohort.ends_on, "ends_on": cohort.ends_on + datetime.timedelta(days=365)},
    )
    CalendarDay.objects.create(date=datetime.date(2031, 3, 1), is_working=True, note="decree")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.kz", "pass-12345")


def test_lifecycle_records_are_read_only_in_the_admin_even_for_a_superuser(client, demo, superuser):
    """Adding, changing and deleting a lifecycle record in the back-office are refused and change nothing;
    the record's list and its page are readable."""
    client.force_login(superuser)
    missing, allowed = [], []
    for model in LIFECYCLE:
        obj = model._default_manager.order_by("pk").first()
        if obj is None and model._meta.app_label in PROJECT_APPS:
            missing.append(_label(model))
            continue
        if obj is None:  # a library's record (e.g. the task queue's) the demo did not make: no record to change
            if client.get(_url(model, "add")).status_code != 403:
                allowed.append(f"{_label(model)}: add page")
            if client.post(_url(model, "delete", 0), {"post": "yes"}).status_code != 403:
                allowed.append(f"{_label(model)}: delete")
            continue
        before = model._default_manager.count()
        if client.get(_url(model, "add")).status_code != 403:
            allowed.append(f"{_label(model)}: add page")
        if client.post(_url(model, "add"), {}).status_code != 403:
            allowed.append(f"{_label(model)}: add")
        if client.post(_url(model, "change", obj.pk), {}).status_code != 403:
            allowed.append(f"{_label(model)}: change")
        if client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code != 403:
            allowed.append(f"{_label(model)}: delete")
        bulk = client.post(_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk]})
        if bulk.status_code == 200 and b'name="action"' in bulk.content:
            allowed.append(f"{_label(model)}: bulk actions")
        if client.get(_url(model, "changelist")).status_code != 200:
            allowed.append(f"{_label(model)}: the list is not readable")
        if client.get(_url(model, "change", obj.pk)).status_code != 200:
            allowed.append(f"{_label(model)}: the record is not readable")
        assert model._default_manager.count() == before
        assert model._default_manager.filter(pk=obj.pk).exists()
    assert not missing, f"the demo has no record of {missing}: add one to this test"
    assert not allowed, f"writable in the admin: {allowed}"


@pytest.mark.parametrize("model", sorted(CONFIGURATION, key=_label), ids=_label)
def test_configuration_stays_editable_in_the_admin(client, org, superuser, model):
    client.force_login(superuser)
    assert client.get(_url(model, "changelist")).status_code == 200
    if model is Organisation:  # one organisation: it is changed, never added a second time
        assert client.get(_url(model, "change", org.pk)).status_code == 200
    else:
        assert client.get(_url(model, "add")).status_code == 200


def test_the_organisation_is_edited_in_the_admin(client, org, superuser):
    client.force_login(superuser)
    page = client.get(_url(Organisation, "change", org.pk))
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and name != "logo"
    }
    data["short_name"] = "ZIAT-2"
    response = client.post(_url(Organisation, "change", org.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    org.refresh_from_db()
    assert org.short_name == "ZIAT-2"


def test_the_cohort_list_links_the_staff_pages_that_change_a_cohort(client, org, superuser):
    c = factories.cohort(factories.program())
    client.force_login(superuser)
    html = client.get(_url(type(c), "changelist")).content.decode()
    for url in (
        reverse("enrolment:timetable", args=[c.pk]),
        reverse("enrolment:attendance_grid", args=[c.pk]),
        reverse("assessment:final_results", args=[c.pk]),
        reverse("certificates:cohort_certificates", args=[c.pk]),
    ):
        assert url in html


def test_a_listeners_contacts_corrected_in_the_admin_go_through_the_service_and_the_log(client, org, superuser):
    person = factories.listener()
    born = person.birth_date
    client.force_login(superuser)
    response = client.post(
        _url(Listener, "change", person.pk),
        {"phone": "+7 701 000 00 00", "workplace": "№ 12 мектеп", "position": "Мұғалім", "birth_date": "1990-01-01"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.workplace, person.birth_date) == ("+7 701 000 00 00", "№ 12 мектеп", born)
    entry = ActivityLog.objects.get(action="enrolment.listener.updated")
    assert entry.actor == superuser and entry.listener_id == person.pk
    assert entry.data["after"]["workplace"] == "№ 12 мектеп"
