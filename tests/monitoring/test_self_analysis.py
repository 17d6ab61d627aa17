"""The trainers' and organisers' self-analysis after a cohort (000 §4.5 6))."""

import datetime

import pytest
from django.utils import timezone

from monitoring.enums import SelfAnalysisRole
from monitoring.models import SelfAnalysis
from monitoring.selfanalysis import self_analysis_submit
from tests.factories import cohort, page_queries, sessions, staff_user, teach
from ziat import roles
from ziat.errors import DomainError
from ziat.models import ActivityLog

TEXT = {"goals_met": 4, "what_worked": "Кейстер жақсы өтті.", "difficulties": "Уақыт аз.", "improvements": "Практика."}


def _ended(days_ago=3):
    ends = timezone.localdate() - datetime.timedelta(days=days_ago)
    c = cohort(starts_on=ends - datetime.timedelta(days=4), ends_on=ends)
    sessions(c, (2, 2, 2))
    return c


def _two_trainers(c):
    first = teach(c, staff_user(roles.TRAINER, last_name="Біріншіева"))
    second = staff_user(roles.TRAINER, last_name="Екіншіев")
    last = c.sessions.order_by("-date").first()
    last.trainer = second
    last.save(update_fields=["trainer"])
    return first, second


def test_each_trainer_and_the_organiser_write_one_self_analysis_000_4_5(org):
    c = _ended()
    first, second = _two_trainers(c)
    methodist = staff_user(roles.METHODIST)
    a = self_analysis_submit(c, by=first, **TEXT)
    b = self_analysis_submit(c, by=second, **TEXT)
    o = self_analysis_submit(c, by=methodist, **TEXT)
    r = self_analysis_submit(c, by=staff_user(roles.REGISTRAR), **TEXT)
    assert [x.role for x in (a, b, o, r)] == [SelfAnalysisRole.TRAINER] * 2 + [SelfAnalysisRole.ORGANISER] * 2
    assert ActivityLog.objects.filter(action="monitoring.self_analysis.submitted").count() == 4


def test_second_self_analysis_is_refused_and_the_first_stays_000_4_5(org):
    c = _ended()
    trainer = teach(c, staff_user(roles.TRAINER))
    self_analysis_submit(c, by=trainer, **TEXT)
    with pytest.raises(DomainError):
        self_analysis_submit(c, by=trainer, **{**TEXT, "goals_met": 1, "what_worked": "басқа"})
    assert list(SelfAnalysis.objects.values_list("goals_met", "what_worked")) == [(4, TEXT["what_worked"])]


@pytest.mark.parametrize("who", ["trainer of another cohort", "director", "accountant", "monitoring"])
def test_only_the_cohorts_trainers_and_organisers_write_it_000_4_5(org, who):
    c = _ended()
    teach(c, staff_user(roles.TRAINER))
    user = teach(_ended(), staff_user(roles.TRAINER)) if who.startswith("trainer") else staff_user(who)
    with pytest.raises(DomainError):
        self_analysis_submit(c, by=user, **TEXT)
    assert not SelfAnalysis.objects.exists()


def test_self_analysis_before_the_course_ends_is_refused_000_4_5(org):
    today = timezone.localdate()
    c = cohort(starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1))
    trainer = teach(c, staff_user(roles.TRAINER))
    with pytest.raises(DomainError):
        self_analysis_submit(c, by=trainer, **TEXT)
    assert not SelfAnalysis.objects.exists()


@pytest.mark.parametrize("bad", [{"goals_met": 0}, {"goals_met": 6}, {"what_worked": "  "}])
def test_incomplete_self_analysis_is_refused_000_4_5(org, bad):
    c = _ended()
    trainer = teach(c, staff_user(roles.TRAINER))
    with pytest.raises(DomainError):
        self_analysis_submit(c, by=trainer, **{**TEXT, **bad})
    assert not SelfAnalysis.objects.exists()


def test_cohort_page_lists_who_has_and_has_not_written_and_takes_the_form_000_4_5(client, org, director):
    c = _ended()
    first, second = _two_trainers(c)
    client.force_login(first)
    response = client.post(f"/monitoring/self-analysis/{c.pk}/", {k: str(v) for k, v in TEXT.items()})
    assert response.status_code == 302
    assert SelfAnalysis.objects.get(author=first).role == SelfAnalysisRole.TRAINER
    client.force_login(director)
    html = client.get(f"/monitoring/self-analysis/{c.pk}/").content.decode()
    written, missing = html.split('class="written"')[1], html.split('class="missing"')[1]
    assert "Біріншіева" in written.split("</li>")[0]
    assert "Екіншіев" in missing.split("</li>")[0]
    assert TEXT["what_worked"] in html
    assert 'id="self-analysis-form"' not in html  # the director writes none


def test_trainer_of_another_cohort_may_not_read_or_post_000_4_5(client, org):
    c = _ended()
    teach(c, staff_user(roles.TRAINER))
    stranger = teach(_ended(), staff_user(roles.TRAINER))
    client.force_login(stranger)
    assert client.get(f"/monitoring/self-analysis/{c.pk}/").status_code == 403
    assert client.post(f"/monitoring/self-analysis/{c.pk}/", {k: str(v) for k, v in TEXT.items()}).status_code == 403
    assert c.code not in client.get("/monitoring/self-analysis/").content.decode()
    assert not SelfAnalysis.objects.exists()


@pytest.mark.parametrize("count", [1, 6])
def test_self_analysis_pages_queries_do_not_grow_with_rows(client, org, director, count):
    for _ in range(count):
        c = _ended()
        trainer = teach(c, staff_user(roles.TRAINER))
        self_analysis_submit(c, by=trainer, **TEXT)
        self_analysis_submit(c, by=staff_user(roles.METHODIST), **TEXT)
    client.force_login(director)
    assert page_queries(client, "/monitoring/self-analysis/") == 8
    assert page_queries(client, f"/monitoring/self-analysis/{c.pk}/") == 9
