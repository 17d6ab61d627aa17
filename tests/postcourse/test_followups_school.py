"""The school's observation of its teachers in their year of support (001 §35 1))."""

import datetime

import pytest
from django.utils import timezone

from enrolment.enums import RequestStatus
from enrolment.models import Partner, Representative, RequestedTeacher, TeacherRequest
from postcourse.enums import Applying
from postcourse.followups import follow_up_answer
from postcourse.models import FollowUp, SchoolObservation
from postcourse.observations import school_observation_add
from postcourse.services import support_period_open
from tests.certificates.helpers import course, enrol
from tests.factories import UserFactory, page_queries
from ziat.errors import DomainError
from ziat.models import ActivityLog


def _school(name="№ 7 мектеп"):
    partner = Partner.objects.create(name=name, kind="school")
    user = UserFactory(last_name="Өкілова", first_name="Бақыт")
    Representative.objects.create(user=user, partner=partner)
    return partner, user


def _sent(partner, c, e, *, status=RequestStatus.ACCEPTED, row=1):
    request = TeacherRequest.objects.filter(partner=partner, cohort=c).first() or TeacherRequest.objects.create(
        partner=partner, cohort=c, created_by=partner.representatives.first().user, status=status
    )
    u = e.listener.user
    RequestedTeacher.objects.create(
        request=request,
        row=row,
        iin=e.listener.iin,
        last_name=u.last_name,
        first_name=u.first_name,
        birth_date=e.listener.birth_date,
        listener=e.listener,
    )


def _supported_cohort(days_ago=120):
    ends = timezone.localdate() - datetime.timedelta(days=days_ago)
    return course(starts_on=ends - datetime.timedelta(days=4), ends_on=ends)


def _teacher(partner, c, *, row=1, last_name="Сәрсенова", supported=True):
    e = enrol(c, last_name=last_name)
    if supported:
        support_period_open(e)
    _sent(partner, c, e, row=row)
    return e


def test_school_sees_its_teachers_in_support_with_follow_up_state_only_001_35(client, org):
    partner, rep = _school()
    c = _supported_cohort()
    mine = _teacher(partner, c, last_name="Мектептегі")
    three = FollowUp.objects.get(enrolment=mine, months=3)
    follow_up_answer(three, by=mine.listener.user, applying=Applying.REGULARLY, example="Құпия мысал")
    not_supported = _teacher(partner, c, row=2, last_name="Сертификатсыз", supported=False)
    stranger = enrol(c, last_name="Бөтенова")
    support_period_open(stranger)
    client.force_login(rep)
    html = client.get("/partner/teachers/").content.decode()
    assert "Мектептегі" in html
    assert str(Applying.REGULARLY.label) in html
    assert "Құпия мысал" not in html  # the free text of the answer is the listener's
    assert not_supported.listener.user.last_name not in html
    assert "Бөтенова" not in html
    assert "/partner/teachers/" in client.get("/partner/").content.decode()


def test_teacher_past_the_support_year_is_not_listed_001_36(client, org):
    partner, rep = _school()
    _teacher(partner, _supported_cohort(days_ago=400), last_name="Өткенова")
    client.force_login(rep)
    assert "Өткенова" not in client.get("/partner/teachers/").content.decode()


def test_representative_adds_an_observation_001_35(client, org):
    partner, rep = _school()
    e = _teacher(partner, _supported_cohort())
    client.force_login(rep)
    day = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(
        f"/partner/teachers/{e.pk}/observation/",
        {"observed_on": day.isoformat(), "applying": Applying.SOMETIMES, "text": "Сабақта топтық жұмыс қолданды."},
    )
    assert response.status_code == 302
    o = SchoolObservation.objects.get(enrolment=e)
    assert (o.partner, o.author, o.observed_on, o.applying) == (partner, rep, day, Applying.SOMETIMES)
    assert ActivityLog.objects.filter(action="postcourse.school_observation.added", object_id=o.pk).exists()
    assert "Сабақта топтық жұмыс қолданды." in client.get(response.url).content.decode()


