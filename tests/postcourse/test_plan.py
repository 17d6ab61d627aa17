"""The support plan of a certified cohort (000 §4.2, 001 §37): made by the program's head from the program's
expected results, marked held or cancelled by the responsible trainer, seen only by those who reach it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from postcourse.enums import ActivityStatus, SupportForm
from postcourse.models import SupportActivity
from postcourse.support import (
    support_activity_cancel,
    support_activity_change,
    support_activity_hold,
    support_activity_plan,
)
from tests.factories import page_queries, staff_user
from tests.postcourse.helpers import RESULTS_KK, RESULTS_RU, certified_cohort
from ziat import roles
from ziat.errors import DomainError
from ziat.models import ActivityLog


@pytest.fixture
def methodist(db):
    return staff_user(roles.METHODIST, last_name="Әдіскер")


def _plan(cohort, methodist, trainer, **kwargs):
    values = {
        "form": SupportForm.CONSULTING,
        "title": "Вебинар по формативному оцениванию",
        "expected_result": RESULTS_RU[0],
        "planned_on": timezone.localdate() + datetime.timedelta(days=10),
        "responsible": trainer,
    }
    values.update(kwargs)
    return support_activity_plan(cohort, by=methodist, **values)


def test_head_plans_support_from_the_programs_expected_results_000_4_2(client, org, director, methodist, trainer):
    c, _e = certified_cohort(director, trainer=trainer)
    client.force_login(methodist)
    page = client.get(reverse("postcourse:support_plan", args=[c.pk])).content.decode()
    for result in [*RESULTS_RU, *RESULTS_KK]:
        assert result in page  # offered as choices
    response = client.post(
        reverse("postcourse:support_plan", args=[c.pk]),
        {
            "form": SupportForm.EVENT,
            "title": "Круглый стол выпускников",
            "expected_result": RESULTS_RU[1],
            "planned_on": "2030-05-05",
            "responsible": trainer.pk,
        },
    )
    assert response.status_code == 302
    activity = SupportActivity.objects.get(cohort=c)
    assert (activity.form, activity.expected_result, activity.responsible) == (
        SupportForm.EVENT,
        RESULTS_RU[1],
        trainer,
    )
    assert ActivityLog.objects.filter(
        action="postcourse.activity.planned", object_id=activity.pk, actor=methodist
    ).exists()


def test_the_director_plans_too_000_4_2(org, director, trainer):
    c, _e = certified_cohort(director, trainer=trainer)
    activity = _plan(c, director, trainer, form=SupportForm.MENTORING)
    assert activity.created_by == director


def test_an_activity_serving_no_expected_result_of_the_program_is_refused_000_4_2(org, director, methodist, trainer):
    c, _e = certified_cohort(director, trainer=trainer)
    with pytest.raises(DomainError):
        _plan(c, methodist, trainer, expected_result="Что-то постороннее")
    assert not SupportActivity.objects.exists()
    assert not ActivityLog.objects.filter(action="postcourse.activity.planned").exists()


def test_a_cohort_without_certified_listeners_gets_no_plan_001_36(org, director, methodist, trainer):
    c, _e = certified_cohort(director, listeners=0, trainer=trainer)
    with pytest.raises(DomainError):
        _plan(c, methodist, trainer)
    assert not SupportActivity.objects.exists()


def test_a_trainer_cannot_plan_the_support_000_4_2(client, org, director, trainer):
    c, _e = certified_cohort(director, trainer=trainer)
    with pytest.raises(DomainError):
        _plan(c, trainer, trainer)
    client.force_login(trainer)
    html = client.get(reverse("postcourse:support_plan", args=[c.pk])).content.decode()
    assert 'id="plan-form"' not in html
    client.post(
        reverse("postcourse:support_plan", args=[c.pk]),
        {
            "form": "consulting",
            "title": "x",
            "expected_result": RESULTS_RU[0],
            "planned_on": "2030-01-01",
            "responsible": trainer.pk,
        },
    )
    assert not SupportActivity.objects.exists()


def test_responsible_trainer_marks_the_activity_held_with_participants_000_4_3(
    client, org, director, methodist, trainer
):
    c, _e = certified_cohort(director, trainer=trainer)
    activity = _plan(c, methodist, trainer)
    client.force_login(trainer)
    held_on = timezone.localdate()
    response = client.post(
        reverse("postcourse:support_activity_held", args=[activity.pk]),
        {"held_on": held_on.isoformat(), "participants": "14"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.held_on, activity.participants) == (ActivityStatus.HELD, held_on, 14)
    assert ActivityLog.objects.filter(action="postcourse.activity.held", actor=trainer).exists()
    with pytest.raises(DomainError):  # marked once
        support_activity_cancel(activity, by=methodist, note="Перенос")


def test_an_activity_cannot_be_held_in_the_future_000_4_3(org, director, methodist, trainer):
    c, _e = certified_cohort(director, trainer=trainer)
    activity = _plan(c, methodist, trainer)
    with pytest.raises(DomainError):
        support_activity_hold(
            activity, by=trainer, held_on=timezone.localdate() + datetime.timedelta(days=1), participants=3
        )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED


def test_a_cancelled_activity_keeps_its_reason_000_4_2(org, director, methodist, trainer):
    c, _e = certified_cohort(director, trainer=trainer)
    activity = _plan(c, methodist, trainer)
    with pytest.raises(DomainError):
        support_activity_cancel(activity, by=methodist, note="  ")
    support_activity_cancel(activity, by=methodist, note="Тренер болен")
    activity.refresh_from_db()
    assert (activity.status, activity.note) == (ActivityStatus.CANCELLED, "Тренер болен")


def test_another_trainer_neither_sees_nor_marks_the_plan_000_4_2(client, org, director, methodist, trainer):
    c, _e = certified_cohort(director, trainer=trainer)
    activity = _plan(c, methodist, trainer)
    outsider = staff_user(roles.TRAINER)
    with pytest.raises(DomainError):
        support_activity_hold(activity, by=outsider, held_on=timezone.localdate(), participants=3)
    client.force_login(outsider)
    assert client.get(reverse("postcourse:support_plan", args=[c.pk])).status_code == 403
    response = client.post(
        reverse("postcourse:support_activity_held", args=[activity.pk]),
        {"held_on": timezone.localdate().isoformat(), "participants": "3"},
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED
    assert c.code not in client.get(reverse("postcourse:support_cohorts")).content.decode()


def test_a_trainer_responsible_for_an_activity_of_a_cohort_they_do_not_teach_marks_it_000_4_2(
    client, org, director, methodist, trainer
):
    c, _e = certified_cohort(director, trainer=trainer)
    guest = staff_user(roles.TRAINER, last_name="Қонақ")
    mine = _plan(c, methodist, guest, title="Менің іс-шарам")
    _plan(c, methodist, trainer, title="Басқаның іс-шарасы")
    client.force_login(guest)
    html = client.get(reverse("postcourse:support_plan", args=[c.pk])).content.decode()
    assert "Менің іс-шарам" in html and "Басқаның іс-шарасы" not in html
    assert c.code in client.get(reverse("postcourse:support_cohorts")).content.decode()
    support_activity_hold(mine, by=guest, held_on=timezone.localdate(), participants=5)


def test_the_list_shows_cohorts_in_their_support_year_only_000_4_1(client, org, director, methodist):
    current, _e = certified_cohort(director)
    over, _e = certified_cohort(director, ended=400)
    client.force_login(methodist)
    html = client.get(reverse("postcourse:support_cohorts")).content.decode()
    assert current.code in html and over.code not in html


@pytest.mark.parametrize("n", [1, 4])
def test_plan_pages_read_in_constant_queries_000_4_2(
    client, org, director, methodist, trainer, n, django_assert_max_num_queries
):
    cohorts = [certified_cohort(director, trainer=trainer)[0] for _ in range(n)]
    for c in cohorts:
        for i in range(n):
            _plan(c, methodist, trainer, title=f"Іс-шара {i}")
    client.force_login(methodist)
    assert page_queries(client, reverse("postcourse:support_cohorts")) <= 12
    assert page_queries(client, reverse("postcourse:support_plan", args=[cohorts[0].pk])) <= 18


# ------------------------------------------------------------------------------------------ changing the plan


def _change_data(trainer, **kwargs):
    values = {
        "form": SupportForm.EVENT,
        "title": "Круглый стол вместо вебинара",
        "expected_result": RESULTS_KK[0],
        "planned_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "responsible": trainer.pk,
    }
    values.update(kwargs)
    return values


def _change_values(responsible, **kwargs):
    """The same change as the service takes it."""
    values = _change_data(responsible, responsible=responsible, **kwargs)
    values["planned_on"] = datetime.date.fromisoformat(values["planned_on"])
    return values


def _terms(activity):
    activity.refresh_from_db()
    return (activity.form, activity.title, activity.expected_result, activity.planned_on, activity.responsible_id)


def test_head_changes_a_planned_activity_on_its_page_and_the_log_keeps_before_and_after_000_4_2(
    client, org, director, methodist, trainer
):
    c, _e = certified_cohort(director, trainer=trainer)
    activity = _plan(c, director, trainer)
    other = staff_user(roles.TRAINER, last_name="Басқа")
    client.force_login(methodist)
    plan = client.get(reverse("postcourse:support_plan", args=[c.pk])).content.decode()
    edit_url = reverse("postcourse:support_activity_edit", args=[activity.pk])
    assert edit_url in plan  # linked from the cohort's plan
    page = client.get(edit_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Вебинар по формативному оцениванию"' in html  # prefilled
    assert f'value="{activity.planned_on.isoformat()}"' in html
    new_day = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(edit_url, _change_data(other))
    assert response.status_code == 302
    assert _terms(activity) == (SupportForm.EVENT, "Круглый стол вместо вебинара", RESULTS_KK[0], new_day, other.pk)
    assert activity.status == ActivityStatus.PLANNED
    (entry,) = ActivityLog.objects.filter(action="postcourse.activity.changed", object_id=activity.pk)
    assert entry.actor == methodist and entry.cohort_id == c.pk
    assert entry.data["before"]["form"] == SupportForm.CONSULTING and entry.data["after"]["form"] == SupportForm.EVENT
    assert entry.data["before"]["expected_result"] == RESULTS_RU[0]
    assert entry.data["after"]["planned_on"] == new_day.isoformat()
    assert entry.data["before"]["responsible"] == str(trainer) and entry.data["after"]["responsible"] == str(other)


def test_a_held_or_cancelled_activity_is_not_changed_000_4_2(client, org, director, methodist, trainer):
    c, _e = certified_cohort(director, trainer=trainer)
    held = _plan(c, methodist, trainer, title="Өткен іс-шара")
    support_activity_hold(held, by=trainer, held_on=timezone.localdate(), participants=7)
    cancelled = _plan(c, methodist, trainer, title="Тоқтатылған іс-шара")
    support_activity_cancel(cancelled, by=methodist, note="Тренер ауырды")
    client.force_login(methodist)
    plan = client.get(reverse("postcourse:support_plan", args=[c.pk])).content.decode()
    for activity in (held, cancelled):
        url = reverse("postcourse:support_activity_edit", args=[activity.pk])
        assert url not in plan
        before = _terms(activity)
        assert 'id="not-planned"' in client.get(url).content.decode()
        response = client.post(url, _change_data(trainer))
        assert response.status_code == 400
        assert 'id="not-planned"' in response.content.decode()
        with pytest.raises(DomainError):
            support_activity_change(activity, by=director, **_change_values(trainer))
        assert _terms(activity) == before
    assert not ActivityLog.objects.filter(action="postcourse.activity.changed").exists()


def test_a_trainer_without_the_planners_permission_cannot_change_the_plan_000_4_2(
    client, org, director, methodist, trainer
):
    c, _e = certified_cohort(director, trainer=trainer)
    activity = _plan(c, methodist, trainer)
    before = _terms(activity)
    url = reverse("postcourse:support_activity_edit", args=[activity.pk])
    for who in (trainer, staff_user(roles.TRAINER)):  # the responsible trainer, another trainer
        with pytest.raises(DomainError):
            support_activity_change(activity, by=who, **_change_values(who))
        client.force_login(who)
        assert url not in client.get(reverse("postcourse:support_plan", args=[c.pk])).content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url, _change_data(who)).status_code == 403
    assert _terms(activity) == before
    assert not ActivityLog.objects.filter(action="postcourse.activity.changed").exists()


def test_a_change_to_a_result_that_is_not_the_programs_is_refused_beside_its_field_000_4_2(
    client, org, director, methodist, trainer
):
    c, _e = certified_cohort(director, trainer=trainer)
    activity = _plan(c, methodist, trainer)
    before = _terms(activity)
    with pytest.raises(DomainError) as refused:
        support_activity_change(activity, by=methodist, **_change_values(trainer, expected_result="Бөтен нәтиже"))
    assert refused.value.field == "expected_result"  # the page shows it beside that field
    client.force_login(methodist)
    url = reverse("postcourse:support_activity_edit", args=[activity.pk])
    response = client.post(url, _change_data(trainer, expected_result="Бөтен нәтиже", title="Жаңа атау"))
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('for="id_expected_result"') :]
    field = field.split('<div class="field')[0]
    assert 'class="errorlist' in field  # the error beside its field
    assert 'value="Жаңа атау"' in html  # what was typed is kept on the page
    response = client.post(url, _change_data(trainer, title="  "))
    assert response.status_code == 400
    assert _terms(activity) == before
    assert not ActivityLog.objects.filter(action="postcourse.activity.changed").exists()
