"""The project work scored by the program's rubric (SPEC 4.1, 004 §8): five criteria of 0-2 points,
excellent 9-10, good 7-8, satisfactory 5-6, unsatisfactory below 5."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from assessment.enums import Grade
from assessment.models import AssessmentScheme, CriterionScore, ProjectWork, RubricCriterion
from assessment.outcomes import project_grade
from assessment.services.project import project_score, project_submit
from certificates.services import certificate_issue
from enrolment.models import Session
from enrolment.models import Trainer as TrainerProfile
from tests.certificates.helpers import attend, course, score
from tests.factories import UserFactory, enrolment, listener, page_queries, staff_user
from ziat.errors import DomainError

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="project.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def download(client, url):
    """(status, content) of a file download; the file is closed and the test's connection kept open."""
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response.status_code, content


def rubric(prog, *, criteria=5, max_points=2, **scheme):
    """The program's assessment rules with a rubric of ``criteria`` criteria of 0..``max_points`` (004 §8)."""
    s = AssessmentScheme.objects.create(program=prog, **scheme)
    return [
        RubricCriterion.objects.create(
            scheme=s, position=i, name_ru=f"Критерий {i}", description_ru=f"Описание {i}", max_points=max_points
        )
        for i in range(1, criteria + 1)
    ]


def running_course(**kwargs):
    """A course that started ten days ago (so a work may be handed in today)."""
    start = timezone.localdate() - datetime.timedelta(days=10)
    return course(starts_on=start, ends_on=start + datetime.timedelta(days=4), **kwargs)


def teach(cohort_, user):
    """Make ``user`` the trainer of the cohort's first session."""
    Session.objects.filter(pk=cohort_.sessions.order_by("date").first().pk).update(trainer=user)
    return user


def sheet(criteria, *points, comment=""):
    return {c.pk: (p, comment or f"comment {c.position}") for c, p in zip(criteria, points, strict=True)}


@pytest.fixture
def setup(db, org, trainer):
    """A running course with a 004 §8 rubric, one listener who handed in a work, the cohort's trainer."""
    c = running_course()
    criteria = rubric(c.program)
    e = enrolment(c)
    work = project_submit(enrolment=e, title="Интерактивный урок", upload=pdf())
    return {"cohort": c, "criteria": criteria, "enrolment": e, "work": work, "trainer": teach(c, trainer)}


# --- the grade scale (004 §8) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "grade"),
    [
        (10, Grade.EXCELLENT),
        (9, Grade.EXCELLENT),
        (8, Grade.GOOD),
        (7, Grade.GOOD),
        (6, Grade.SATISFACTORY),
        (5, Grade.SATISFACTORY),
        (4, Grade.UNSATISFACTORY),
        (0, Grade.UNSATISFACTORY),
    ],
)
def test_rubric_scale_boundaries_4_5_and_8_9_004_8(db, points, grade):
    scheme = AssessmentScheme(project_excellent_from=9, project_good_from=7, project_pass_from=5)
    assert project_grade(points, scheme) == grade


def test_a_program_sets_its_own_project_scale_spec_4_1(db):
    scheme = AssessmentScheme(project_excellent_from=18, project_good_from=14, project_pass_from=10)
    assert project_grade(9, scheme) == Grade.UNSATISFACTORY
    assert project_grade(10, scheme) == Grade.SATISFACTORY
    assert project_grade(17, scheme) == Grade.GOOD
    assert project_grade(18, scheme) == Grade.EXCELLENT


# --- handing in ------------------------------------------------------------------------------------------


def test_listener_hands_in_the_work_over_http_004_8(client, org):
    c = running_course()
    rubric(c.program)
    e = enrolment(c)
    client.force_login(e.listener.user)
    url = reverse("assessment:my_project", args=[e.pk])
    assert "Hand in the work" in client.get(url).content.decode()
    response = client.post(url, {"title": " Интерактивный  урок ", "file": pdf("Менің жобам.pdf")})
    assert response.status_code == 302
    work = ProjectWork.objects.get(enrolment=e)
    assert work.title == "Интерактивный урок"
    assert work.original_name == "Менің жобам.pdf"
    assert work.points is None
    page = client.get(url).content.decode()
    assert "handed in, awaiting scoring" in page
    assert download(client, reverse("assessment:my_project_file", args=[e.pk])) == (200, PDF)


def test_a_resubmission_before_scoring_replaces_the_file(setup, django_capture_on_commit_callbacks):
    first = setup["work"]
    old_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = project_submit(enrolment=setup["enrolment"], title="Второй вариант", upload=pdf("v2.png", PNG))
    assert second.pk == first.pk
    assert ProjectWork.objects.count() == 1
    second.refresh_from_db()
    assert second.title == "Второй вариант" and second.original_name == "v2.png"
    assert not first.file.storage.exists(old_name)
    assert second.file.storage.exists(second.file.name)


