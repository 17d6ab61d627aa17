"""The staff's set-up of a cohort's tests (000 §3.6, 000 §4.5, 004 §8) and the pages of their results."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from assessment.enums import SubmittedBy
from assessment.enums import TestKind as Kind
from assessment.models import AttemptItem, CohortTest
from assessment.services.cohort_tests import cohort_test_save, default_draw
from tests.assessment import stafftests_factories as st
from tests.factories import cohort, enrolment, export_download, listener, page_queries, program, staff_user
from ziat.errors import DomainError

NOW = timezone.now()
OPENS = NOW + datetime.timedelta(days=2)
CLOSES = OPENS + datetime.timedelta(hours=8)


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


@pytest.fixture
def course(db, org):
    """A cohort of a two-module program (max 25, pass 17) and a bank of 15 questions per module."""
    c = cohort(program(), test_max_score=25, test_pass_score=17)
    return c, st.bank(c.program)


def teacher_of(c):
    """A trainer who teaches a session of cohort ``c`` (a trainer reads only the cohorts they teach)."""
    from enrolment.models import Session

    user = staff_user("trainer")
    Session.objects.create(
        cohort=c, date=c.starts_on, starts_at=datetime.time(9), ends_at=datetime.time(10), hours=1, trainer=user
    )
    return user


def _save(c, b, by, **changes):
    values = {
        "cohort": c,
        "by": by,
        "kind": Kind.FINAL,
        "bank": b,
        "draw": {"1": 13, "2": 12},
        "time_limit_minutes": 40,
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "excellent_from": 23,
        "good_from": 20,
    }
    values.update(changes)
    return cohort_test_save(**values)


# ------------------------------------------------------------------------------------- the service


def test_a_final_test_of_25_one_point_questions_is_saved_004_8(course, methodist):
    c, b = course
    test = _save(c, b, methodist, title="  Итоговое   тестирование ")
    test.refresh_from_db()
    assert (test.kind, test.bank, test.draw, test.question_count) == (Kind.FINAL, b, {"1": 13, "2": 12}, 25)
    assert (test.good_from, test.excellent_from, test.time_limit_minutes) == (20, 23, 40)
    assert test.title == "Итоговое тестирование" and test.created_by == methodist


def test_default_draw_spreads_25_evenly_over_the_modules_004_8(course):
    c, b = course
    assert default_draw(c, b, 25) == {"1": 13, "2": 12}


def test_default_draw_of_three_modules_and_a_short_module(db, org):
    prog = program(modules=((("1.1", 2, 0, 0, 0, 0),), (("2.1", 2, 0, 0, 0, 0),), (("3.1", 2, 0, 0, 0, 0),)))
    c = cohort(prog)
    assert default_draw(c, st.bank(prog, per_module={1: 10, 2: 10, 3: 10}), 25) == {"1": 9, "2": 8, "3": 8}
    # Module 1 holds only 5 questions: the others make up the 25.
    assert default_draw(c, st.bank(prog, per_module={1: 5, 2: 20, 3: 20}), 25) == {"1": 5, "2": 10, "3": 10}
    # A module without questions draws none; a bank too small gives what it has.
    assert default_draw(c, st.bank(prog, per_module={2: 4, 3: 3}), 25) == {"2": 4, "3": 3}


def _refused(c, b, by, **changes):
    before = CohortTest.objects.count()
    with pytest.raises(DomainError) as error:
        _save(c, b, by, **changes)
    assert CohortTest.objects.count() == before
    return error.value.message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"draw": {"3": 5, "1": 10, "2": 10}}, "Module 3 is not a module"),
        ({"draw": {"x": 5}}, "Module x is not a module"),
        ({"draw": {"1": 0, "2": 25}}, "at least 1"),
        ({"draw": {"1": -3, "2": 12}}, "at least 1"),
        ({"draw": {"1": "abc", "2": 12}}, "at least 1"),
        ({"draw": {"1": 12.5, "2": 12}}, "at least 1"),
        ({"draw": {"1": 16, "2": 9}}, "has 15 questions; 16 cannot be drawn"),
        ({"draw": {}}, "Draw at least one question"),
        ({"draw": {"1": 10, "2": 10}}, "worth 20 points"),
        ({"closes_at": OPENS}, "close after it opens"),
        ({"closes_at": OPENS - datetime.timedelta(minutes=1)}, "close after it opens"),
        ({"opens_at": None}, "opens and closes"),
        ({"good_from": 16}, "The scale must rise"),
        ({"good_from": 24, "excellent_from": 23}, "The scale must rise"),
        ({"excellent_from": 26}, "The scale must rise"),
        ({"excellent_from": None}, "or neither"),
        ({"time_limit_minutes": 0}, "time limit"),
        ({"time_limit_minutes": 5000}, "time limit"),
        ({"title": "x" * 201}, "at most 200"),
        ({"kind": "oral"}, "kind"),
        ({"bank": None}, "Choose a version"),
    ],
)
def test_a_wrong_final_test_is_refused_and_nothing_saved_004_8(course, methodist, changes, message):
    c, b = course
    assert message in _refused(c, b, methodist, **changes)


def test_a_bank_of_another_program_is_refused(course, methodist):
    c, _b = course
    other = st.bank(program())
    assert "another program" in _refused(c, other, methodist)


def test_the_final_assessment_rows_are_not_a_module_to_draw_from(db, org, methodist):
    prog = program(final=(("3.1", 0, 0, 0, 0, 2),))
    c = cohort(prog)
    b = st.bank(prog, per_module={1: 15, 2: 15, 3: 5})
    assert "Module 3 is not a module" in _refused(c, b, methodist, draw={"1": 10, "2": 10, "3": 5})


def test_one_final_test_per_cohort(course, methodist):
    c, b = course
    _save(c, b, methodist)
    assert "already has a final test" in _refused(c, b, methodist)
    # Diagnostics beside it are fine, with any number of questions and no scale (000 §4.5).
    entrance = _save(c, b, methodist, kind=Kind.ENTRANCE, draw={"1": 5, "2": 5}, good_from=None, excellent_from=None)
    assert entrance.question_count == 10


def test_a_diagnostic_has_no_grade_scale_000_4_5(course, methodist):
    c, b = course
    assert "Only the final test is graded" in _refused(c, b, methodist, kind=Kind.MILESTONE, draw={"1": 5})


def test_the_scale_may_be_left_out_and_may_start_at_the_pass_mark(course, methodist):
    c, b = course
    test = _save(c, b, methodist, good_from=17, excellent_from=17)
    assert (test.good_from, test.excellent_from) == (17, 17)
    test = _save(c, b, methodist, test=test, good_from=None, excellent_from=None)
    assert test.good_from is None


def test_the_pass_mark_in_force_is_raised_to_the_organisation_floor_000_3_6(course, methodist, org):
    c, b = course
    org.pass_floor_percent = 80
    org.save()
    assert "pass mark 20" in _refused(c, b, methodist, good_from=19, excellent_from=23)


def test_when_weights_vary_the_number_of_questions_is_free(db, org, methodist):
    c = cohort(program(), test_max_score=25, test_pass_score=17)
    mixed = st.bank(c.program, weight=lambda module, i: 1 + i % 2)
    test = _save(c, mixed, methodist, draw={"1": 8, "2": 7})
    assert test.question_count == 15


def test_two_point_questions_must_make_the_cohort_maximum(db, org, methodist):
    c = cohort(program(), test_max_score=20, test_pass_score=12)
    double = st.bank(c.program, weight=2)
    assert "worth 24 points" in _refused(
        c, double, methodist, draw={"1": 6, "2": 6}, good_from=None, excellent_from=None
    )
    assert _save(c, double, methodist, draw={"1": 5, "2": 5}, good_from=None, excellent_from=None).pk


def test_a_started_test_keeps_its_bank_and_draw_but_its_window_may_be_extended(course, methodist):
    c, b = course
    test = _save(c, b, methodist)
    st.attempt(test, enrolment(c), points=20)
    newer = st.bank(c.program)
    no_scale = {"good_from": None, "excellent_from": None}
    for changes in ({"draw": {"1": 12, "2": 13}}, {"bank": newer}, {"kind": Kind.MILESTONE, **no_scale}):
        with pytest.raises(DomainError, match="already started"):
            _save(c, b, methodist, test=test, **changes)
    test.refresh_from_db()
    assert (test.draw, test.bank) == ({"1": 13, "2": 12}, b)
    later = CLOSES + datetime.timedelta(days=3)
    _save(c, b, methodist, test=test, closes_at=later, time_limit_minutes=60)
    test.refresh_from_db()
    assert (test.closes_at, test.time_limit_minutes) == (later, 60)


def test_a_test_of_another_cohort_cannot_be_changed_through_this_one(course, methodist):
    c, b = course
    test = _save(c, b, methodist)
    other = cohort(c.program)
    with pytest.raises(DomainError, match="another cohort"):
        _save(other, b, methodist, test=test)


@pytest.mark.parametrize("role", ["methodist", "registrar", "director"])
def test_methodist_registrar_and_director_set_up_tests(course, role):
    c, b = course
    assert _save(c, b, staff_user(role)).pk


@pytest.mark.parametrize("role", ["trainer", "monitoring", "accountant"])
def test_a_trainer_cannot_set_up_or_change_a_test(course, role, methodist):
    c, b = course
    user = staff_user(role)
    assert "may not set up" in _refused(c, b, user)
    test = _save(c, b, methodist)
    with pytest.raises(DomainError, match="may not change"):
        _save(c, b, user, test=test, closes_at=CLOSES + datetime.timedelta(days=1))
    test.refresh_from_db()
    assert test.closes_at == CLOSES


# ------------------------------------------------------------------------------------- the tests page


def _url(c, suffix=""):
    return f"/staff/assessment/cohorts/{c.pk}/tests/{suffix}"


def _form_data(b, **changes):
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
    data.update(changes)
    return data


def test_the_form_offers_the_newest_bank_and_25_questions_spread_evenly_004_8(course, methodist, client):
    c, older = course
    newer = st.bank(c.program, per_module={1: 20, 2: 20})
    client.force_login(methodist)
    html = client.get(_url(c)).content.decode()
    assert html.index(f'value="{newer.pk}"') < html.index(f'value="{older.pk}"')
    assert f'<option value="{newer.pk}" selected>' in html
    assert 'name="draw-1" id="id_draw-1" value="13"' in html and 'name="draw-2" id="id_draw-2" value="12"' in html
    # The final test on the course's last day, 09:00 to 18:00 local time.
    assert 'value="2026-03-06T09:00"' in html and 'value="2026-03-06T18:00"' in html


def test_without_a_bank_the_page_asks_for_one_first(db, org, methodist, client):
    c = cohort(program())
    client.force_login(methodist)
    response = client.get(_url(c))
    assert response.context["form"] is None
    assert "no test bank yet" in response.content.decode()


def test_the_form_creates_a_test_in_the_local_time(course, methodist, client):
    c, b = course
    client.force_login(methodist)
    response = client.post(_url(c), _form_data(b))
    assert response.status_code == 302
    test = CohortTest.objects.get()
    assert timezone.localtime(test.opens_at).strftime("%Y-%m-%d %H:%M") == "2026-12-10 09:00"
    assert test.draw == {"1": 13, "2": 12} and test.shuffle_questions


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closes_at": "2026-12-10T08:00"}, "The test must close after it opens."),
        ({"draw-1": "30"}, "has 15 questions; 30 cannot be drawn"),
        ({"draw-1": "", "draw-2": "0"}, "Draw at least one question."),
        ({"good_from": "10"}, "The scale must rise"),
    ],
)
def test_a_refused_form_answers_400_and_keeps_what_was_typed(course, methodist, client, changes, message):
    c, b = course
    client.force_login(methodist)
    response = client.post(_url(c), _form_data(b, title="Мой тест", **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="Мой тест"' in html
    assert f'value="{_form_data(b, **changes)["closes_at"]}"' in html
    assert not CohortTest.objects.exists()


def test_the_list_shows_kind_window_questions_and_attempts(course, methodist, client):
    c, b = course
    test = st.make_test(c, b, title="Итог")
    st.attempt(test, enrolment(c), points=20)
    st.attempt(test, enrolment(c), submitted=False)
    client.force_login(teacher_of(c))
    response = client.get(_url(c))
    assert response.status_code == 200
    row = response.content.decode().split(f'id="test-{test.pk}"')[1].split("</tr>")[0]
    assert "final test" in row and "Итог" in row and ">25 <" in row and "40 min" in row
    assert "<td>2</td>" in row and "<td>1</td>" in row
    assert response.context["form"] is None  # a trainer sees the tests but cannot set them up


def test_a_trainer_cannot_post_the_form_or_open_the_edit_page(course, client, methodist):
    c, b = course
    test = st.make_test(c, b)
    client.force_login(staff_user("trainer"))
    assert client.post(_url(c), _form_data(b, kind="entrance")).status_code == 403
    assert client.get(_url(c, f"{test.pk}/edit/")).status_code == 403
    assert CohortTest.objects.count() == 1


def test_a_listener_cannot_reach_the_staff_pages(course, client):
    c, b = course
    test = st.make_test(c, b)
    e = enrolment(c)
    a = st.attempt(test, e, points=20)
    client.force_login(e.listener.user)
    for url in (
        _url(c),
        _url(c, f"{test.pk}/"),
        _url(c, f"{test.pk}/edit/"),
        _url(c, f"{test.pk}/results.xlsx"),
        _url(c, f"{test.pk}/attempts/{a.pk}/"),
        f"/staff/assessment/enrolments/{e.pk}/reassessment/",
    ):
        assert client.get(url).status_code == 403, url
    client.logout()
    assert client.get(_url(c)).status_code == 302


@pytest.mark.parametrize("role", ["director", "methodist", "registrar", "trainer", "monitoring"])
def test_the_staff_of_the_roles_read_the_tests_and_results(course, client, role):
    c, b = course
    test = st.make_test(c, b)
    client.force_login(teacher_of(c) if role == "trainer" else staff_user(role))
    assert client.get(_url(c)).status_code == 200
    assert client.get(_url(c, f"{test.pk}/")).status_code == 200


def test_a_trainer_reads_only_the_tests_of_the_cohorts_they_teach(course, client):
    c, b = course
    test = st.make_test(c, b)
    a = st.attempt(test, enrolment(c), points=20)
    client.force_login(staff_user("trainer"))
    for url in (
        _url(c),
        _url(c, f"{test.pk}/"),
        _url(c, f"{test.pk}/results.xlsx"),
        _url(c, f"{test.pk}/attempts/{a.pk}/"),
    ):
        assert client.get(url).status_code == 403, url


def test_an_accountant_does_not_read_tests(course, client):
    c, b = course
    test = st.make_test(c, b)
    client.force_login(staff_user("accountant"))
    assert client.get(_url(c, f"{test.pk}/")).status_code == 403


def test_the_edit_page_refuses_a_new_draw_once_started_and_extends_the_window(course, methodist, client):
    c, b = course
    test = st.make_test(c, b, good_from=20, excellent_from=23)
    st.attempt(test, enrolment(c), points=20)
    client.force_login(methodist)
    url = _url(c, f"{test.pk}/edit/")
    response = client.post(url, _form_data(b, **{"draw-1": "12", "draw-2": "13"}))
    assert response.status_code == 400
    assert "already started" in response.content.decode()
    response = client.post(url, _form_data(b, closes_at="2026-12-20T18:00", opens_at="2026-11-01T09:00"))
    assert response.status_code == 302
    test.refresh_from_db()
    assert timezone.localtime(test.closes_at).date() == datetime.date(2026, 12, 20)
    assert test.draw == {"1": 13, "2": 12}


# ------------------------------------------------------------------------------------- results


def test_results_show_how_and_when_each_listener_submitted_and_the_grade_004_8(course, client):
    c, b = course
    test = st.make_test(c, b, good_from=20, excellent_from=23)
    first = enrolment(c, listener(last_name="Абаев"))
    second = enrolment(c, listener(last_name="Бекова"))
    third = enrolment(c, listener(last_name="Вахитов"))
    fourth = enrolment(c, listener(last_name="Гани"))
    st.attempt(test, first, points=24)
    st.attempt(test, second, points=18, submitted_by=SubmittedBy.DEADLINE)
    st.attempt(test, third, points=12)
    client.force_login(staff_user("registrar"))
    response = client.get(_url(c, f"{test.pk}/"))
    rows = {r.enrolment: r for r in response.context["rows"]}
    assert (rows[first].grade_label, rows[first].percent) == ("excellent", Decimal("96.0"))
    assert rows[second].submitted_how == "at the time limit" and rows[second].grade_label == "satisfactory"
    assert rows[third].grade_label == "unsatisfactory" and rows[third].passed is False
    assert rows[fourth].attempt is None
    html = response.content.decode()
    assert "at the time limit" in html and "by the listener" in html and "not started" in html
    assert html.index("Абаев") < html.index("Бекова") < html.index("Гани")


@pytest.mark.parametrize("n", [1, 5])
def test_results_page_query_count_does_not_grow_with_listeners(db, org, client, n):
    counts = []
    for size in (n, n + 4):
        c = cohort(program())
        test = st.make_test(c, st.bank(c.program))
        for i in range(size):
            e = enrolment(c)
            if i % 2 == 0:
                st.attempt(test, e, points=20)
        client.force_login(staff_user("director"))
        counts.append(page_queries(client, _url(c, f"{test.pk}/")))
    assert counts[0] == counts[1]


def test_tests_page_query_count_does_not_grow_with_tests_or_attempts(db, org, client):
    counts = []
    for size in (1, 4):
        c = cohort(program())
        b = st.bank(c.program)
        final = st.make_test(c, b)
        for _ in range(size - 1):
            st.make_test(c, b, kind=Kind.MILESTONE, draw={"1": 5})
        for _ in range(size):
            st.attempt(final, enrolment(c), points=20)
        client.force_login(staff_user("methodist"))
        counts.append(page_queries(client, _url(c)))
    assert counts[0] == counts[1]


def test_results_export_reads_back_in_excel(course, client):
    c, b = course
    test = st.make_test(c, b, good_from=20, excellent_from=23)
    e = enrolment(c, listener(last_name="Абаев", first_name="Ерлан"))
    st.attempt(test, e, points=21, submitted_by=SubmittedBy.DEADLINE)
    enrolment(c, listener(last_name="Бекова"))
    client.force_login(staff_user("monitoring"))
    response = export_download(client, _url(c, f"{test.pk}/results.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Listener", "IIN", "Cohort")
    assert rows[1][0] == "Абаев Ерлан" and rows[1][1] == e.listener.iin and rows[1][2] == c.code
    assert rows[1][6] == "at the time limit"
    assert (rows[1][7], rows[1][8], rows[1][9], rows[1][10], rows[1][11]) == (21, 25, 21, 84, "good")
    assert rows[2][0].startswith("Бекова") and rows[2][4] is None
    assert len(rows) == 3


# ------------------------------------------------------------------------------------- one attempt


def test_an_attempt_shows_its_questions_with_the_options_in_the_order_shown(course, client):
    c, b = course
    test = st.make_test(c, b)
    a = st.attempt(test, enrolment(c), points=1)
    questions = list(b.questions.order_by("position")[:2])
    st.items(a, questions[:1], reverse_options=True)
    options = list(questions[1].options.order_by("position"))
    AttemptItem.objects.create(
        attempt=a,
        question=questions[1],
        position=2,
        option_order=[o.pk for o in options],
        chosen=[options[2].pk],
        is_correct=False,
    )
    client.force_login(teacher_of(c))
    response = client.get(_url(c, f"{test.pk}/attempts/{a.pk}/"))
    assert response.status_code == 200
    shown = response.context["questions"]
    assert [o.position for o, _chosen in shown[0][1]] == [4, 3, 2, 1]
    assert [chosen for _o, chosen in shown[0][1]] == [False, False, False, True]
    assert [chosen for _o, chosen in shown[1][1]] == [False, False, True, False]
    html = response.content.decode()
    assert html.count("correct answer") == 2 and html.count(">chosen<") == 2
    assert "Вопрос 1.1" in html and "Вопрос 1.2" in html


@pytest.mark.parametrize("n", [2, 10])
def test_attempt_page_query_count_does_not_grow_with_questions(course, client, n):
    c, b = course
    test = st.make_test(c, b)
    counts = []
    for size in (n, n + 5):
        a = st.attempt(test, enrolment(c), points=1)
        st.items(a, list(b.questions.order_by("position")[:size]))
        client.force_login(staff_user("methodist"))
        counts.append(page_queries(client, _url(c, f"{test.pk}/attempts/{a.pk}/")))
    assert counts[0] == counts[1]


def test_an_accountant_cannot_see_an_attempt(course, client):
    c, b = course
    test = st.make_test(c, b)
    a = st.attempt(test, enrolment(c), points=1)
    client.force_login(staff_user("accountant"))
    assert client.get(_url(c, f"{test.pk}/attempts/{a.pk}/")).status_code == 403
