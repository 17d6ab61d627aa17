"""The listeners' satisfaction, asked during the course and kept anonymous (000 §4.5 4))."""

import datetime

import pytest
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment
from monitoring.models import SatisfactionComment, SatisfactionReceipt, SatisfactionTally
from monitoring.rules import SATISFACTION_MIN_ANSWERS
from monitoring.satisfaction import OPEN_DAYS_AFTER_END, satisfaction_answer
from monitoring.selectors import satisfaction_results
from tests.factories import cohort, enrolment, page_queries, staff_user, teach
from ziat import roles
from ziat.errors import DomainError


def _running(**kwargs):
    today = timezone.localdate()
    kwargs.setdefault("starts_on", today - datetime.timedelta(days=2))
    kwargs.setdefault("ends_on", today + datetime.timedelta(days=2))
    return cohort(**kwargs)


def _tables(c):
    """The satisfaction tables of a cohort as anyone reading the database would see them (keys ranked)."""
    tally = list(SatisfactionTally.objects.filter(cohort=c).order_by("pk").values_list("aspect", "score", "count"))
    comments = sorted(SatisfactionComment.objects.filter(cohort=c).values_list("text", flat=True))
    return tally, comments


def _answer(e, scores, comment=""):
    content, organisation, teaching = scores
    satisfaction_answer(
        e, by=e.listener.user, content=content, organisation=organisation, teaching=teaching, comment=comment
    )


def _nothing_changed():
    return (
        SatisfactionReceipt.objects.count(),
        SatisfactionTally.objects.filter(count__gt=0).count(),
        SatisfactionComment.objects.count(),
    )


def _xmins(model, **filters):
    """The ids of the transactions that wrote the rows, as the database keeps them (its ``xmin`` column)."""
    rows = model.objects.filter(**filters).annotate(xid=RawSQL("xmin::text", []))
    return set(rows.values_list("xid", flat=True))


# ------------------------------------------------------------------------------------------ anonymity


@pytest.mark.parametrize("model", [SatisfactionTally, SatisfactionComment])
def test_no_answer_record_leads_to_a_person_or_a_time_000_4_5(model):
    from django.contrib.auth import get_user_model

    from enrolment.models import Listener

    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        assert related not in (Listener, get_user_model(), Enrolment), field
        assert not isinstance(field, models.DateTimeField | models.DateField | models.TimeField), field
        assert not isinstance(field, models.AutoField | models.BigAutoField) or model is SatisfactionTally, field
    assert isinstance(SatisfactionComment._meta.pk, models.UUIDField)


def test_two_answers_in_either_order_leave_identical_tables_000_4_5(org):
    first, second = _running(), _running()
    a1, b1 = enrolment(first), enrolment(first)
    b2, a2 = enrolment(second), enrolment(second)
    _answer(a1, (5, 4, 3), "Жақсы курс")
    _answer(b1, (1, 2, 2), "Өте ұзақ")
    _answer(b2, (1, 2, 2), "Өте ұзақ")
    _answer(a2, (5, 4, 3), "Жақсы курс")
    assert _tables(first) == _tables(second)
    assert len(_tables(first)[0]) == 15  # every count exists, whatever was answered first


def test_answer_counts_scores_and_keeps_only_a_receipt_000_4_5(org):
    c = _running()
    e = enrolment(c)
    _answer(e, (4, 5, 3), "  Көбірек практика керек.  ")
    counts = {
        (a, s): n for a, s, n in SatisfactionTally.objects.filter(count__gt=0).values_list("aspect", "score", "count")
    }
    assert counts == {("content", 4): 1, ("organisation", 5): 1, ("teaching", 3): 1}
    assert list(SatisfactionComment.objects.values_list("text", flat=True)) == ["Көбірек практика керек."]
    assert SatisfactionReceipt.objects.filter(enrolment=e).exists()


# ------------------------------------------------------------------------------------------ refusals


def test_second_answer_is_refused_and_nothing_changes_000_4_5(org):
    e = enrolment(_running())
    _answer(e, (4, 4, 4), "бір")
    before = _tables(e.cohort)
    with pytest.raises(DomainError):
        _answer(e, (1, 1, 1), "екі")
    assert _tables(e.cohort) == before


def test_outsider_and_expelled_listener_are_refused_000_4_5(client, org):
    c = _running()
    other = enrolment(_running())
    with pytest.raises(DomainError):
        satisfaction_answer(enrolment(c), by=other.listener.user, content=5, organisation=5, teaching=5)
    gone = enrolment(c)
    Enrolment.objects.filter(pk=gone.pk).update(status=EnrolmentStatus.EXPELLED)
    gone.refresh_from_db()
    with pytest.raises(DomainError):
        _answer(gone, (5, 5, 5))
    assert _nothing_changed() == (0, 0, 0)
    client.force_login(other.listener.user)
    response = client.post(f"/monitoring/satisfaction/{c.pk}/answer/", {"content": 5, "organisation": 5, "teaching": 5})
    assert response.status_code == 403 and 'id="refusal"' in response.content.decode()
    client.force_login(gone.listener.user)
    assert client.get(f"/monitoring/satisfaction/{c.pk}/answer/").status_code == 403
    response = client.post(f"/monitoring/satisfaction/{c.pk}/answer/", {"content": 5, "organisation": 5, "teaching": 5})
    assert response.status_code == 403
    assert _nothing_changed() == (0, 0, 0)


