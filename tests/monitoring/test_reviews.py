"""The effectiveness review of a program at least once every three years (000 §4.4, 001 §38)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enrolment.models import Partner, Representative
from monitoring import rules
from monitoring.enums import ReviewStatus
from monitoring.models import EffectivenessReview
from monitoring.reviews import review_approve, review_assemble, review_conclude
from monitoring.selectors import review_schedule
from tests.factories import UserFactory, page_queries, program, staff_user, teach
from ziat.access import AccessDenied
from ziat.activity import history
from ziat.dates import add_years
from ziat.errors import DomainError
from ziat.models import ActivityLog

from . import builders as b

pytestmark = pytest.mark.django_db

PERIOD = {"period_from": datetime.date(2026, 1, 1), "period_to": datetime.date(2026, 6, 30)}


@pytest.fixture
def officer(org):
    return staff_user("monitoring")


@pytest.fixture
def methodist(org):
    return staff_user("methodist")


def _approved_on(prog, day):
    type(prog).objects.filter(pk=prog.pk).update(approved_on=day)
    prog.refresh_from_db()
    return prog


def _review(prog, by, *, status=ReviewStatus.APPROVED, approved_at=None):
    return EffectivenessReview.objects.create(
        program=prog,
        period_from=datetime.date(2020, 1, 1),
        period_to=datetime.date(2020, 12, 31),
        status=status,
        created_by=by,
        approved_at=approved_at,
        approved_by=by if approved_at else None,
    )


def test_a_program_is_due_for_review_three_years_after_its_approval_or_last_approved_review_000_4_4_001_38(officer):
    today = timezone.localdate()
    never = _approved_on(program(title_ru="Никогда"), today - datetime.timedelta(days=5 * 365))
    soon = _approved_on(
        program(title_ru="Скоро"), add_years(today, -rules.REVIEW_EVERY_YEARS) + datetime.timedelta(days=30)
    )
    reviewed = _approved_on(program(title_ru="Пересмотрена"), today - datetime.timedelta(days=6 * 365))
    last = timezone.now() - datetime.timedelta(days=400)
    _review(reviewed, officer, approved_at=last)
    _review(reviewed, officer, status=ReviewStatus.DRAFT)  # not approved: does not count
    rows = {r.program.pk: r for r in review_schedule(today=today)}
    assert rows[never.pk].last_reviewed_on is None and rows[never.pk].due_on == rules.review_due_on(never.approved_on)
    assert rows[never.pk].overdue and not rows[never.pk].due_soon
    assert rows[soon.pk].due_soon and not rows[soon.pk].overdue
    assert rows[reviewed.pk].last_reviewed_on == timezone.localdate(last)
    assert rows[reviewed.pk].due_on == rules.review_due_on(timezone.localdate(last))
    assert not rows[reviewed.pk].overdue and rows[reviewed.pk].open_review is not None


def test_an_assembled_review_keeps_its_components_when_later_data_change_000_4_5_001_38(officer):
    c, es = b.finished_cohort(results=(20, 10), ends_on=datetime.date(2026, 3, 6))
    b.needs_survey(c.program, responses=2)
    review = review_assemble(c.program, by=officer, **PERIOD)
    assert review.components["control"]["passed"] == 1 and review.components["control"]["pass_rate"] == "50.0"
    assert review.components["needs"][0]["responses"] == 2
    assert [x["code"] for x in review.components["cohorts"]] == [c.code]
    b.enrol(c, test=20)  # a later result
    review.refresh_from_db()
    assert review.components["control"]["passed"] == 1
    assert [e.action for e in history(obj=review)] == ["monitoring.review.assembled"]


def test_the_methodist_concludes_and_the_director_approves_each_step_logged_001_38(officer, methodist, director):
    c, _es = b.finished_cohort(ends_on=datetime.date(2026, 3, 6))
    review = review_assemble(c.program, by=officer, **PERIOD)
    review = review_conclude(review, by=methodist, conclusion="Бағдарлама тиімді.", measures="Кейстерді жаңарту.")
    assert review.status == ReviewStatus.CONCLUDED and review.concluded_by == methodist
    review = review_approve(review, by=director)
    assert review.status == ReviewStatus.APPROVED and review.approved_at is not None
    assert [e.action for e in history(obj=review).order_by("at", "pk")] == [
        "monitoring.review.assembled",
        "monitoring.review.concluded",
        "monitoring.review.approved",
    ]
    row = next(r for r in review_schedule() if r.program.pk == c.program.pk)
    assert row.due_on == rules.review_due_on(timezone.localdate(review.approved_at)) and not row.overdue


@pytest.mark.parametrize(
    ("conclusion", "measures", "message"),
    [
        ("", "Шаралар", "Write both the conclusion and the measures decided."),
        ("Қорытынды", "  ", "Write both the conclusion and the measures decided."),
    ],
)
def test_a_conclusion_without_text_is_refused_and_changes_nothing_001_38(
    officer, methodist, conclusion, measures, message
):
    c, _es = b.finished_cohort(ends_on=datetime.date(2026, 3, 6))
    review = review_assemble(c.program, by=officer, **PERIOD)
    with pytest.raises(DomainError, match=message):
        review_conclude(review, by=methodist, conclusion=conclusion, measures=measures)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT and review.conclusion == ""
    assert history(obj=review).count() == 1


def test_a_review_without_components_cannot_be_concluded_001_38(officer, methodist):
    c, _es = b.finished_cohort(ends_on=datetime.date(2025, 3, 7))  # outside the period
    review = review_assemble(c.program, by=officer, **PERIOD)
    with pytest.raises(DomainError, match="no components"):
        review_conclude(review, by=methodist, conclusion="Қорытынды", measures="Шаралар")
    assert EffectivenessReview.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


def test_steps_out_of_order_or_by_the_wrong_role_are_refused_001_38(officer, methodist, director):
    c, _es = b.finished_cohort(ends_on=datetime.date(2026, 3, 6))
    review = review_assemble(c.program, by=officer, **PERIOD)
    with pytest.raises(DomainError, match="not possible now"):
        review_approve(review, by=director)  # not concluded yet
    with pytest.raises(DomainError):
        review_conclude(review, by=officer, conclusion="Қ", measures="Ш")  # the officer assembles, not concludes
    concluded = review_conclude(review, by=methodist, conclusion="Қ", measures="Ш")
    with pytest.raises(DomainError):
        review_approve(concluded, by=methodist)  # only the director approves
    with pytest.raises(DomainError):
        review_assemble(c.program, by=staff_user("trainer"), **PERIOD)
    with pytest.raises(DomainError, match="before its start"):
        review_assemble(c.program, by=officer, period_from=PERIOD["period_to"], period_to=PERIOD["period_from"])
    assert EffectivenessReview.objects.get(pk=review.pk).status == ReviewStatus.CONCLUDED
    assert EffectivenessReview.objects.count() == 1


# ------------------------------------------------------------------------------------------------ the pages


def test_the_review_pages_assemble_conclude_and_approve_with_refusals_shown_beside_the_form_001_38(
    client, officer, methodist, director
):
    c, _es = b.finished_cohort(ends_on=datetime.date(2026, 3, 6))
    client.force_login(officer)
    schedule = client.get(reverse("monitoring:reviews"))
    assert schedule.status_code == 200 and f'data-program="{c.program.pk}"' in schedule.content.decode()
    bad = client.post(
        reverse("monitoring:review_assemble", args=[c.program.pk]),
        {"period_from": "2026-06-30", "period_to": "2026-01-01"},
    )
    assert bad.status_code == 400 and "The end of the period is before its start." in bad.content.decode()
    assert not EffectivenessReview.objects.exists()
    made = client.post(
        reverse("monitoring:review_assemble", args=[c.program.pk]),
        {"period_from": "2026-01-01", "period_to": "2026-06-30"},
    )
    review = EffectivenessReview.objects.get()
    assert made.status_code == 302 and made.url == reverse("monitoring:review", args=[review.pk])
    page = client.get(made.url).content.decode()
    assert c.code in page and 'id="conclude"' not in page  # the officer does not conclude
    client.force_login(methodist)
    refused = client.post(reverse("monitoring:review_conclude", args=[review.pk]), {"conclusion": "Тиімді."})
    assert (
        refused.status_code == 400 and "Write both the conclusion and the measures decided." in refused.content.decode()
    )
    client.post(
        reverse("monitoring:review_conclude", args=[review.pk]), {"conclusion": "Тиімді.", "measures": "Жаңарту."}
    )
    client.force_login(director)
    client.post(reverse("monitoring:review_approve", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    page = client.get(reverse("monitoring:review", args=[review.pk])).content.decode()
    assert "Effectiveness review approved" in page and "Effectiveness review concluded" in page
    assert "Тиімді." in page and 'id="approve"' not in page


def test_roles_without_reviews_are_refused_the_review_pages_001_38(client, officer, trainer, registrar):
    c, _es = b.finished_cohort(ends_on=datetime.date(2026, 3, 6))
    review = review_assemble(c.program, by=officer, **PERIOD)
    for user in (trainer, registrar):
        client.force_login(user)
        assert client.get(reverse("monitoring:reviews")).status_code == 403
        assert client.get(reverse("monitoring:review", args=[review.pk])).status_code == 403
        assert client.post(reverse("monitoring:review_approve", args=[review.pk])).status_code == 403
    assert EffectivenessReview.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


@pytest.mark.parametrize("n", [1, 4])
def test_the_schedule_of_reviews_makes_a_fixed_number_of_queries_001_38(client, officer, n):
    for _i in range(n):
        prog = program()
        _review(prog, officer, approved_at=timezone.now())
        _review(prog, officer, status=ReviewStatus.DRAFT)
    client.force_login(officer)
    assert page_queries(client, reverse("monitoring:reviews")) == 7


def test_the_demo_has_a_program_overdue_for_review_and_an_assembled_review_of_its_program_000_4_4(officer, director):
    from monitoring.demo import reviews as reviews_demo

    c, _es = b.finished_cohort(ends_on=timezone.localdate() - datetime.timedelta(days=30))
    users = {"monitoring": officer, "director": director}
    review = reviews_demo.seed(c.program, users=users)
    again = reviews_demo.seed(c.program, users=users)
    assert again.pk == review.pk and EffectivenessReview.objects.count() == 1
    assert review.status == ReviewStatus.DRAFT and [x["code"] for x in review.components["cohorts"]] == [c.code]
    rows = {str(r.program): r for r in review_schedule()}
    assert rows[reviews_demo.OLD_TITLE_RU].overdue


def _outsider(who, c, es):
    """A trainer of the program's cohort, a representative of an organisation, a listener of the cohort."""
    if who == "trainer":
        return teach(c, staff_user("trainer"))
    if who == "representative":
        user = UserFactory()
        Representative.objects.create(user=user, partner=Partner.objects.create(name="№ 1 мектеп", kind="school"))
        return user
    return es[0].listener.user


@pytest.mark.parametrize("who", ["trainer", "representative", "listener"])
def test_every_step_of_a_review_refuses_an_outsider_and_changes_nothing_001_38(officer, methodist, who):
    """001 §38: the monitoring officer assembles, the methodist concludes, the director approves; a review is of
    a program, the centre's own, and no one else takes a step of it, not even a trainer of its cohorts."""
    c, es = b.finished_cohort(ends_on=datetime.date(2026, 3, 6))
    draft = review_assemble(c.program, by=officer, **PERIOD)
    concluded = review_assemble(c.program, by=officer, **PERIOD)
    concluded = review_conclude(concluded, by=methodist, conclusion="Қ", measures="Ш")
    outsider = _outsider(who, c, es)
    before = list(EffectivenessReview.objects.order_by("pk").values()), ActivityLog.objects.count()
    with pytest.raises(AccessDenied):
        review_assemble(c.program, by=outsider, **PERIOD)
    with pytest.raises(AccessDenied):
        review_conclude(draft, by=outsider, conclusion="Қ", measures="Ш")
    with pytest.raises(AccessDenied):
        review_approve(concluded, by=outsider)
    assert (list(EffectivenessReview.objects.order_by("pk").values()), ActivityLog.objects.count()) == before
