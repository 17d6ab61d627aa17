"""The staff read what the listeners answered in their follow-up questionnaires (001 §34), and a listener's
request for more support waits on the staff home until a staff member marks it handled."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.models import Partner, Representative
from postcourse.enums import Applying
from postcourse.followups import follow_up_answer, follow_up_support_handle
from postcourse.models import FollowUp
from postcourse.services import support_period_open
from programs.models import VersionText
from tests.certificates.helpers import course, enrol
from tests.factories import UserFactory, page_queries, staff_user, teach
from ziat import roles
from ziat.access import AccessDenied
from ziat.errors import DomainError
from ziat.models import ActivityLog

RESULTS = ["Применяет формативное оценивание", "Проектирует урок с учётом потребностей"]
TODAY = timezone.localdate()
# The course ended 200 days ago: the 3- and 6-month questionnaires are due, the 12-month one is not yet.
ENDED = TODAY - datetime.timedelta(days=200)
# Session, user, the user's and the groups' permissions, the cohort (on its page), the user's roles, the count,
# the listeners the filter offers (on the cohort's page), the rows with their listeners, cohorts and handlers, and
# the layout's listener profile; a trainer's reach of the cohort is one query more.
COHORT_QUERIES = {roles.METHODIST: 10, roles.TRAINER: 11}
ALL_QUERIES = 8


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def methodist(db):
    return staff_user(roles.METHODIST)


def _cohort(trainer=None, *, listeners=(), code=None):
    kwargs = {"code": code} if code else {}
    c = course(starts_on=ENDED - datetime.timedelta(days=4), ends_on=ENDED, **kwargs)
    VersionText.objects.create(version=c.version, language="ru", expected_results=RESULTS)
    if trainer is not None:
        teach(c, trainer)
    enrolments = []
    for last_name in listeners:
        e = enrol(c, last_name=last_name)
        support_period_open(e)
        enrolments.append(e)
    return c, enrolments


def _answer(e, months, **kwargs):
    item = FollowUp.objects.get(enrolment=e, months=months)
    values = {"applying": Applying.SOMETIMES, **kwargs}
    return follow_up_answer(item, by=e.listener.user, today=TODAY, **values)


def _page(client, url):
    response = client.get(url)
    body = response.content.decode()
    return response, body.split('id="found"')[1] if 'id="found"' in body else body


def _rows(body):
    """{follow-up id: the row's text} of the answers' table."""
    return dict(re.findall(r'<tr data-follow-up="(\d+)"[^>]*>(.*?)</tr>', body, re.S))


def _cohort_url(c, query=""):
    return reverse("postcourse:cohort_follow_up_answers", args=[c.pk]) + query


# ------------------------------------------------------------------------------------------ reading the answers


def test_staff_read_each_listeners_answers_with_their_texts_and_states_001_34(client, org, methodist):
    c, (asks, quiet) = _cohort(listeners=("Көмекова", "Тынышова"))
    _answer(
        asks,
        3,
        applying=Applying.REGULARLY,
        results_applied=[RESULTS[1]],
        example="Провела урок с листами самооценки.",
        obstacles="Нет проектора в кабинете.",
        wants_support=True,
    )
    _answer(quiet, 6, applying=Applying.NOT_YET, obstacles="Большая нагрузка.")
    client.force_login(methodist)
    response, body = _page(client, _cohort_url(c))
    assert response.status_code == 200
    rows = _rows(body)
    assert len(rows) == 6  # three questionnaires of each listener
    three = FollowUp.objects.get(enrolment=asks, months=3)
    row = rows[str(three.pk)]
    assert "Көмекова" in row and "3 months after the course" in row
    assert f"answered on {TODAY:%d.%m.%Y}" in row
    assert "regularly, in most lessons" in row and RESULTS[1] in row and RESULTS[0] not in row
    assert "Провела урок с листами самооценки." in row and "Нет проектора в кабинете." in row
    assert "asks for more support" in row
    six = FollowUp.objects.get(enrolment=asks, months=6)
    assert f"due since {six.due_on:%d.%m.%Y}, not answered" in rows[str(six.pk)]
    twelve = FollowUp.objects.get(enrolment=asks, months=12)
    assert f"not yet due: opens on {twelve.due_on:%d.%m.%Y}" in rows[str(twelve.pk)]
    quiet_six = rows[str(FollowUp.objects.get(enrolment=quiet, months=6).pk)]
    assert "not yet" in quiet_six and "Большая нагрузка." in quiet_six and "not asked" in quiet_six
    # The choices are shown in the reader's language.
    shown = {"ru": "регулярно, на большинстве уроков", "kk": "тұрақты түрде, сабақтардың көбінде"}
    for language, regularly in shown.items():
        page = client.get(_cohort_url(c), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert regularly in _rows(page)[str(three.pk)] and "regularly, in most lessons" not in page


def test_the_answers_are_reached_from_the_support_plan_and_the_listeners_support_year_001_34(client, org, methodist):
    c, (e,) = _cohort(listeners=("Көмекова",))
    client.force_login(methodist)
    plan = client.get(reverse("postcourse:support_plan", args=[c.pk])).content.decode()
    assert f'href="{_cohort_url(c)}"' in plan
    year = client.get(reverse("postcourse:support_enrolment_staff", args=[e.pk])).content.decode()
    link = _cohort_url(c, f"?listener={e.pk}")
    assert f'href="{link}"' in year
    _response, body = _page(client, link)
    assert len(_rows(body)) == 3


def test_the_answers_filter_by_questionnaire_answer_support_and_listener_001_34(client, org, methodist):
    c, (asks, handled, quiet) = _cohort(listeners=("Көмекова", "Шешілгенова", "Тынышова"))
    waiting = _answer(asks, 3, wants_support=True)
    done = _answer(handled, 6, wants_support=True)
    follow_up_support_handle(done, by=methodist, note="Позвонили")
    _answer(quiet, 3)
    client.force_login(methodist)

    def shown(query):
        response, body = _page(client, _cohort_url(c, query))
        assert response.status_code == 200, query
        return {int(pk) for pk in _rows(body)}

    def ids(*pairs):
        return {FollowUp.objects.get(enrolment=e, months=m).pk for e, m in pairs}

    everyone = (asks, handled, quiet)
    # Unfiltered, each filter offers "all" and shows every questionnaire.
    page = client.get(_cohort_url(c)).content.decode()
    for name in ("months", "state", "support", "listener"):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        assert re.search(r'<option value="" selected>all</option>', select), name
    assert shown("") == ids(*[(e, m) for e in everyone for m in (3, 6, 12)])
    assert shown("?months=12") == ids(*[(e, 12) for e in everyone])
    assert shown("?state=answered") == {waiting.pk, done.pk} | ids((quiet, 3))
    assert shown("?state=unanswered") == ids((asks, 6), (handled, 3), (quiet, 6))
    assert shown("?state=not_due") == ids(*[(e, 12) for e in everyone])
    assert shown("?support=asked") == {waiting.pk, done.pk}
    assert shown("?support=waiting") == {waiting.pk}
    assert shown("?support=handled") == {done.pk}
    assert shown("?months=3&support=asked") == {waiting.pk}
    assert shown(f"?listener={quiet.pk}") == ids(*[(quiet, m) for m in (3, 6, 12)])
    # The list of every cohort finds by listener and cohort code as well.
    other, (stranger,) = _cohort(listeners=("Бөтенова",), code="OTHER-1")
    _answer(stranger, 3, wants_support=True)
    response, body = _page(client, reverse("postcourse:follow_up_answers") + "?support=waiting")
    assert {int(pk) for pk in _rows(body)} == {waiting.pk, FollowUp.objects.get(enrolment=stranger, months=3).pk}
    response, body = _page(client, reverse("postcourse:follow_up_answers") + "?support=waiting&cohort=other")
    assert {int(pk) for pk in _rows(body)} == {FollowUp.objects.get(enrolment=stranger, months=3).pk}
    response, body = _page(client, reverse("postcourse:follow_up_answers") + "?q=көмекова")
    assert {int(pk) for pk in _rows(body)} == ids(*[(asks, m) for m in (3, 6, 12)])
    # A value that does not parse, or a listener of another cohort, is shown as such, never a server error.
    for query in ("?months=4", "?support=maybe", f"?listener={stranger.pk}"):
        bad = client.get(_cohort_url(c, query))
        assert bad.status_code == 400 and "A filter in the address is not valid" in bad.content.decode(), query


# ------------------------------------------------------------------------------------------ who may read them


def test_a_trainer_reads_the_answers_of_the_cohorts_they_teach_only_001_34(client, org, trainer):
    ours, (mine,) = _cohort(trainer, listeners=("Біздікі",))
    theirs, (other,) = _cohort(staff_user(roles.TRAINER), listeners=("Бөтенова",))
    _answer(mine, 3, example="Біздің мысал", wants_support=True)
    _answer(other, 3, example="Бөтен мысал", wants_support=True)
    client.force_login(trainer)
    assert client.get(_cohort_url(ours)).status_code == 200
    refused = client.get(_cohort_url(theirs))
    assert refused.status_code == 403 and 'class="site-header"' in refused.content.decode()
    assert "Бөтен" not in refused.content.decode()
    for query in ("", "?support=waiting", f"?cohort={theirs.code}", "?q=Бөтенова"):
        _response, body = _page(client, reverse("postcourse:follow_up_answers") + query)
        assert "Бөтен" not in body, query
    _response, body = _page(client, reverse("postcourse:follow_up_answers"))
    assert "Біздің мысал" in body


def test_a_listener_and_a_representative_are_refused_the_answers_001_34(client, org):
    c, (e,) = _cohort(listeners=("Көмекова",))
    _answer(e, 3, example="Жасырын мысал")
    rep = UserFactory()
    Representative.objects.create(user=rep, partner=Partner.objects.create(name="Мектеп", kind="school"))
    for user in (e.listener.user, rep):
        client.force_login(user)
        for url in (_cohort_url(c), reverse("postcourse:follow_up_answers")):
            response = client.get(url)
            text = response.content.decode()
            assert response.status_code == 403 and 'class="site-header"' in text and "Жасырын" not in text, url


# ------------------------------------------------------------------------------------------ requests for more support


def _home_items(client):
    body = client.get("/staff/").content.decode()
    found = re.findall(
        r'id="work-([\w-]+)">\s*<span class="work-count">(\d+)</span>\s*<a class="work-what" href="([^"]+)">', body
    )
    return {key: (int(n), url) for key, n, url in found}


def test_the_home_counts_the_requests_for_more_support_no_one_has_handled_001_34(client, org, methodist, trainer):
    ours, (first, second, quiet) = _cohort(trainer, listeners=("Бірінші", "Екінші", "Тынышова"))
    theirs, (other,) = _cohort(staff_user(roles.TRAINER), listeners=("Бөтенова",))
    _answer(first, 3, wants_support=True)
    _answer(second, 3, wants_support=True)
    _answer(second, 6, wants_support=True)
    _answer(quiet, 3)
    _answer(other, 3, wants_support=True)
    link = reverse("postcourse:follow_up_answers") + "?support=waiting"
    client.force_login(methodist)
    assert _home_items(client)["postcourse-support-requests"] == (4, link)
    # The trainer counts those of the cohort they teach.
    client.force_login(trainer)
    assert _home_items(client)["postcourse-support-requests"] == (3, link)
    _response, body = _page(client, link)
    assert len(_rows(body)) == 3 and "Бөтенова" not in body
    # Nobody with no hand in it is counted: the director, the registrar, a trainer of no supported cohort.
    for user in (staff_user(roles.DIRECTOR), staff_user(roles.REGISTRAR), staff_user(roles.TRAINER)):
        client.force_login(user)
        assert "postcourse-support-requests" not in _home_items(client)


def test_marking_a_request_handled_takes_it_off_the_home_and_logs_who_did_it_001_34(client, org, methodist, trainer):
    c, (first, second) = _cohort(trainer, listeners=("Бірінші", "Екінші"))
    asked = _answer(first, 3, wants_support=True)
    _answer(second, 3, wants_support=True)
    client.force_login(trainer)
    assert _home_items(client)["postcourse-support-requests"][0] == 2
    back = _cohort_url(c, "?support=waiting")
    _response, body = _page(client, back)
    assert f'action="{reverse("postcourse:follow_up_support_handled", args=[asked.pk])}"' in body
    response = client.post(
        reverse("postcourse:follow_up_support_handled", args=[asked.pk]),
        {"note": "Провели консультацию по телефону.", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert _home_items(client)["postcourse-support-requests"][0] == 1
    asked.refresh_from_db()
    assert asked.support_handled_by == trainer and asked.support_handled_at is not None
    assert asked.support_note == "Провели консультацию по телефону."
    entry = ActivityLog.objects.get(action="postcourse.follow_up.support_handled", object_id=asked.pk)
    assert entry.actor == trainer and entry.cohort_id == c.pk
    # The page says who handled it and when; the listener reads that the centre took it up.
    _response, body = _page(client, _cohort_url(c, "?support=handled"))
    assert trainer.full_name in _rows(body)[str(asked.pk)]
    client.force_login(first.listener.user)
    page = client.get(reverse("postcourse:follow_up", args=[asked.pk])).content.decode()
    assert "the centre took it up on" in page
    # Marking it again (a second click, another staff member) changes nothing and logs nothing more.
    client.force_login(methodist)
    client.post(reverse("postcourse:follow_up_support_handled", args=[asked.pk]), {"note": "Ещё раз"})
    asked.refresh_from_db()
    assert asked.support_handled_by == trainer and asked.support_note == "Провели консультацию по телефону."
    assert ActivityLog.objects.filter(action="postcourse.follow_up.support_handled").count() == 1
    assert _home_items(client)["postcourse-support-requests"][0] == 1


def test_a_note_too_long_to_save_is_given_back_in_the_form_and_nothing_is_marked_001_34(client, org, trainer):
    c, (first,) = _cohort(trainer, listeners=("Ұзынова",))
    asked = _answer(first, 3, wants_support=True)
    client.force_login(trainer)
    back = _cohort_url(c, "?support=waiting")
    typed = "Консультация өтті. " * 60  # over the 1000 characters a note keeps
    response = client.post(
        reverse("postcourse:follow_up_support_handled", args=[asked.pk]), {"note": typed, "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    asked.refresh_from_db()
    assert asked.support_handled_at is None and asked.support_note == ""
    page = client.get(back).content.decode()
    assert "within 1000 characters" in page
    body = page.split('id="found"')[1]
    # The text typed is in the form again, the form open, for the user to shorten it.
    row = _rows(body)[str(asked.pk)]
    assert "<details open>" in row and typed.strip() in html.unescape(row)
    # Once: the next visit shows the empty form.
    _response, body = _page(client, back)
    assert "<details open>" not in _rows(body)[str(asked.pk)] and typed.strip() not in body


def test_a_listener_who_asked_for_support_is_told_the_centre_knows_001_34(client, org):
    c, (e,) = _cohort(listeners=("Көмекова",))
    item = FollowUp.objects.get(enrolment=e, months=3)
    client.force_login(e.listener.user)
    answered = client.post(
        reverse("postcourse:follow_up", args=[item.pk]), {"applying": Applying.SOMETIMES, "wants_support": "on"}
    )
    assert answered.status_code == 302
    page = client.get(reverse("postcourse:follow_up", args=[item.pk])).content.decode()
    assert "the centre's staff have been told and will contact you" in page
    assert reverse("postcourse:my_support", args=[e.pk]) in page


def test_only_the_staff_of_the_cohort_handle_a_request_and_only_one_that_was_made_001_34(
    client, org, methodist, trainer
):
    c, (asks, quiet) = _cohort(trainer, listeners=("Көмекова", "Тынышова"))
    asked = _answer(asks, 3, wants_support=True)
    not_asked = _answer(quiet, 3)
    with pytest.raises(AccessDenied):
        follow_up_support_handle(asked, by=staff_user(roles.TRAINER))
    with pytest.raises(AccessDenied):
        follow_up_support_handle(asked, by=staff_user(roles.REGISTRAR))
    with pytest.raises(DomainError):
        follow_up_support_handle(not_asked, by=methodist)
    with pytest.raises(DomainError):
        follow_up_support_handle(FollowUp.objects.get(enrolment=asks, months=12), by=methodist)
    # Over HTTP: the trainer of another cohort gets the refusal page, and nothing is recorded.
    client.force_login(staff_user(roles.TRAINER))
    response = client.post(reverse("postcourse:follow_up_support_handled", args=[asked.pk]), {"note": "x"})
    assert response.status_code == 403 and 'class="site-header"' in response.content.decode()
    asked.refresh_from_db()
    assert asked.support_handled_at is None
    assert not ActivityLog.objects.filter(action="postcourse.follow_up.support_handled").exists()
    # The handler of the cohort: marked once.
    item, marked = follow_up_support_handle(asked, by=methodist)
    assert marked and item.support_handled_by == methodist
    assert follow_up_support_handle(asked, by=trainer)[1] is False


# ------------------------------------------------------------------------------------------ the query count


@pytest.mark.parametrize("listeners", [2, 12])
def test_the_answers_pages_make_the_same_queries_for_few_and_many_listeners_001_34(
    client, org, methodist, trainer, listeners
):
    c, enrolments = _cohort(trainer, listeners=[f"Тыңдаушы{i}" for i in range(listeners)])
    for i, e in enumerate(enrolments):
        _answer(e, 3, results_applied=RESULTS, example="Мысал", wants_support=True)
        if i % 4 == 0:
            follow_up_support_handle(FollowUp.objects.get(enrolment=e, months=3), by=methodist)
    for role, user in ((roles.METHODIST, methodist), (roles.TRAINER, trainer)):
        client.force_login(user)
        assert page_queries(client, _cohort_url(c)) == COHORT_QUERIES[role]
        assert page_queries(client, _cohort_url(c, f"?months=3&support=asked&listener={enrolments[0].pk}")) == (
            COHORT_QUERIES[role] + 1  # the chosen listener is looked up among those offered
        )
        assert page_queries(client, _cohort_url(c, "?state=answered&page=2")) == COHORT_QUERIES[role]
        url = reverse("postcourse:follow_up_answers")
        assert page_queries(client, url) == ALL_QUERIES
        assert page_queries(client, url + f"?support=waiting&cohort={c.code}&q=Тыңдаушы") == ALL_QUERIES
