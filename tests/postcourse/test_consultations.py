"""Methodical and consulting support in the support year (000 §4.3 1), 001 §37 1)): questions and meetings,
answered by a trainer of the cohort, with the thread seen by both sides and mail to the other side."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from postcourse import consultations as services
from postcourse.enums import ConsultationKind, ConsultationStatus
from postcourse.models import Consultation, ConsultationMessage
from tests.factories import page_queries, staff_user
from tests.postcourse.helpers import EXPIRED_END, certified_cohort
from ziat import roles
from ziat.errors import DomainError
from ziat.models import ActivityLog


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the English messages; the catalogues' Kazakh and Russian are checked elsewhere."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _ask(enrolment, **kwargs):
    values = {"kind": ConsultationKind.QUESTION, "subject": "Формативное оценивание", "text": "Как вести лист?"}
    values.update(kwargs)
    return services.consultation_ask(enrolment, by=enrolment.listener.user, **values)


def test_listener_asks_from_the_cabinet_and_the_trainer_is_mailed_000_4_3(
    client, org, director, trainer, django_capture_on_commit_callbacks
):
    trainer.email = "trainer@example.kz"
    trainer.save(update_fields=["email"])
    _c, (e,) = certified_cohort(director, trainer=trainer)
    client.force_login(e.listener.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("postcourse:my_consultations", args=[e.pk]),
            {"kind": "question", "subject": "Критерии оценивания", "text": "Как составить дескрипторы?"},
        )
    assert response.status_code == 302
    consultation = Consultation.objects.get(enrolment=e)
    assert consultation.status == ConsultationStatus.OPEN
    assert consultation.messages.get().text == "Как составить дескрипторы?"
    assert [m.to for m in mail.outbox] == [["trainer@example.kz"]]
    assert ActivityLog.objects.filter(action="postcourse.consultation.asked", object_id=consultation.pk).exists()


def test_outside_the_support_year_the_question_is_refused_and_nothing_saved_001_36(
    client, org, director, django_capture_on_commit_callbacks
):
    _c, (e,) = certified_cohort(director, ended=EXPIRED_END)
    client.force_login(e.listener.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("postcourse:my_consultations", args=[e.pk]),
            {"kind": "question", "subject": "Поздно", "text": "Можно?"},
        )
    assert response.status_code == 400
    assert "not open today" in response.content.decode()
    assert not Consultation.objects.exists() and not ConsultationMessage.objects.exists()
    assert not mail.outbox


def test_a_listener_without_a_certificate_cannot_ask_000_4_1(org, director):
    _c, (e,) = certified_cohort(director)
    e.support_period.delete()
    e.refresh_from_db()
    with pytest.raises(DomainError):
        _ask(e)
    assert not Consultation.objects.exists()


def test_trainer_answers_the_listener_replies_and_both_see_the_thread_000_4_3(
    client, org, director, trainer, django_capture_on_commit_callbacks
):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    consultation = _ask(e)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("postcourse:consultation_staff", args=[consultation.pk]), {"text": "Смотрите шаблон."}
        )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    assert consultation.first_answered_at is not None and consultation.trainer == trainer
    assert [m.to for m in mail.outbox] == [[e.listener.user.email]]
    client.force_login(e.listener.user)
    client.post(reverse("postcourse:my_consultation", args=[consultation.pk]), {"text": "Спасибо, а для 5 класса?"})
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN  # waits for an answer again
    first = consultation.first_answered_at
    services.consultation_answer(consultation, by=trainer, text="Так же.")
    consultation.refresh_from_db()
    assert consultation.first_answered_at == first  # the response time is the first answer's
    texts = ["Как вести лист?", "Смотрите шаблон.", "Спасибо, а для 5 класса?", "Так же."]
    listener_page = client.get(reverse("postcourse:my_consultation", args=[consultation.pk])).content.decode()
    client.force_login(trainer)
    staff_page = client.get(reverse("postcourse:consultation_staff", args=[consultation.pk])).content.decode()
    for text in texts:
        assert text in listener_page and text in staff_page


def test_trainer_schedules_the_meeting_and_marks_it_held_000_4_3(org, director, trainer):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    consultation = _ask(e, kind=ConsultationKind.MEETING, preferred_time="после 15:00")
    assert consultation.preferred_time == "после 15:00"
    with pytest.raises(DomainError):  # the meeting lies ahead
        services.consultation_schedule(
            consultation, by=trainer, scheduled_at=timezone.now() - datetime.timedelta(hours=1), place="каб. 5"
        )
    at = timezone.now() + datetime.timedelta(days=2)
    services.consultation_schedule(consultation, by=trainer, scheduled_at=at, place="https://meet.example.kz/x")
    consultation.refresh_from_db()
    assert (consultation.status, consultation.scheduled_at) == (ConsultationStatus.SCHEDULED, at)
    assert consultation.first_answered_at is not None
    with pytest.raises(DomainError):  # not before the meeting
        services.consultation_hold(consultation, by=trainer)
    services.consultation_hold(consultation, by=trainer, now=at + datetime.timedelta(hours=1))
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.HELD


def test_a_question_is_not_scheduled_as_a_meeting_000_4_3(org, director, trainer):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    consultation = _ask(e)
    with pytest.raises(DomainError):
        services.consultation_schedule(
            consultation, by=trainer, scheduled_at=timezone.now() + datetime.timedelta(days=1), place="каб. 5"
        )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN


def test_a_trainer_of_another_cohort_neither_sees_nor_answers_001_37(client, org, director, trainer):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    consultation = _ask(e)
    outsider = staff_user(roles.TRAINER)
    with pytest.raises(DomainError):
        services.consultation_answer(consultation, by=outsider, text="Чужой ответ")
    client.force_login(outsider)
    assert client.get(reverse("postcourse:consultation_staff", args=[consultation.pk])).status_code == 403
    assert (
        client.post(reverse("postcourse:consultation_staff", args=[consultation.pk]), {"text": "x"}).status_code == 403
    )
    assert "Формативное" not in client.get(reverse("postcourse:consultations_staff")).content.decode()
    assert consultation.messages.count() == 1


def test_a_listener_cannot_read_or_write_in_another_listeners_thread_001_37(client, org, director):
    _c, (e, other) = certified_cohort(director, listeners=2)
    consultation = _ask(e)
    client.force_login(other.listener.user)
    assert client.get(reverse("postcourse:my_consultation", args=[consultation.pk])).status_code == 404
    assert client.post(reverse("postcourse:my_consultation", args=[consultation.pk]), {"text": "x"}).status_code == 404
    with pytest.raises(DomainError):
        services.consultation_reply(consultation, by=other.listener.user, text="x")
    assert consultation.messages.count() == 1


def test_a_closed_consultation_takes_no_more_answers_000_4_3(org, director, trainer):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    consultation = _ask(e)
    services.consultation_close(consultation, by=e.listener.user)
    with pytest.raises(DomainError):
        services.consultation_answer(consultation, by=trainer, text="Поздно")
    assert consultation.messages.count() == 1


def test_staff_list_shows_age_and_response_time_and_filters_by_status_000_4_3(client, org, director, trainer):
    methodist = staff_user(roles.METHODIST)
    _c, (e,) = certified_cohort(director, trainer=trainer)
    waiting = _ask(e, subject="Ждёт ответа")
    answered = _ask(e, subject="Уже отвечен")
    Consultation.objects.filter(pk=answered.pk).update(created_at=timezone.now() - datetime.timedelta(hours=5))
    answered.refresh_from_db()
    services.consultation_answer(
        answered, by=trainer, text="Ответ", now=answered.created_at + datetime.timedelta(hours=3)
    )
    client.force_login(methodist)
    html = client.get(reverse("postcourse:consultations_staff")).content.decode()
    assert "Ждёт ответа" in html and "Уже отвечен" in html
    assert "3 h 0 min" in html  # the response time
    html = client.get(reverse("postcourse:consultations_staff") + "?status=open").content.decode()
    assert "Ждёт ответа" in html and "Уже отвечен" not in html
    services.consultation_close(waiting, by=methodist)
    html = client.get(reverse("postcourse:consultations_staff")).content.decode()
    assert "Ждёт ответа" not in html


@pytest.mark.parametrize("n", [1, 6])
def test_staff_list_reads_in_constant_queries_000_4_3(client, org, director, trainer, n):
    for _ in range(n):
        _c, (e,) = certified_cohort(director, trainer=trainer)
        _ask(e)
    client.force_login(trainer)
    assert page_queries(client, reverse("postcourse:consultations_staff")) <= 9


def _asked_at(consultation, moment):
    Consultation.objects.filter(pk=consultation.pk).update(created_at=moment)
    consultation.refresh_from_db()


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_consultation_unanswered_two_working_days_is_recalled_to_the_trainer_once_000_4_3(
    org, director, trainer, django_capture_on_commit_callbacks
):
    trainer.email = "trainer@example.kz"
    trainer.save(update_fields=["email"])
    _c, (e, answered_e) = certified_cohort(director, trainer=trainer, listeners=2)
    waiting, answered = _ask(e), _ask(answered_e, subject="Рефлексия")
    friday = datetime.date(2026, 11, 20)  # asked on a Friday: Monday is the first working day after, Tuesday the second
    _asked_at(waiting, _at(friday))
    _asked_at(answered, _at(friday))
    services.consultation_answer(answered, by=trainer, text="Ответ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.consultations_remind(now=_at(friday + datetime.timedelta(days=3), 9)) == 0  # Monday
        assert services.consultations_remind(now=_at(friday + datetime.timedelta(days=4), 9)) == 1  # Tuesday
        assert services.consultations_remind(now=_at(friday + datetime.timedelta(days=5), 9)) == 0  # once
    (message,) = mail.outbox
    assert message.to == ["trainer@example.kz"] and "20.11.2026" in message.body and waiting.subject in message.body
    assert reverse("postcourse:consultation_staff", args=[waiting.pk]) in message.body
    waiting.refresh_from_db()
    assert waiting.reminded_at == _at(friday + datetime.timedelta(days=4), 9) and waiting.status == "open"
    entry = ActivityLog.objects.get(action="postcourse.consultation.reminded", object_id=waiting.pk)
    assert entry.actor is None
    assert not ActivityLog.objects.filter(action="postcourse.consultation.reminded", object_id=answered.pk).exists()


def test_the_reminder_of_unanswered_consultations_runs_daily(settings):
    assert settings.PERIODIC_TASKS["remind_consultations"]["task"] == "postcourse.tasks.remind_consultations"
