"""Out-of-range numbers typed into the staff's forms get a translated error, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import CohortTest
from enrolment.enums import Funding
from enrolment.models import Cohort, Session, StudyGroup
from programs.models import DevelopmentOrder, Topic
from tests.assessment import stafftests_factories as st
from tests.factories import cohort, organisation, program, staff_user

HUGE, NEGATIVE = str(10**11), "-1"


def _cohort_terms(prog=None, **changes):
    data = {
        "code": "2026-PR-01",
        "language": "kk",
        "funding": Funding.STATE,
        "starts_on": "2026-04-06",
        "ends_on": "2026-04-17",
        "capacity": "25",
        "price": "",
        "test_max_score": "25",
        "test_pass_score": "13",
    }
    if prog is not None:
        data["program"] = prog.pk
    data.update(changes)
    return data


def cohort_create():
    prog = program()
    return staff_user("registrar"), reverse("enrolment:cohort_create"), _cohort_terms(prog), Cohort.objects.all()


def cohort_edit():
    c = cohort()
    url = reverse("enrolment:cohort_edit", args=[c.pk])
    return staff_user("registrar"), url, _cohort_terms(code=c.code), Cohort.objects.filter(capacity=c.capacity)


def group_create():
    c = cohort()
    url = reverse("enrolment:group_create", args=[c.pk])
    return staff_user("registrar"), url, {"name": "A", "capacity": "20"}, StudyGroup.objects.all()


def timetable_session():
    c = cohort()
    topic = Topic.objects.filter(module__version=c.version).order_by("pk").first()
    data = {
        "date": "2026-03-02",
        "starts_at": "09:00",
        "ends_at": "10:30",
        "topic": topic.pk,
        "kind": "lecture",
        "hours": "2",
        "trainer": "",
        "place": "",
    }
    url = reverse("enrolment:timetable_add", kwargs={"cohort_pk": c.pk})
    return staff_user("registrar"), url, data, Session.objects.all()


def development_order():
    data = {
        "number": "15-П",
        "issued_on": "2026-02-12",
        "minutes": "",
        "title_kk": "Педагогтің цифрлық сауаттылығы",
        "title_ru": "Цифровая грамотность педагога",
        "hours": "72",
        "form_of_study": "blended",
        "language": "kk_ru",
        "authors": "Иванова А. А.",
        "deadline": "2026-04-30",
    }
    return staff_user("director"), reverse("programs:order_create"), data, DevelopmentOrder.objects.all()


def cohort_test():
    c = cohort(program(), test_max_score=25, test_pass_score=17)
    b = st.bank(c.program)
    data = {
        "kind": "final",
        "title": "Итоговый тест",
        "bank": b.pk,
        "time_limit_minutes": "40",
        "opens_at": "2026-12-10T09:00",
        "closes_at": "2026-12-10T18:00",
        "shuffle_questions": "on",
        "good_from": "20",
        "excellent_from": "23",
        "draw-1": "13",
        "draw-2": "12",
    }
    return staff_user("methodist"), f"/staff/assessment/cohorts/{c.pk}/tests/", data, CohortTest.objects.all()


CASES = [
    (cohort_create, "capacity"),
    (cohort_create, "test_max_score"),
    (cohort_create, "test_pass_score"),
    (cohort_create, "price"),
    (cohort_edit, "capacity"),
    (group_create, "capacity"),
    (timetable_session, "hours"),
    (development_order, "hours"),
    (cohort_test, "time_limit_minutes"),
    (cohort_test, "good_from"),
    (cohort_test, "excellent_from"),
    (cohort_test, "draw-1"),
]


@pytest.mark.parametrize("value", [HUGE, NEGATIVE])
@pytest.mark.parametrize(("page", "field"), CASES, ids=[f"{p.__name__}-{f}" for p, f in CASES])
def test_an_out_of_range_number_is_refused_with_a_translated_error_and_nothing_saved(db, page, field, value):
    organisation()
    user, url, data, saved = page()
    before = saved.count()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.post(url, {**data, field: value})
    assert response.status_code in (200, 400)  # the form again, never a server error
    html = response.content.decode()
    assert "Ensure " in html  # Django's translated bound message ("Ensure this value is less than ...")
    assert 'class="site-header"' in html
    assert saved.count() == before
