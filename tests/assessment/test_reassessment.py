"""Re-assessment of a listener without a certificate: at most once a year, or with the next cohort (000 §3.10)."""

import datetime

import pytest
from django.utils import timezone

from assessment.enums import TestKind as Kind
from assessment.models import Attempt, Reassessment
from assessment.services.reassessment import reassessment_grant, reassessment_options
from certificates.models import Certificate
from enrolment.enums import EnrolmentStatus
from tests.assessment import stafftests_factories as st
from tests.factories import cohort, enrolment, page_queries, program, sessions, staff_user, teach
from ziat.errors import DomainError

DAY = datetime.timedelta(days=1)


@pytest.fixture
def failed(db, org, registrar):
    """A listener who attended all 10 hours of cohort 1 and scored 10 of 25 at its final test, now closed.

    Cohorts 2 and 3 of the same program follow, each with a final test still open.
    """
    now = timezone.now()
    prog = program()
    b = st.bank(prog)
    first = cohort(prog, starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 6))
    e = enrolment(first)
    st.attend(e, sessions(first, ["2"] * 5), 5, registrar)
    own = st.make_test(first, b, opens_at=now - 10 * DAY, closes_at=now - 9 * DAY)
    attempt = st.attempt(own, e, points=10, started_at=now - 10 * DAY)
    st.final_result(e, 10, attempt_=attempt)
    second = cohort(prog, starts_on=datetime.date(2026, 12, 7), ends_on=datetime.date(2026, 12, 11))
    third = cohort(prog, starts_on=datetime.date(2027, 2, 1), ends_on=datetime.date(2027, 2, 5))
    next_test = st.make_test(second, b, opens_at=now + 15 * DAY, closes_at=now + 16 * DAY)
    later_test = st.make_test(third, b, opens_at=now + 70 * DAY, closes_at=now + 71 * DAY)
    return {"enrolment": e, "own": own, "attempt": attempt, "next": next_test, "later": later_test, "bank": b}


def _grant(f, by, test=None, opens_at=None, closes_at=None, **kw):
    opens_at = opens_at or timezone.now() + DAY
    return reassessment_grant(
        enrolment=f["enrolment"],
        test=test or f["own"],
        opens_at=opens_at,
        closes_at=closes_at or opens_at + 7 * DAY,
        by=by,
        **kw,
    )


def _refused(f, by, match, **kw):
    before = Reassessment.objects.count()
    with pytest.raises(DomainError, match=match):
        _grant(f, by, **kw)
    assert Reassessment.objects.count() == before


def test_a_listener_who_failed_the_test_is_re_assessed_and_the_earlier_attempt_is_kept_000_3_10(failed, registrar):
    r = _grant(failed, registrar, reason="Заявление слушателя")
    assert (r.test, r.with_next_cohort, r.granted_by, r.reason) == (
        failed["own"],
        False,
        registrar,
        "Заявление слушателя",
    )
    # The new attempt sits beside the first one, which stays as it was.
    again = st.attempt(failed["own"], failed["enrolment"], points=20, reassessment=r)
    assert set(Attempt.objects.filter(enrolment=failed["enrolment"])) == {failed["attempt"], again}
    failed["attempt"].refresh_from_db()
    assert failed["attempt"].points == 10 and failed["attempt"].reassessment is None


def test_a_second_re_assessment_within_365_days_is_refused_000_3_10(failed, registrar):
    first = _grant(failed, registrar, opens_at=timezone.now() + 60 * DAY)
    _refused(failed, registrar, "at most once in 12 months", opens_at=first.opens_at + 364 * DAY)
    # Nor an earlier window squeezed in before it.
    _refused(failed, registrar, "at most once in 12 months", opens_at=timezone.now() + 2 * DAY)


def test_a_second_re_assessment_after_365_days_is_allowed_000_3_10(failed, registrar):
    first = _grant(failed, registrar)
    second = _grant(failed, registrar, opens_at=first.opens_at + 365 * DAY)
    assert second.pk != first.pk and Reassessment.objects.count() == 2


def test_a_re_assessment_with_the_next_cohort_counts_towards_the_year_000_3_10(failed, registrar):
    _grant(failed, registrar, test=failed["next"], opens_at=failed["next"].opens_at, closes_at=failed["next"].closes_at)
    _refused(failed, registrar, "at most once in 12 months")


def test_with_the_next_cohort_only_the_next_one_000_3_10(failed, registrar):
    _refused(failed, registrar, "Only the next cohort", test=failed["later"])
    r = _grant(failed, registrar, test=failed["next"], opens_at=failed["next"].opens_at)
    assert r.with_next_cohort and r.test.cohort == failed["next"].cohort
    # Once per next cohort.
    _refused(failed, registrar, "already has a re-assessment with cohort", test=failed["next"])


