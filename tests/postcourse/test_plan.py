"""The support plan of a certified cohort (000 §4.2, 001 §37): made by the program's head from the program's
expected results, marked held or cancelled by the responsible trainer, seen only by those who reach it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from postcourse.enums import ActivityStatus, SupportForm
from postcourse.models import SupportActivity
from postcourse.support import support_activity_cancel, support_activity_hold, support_activity_plan
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
