"""The annual schedule of courses: cohorts of approved programs, groups, publication, the Excel export and
the public schedule (001 §15, 003 §4.4)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from enrolment.enums import EnrolmentStatus, Funding
from enrolment.models import Cohort, Enrolment, StudyGroup
from enrolment.services.schedule import cohort_create, cohort_update
from programs.enums import ComplexPart
from tests.factories import cohort, enrolment, export_download, listener, many_cohorts, page_queries, program
from ziat.errors import DomainError

pytestmark = pytest.mark.django_db

# The staff page: session, user, permissions, roles, the organisation, the programs offered by the filter, the
# count of cohorts and one query for a page of cohorts with their seats; the public page: the organisation,
# the count and the page.
SCHEDULE_QUERIES = 10
PUBLIC_QUERIES = 3


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _terms(prog, **kwargs):
    data = {
        "program": prog.pk,
        "code": "2026-PR-01",
        "language": "kk",
        "funding": Funding.STATE,
        "starts_on": "2026-04-06",
        "ends_on": "2026-04-17",
        "capacity": 25,
        "price": "",
        "test_max_score": 25,
        "test_pass_score": 13,
    }
    data.update(kwargs)
    return data


# ----------------------------------------------------------------------------------------------- CRUD


def test_the_registrar_puts_a_cohort_of_an_approved_program_on_the_schedule_001_15(client, registrar):
    prog = program()
    client.force_login(registrar)
    response = client.post(reverse("enrolment:cohort_create"), _terms(prog))
    created = Cohort.objects.get(code="2026-PR-01")
    assert response.status_code == 302
    assert response.url == reverse("enrolment:cohort_detail", args=[created.pk])
    assert created.version_id == prog.approved_version_id
    assert not created.is_published
    page = client.get(reverse("enrolment:schedule") + "?year=2026").content.decode()
    assert "2026-PR-01" in page and "06.04.2026" in page


def test_the_registrar_changes_the_terms_and_splits_the_cohort_into_groups(client, registrar):
    group = cohort()
    first, second = enrolment(group), enrolment(group)
    client.force_login(registrar)
    data = _terms(group.program, code=group.code, capacity=40, funding=Funding.EMPLOYER, price="45000")
    del data["program"]
    assert client.post(reverse("enrolment:cohort_edit", args=[group.pk]), data).status_code == 302
    group.refresh_from_db()
    assert (group.capacity, group.funding, group.price) == (40, Funding.EMPLOYER, Decimal("45000"))

    assert (
        client.post(reverse("enrolment:group_create", args=[group.pk]), {"name": "A", "capacity": 1}).status_code == 302
    )
    assert (
        client.post(reverse("enrolment:group_create", args=[group.pk]), {"name": "B", "capacity": 5}).status_code == 302
    )
    a, b = StudyGroup.objects.filter(cohort=group).order_by("name")
    url = reverse("enrolment:group_assign", args=[group.pk])
    assert client.post(url, {f"group-{first.pk}": a.pk, f"group-{second.pk}": b.pk}).status_code == 302
    assert Enrolment.objects.get(pk=first.pk).group == a
    assert Enrolment.objects.get(pk=second.pk).group == b

    page = client.get(reverse("enrolment:cohort_detail", args=[group.pk])).content.decode()
    assert 'id="assign-form"' in page and first.listener.full_name in page
    assert reverse("enrolment:enrolment_detail", args=[first.pk]) in page
    assert client.get(reverse("enrolment:cohort_edit", args=[group.pk])).status_code == 200

    # A group never holds more than its capacity: nothing is saved.
    response = client.post(url, {f"group-{first.pk}": a.pk, f"group-{second.pk}": a.pk})
    assert response.status_code == 400
    assert "Group A holds 1 listeners" in response.content.decode()
    assert Enrolment.objects.get(pk=second.pk).group == b


def test_publish_and_unpublish_a_cohort(client, registrar):
    today = timezone.localdate()
    group = cohort(starts_on=today, ends_on=today + datetime.timedelta(days=10))
    client.force_login(registrar)
    url = reverse("enrolment:cohort_publish", args=[group.pk])
    client.post(url, {"publish": "1"})
    assert Cohort.objects.get(pk=group.pk).is_published
    client.post(url, {"publish": "0"})
    assert not Cohort.objects.get(pk=group.pk).is_published


@pytest.mark.parametrize("role", ["trainer", "listener", "anonymous"])
def test_only_the_registrar_and_the_director_manage_the_schedule(client, role):
    from tests.factories import staff_user

    group = cohort()
    prog = group.program
    if role == "trainer":
        client.force_login(staff_user("trainer"))
    elif role == "listener":
        client.force_login(listener().user)
    urls = [
        ("get", reverse("enrolment:schedule"), None),
        ("get", reverse("enrolment:schedule_export"), None),
        ("post", reverse("enrolment:cohort_create"), _terms(prog)),
        ("post", reverse("enrolment:cohort_edit", args=[group.pk]), _terms(prog, code="X")),
        ("post", reverse("enrolment:cohort_publish", args=[group.pk]), {"publish": "1"}),
        ("post", reverse("enrolment:group_create", args=[group.pk]), {"name": "A", "capacity": 5}),
    ]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response.url
        else:
            assert response.status_code == 403, url
    assert Cohort.objects.count() == 1
    assert not Cohort.objects.get(pk=group.pk).is_published
    assert not StudyGroup.objects.exists()


def test_the_service_refuses_an_actor_without_the_permission(trainer):
    with pytest.raises(DomainError, match="may not plan"):
        cohort_create(
            by=trainer,
            program=program(),
            code="X",
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 4, 3),
            language="kk",
            funding=Funding.STATE,
        )
    assert not Cohort.objects.exists()


# ----------------------------------------------------------------------------------------------- rules


def test_a_paid_cohort_without_a_price_is_refused_003_6_4(client, registrar):
    prog = program()
    client.force_login(registrar)
    response = client.post(reverse("enrolment:cohort_create"), _terms(prog, funding=Funding.OWN))
    assert response.status_code == 200
    assert "needs its price" in response.content.decode()
    with pytest.raises(DomainError, match="needs its price"):
        cohort_create(
            by=registrar,
            program=prog,
            code="P-1",
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 4, 3),
            language="ru",
            funding=Funding.EMPLOYER,
        )
    assert not Cohort.objects.exists()


def test_an_unapproved_program_is_refused_000_2_1(client, registrar):
    draft = program(approved=False)
    with pytest.raises(DomainError, match="approved program"):
        cohort_create(
            by=registrar,
            program=draft,
            code="D-1",
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 4, 3),
            language="kk",
            funding=Funding.STATE,
        )
    client.force_login(registrar)
    response = client.post(reverse("enrolment:cohort_create"), _terms(draft))
    assert response.status_code == 200
    assert not Cohort.objects.exists()


def test_a_program_with_an_incomplete_complex_is_refused_000_2_11(registrar):
    prog = program()
    prog.complex_items.filter(part=ComplexPart.TEST_BANK).delete()
    with pytest.raises(DomainError, match="methodical complex"):
        cohort_create(
            by=registrar,
            program=prog,
            code="M-1",
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 4, 3),
            language="kk",
            funding=Funding.STATE,
        )
    assert not Cohort.objects.exists()


def test_the_pass_mark_is_at_least_half_of_the_maximum_001_24(registrar):
    with pytest.raises(DomainError, match="below half of the maximum"):
        cohort_create(
            by=registrar,
            program=program(),
            code="T-1",
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 4, 3),
            language="kk",
            funding=Funding.STATE,
            test_max_score=25,
            test_pass_score=12,
        )
    assert not Cohort.objects.exists()


def test_the_capacity_cannot_fall_below_the_seats_taken(registrar):
    group = cohort(capacity=3)
    enrolment(group), enrolment(group)
    with pytest.raises(DomainError, match="2 listeners already hold seats"):
        cohort_update(group, by=registrar, capacity=1)
    assert Cohort.objects.get(pk=group.pk).capacity == 3


def test_a_taken_code_is_refused_with_a_message(registrar):
    taken = cohort(code="DUP")
    with pytest.raises(DomainError, match="already taken"):
        cohort_create(
            by=registrar,
            program=taken.program,
            code="DUP",
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 4, 3),
            language="kk",
            funding=Funding.STATE,
        )


# ----------------------------------------------------------------------------------------- the schedule


def test_the_year_schedule_is_exported_to_excel_001_15(client, registrar):
    prog = program(title_ru="Цифровая школа")
    paid = cohort(prog, code="E-1", funding=Funding.EMPLOYER, price=Decimal("60000"), capacity=20)
    enrolment(paid), enrolment(paid)
    cohort(prog, code="S-1", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 9, 5))
    cohort(prog, code="NEXT", starts_on=datetime.date(2027, 1, 11), ends_on=datetime.date(2027, 1, 15))
    client.force_login(registrar)
    response = export_download(client, reverse("enrolment:schedule_export") + "?year=2026")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('schedule-2026.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Code", "Program", "Starts on")
    assert [r[0] for r in rows[1:]] == ["E-1", "S-1"]
    first = rows[1]
    assert first[1] == "Цифровая школа"
    assert first[2].date() == datetime.date(2026, 3, 2)
    assert first[6] == "Employer's funds"
    assert Decimal(str(first[7])) == Decimal("60000")
    assert (first[8], first[9]) == (20, 2)


@pytest.mark.parametrize("count", [10, 200])
def test_the_schedule_page_makes_the_same_queries_for_few_and_many_cohorts(client, registrar, count):
    prog = program()
    cohorts = many_cohorts(prog, count)
    StudyGroup.objects.bulk_create(StudyGroup(cohort=group, name="A") for group in cohorts)
    client.force_login(registrar)
    assert page_queries(client, reverse("enrolment:schedule") + "?year=2026") == SCHEDULE_QUERIES


def _open(prog, **kwargs):
    today = timezone.localdate()
    defaults = {"starts_on": today + datetime.timedelta(days=20), "ends_on": today + datetime.timedelta(days=30)}
    defaults.update(kwargs)
    group = cohort(prog, **defaults)
    Cohort.objects.filter(pk=group.pk).update(is_published=True)
    return group


def test_the_public_schedule_shows_seats_left_and_no_personal_data(client):
    prog = program(title_ru="Инклюзивное образование")
    open_ = _open(prog, code="OPEN-1", capacity=3, funding=Funding.OWN, price=Decimal("35000"))
    person = listener(last_name="Жұмабекова", first_name="Гүлнар")
    enrolment(open_, person)
    Enrolment.objects.create(cohort=open_, listener=listener(last_name="Ахметов"), status=EnrolmentStatus.EXPELLED)
    full = _open(prog, code="FULL-1", capacity=1)
    enrolment(full)
    hidden = _open(prog, code="HIDDEN-1")
    Cohort.objects.filter(pk=hidden.pk).update(is_published=False)
    today = timezone.localdate()
    _open(
        prog, code="ENDED-1", starts_on=today - datetime.timedelta(days=10), ends_on=today - datetime.timedelta(days=1)
    )

    response = client.get(reverse("enrolment:public_schedule"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Инклюзивное образование" in page
    assert "OPEN-1" in page and "FULL-1" in page
    assert "HIDDEN-1" not in page and "ENDED-1" not in page
    row = page.split(f'id="cohort-{open_.pk}"')[1].split("</tr>")[0]
    assert '<td class="seats-left" data-label="Seats left">2</td>' in row
    assert "35,000.00\xa0₸" in row
    full_row = page.split(f'id="cohort-{full.pk}"')[1].split("</tr>")[0]
    assert '<td class="seats-left" data-label="Seats left">0</td>' in full_row and "No seats left" in full_row
    for private in ("Жұмабекова", "Гүлнар", "Ахметов", person.iin, person.phone, person.user.email):
        assert private not in page


def test_the_public_schedule_links_to_the_application_only_while_seats_are_left(client):
    from django.urls import NoReverseMatch

    try:
        reverse("enrolment:apply", args=[1])
    except NoReverseMatch:
        pytest.skip("the application page is not there yet")
    prog = program()
    open_ = _open(prog, capacity=2)
    full = _open(prog, capacity=1)
    enrolment(full)
    page = client.get(reverse("enrolment:public_schedule")).content.decode()
    assert reverse("enrolment:apply", args=[open_.pk]) in page
    assert reverse("enrolment:apply", args=[full.pk]) not in page


@pytest.mark.parametrize("count", [10, 200])
def test_the_public_schedule_makes_the_same_queries_for_few_and_many_cohorts(client, count):
    today = timezone.localdate()
    later = {"starts_on": today + datetime.timedelta(days=20), "ends_on": today + datetime.timedelta(days=30)}
    many_cohorts(program(), count, is_published=True, **later)
    assert page_queries(client, reverse("enrolment:public_schedule")) == PUBLIC_QUERIES