def test_when_the_next_cohort_test_has_closed_the_one_after_is_next_000_3_10(failed, registrar):
    now = timezone.now()
    failed["next"].opens_at, failed["next"].closes_at = now - 3 * DAY, now - 2 * DAY
    failed["next"].save()
    _refused(failed, registrar, "Only the next cohort", test=failed["next"])
    assert _grant(failed, registrar, test=failed["later"]).with_next_cohort


def test_a_cohort_of_another_program_or_an_earlier_one_is_not_the_next_000_3_10(failed, registrar):
    b_other = st.bank(program())
    foreign_cohort = cohort(b_other.program, starts_on=datetime.date(2026, 12, 1), ends_on=datetime.date(2026, 12, 4))
    foreign = st.make_test(foreign_cohort, b_other)
    _refused(failed, registrar, "another program", test=foreign)
    earlier = cohort(
        failed["own"].cohort.program, starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 1, 9)
    )
    _refused(failed, registrar, "Only the next cohort", test=st.make_test(earlier, failed["bank"]))


def test_a_listener_who_passed_is_not_re_assessed_000_3_10(failed, registrar):
    result = failed["enrolment"].final_result
    result.score = 17
    result.save()
    _refused(failed, registrar, "passed the final test")
    options = reassessment_options(failed["enrolment"])
    assert [o.allowed for o in options] == [False, False]
    assert all("passed" in o.reason for o in options)


def test_a_listener_with_a_certificate_is_not_re_assessed_000_3_10(failed, registrar, director):
    Certificate.objects.create(
        enrolment=failed["enrolment"],
        registration_number="ZIAT-2026-00001",
        year=2026,
        sequence=1,
        token="t" * 40,
        holder_name="Сәрсенова Әйгерім",
        hours=10,
        issued_on=datetime.date(2026, 3, 6),
        valid_until=datetime.date(2029, 3, 6),
        issued_by=director,
    )
    _refused(failed, registrar, "has a certificate")


def test_below_80_percent_attendance_is_not_re_assessed_000_3_10(db, org, registrar):
    c = cohort(program())
    e = enrolment(c)
    st.attend(e, sessions(c, ["2"] * 5), 3, registrar)  # 6 of 10 hours
    now = timezone.now()
    own = st.make_test(c, st.bank(c.program), opens_at=now - 10 * DAY, closes_at=now - 9 * DAY)
    with pytest.raises(DomainError, match="below 80"):
        reassessment_grant(enrolment=e, test=own, opens_at=now + DAY, closes_at=now + 2 * DAY, by=registrar)
    assert not Reassessment.objects.exists()


def test_an_expelled_listener_is_not_re_assessed(failed, registrar):
    failed["enrolment"].status = EnrolmentStatus.EXPELLED
    failed["enrolment"].save()
    _refused(failed, registrar, "expelled")


def test_not_before_the_listener_sat_the_test_or_it_closed_000_3_10(failed, registrar):
    e = failed["enrolment"]
    e.final_result.delete()
    failed["attempt"].delete()
    own = failed["own"]
    own.closes_at = timezone.now() + DAY
    own.save()
    _refused(failed, registrar, "still open and the listener has not sat it")
    # Once the window is over, the listener who did not come may be re-assessed.
    own.closes_at = timezone.now() - DAY
    own.save()
    assert _grant(failed, registrar).pk


@pytest.mark.parametrize(
    ("window", "match"),
    [
        ((2 * DAY, DAY), "close after it opens"),
        ((DAY, DAY), "close after it opens"),
        ((-3 * DAY, -2 * DAY), "already over"),
    ],
)
def test_a_wrong_window_is_refused(failed, registrar, window, match):
    now = timezone.now()
    _refused(failed, registrar, match, opens_at=now + window[0], closes_at=now + window[1])


def test_only_a_final_test_re_assesses(failed, registrar):
    entrance = st.make_test(failed["own"].cohort, failed["bank"], kind=Kind.ENTRANCE, draw={"1": 5})
    _refused(failed, registrar, "at a final test", test=entrance)


@pytest.mark.parametrize("role", ["trainer", "methodist", "monitoring", "accountant"])
def test_only_the_registrar_and_director_grant_re_assessments(failed, role):
    _refused(failed, staff_user(role), "may not grant")


def test_the_director_grants_too(failed, director):
    assert _grant(failed, director).pk