@pytest.mark.parametrize(
    ("starts", "ends", "open_"),
    [(-2, 2, True), (-20, -OPEN_DAYS_AFTER_END, True), (-20, -OPEN_DAYS_AFTER_END - 1, False), (1, 5, False)],
)
def test_questionnaire_is_open_during_the_course_and_two_weeks_after_000_4_5(org, starts, ends, open_):
    today = timezone.localdate()
    e = enrolment(
        cohort(starts_on=today + datetime.timedelta(days=starts), ends_on=today + datetime.timedelta(days=ends))
    )
    if open_:
        _answer(e, (3, 3, 3))
        assert SatisfactionReceipt.objects.count() == 1
    else:
        with pytest.raises(DomainError):
            _answer(e, (3, 3, 3))
        assert _nothing_changed() == (0, 0, 0)


@pytest.mark.parametrize("scores", [(0, 3, 3), (3, 6, 3), (3, 3, None), ("x", 3, 3)])
def test_score_out_of_scale_is_refused_000_4_5(org, scores):
    e = enrolment(_running())
    with pytest.raises(DomainError):
        _answer(e, scores)
    assert _nothing_changed() == (0, 0, 0)


# ------------------------------------------------------------------------------------------ pages


def test_listener_answers_from_the_cabinet_000_4_5(client, org):
    e = enrolment(_running())
    client.force_login(e.listener.user)
    url = f"/monitoring/satisfaction/{e.cohort_id}/answer/"
    assert url in client.get("/cabinet/").content.decode()
    response = client.post(url, {"content": "5", "organisation": "4", "teaching": "5", "comment": "Рақмет"})
    assert response.status_code == 302
    assert SatisfactionReceipt.objects.filter(enrolment=e).exists()
    page = client.get(url).content.decode()
    assert 'id="answered"' in page and "Рақмет" not in page
    assert url not in client.get("/cabinet/").content.decode()


def test_results_are_hidden_below_the_threshold_and_shown_from_it_000_4_5(client, org, director):
    c = _running()
    people = [enrolment(c) for _ in range(SATISFACTION_MIN_ANSWERS)]
    for e in people[:-1]:
        _answer(e, (4, 3, 5), "Пікір")
    client.force_login(director)
    page = client.get(f"/monitoring/satisfaction/{c.pk}/").content.decode()
    assert 'id="hidden"' in page and "Пікір" not in page
    assert satisfaction_results(c).aspects == []
    _answer(people[-1], (2, 3, 5))
    page = client.get(f"/monitoring/satisfaction/{c.pk}/").content.decode()
    assert 'id="satisfaction"' in page and "Пікір" in page
    results = satisfaction_results(c)
    content = results.aspects[0]
    assert results.answers == SATISFACTION_MIN_ANSWERS
    assert content.average == pytest.approx((4 * 4 + 2) / 5)
    assert [n for _s, n, _p in content.distribution] == [0, 1, 0, 4, 0]


def test_trainer_reads_only_the_cohorts_they_teach_000_4_5(client, org):
    mine, theirs = _running(), _running()
    trainer = teach(mine, staff_user(roles.TRAINER))
    client.force_login(trainer)
    assert client.get(f"/monitoring/satisfaction/{mine.pk}/").status_code == 200
    assert client.get(f"/monitoring/satisfaction/{theirs.pk}/").status_code == 403
    client.force_login(staff_user(roles.REGISTRAR))
    assert client.get(f"/monitoring/satisfaction/{mine.pk}/").status_code == 403


@pytest.mark.parametrize("count", [SATISFACTION_MIN_ANSWERS, 3 * SATISFACTION_MIN_ANSWERS])
def test_results_page_queries_do_not_grow_with_answers(client, org, director, count):
    c = _running()
    for i in range(count):
        _answer(enrolment(c), (i % 5 + 1, 3, 4), f"пікір {i}")
    client.force_login(director)
    assert page_queries(client, f"/monitoring/satisfaction/{c.pk}/") == 9


@pytest.mark.django_db(transaction=True)
def test_answers_at_the_same_moment_are_all_counted_and_a_double_answer_once_000_4_5(org):
    """Listeners answering at once lose no count; the same listener sending twice at once is counted once."""
    import threading

    from django.db import connection

    c = _running()
    people = [enrolment(c) for _ in range(6)]
    twice = people[0]
    barrier = threading.Barrier(len(people) + 1)
    refused = []

    def answer(e):
        try:
            barrier.wait()
            _answer(e, (5, 4, 3))
        except DomainError:
            refused.append(e.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(e,)) for e in [*people, twice]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert refused == [twice.pk]
    counts = dict(SatisfactionTally.objects.filter(cohort=c, count__gt=0).values_list("aspect", "count"))
    assert counts == {"content": 6, "organisation": 6, "teaching": 6}
    assert SatisfactionReceipt.objects.filter(enrolment__cohort=c).count() == 6


@pytest.mark.django_db(transaction=True)
def test_no_transaction_id_or_order_ties_an_answer_to_its_receipt_000_4_5(org):
    """Each answer commits with its receipt; the counts and comments are then rewritten together in a
    transaction of their own, the comments in a random order under new keys."""
    c = _running()
    people = [enrolment(c) for _ in range(6)]
    keys = set()
    for n, e in enumerate(people):
        _answer(e, (5 - n % 5, 4, 3), comment=f"Пікір {n}")
        receipts = _xmins(SatisfactionReceipt)
        anonymous = _xmins(SatisfactionTally, cohort_id=c.pk) | _xmins(SatisfactionComment, cohort_id=c.pk)
        assert len(anonymous) == 1 and not anonymous & receipts
        # The comments are written anew after each answer: no key of an earlier writing survives.
        now = set(SatisfactionComment.objects.filter(cohort=c).values_list("id", flat=True))
        assert len(now) == n + 1 and not now & keys
        keys = now
    assert _tables(c)[1] == sorted(f"Пікір {n}" for n in range(6))