def test_representative_of_another_organisation_is_refused_and_nothing_is_saved_001_35(client, org):
    partner, _rep = _school()
    _other, stranger = _school("№ 9 мектеп")
    e = _teacher(partner, _supported_cohort())
    with pytest.raises(DomainError):
        school_observation_add(
            e, by=stranger, observed_on=timezone.localdate(), applying=Applying.SOMETIMES, text="Бөгде"
        )
    client.force_login(stranger)
    assert client.get(f"/partner/teachers/{e.pk}/observation/").status_code == 404
    post = client.post(
        f"/partner/teachers/{e.pk}/observation/",
        {"observed_on": timezone.localdate().isoformat(), "applying": Applying.SOMETIMES, "text": "Бөгде"},
    )
    assert post.status_code == 404
    assert e.listener.user.last_name not in client.get("/partner/teachers/").content.decode()
    assert not SchoolObservation.objects.exists()


def test_teacher_of_a_request_not_accepted_is_not_the_schools_001_35(org):
    partner, rep = _school()
    c = _supported_cohort()
    e = enrol(c)
    support_period_open(e)
    _sent(partner, c, e, status=RequestStatus.SUBMITTED)
    with pytest.raises(DomainError):
        school_observation_add(e, by=rep, observed_on=timezone.localdate(), applying=Applying.SOMETIMES, text="x")
    assert not SchoolObservation.objects.exists()


@pytest.mark.parametrize(
    ("days", "applying", "text"),
    [
        (-1, Applying.SOMETIMES, "ертең"),
        (200, Applying.SOMETIMES, "курстан бұрын"),
        (1, "always", "x"),
        (1, Applying.SOMETIMES, " "),
    ],
)
def test_bad_observation_is_refused_and_nothing_is_saved_001_35(org, days, applying, text):
    partner, rep = _school()
    e = _teacher(partner, _supported_cohort())
    with pytest.raises(DomainError):
        school_observation_add(
            e, by=rep, observed_on=timezone.localdate() - datetime.timedelta(days=days), applying=applying, text=text
        )
    assert not SchoolObservation.objects.exists()


@pytest.mark.parametrize("count", [10, 200])
def test_school_teachers_page_queries_do_not_grow_with_rows(client, org, count):
    partner, rep = _school()
    c = _supported_cohort()
    for i in range(count):
        e = _teacher(partner, c, row=i + 1, last_name=f"Мұғалім{i}")
        SchoolObservation.objects.create(
            enrolment=e, partner=partner, author=rep, observed_on=timezone.localdate(), applying="sometimes", text="."
        )
    client.force_login(rep)
    # Session, user, the representative, the count, the page, its follow-ups and observations, the layout's listener
    # profile and representative.
    assert page_queries(client, "/partner/teachers/") == 9
    assert page_queries(client, "/partner/teachers/?q=Мұғалім&cohort=" + c.code) == 9


def test_the_school_finds_its_teachers_by_name_and_cohort_and_never_another_schools_001_35(client, org):
    partner, rep = _school()
    other, _other_rep = _school("№ 9 мектеп")
    c = _supported_cohort()
    _teacher(partner, c, row=1, last_name="Біздікова")
    _teacher(other, c, row=2, last_name="Бөтенова")
    client.force_login(rep)
    for query in ("", "?q=Бөтенова", f"?cohort={c.code}", f"?q=Бөтенова&cohort={c.code}"):
        shown = client.get("/partner/teachers/" + query).content.decode().split('id="found"')[1]
        assert "Бөтенова" not in shown
    shown = client.get(f"/partner/teachers/?q=біздік&cohort={c.code}").content.decode().split('id="found"')[1]
    assert "Біздікова" in shown
    empty = client.get("/partner/teachers/?q=Жоқ").content.decode()
    assert 'id="empty"' in empty and 'href="/partner/teachers/"' in empty
