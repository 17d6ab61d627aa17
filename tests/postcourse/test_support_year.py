"""The listener's year of support on one page (000 §4.1, 001 §36): the period, the cohort's plan, the
consultations, publications and events; the cabinet's panel leads there; the staff who reach the listener
see the same."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from postcourse import consultations, events, publications
from postcourse.enums import ConsultationKind, EventKind, SupportForm
from postcourse.support import support_activity_plan
from tests.factories import page_queries, staff_user
from tests.postcourse.helpers import RESULTS_RU, certified_cohort
from ziat import roles

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _year(director, trainer, *, listeners=1):
    methodist = staff_user(roles.METHODIST)
    c, enrolments = certified_cohort(director, trainer=trainer, listeners=listeners)
    support_activity_plan(
        c,
        by=methodist,
        form=SupportForm.COMMUNITY,
        title="Заседание профессионального сообщества",
        expected_result=RESULTS_RU[0],
        planned_on=timezone.localdate() + datetime.timedelta(days=20),
        responsible=trainer,
    )
    event = events.support_event_announce(
        by=methodist,
        kind=EventKind.WEBINAR,
        title_kk="Вебинар",
        title_ru="Вебинар выпускников",
        starts_at=timezone.now() + datetime.timedelta(days=5),
    )
    for e in enrolments:
        user = e.listener.user
        consultations.consultation_ask(
            e, by=user, kind=ConsultationKind.QUESTION, subject="Вопрос о рубриках", text="?"
        )
        publications.publication_submit(
            e, by=user, title="Статья о рубриках", venue="Журнал", upload=SimpleUploadedFile("a.pdf", PDF)
        )
        events.event_register(event, e, by=user)
    return c, enrolments


def test_my_support_year_shows_the_period_plan_consultations_publications_and_events_000_4_1(
    client, org, director, trainer
):
    _c, (e,) = _year(director, trainer)
    client.force_login(e.listener.user)
    cabinet = client.get(reverse("enrolment:cabinet")).content.decode()
    assert reverse("postcourse:my_support", args=[e.pk]) in cabinet  # the panel leads there
    html = client.get(reverse("postcourse:my_support", args=[e.pk])).content.decode()
    period = e.support_period
    for shown in (
        f"{period.starts_on:%d.%m.%Y}",
        f"{period.ends_on:%d.%m.%Y}",
        "Заседание профессионального сообщества",
        "Вопрос о рубриках",
        "Статья о рубриках",
    ):
        assert shown in html
    assert "Вебинар" in html


def test_the_staff_page_of_a_listener_shows_the_same_to_those_who_reach_them_001_36(client, org, director, trainer):
    _c, (e,) = _year(director, trainer)
    url = reverse("postcourse:support_enrolment_staff", args=[e.pk])
    client.force_login(trainer)
    html = client.get(url).content.decode()
    assert "Вопрос о рубриках" in html and "Статья о рубриках" in html
    client.force_login(staff_user(roles.TRAINER))
    assert client.get(url).status_code == 403


def test_another_listener_cannot_open_my_support_year_001_36(client, org, director, trainer):
    _c, (e, other) = _year(director, trainer, listeners=2)
    client.force_login(other.listener.user)
    assert client.get(reverse("postcourse:my_support", args=[e.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 4])
def test_my_support_year_and_the_cabinet_read_in_constant_queries_001_36(client, org, director, trainer, n):
    _c, (e,) = _year(director, trainer)
    for i in range(n):
        consultations.consultation_ask(
            e, by=e.listener.user, kind=ConsultationKind.MEETING, subject=f"Встреча {i}", text="?"
        )
    client.force_login(e.listener.user)
    assert page_queries(client, reverse("postcourse:my_support", args=[e.pk])) <= 12
