"""The trainers' registry pages (001 §3, §21, 003 §5) and the trainer's own day (001 §24)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.enums import AcademicDegree, AttendanceStatus, ContractType, TrainerCategory, TrainerKind
from enrolment.models import Attendance, Session, Trainer
from tests.factories import UserFactory, cohort, enrolment, listener, page_queries, staff_user
from ziat.models import Organisation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LIST = "enrolment:trainer_list"
HOME = "enrolment:trainer_home"
# Session, user, the user's and the groups' permissions, the user's roles, the count and the page of trainers,
# the 40% count and the listener profile of the page's layout (the organisation comes from the cache).
LIST_QUERIES = 9
# Session, user, the trainer profile, the week's sessions, the cohorts, their hours, the enrolments with attendance,
# the navigation's permissions (user and groups), the layout's organisation and listener profile, and the works
# to score.
HOME_QUERIES = 13


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


def make_trainer(user=None, **fields):
    return Trainer.objects.create(user=user or UserFactory(is_staff=True), **fields)


def _form(**kwargs):
    data = {
        "username": "new.trainer",
        "password": "",
        "last_name": "Жұмабаев",
        "first_name": "Асқар",
        "middle_name": "",
        "email": "askar@example.kz",
        "kind": TrainerKind.STAFF,
        "profile": "Physics",
        "education": "KazNU, physics",
        "academic_degree": AcademicDegree.NONE,
        "category": TrainerCategory.NONE,
        "industry_experience": 0,
        "is_certified": "",
        "certificate_number": "",
        "contract_type": ContractType.STAFF,
        "is_active": "on",
    }
    data.update(kwargs)
    return {k: v for k, v in data.items() if v != ""}


# ------------------------------------------------------------------------------------------- access


def test_anonymous_goes_to_the_login_page(client):
    for name in (LIST, HOME):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("who", ["listener", "accountant", "monitoring"])
def test_the_registry_is_closed_to_listeners_and_roles_without_the_permission(client, who):
    user = listener().user if who == "listener" else staff_user(who)
    client.force_login(user)
    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(reverse("enrolment:trainer_create")).status_code == 403


def test_the_registrar_sees_the_registry_but_may_not_add(client, registrar):
    client.force_login(registrar)
    assert client.get(reverse(LIST)).status_code == 200
    assert client.post(reverse("enrolment:trainer_create"), _form()).status_code == 403
    assert not Trainer.objects.exists()


def test_a_trainer_may_not_edit_the_registry(client):
    me = make_trainer(staff_user("trainer"))
    client.force_login(me.user)
    assert client.get(reverse(LIST)).status_code == 200
    assert client.post(reverse("enrolment:trainer_edit", args=[me.pk]), _form()).status_code == 403


# --------------------------------------------------------------------------------------- the list


def test_the_list_measures_qualified_trainers_against_the_total_staff_and_shows_who_counts_001_3(
    client, methodist, org
):
    phd = make_trainer(UserFactory(is_staff=True, last_name="Докторова"), academic_degree=AcademicDegree.PHD)
    master = make_trainer(UserFactory(is_staff=True, last_name="Магистров"), academic_degree=AcademicDegree.MASTER)
    make_trainer()
    client.force_login(methodist)
    page = client.get(reverse(LIST)).content.decode()
    assert 'id="compliance-unknown"' in page and "The rule is met." not in page

    Organisation.objects.filter(pk=1).update(staff_total=5)
    response = client.get(reverse(LIST))
    page = response.content.decode()
    assert "1 qualified trainers of a total staff of 5: 20.0%" in page
    assert "The rule is not met." in page and "One more qualifying trainer is needed." in page
    assert "3 active trainers in the registry" in page
    rows = {t.pk: t for t in response.context["trainers"]}
    assert rows[phd.pk].counts and rows[phd.pk].reasons == ["PhD"]
    assert not rows[master.pk].counts

    # An industry specialist on a service contract (not on the staff list) counts towards the share.
    make_trainer(kind=TrainerKind.INDUSTRY, industry_experience=5, contract_type=ContractType.SERVICE)
    page = client.get(reverse(LIST)).content.decode()
    assert "2 qualified trainers of a total staff of 5: 40.0%" in page and "The rule is met." in page
    # More staff, the same trainers: the share falls (the clause measures against the whole staff).
    Organisation.objects.filter(pk=1).update(staff_total=6)
    page = client.get(reverse(LIST)).content.decode()
    assert "2 qualified trainers of a total staff of 6: 33.3%" in page and "The rule is not met." in page


def test_the_list_filters_by_kind_and_by_counting(client, methodist):
    phd = make_trainer(academic_degree=AcademicDegree.PHD)
    external = make_trainer(kind=TrainerKind.EXTERNAL, is_certified=True, certificate_number="C-7")
    client.force_login(methodist)
    shown = client.get(reverse(LIST), {"kind": TrainerKind.EXTERNAL}).context["trainers"]
    assert [t.pk for t in shown] == [external.pk]
    shown = client.get(reverse(LIST), {"counts": "1"}).context["trainers"]
    assert [t.pk for t in shown] == [phd.pk]
    shown = client.get(reverse(LIST), {"counts": "0", "active": "1"}).context["trainers"]
    assert [t.pk for t in shown] == [external.pk]


def _many(n):
    for i in range(n):
        make_trainer(
            UserFactory(is_staff=True, last_name=f"Тренер{i}"),
            academic_degree=AcademicDegree.PHD if i % 2 else AcademicDegree.NONE,
            kind=TrainerKind.EXTERNAL if i % 3 == 0 else TrainerKind.STAFF,
            is_certified=True,
            certificate_number=f"C-{i}",
            certificate=SimpleUploadedFile(f"c{i}.pdf", PDF),
        )


@pytest.mark.parametrize("rows", [10, 200])
def test_the_trainer_list_makes_the_same_number_of_queries_for_few_and_many(client, methodist, org, rows):
    _many(rows)
    client.force_login(methodist)
    assert page_queries(client, reverse(LIST)) == LIST_QUERIES
    assert page_queries(client, reverse(LIST) + "?counts=1&kind=external&q=Тренер") == LIST_QUERIES


def test_a_trainer_finds_only_their_own_row_in_the_registry_whatever_the_filters(client):
    me = make_trainer(staff_user("trainer", last_name="Өзімбеков"))
    other = make_trainer(UserFactory(is_staff=True, last_name="Басқаев"), kind=TrainerKind.EXTERNAL, is_certified=True)
    client.force_login(me.user)
    for query in ({}, {"q": "Басқаев"}, {"kind": TrainerKind.EXTERNAL}, {"counts": "0", "active": "1"}):
        shown = client.get(reverse(LIST), query).context["trainers"]
        assert other.pk not in [t.pk for t in shown]
    assert [t.pk for t in client.get(reverse(LIST)).context["trainers"]] == [me.pk]


def test_the_registry_pages_keep_the_filters_and_explain_a_bad_value(client, methodist):
    for i in range(30):
        make_trainer(
            UserFactory(is_staff=True, last_name=f"Сыртқы{i:02d}"), kind=TrainerKind.EXTERNAL, is_certified=True
        )
    make_trainer(UserFactory(is_staff=True, last_name="Штаттағы"))
    client.force_login(methodist)
    page = client.get(reverse(LIST), {"kind": TrainerKind.EXTERNAL}).content.decode()
    assert "Found: 30" in page and f'href="?kind={TrainerKind.EXTERNAL}&amp;page=2"' in page
    second = client.get(reverse(LIST), {"kind": TrainerKind.EXTERNAL, "page": 2}).content.decode()
    assert "Сыртқы29" in second and "Штаттағы" not in second
    empty = client.get(reverse(LIST), {"q": "Жоқов"}).content.decode()
    assert "Nothing matches these filters." in empty and 'id="empty"' in empty
    bad = client.get(reverse(LIST), {"counts": "maybe"})
    assert bad.status_code == 400 and "A filter in the address is not valid" in bad.content.decode()


# -------------------------------------------------------------------------------- creation and change


def test_a_methodist_adds_a_trainer_with_documents(client, methodist):
    client.force_login(methodist)
    data = _form(
        kind=TrainerKind.EXTERNAL,
        is_certified="on",
        certificate_number="ТР-15",
        contract_type=ContractType.SERVICE,
        academic_degree=AcademicDegree.CANDIDATE,
    )
    data["certificate"] = SimpleUploadedFile("cert.pdf", PDF)
    data["contract_document"] = SimpleUploadedFile("contract.png", PNG)
    response = client.post(reverse("enrolment:trainer_create"), data)
    assert response.status_code == 302
    trainer = Trainer.objects.get(user__username="new.trainer")
    assert trainer.kind == TrainerKind.EXTERNAL and trainer.certificate_number == "ТР-15"
    assert trainer.user.groups.filter(name="trainer").exists() and trainer.user.is_staff
    download = client.get(reverse("enrolment:trainer_document", args=[trainer.pk, "certificate"]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    download.close()


def test_an_external_trainer_without_a_certificate_is_refused_over_http_003_5_1_5(client, methodist):
    client.force_login(methodist)
    response = client.post(reverse("enrolment:trainer_create"), _form(kind=TrainerKind.EXTERNAL))
    assert response.status_code == 200
    assert "only as a certified trainer" in response.content.decode()
    assert not Trainer.objects.exists()
    assert not get_user_model().objects.filter(username="new.trainer").exists()


def test_an_industry_specialist_with_two_years_is_refused_over_http_001_21(client, methodist):
    client.force_login(methodist)
    response = client.post(reverse("enrolment:trainer_create"), _form(kind=TrainerKind.INDUSTRY, industry_experience=2))
    assert response.status_code == 200 and "at least 3 years of industry experience" in response.content.decode()
    assert not Trainer.objects.exists()


def test_a_document_that_is_not_what_its_name_says_is_refused(client, methodist):
    client.force_login(methodist)
    data = _form()
    data["certificate"] = SimpleUploadedFile("cert.pdf", PNG)
    response = client.post(reverse("enrolment:trainer_create"), data)
    assert response.status_code == 200
    assert "is not a PDF file" in response.content.decode()
    assert response.context["form"].errors["certificate"]
    assert not Trainer.objects.exists() and not get_user_model().objects.filter(username="new.trainer").exists()


def test_a_methodist_edits_a_trainer(client, methodist):
    trainer = make_trainer(UserFactory(is_staff=True, username="old"))
    client.force_login(methodist)
    assert client.get(reverse("enrolment:trainer_edit", args=[trainer.pk])).status_code == 200
    response = client.post(
        reverse("enrolment:trainer_edit", args=[trainer.pk]),
        _form(category=TrainerCategory.MASTER, last_name="Жаңа", is_active=""),
    )
    assert response.status_code == 302
    trainer.refresh_from_db()
    assert trainer.category == TrainerCategory.MASTER and not trainer.is_active
    assert trainer.user.last_name == "Жаңа" and trainer.user.username == "old"


# ---------------------------------------------------------------------------------------- the trainer's day


def _session(c, trainer, day, hours="2", place="Room 204", start=9):
    return Session.objects.create(
        cohort=c,
        date=day,
        starts_at=datetime.time(start),
        ends_at=datetime.time(start + 2),
        hours=Decimal(hours),
        trainer=trainer,
        place=place,
    )


def test_my_day_is_closed_to_staff_without_a_trainer_profile_and_to_listeners(client, registrar):
    client.force_login(registrar)
    assert client.get(reverse(HOME)).status_code == 403
    client.force_login(listener().user)
    assert client.get(reverse(HOME)).status_code == 403


def test_my_day_shows_only_my_sessions_today_and_this_week(client):
    me = make_trainer(staff_user("trainer")).user
    other = make_trainer(staff_user("trainer")).user
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    mine = cohort(starts_on=monday, ends_on=monday + datetime.timedelta(days=6))
    theirs = cohort(starts_on=monday, ends_on=monday + datetime.timedelta(days=6))
    now = _session(mine, me, today, place="https://meet.example.kz/abc")
    other_day = monday if today != monday else monday + datetime.timedelta(days=6)
    later = _session(mine, me, other_day, start=14)
    _session(theirs, other, today)
    _session(mine, other, today, start=14)
    _session(mine, me, monday + datetime.timedelta(days=7))  # next week

    client.force_login(me)
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    assert [s.pk for s in response.context["today_sessions"]] == [now.pk]
    assert {s.pk for s in response.context["week_sessions"]} == {now.pk, later.pk}
    assert [c.pk for c in response.context["cohorts"]] == [mine.pk]
    page = response.content.decode()
    assert mine.code in page and theirs.code not in page
    assert 'href="https://meet.example.kz/abc"' in page
    assert "There are no works to score yet." in page


def test_my_day_lists_listeners_at_risk_of_missing_eighty_percent_001_24(client, monkeypatch):
    # The clock stands at 12:00 on the fourth day: three sessions held, one later today, one tomorrow.
    now = timezone.make_aware(datetime.datetime(2026, 3, 5, 12))
    monkeypatch.setattr(timezone, "now", lambda: now)
    me = make_trainer(staff_user("trainer")).user
    today = timezone.localdate()
    c = cohort(starts_on=today - datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=1))
    held = [_session(c, me, today - datetime.timedelta(days=d)) for d in (3, 2, 1)]
    _session(c, me, today, start=14)
    _session(c, me, today + datetime.timedelta(days=1))  # 10 hours scheduled, 6 held, 4 ahead
    full = enrolment(c, listener(last_name="Толық"))
    behind = enrolment(c, listener(last_name="Артта"))
    lost = enrolment(c, listener(last_name="Жоқ"))
    for s in held:
        Attendance.objects.create(session=s, enrolment=full, status=AttendanceStatus.PRESENT, marked_by=me)
        Attendance.objects.create(session=s, enrolment=lost, status=AttendanceStatus.ABSENT, marked_by=me)
    for s, status in zip(
        held, (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED), strict=True
    ):
        Attendance.objects.create(session=s, enrolment=behind, status=status, marked_by=me)

    # Another trainer's cohort is not mine to watch.
    other = make_trainer(staff_user("trainer")).user
    elsewhere = cohort(starts_on=today, ends_on=today)
    _session(elsewhere, other, today - datetime.timedelta(days=1))
    enrolment(elsewhere)

    client.force_login(me)
    response = client.get(reverse(HOME))
    risks = {r.enrolment.pk: r for r in response.context["at_risk"]}
    assert set(risks) == {behind.pk, lost.pk}
    # 4 of the 6 hours held (a late mark counts, an excused absence does not); 8 of 10 still reachable.
    assert risks[behind.pk].reachable and str(risks[behind.pk].summary.so_far_display) == "66.66"
    assert risks[behind.pk].summary.needed_hours == 4
    assert not risks[lost.pk].reachable  # at most 4 of 10
    page = response.content.decode()
    assert "Артта" in page and "Толық" not in page and "66.66%" in page


@pytest.mark.parametrize("rows", [1, 6])
def test_my_day_makes_the_same_number_of_queries_for_few_and_many(client, rows):
    me = make_trainer(staff_user("trainer")).user
    today = timezone.localdate()
    for _ in range(rows):
        c = cohort(starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1))
        past = _session(c, me, today - datetime.timedelta(days=1))
        _session(c, me, today)
        for _ in range(2):
            e = enrolment(c)
            Attendance.objects.create(session=past, enrolment=e, status=AttendanceStatus.ABSENT, marked_by=me)
    client.force_login(me)
    assert page_queries(client, reverse(HOME)) == HOME_QUERIES


# ------------------------------------------------------------------------------------------- the admin


def _admin_form(trainer, **kwargs):
    data = {
        "kind": trainer.kind,
        "education": trainer.education,
        "academic_degree": trainer.academic_degree,
        "category": trainer.category,
        "certificate_number": trainer.certificate_number,
        "industry_experience": trainer.industry_experience,
        "contract_type": trainer.contract_type,
        "profile": trainer.profile,
        "is_active": "on",
    }
    data.update(kwargs)
    return data


def test_the_admin_lists_trainers_for_reading_only_003_5_1_5(client, director):
    """The registry is corrected on its own page, where the rules of 003 §5 apply; the back-office reads it."""
    trainer = make_trainer(academic_degree=AcademicDegree.DOCTOR)
    client.force_login(director)
    page = client.get(reverse("admin:enrolment_trainer_changelist"), {"counts": "1"})
    assert page.status_code == 200 and str(trainer.user) in page.content.decode()
    url = reverse("admin:enrolment_trainer_change", args=[trainer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _admin_form(trainer, category=TrainerCategory.MASTER))
    assert response.status_code == 403
    trainer.refresh_from_db()
    assert trainer.category != TrainerCategory.MASTER