def test_options_say_what_is_allowed_and_why_not_000_3_10(failed, registrar):
    own, nxt = reassessment_options(failed["enrolment"])
    assert own.allowed and own.test == failed["own"] and not own.with_next_cohort
    assert nxt.allowed and nxt.test == failed["next"] and nxt.closes_at == failed["next"].closes_at
    first = _grant(failed, registrar)
    own, nxt = reassessment_options(failed["enrolment"])
    # The own cohort again only a year after; the next cohort now.
    assert own.allowed and "Not before" in own.reason and own.opens_at >= first.opens_at + 365 * DAY
    assert nxt.allowed
    _grant(failed, registrar, test=failed["next"])
    own, nxt = reassessment_options(failed["enrolment"])
    assert not nxt.allowed and "already has a re-assessment" in nxt.reason


# ------------------------------------------------------------------------------------- the page


def _url(f):
    return f"/staff/assessment/enrolments/{f['enrolment'].pk}/reassessment/"


def test_the_page_grants_a_re_assessment_and_lists_the_history_000_3_10(failed, registrar, client):
    client.force_login(registrar)
    response = client.get(_url(failed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "once in 12 months" in html and failed["next"].cohort.code in html
    assert 'name="opens_at"' in html and 'value="own"' in html
    response = client.post(
        _url(failed),
        {"choice": "next", "opens_at": "2026-12-22T09:00", "closes_at": "2026-12-22T18:00", "reason": "Заявление"},
    )
    assert response.status_code == 302
    r = Reassessment.objects.get()
    assert r.with_next_cohort and r.test == failed["next"] and r.reason == "Заявление"
    html = client.get(_url(failed)).content.decode()
    assert "Заявление" in html and "with the next cohort" in html
    assert f"/tests/{failed['own'].pk}/attempts/{failed['attempt'].pk}/" in html


def test_a_refused_grant_answers_400_keeps_what_was_typed_and_saves_nothing(failed, registrar, client):
    client.force_login(registrar)
    data = {"choice": "own", "opens_at": "2026-12-22T09:00", "closes_at": "2026-12-21T18:00", "reason": "Моя причина"}
    response = client.post(_url(failed), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "must close after it opens" in html
    assert 'value="Моя причина"' in html and 'value="2026-12-21T18:00"' in html
    assert not Reassessment.objects.exists()


def test_the_cohorts_trainer_reads_the_page_but_cannot_grant(failed, client):
    client.force_login(teach(failed["enrolment"].cohort, staff_user("trainer")))
    assert client.get(_url(failed)).status_code == 200
    data = {"choice": "own", "opens_at": "2026-12-22T09:00", "closes_at": "2026-12-23T18:00"}
    assert client.post(_url(failed), data).status_code == 403
    assert not Reassessment.objects.exists()


def test_a_trainer_of_another_cohort_does_not_see_the_listener(failed, client):
    client.force_login(teach(failed["next"].cohort, staff_user("trainer")))
    response = client.get(_url(failed))
    assert response.status_code == 403
    assert failed["enrolment"].listener.iin not in response.content.decode()


def test_a_methodist_does_not_see_re_assessments(failed, client):
    client.force_login(staff_user("methodist"))
    assert client.get(_url(failed)).status_code == 403


def test_the_results_page_links_the_re_assessment_and_shows_the_guest_of_the_next_cohort(failed, registrar, client):
    r = _grant(failed, registrar, test=failed["next"], opens_at=failed["next"].opens_at)
    client.force_login(registrar)
    own_page = client.get(f"/staff/assessment/cohorts/{failed['own'].cohort_id}/tests/{failed['own'].pk}/")
    assert _url(failed) in own_page.content.decode()
    next_page = client.get(f"/staff/assessment/cohorts/{failed['next'].cohort_id}/tests/{failed['next'].pk}/")
    rows = next_page.context["rows"]
    assert [(row.enrolment, row.reassessment, row.guest) for row in rows] == [(failed["enrolment"], r, True)]
    assert "not started" in next_page.content.decode()


@pytest.mark.parametrize("n", [1, 4])
def test_the_page_query_count_does_not_grow_with_attempts(failed, registrar, client, n):
    client.force_login(registrar)
    base = page_queries(client, _url(failed))
    for i in range(n):
        r = Reassessment.objects.create(
            enrolment=failed["enrolment"],
            test=failed["own"],
            opens_at=timezone.now() - (400 * (i + 1)) * DAY,
            closes_at=timezone.now() - (400 * (i + 1) - 1) * DAY,
            granted_by=registrar,
        )
        st.attempt(failed["own"], failed["enrolment"], points=5, reassessment=r)
    assert page_queries(client, _url(failed)) == base
