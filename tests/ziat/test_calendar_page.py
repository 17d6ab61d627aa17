"""The working-day calendar page: the year's days off with their reasons in the reader's language, and the
government's later decisions recorded and withdrawn by the director through a logged service (SPEC 1.7,
000 §2.9, 001 §19)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.models import Partner, Representative
from monitoring.models import NobdDeadline
from monitoring.nobd import nobd_deadlines_ensure
from programs.models import Discussion
from programs.services.workflow import discussion_window, program_publish_for_discussion
from tests.factories import UserFactory, cohort, draft_program, enrolment, page_queries, staff_user, teach
from ziat.access import AccessDenied
from ziat.calendar import is_working_day
from ziat.calendar_decisions import calendar_day_record, calendar_day_withdraw
from ziat.errors import DomainError
from ziat.models import ActivityLog, CalendarDay

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("calendar")


@pytest.fixture(autouse=True)
def _english(settings, org):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def director(db):
    return staff_user("director")


def test_the_year_lists_holidays_and_the_moved_days_off_with_their_reasons(client, director):
    client.force_login(director)
    page = client.get(URL, {"year": 2025}).content.decode()
    assert "24.03.2025, Monday</strong> — Nauryz (moved day off)" in page
    assert "03.01.2025, Friday</strong> — Day off moved from 05.01.2025" in page
    # The Sunday worked in exchange is listed among the weekend working days.
    assert "05.01.2025, Sunday</strong> — Working day (a day off moved from it)" in page


def test_the_holidays_read_in_russian_and_kazakh(client, director):
    client.force_login(director)
    client.cookies["django_language"] = "ru"
    with translation.override("ru"):
        page = client.get(URL, {"year": 2026}).content.decode()
    assert "Наурыз" in page and "Nauryz" not in page and "Victory Day" not in page
    client.cookies["django_language"] = "kk"
    with translation.override("kk"):
        page = client.get(URL, {"year": 2026}).content.decode()
    assert "Жеңіс күні" in page and "Victory Day" not in page


def test_a_government_decision_recorded_on_the_page_moves_working_day_deadlines_000_2_9(client, director):
    """A discussion published on Thursday 19 November 2026 ends on 3 December; when the government makes
    Saturday 28 November a working day it ends on 2 December, and when it also makes Friday 27 November a
    day off, on 3 December again."""
    published = D(2026, 11, 19)
    assert discussion_window(published) == D(2026, 12, 3)
    client.force_login(director)

    def decide(day, becomes):
        data = {"date": day.isoformat(), "is_working": becomes, "note": "Decree No. 77 of 1.10.2026"}
        assert client.post(URL + "?year=2026", data).status_code == 302

    decide(D(2026, 11, 28), "1")
    assert discussion_window(published) == D(2026, 12, 2)
    decide(D(2026, 11, 27), "0")
    assert discussion_window(published) == D(2026, 12, 3)
    assert is_working_day(D(2026, 11, 28)) and not is_working_day(D(2026, 11, 27))
    entry = ActivityLog.objects.get(action="ziat.calendar_day.recorded", object_label__startswith="28.11.2026")
    assert entry.actor == director and entry.data["after"] == {"is_working": True}
    page = client.get(URL, {"year": 2026}).content.decode()
    assert "Decree No. 77 of 1.10.2026" in page and "day-decided" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2026-11-25", "is_working": "1", "note": "Decree"}, "is already a working day"),
        ({"date": "2026-11-29", "is_working": "0", "note": "Decree"}, "is already a day off"),
        ({"date": "2026-11-28", "is_working": "1", "note": "  "}, "This field is required."),
        ({"date": "1999-11-28", "is_working": "1", "note": "Decree"}, "Choose a day from 2020 to 2040."),
        ({"date": "28.11.2026x", "is_working": "1", "note": "Decree"}, "Enter a valid date."),
    ],
)
def test_a_decision_that_changes_nothing_or_lacks_its_act_is_refused_and_nothing_is_saved(
    client, director, data, message
):
    client.force_login(director)
    response = client.post(URL, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not CalendarDay.objects.exists() and not ActivityLog.objects.exists()


def test_a_second_decision_for_the_same_day_is_refused_until_the_first_is_withdrawn(director):
    day = calendar_day_record(date=D(2026, 11, 28), is_working=True, note="Decree 1", by=director)
    with pytest.raises(DomainError, match="already recorded"):
        calendar_day_record(date=D(2026, 11, 28), is_working=False, note="Decree 2", by=director)
    calendar_day_withdraw(day, by=director)
    assert not is_working_day(D(2026, 11, 28))
    assert ActivityLog.objects.filter(action="ziat.calendar_day.withdrawn").get().data["before"] == {"is_working": True}


@pytest.mark.parametrize("role", ["registrar", "methodist"])
def test_the_registrar_and_the_methodist_read_the_calendar_but_do_not_change_it(client, role):
    user = staff_user(role)
    day = CalendarDay.objects.create(date=D(2026, 11, 28), is_working=True, note="Decree")
    client.force_login(user)
    page = client.get(URL, {"year": 2026}).content.decode()
    assert "Decree" in page and 'id="calendar-decision-form"' not in page and "Withdraw" not in page
    refusal = client.post(URL, {"date": "2026-12-05", "is_working": "1", "note": "Decree"})
    assert refusal.status_code == 403 and "403.html" in [t.name for t in refusal.templates]
    response = client.post(reverse("calendar_withdraw", args=[day.pk]))
    assert response.status_code == 403 and "403.html" in [t.name for t in response.templates]
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(2026, 11, 28)]
    with pytest.raises(DomainError):
        calendar_day_record(date=D(2026, 12, 5), is_working=True, note="Decree", by=user)


def test_a_trainer_and_an_accountant_are_refused_the_calendar_page(client):
    for role in ("trainer", "accountant"):
        client.force_login(staff_user(role))
        response = client.get(URL)
        assert response.status_code == 403 and "403.html" in [t.name for t in response.templates]


def test_a_bad_year_in_the_address_shows_the_current_year(client, director):
    client.force_login(director)
    assert client.get(URL, {"year": "abc"}).status_code == 200
    assert client.get(URL, {"year": "99999999999999"}).status_code == 200


@pytest.mark.parametrize("decisions", [1, 12])
def test_the_calendar_page_makes_the_same_number_of_queries_for_few_and_many_decisions(client, director, decisions):
    saturdays = [D(2026, 1, 3) + datetime.timedelta(weeks=w) for w in range(decisions)]
    CalendarDay.objects.bulk_create(CalendarDay(date=d, is_working=True, note="Decree") for d in saturdays)
    client.force_login(director)
    assert page_queries(client, URL + "?year=2026") == 6


@pytest.mark.parametrize("who", ["trainer", "representative", "listener"])
def test_a_decision_on_the_calendar_refuses_an_outsider_in_the_service_and_changes_nothing(director, who):
    """The country's calendar is the centre's own record: the director records and withdraws decisions on it."""
    day = CalendarDay.objects.create(date=D(2026, 11, 28), is_working=True, note="Decree")
    representative = UserFactory()
    Representative.objects.create(user=representative, partner=Partner.objects.create(name="№ 1 мектеп", kind="school"))
    outsider = {
        "trainer": teach(cohort(), staff_user("trainer")),
        "representative": representative,
        "listener": enrolment().listener.user,
    }[who]
    before = list(CalendarDay.objects.values()), ActivityLog.objects.count()
    with pytest.raises(AccessDenied):
        calendar_day_record(date=D(2026, 12, 5), is_working=True, note="Decree", by=outsider)
    with pytest.raises(AccessDenied):
        calendar_day_withdraw(day, by=outsider)
    assert (list(CalendarDay.objects.values()), ActivityLog.objects.count()) == before


def test_the_page_says_how_many_stored_deadlines_a_decision_and_its_withdrawal_moved_000_2_9_001_19(
    client, director, monkeypatch
):
    """On Monday 2 November 2026 a draft is published (open to 16 November) and a cohort has its NOBD deadline
    (13 November); Wednesday 11 November made a day off moves both, and its withdrawal moves both back."""
    today = D(2026, 11, 2)
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: today if value is None else real(value, tz))
    methodist = staff_user("methodist")
    discussion = program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=today)
    nobd_deadlines_ensure(today=cohort(starts_on=D(2026, 11, 2), ends_on=D(2026, 11, 6)).ends_on)
    client.force_login(director)

    data = {"date": "2026-11-11", "is_working": "0", "note": "Decree No. 77 of 1.10.2026"}
    page = client.post(URL + "?year=2026", data, follow=True).content.decode()
    assert "Deadlines moved by this decision: 2." in page
    assert Discussion.objects.get(pk=discussion.pk).ends_on == D(2026, 11, 17)
    assert NobdDeadline.objects.get().due_on == D(2026, 11, 16)

    day = CalendarDay.objects.get(date=D(2026, 11, 11))
    page = client.post(reverse("calendar_withdraw", args=[day.pk]), follow=True).content.decode()
    assert "Deadlines moved by the withdrawal: 2." in page
    assert Discussion.objects.get(pk=discussion.pk).ends_on == D(2026, 11, 16)
    assert NobdDeadline.objects.get().due_on == D(2026, 11, 13)

    page = client.post(URL + "?year=2026", {**data, "date": "2026-11-25"}, follow=True).content.decode()
    assert "Deadlines moved by this decision: 0." in page