def test_a_scored_work_cannot_be_replaced(setup):
    project_score(work=setup["work"], scores=sheet(setup["criteria"], 2, 2, 2, 1, 1), comment="", by=setup["trainer"])
    with pytest.raises(DomainError, match="already scored"):
        project_submit(enrolment=setup["enrolment"], title="Поздно", upload=pdf())
    assert ProjectWork.objects.get().title == "Интерактивный урок"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("project.pdf", b"MZ\x90\x00 not a pdf at all", "not a PDF file"),
        ("project.exe", PDF, "not accepted"),
        ("project.xlsx", PDF, "not accepted"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_saved(client, org, name, content, message):
    c = running_course()
    rubric(c.program)
    e = enrolment(c)
    client.force_login(e.listener.user)
    response = client.post(reverse("assessment:my_project", args=[e.pk]), {"title": "Жоба", "file": pdf(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProjectWork.objects.exists()


def test_a_work_without_title_or_file_is_refused(org):
    c = running_course()
    rubric(c.program)
    e = enrolment(c)
    with pytest.raises(DomainError, match="title"):
        project_submit(enrolment=e, title="  ", upload=pdf())
    with pytest.raises(DomainError, match="Attach"):
        project_submit(enrolment=e, title="Жоба", upload=None)
    assert not ProjectWork.objects.exists()


def test_the_work_is_accepted_from_the_first_day_of_the_course(org):
    c = course(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 6))
    rubric(c.program)
    e = enrolment(c)
    before = timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 0))
    with pytest.raises(DomainError, match="first day"):
        project_submit(enrolment=e, title="Жоба", upload=pdf(), now=before)
    work = project_submit(enrolment=e, title="Жоба", upload=pdf(), now=before + datetime.timedelta(hours=2))
    assert work.submitted_at == before + datetime.timedelta(hours=2)


def test_a_program_without_a_project_work_takes_none(org):
    c = running_course()
    e = enrolment(c)
    with pytest.raises(DomainError, match="no project work"):
        project_submit(enrolment=e, title="Жоба", upload=pdf())
    AssessmentScheme.objects.create(program=c.program, has_project=False)
    with pytest.raises(DomainError, match="no project work"):
        project_submit(enrolment=e, title="Жоба", upload=pdf())
    assert not ProjectWork.objects.exists()


def test_the_listeners_page_of_a_program_without_a_project_work_says_so(client, org):
    e = enrolment(running_course())
    client.force_login(e.listener.user)
    page = client.get(reverse("assessment:my_project", args=[e.pk])).content.decode()
    assert "This program has no project work." in page and 'id="project-form"' not in page


# --- scoring ---------------------------------------------------------------------------------------------


def test_the_cohorts_trainer_scores_every_criterion_004_8(setup):
    work = project_score(
        work=setup["work"], scores=sheet(setup["criteria"], 2, 2, 1, 2, 1), comment=" Хорошо ", by=setup["trainer"]
    )
    work.refresh_from_db()
    assert work.points == 8
    assert work.comment == "Хорошо"
    assert work.scored_by == setup["trainer"] and work.scored_at is not None
    saved = {s.criterion_id: (s.points, s.comment) for s in CriterionScore.objects.all()}
    assert saved == {
        c.pk: (p, f"comment {c.position}") for c, p in zip(setup["criteria"], (2, 2, 1, 2, 1), strict=True)
    }
    assert project_grade(work.points, setup["cohort"].program.assessment_scheme) == Grade.GOOD


@pytest.mark.parametrize("bad", [3, "3", -1, "-1", "1.5", "x", "1e1"])
def test_a_score_outside_0_2_is_refused_with_nothing_saved_004_8(setup, bad):
    with pytest.raises(DomainError) as error:
        project_score(
            work=setup["work"], scores=sheet(setup["criteria"], 2, 2, bad, 2, 2), comment="", by=setup["trainer"]
        )
    assert "Критерий 3" in error.value.message
    assert not CriterionScore.objects.exists()
    assert ProjectWork.objects.get().points is None


def test_a_missing_criterion_is_refused_with_nothing_saved_004_8(setup):
    scores = sheet(setup["criteria"][:4], 2, 2, 2, 2)
    with pytest.raises(DomainError, match="“Критерий 5” is not scored"):
        project_score(work=setup["work"], scores=scores, comment="", by=setup["trainer"])
    scores[setup["criteria"][4].pk] = ("", "")
    with pytest.raises(DomainError, match="“Критерий 5” is not scored"):
        project_score(work=setup["work"], scores=scores, comment="", by=setup["trainer"])
    assert not CriterionScore.objects.exists()
    assert ProjectWork.objects.get().points is None


def test_a_criterion_of_another_rubric_refuses_the_sheet(setup):
    other = rubric(course().program, criteria=1)[0]
    scores = {**sheet(setup["criteria"], 2, 2, 2, 2, 2), other.pk: (1, "")}
    with pytest.raises(DomainError, match="does not match the rubric"):
        project_score(work=setup["work"], scores=scores, comment="", by=setup["trainer"])
    assert not CriterionScore.objects.exists()


def test_zero_points_are_a_score(setup):
    work = project_score(
        work=setup["work"], scores=sheet(setup["criteria"], 0, 0, 0, 0, 0), comment="", by=setup["trainer"]
    )
    assert work.points == 0
    assert CriterionScore.objects.count() == 5


def test_only_a_trainer_of_the_cohort_scores_its_works(setup, client):
    stranger = staff_user("trainer")
    teach(running_course(), stranger)  # teaches another cohort
    with pytest.raises(DomainError, match="Only a trainer of this cohort"):
        project_score(work=setup["work"], scores=sheet(setup["criteria"], 2, 2, 2, 2, 2), comment="", by=stranger)
    registrar = staff_user("registrar")
    with pytest.raises(DomainError):
        project_score(work=setup["work"], scores=sheet(setup["criteria"], 2, 2, 2, 2, 2), comment="", by=registrar)
    assert ProjectWork.objects.get().points is None
    url = reverse("assessment:project_score", args=[setup["work"].pk])
    for user in (stranger, registrar):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(setup["trainer"])
    assert client.get(url).status_code == 200


def test_staff_of_a_centre_wide_role_with_the_permission_score_any_cohort(setup):
    reviewer = staff_user("registrar")
    reviewer.user_permissions.add(Permission.objects.get(codename="change_projectwork"))
    work = project_score(work=setup["work"], scores=sheet(setup["criteria"], 1, 1, 1, 1, 1), comment="", by=reviewer)
    assert work.points == 5


def test_staff_without_a_role_reach_no_cohort_even_with_the_permission(setup):
    stray = UserFactory(is_staff=True)
    stray.user_permissions.add(Permission.objects.get(codename="change_projectwork"))
    with pytest.raises(DomainError):
        project_score(work=setup["work"], scores=sheet(setup["criteria"], 1, 1, 1, 1, 1), comment="", by=stray)
    assert ProjectWork.objects.get().points is None


def test_a_score_is_not_changed_once_a_certificate_is_issued(setup, director):
    e = setup["enrolment"]
    attend(e)
    score(e, 20)
    project_score(work=setup["work"], scores=sheet(setup["criteria"], 2, 2, 2, 1, 1), comment="", by=setup["trainer"])
    certificate_issue(e, by=director, on=timezone.localdate())
    with pytest.raises(DomainError, match="certificate"):
        project_score(
            work=setup["work"], scores=sheet(setup["criteria"], 0, 0, 0, 0, 0), comment="", by=setup["trainer"]
        )
    assert ProjectWork.objects.get().points == 8


def test_the_scoring_page_has_the_rubric_and_saves_the_sheet(setup, client):
    client.force_login(setup["trainer"])
    url = reverse("assessment:project_score", args=[setup["work"].pk])
    page = client.get(url).content.decode()
    for c in setup["criteria"]:
        assert f'name="points-{c.pk}"' in page and 'min="0" max="2"' in page
        assert f'name="comment-{c.pk}"' in page
    data = {f"points-{c.pk}": "2" for c in setup["criteria"]}
    data[f"points-{setup['criteria'][0].pk}"] = "5"
    data[f"comment-{setup['criteria'][1].pk}"] = "Толық"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "above the maximum 2" in response.content.decode()
    assert 'value="5"' in response.content.decode()  # what was typed is shown again
    assert not CriterionScore.objects.exists()
    data[f"points-{setup['criteria'][0].pk}"] = "1"
    response = client.post(url, {**data, "comment": "Жақсы жұмыс"})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:project_works", args=[setup["cohort"].pk])
    work = ProjectWork.objects.get()
    assert work.points == 9 and work.comment == "Жақсы жұмыс"


# --- what the listener sees -------------------------------------------------------------------------------


def test_the_listener_sees_the_scores_comments_and_grade(setup, client):
    project_score(
        work=setup["work"],
        scores=sheet(setup["criteria"], 2, 1, 2, 2, 2),
        comment="Отличная работа",
        by=setup["trainer"],
    )
    client.force_login(setup["enrolment"].listener.user)
    page = client.get(reverse("assessment:my_project", args=[setup["enrolment"].pk])).content.decode()
    assert "9 / 10" in page
    assert "excellent" in page
    assert "comment 2" in page and "Критерий 2" in page
    assert "Отличная работа" in page
    assert 'id="project-form"' not in page  # scored: nothing more to hand in


def test_another_listener_gets_404_for_the_page_and_the_file(setup, client):
    stranger = enrolment(setup["cohort"], listener(last_name="Басқа"))
    client.force_login(stranger.listener.user)
    mine = setup["enrolment"].pk
    assert client.get(reverse("assessment:my_project", args=[mine])).status_code == 404
    assert client.get(reverse("assessment:my_project_file", args=[mine])).status_code == 404
    assert client.post(reverse("assessment:my_project", args=[mine]), {"title": "x", "file": pdf()}).status_code == 404
    assert ProjectWork.objects.get().title == "Интерактивный урок"
    # Staff are not listeners: the cabinet pages are not theirs either.
    client.force_login(setup["trainer"])
    assert client.get(reverse("assessment:my_project", args=[mine])).status_code == 404


def test_staff_download_the_file_only_for_cohorts_they_reach(setup, client):
    url = reverse("assessment:project_file", args=[setup["work"].pk])
    client.force_login(setup["trainer"])
    assert download(client, url) == (200, PDF)
    client.force_login(staff_user("registrar"))
    assert download(client, url) == (200, PDF)
    client.force_login(staff_user("trainer"))  # teaches nothing here
    assert client.get(url).status_code == 403
    client.force_login(staff_user("accountant"))
    assert client.get(url).status_code == 403


# --- staff lists ------------------------------------------------------------------------------------------


def test_the_cohorts_list_shows_each_listeners_work_and_status(setup, client):
    c = setup["cohort"]
    idle = enrolment(c, listener(last_name="Бос"))
    client.force_login(setup["trainer"])
    page = client.get(reverse("assessment:project_works", args=[c.pk])).content.decode()
    assert "Интерактивный урок" in page
    assert reverse("assessment:project_score", args=[setup["work"].pk]) in page
    assert f'id="enrolment-{idle.pk}"' in page and "not handed in" in page


@pytest.mark.parametrize("n", [1, 5])
def test_the_project_works_list_query_count_does_not_grow(client, org, trainer, n):
    def queries(count):
        c = running_course()
        rubric(c.program)
        teach(c, trainer)
        for i in range(count):
            e = enrolment(c)
            if i % 2 == 0:
                project_submit(enrolment=e, title=f"Жоба {i}", upload=pdf())
        client.force_login(trainer)
        return page_queries(client, reverse("assessment:project_works", args=[c.pk]))

    assert queries(n) == queries(2)


# --- the trainer's day ------------------------------------------------------------------------------------


def test_works_to_score_in_the_trainers_day_link_to_the_scoring_page(setup, client):
    me = setup["trainer"]
    TrainerProfile.objects.create(user=me)
    scored_enrolment = enrolment(setup["cohort"])
    scored = project_submit(enrolment=scored_enrolment, title="Готово", upload=pdf())
    project_score(work=scored, scores=sheet(setup["criteria"], 1, 1, 1, 1, 1), comment="", by=me)
    elsewhere = running_course()
    rubric(elsewhere.program)
    teach(elsewhere, staff_user("trainer"))
    project_submit(enrolment=enrolment(elsewhere), title="Чужая работа", upload=pdf())

    client.force_login(me)
    response = client.get(reverse("enrolment:trainer_home"))
    assert [e.project_work.pk for e in response.context["works_to_score"]] == [setup["work"].pk]
    page = response.content.decode()
    assert "Интерактивный урок" in page
    assert reverse("assessment:project_score", args=[setup["work"].pk]) in page
    assert "Чужая работа" not in page and "Готово" not in page


@pytest.mark.parametrize("n", [1, 4])
def test_works_to_score_make_the_same_number_of_queries_for_few_and_many(client, org, n):
    def queries(count):
        me = staff_user("trainer")
        TrainerProfile.objects.create(user=me)
        for i in range(count):
            c = running_course(code=f"W-{count}-{i}-{n}")
            rubric(c.program)
            teach(c, me)
            project_submit(enrolment=enrolment(c), title=f"Жоба {i}", upload=pdf())
        client.force_login(me)
        return page_queries(client, reverse("enrolment:trainer_home"))

    assert queries(n) == queries(2)
