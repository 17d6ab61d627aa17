"""The program's path through the staff's screens and the public pages: rights, bad input, privacy, queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programs.enums import CommentStatus, Conclusion, ProgramStatus
from programs.models import Discussion, DiscussionComment, Submission
from programs.services.discussion import comment_form_token
from programs.services.workflow import (
    program_approve,
    program_publish_for_discussion,
    program_submit,
    submission_conclude,
)
from tests.factories import draft_program, listener, page_queries, staff_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=60)


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


def approved_program(methodist, director, **kwargs):
    program = draft_program(by=methodist, **kwargs)
    program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    submission = program_submit(program, by=methodist, letter_number="1", on=LONG_AGO + datetime.timedelta(20))
    submission_conclude(submission, by=methodist, conclusion=Conclusion.AGREED, on=LONG_AGO + datetime.timedelta(25))
    return program_approve(program, by=director, order_number="12-П", on=LONG_AGO + datetime.timedelta(26))


def comment_data(**overrides):
    data = {
        "name": "Айгүл Серікова",
        "organisation": "№ 12 мектеп",
        "email": "aigul.private@example.kz",
        "text": "Модуль 2 үшін практикалық тапсырмалар қосу керек.",
        "website": "",
        "token": comment_form_token(),
    }
    data.update(overrides)
    return data


# --------------------------------------------------------------------------- who may see what


@pytest.mark.parametrize("url", ["/staff/programs/", "/staff/programs/revisions/"])
def test_staff_pages_send_anonymous_users_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_listener_cannot_open_the_staff_program_pages(client, org, methodist):
    program = draft_program(by=methodist)
    person = listener()
    client.force_login(person.user)
    assert client.get("/staff/programs/").status_code == 403
    assert client.get(f"/staff/programs/{program.pk}/").status_code == 403


def test_a_trainer_reads_programs_but_cannot_publish_them(client, org, methodist, trainer):
    program = draft_program(by=methodist)
    client.force_login(trainer)
    assert client.get(f"/staff/programs/{program.pk}/").status_code == 200
    response = client.post(f"/staff/programs/{program.pk}/publish/", {"published_on": TODAY.isoformat()})
    assert response.status_code == 403
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT


def test_methodist_publishes_a_draft_for_discussion_000_2_9(client, org, methodist):
    program = draft_program(by=methodist)
    client.force_login(methodist)
    response = client.post(f"/staff/programs/{program.pk}/publish/", {"published_on": "2026-03-16"})
    assert response.status_code == 302
    discussion = Discussion.objects.get(version__program=program)
    assert discussion.ends_on == datetime.date(2026, 4, 2)
    page = client.get(f"/staff/programs/{program.pk}/").content.decode()
    assert "02.04.2026" in page


def test_a_bad_date_changes_nothing_and_keeps_the_form(client, org, methodist):
    program = draft_program(by=methodist)
    client.force_login(methodist)
    response = client.post(f"/staff/programs/{program.pk}/publish/", {"published_on": "16.03.2026x"})
    assert response.status_code == 400
    assert not Discussion.objects.exists()


def test_the_conclusion_refuses_a_scan_that_is_not_a_pdf_000_2_10(client, org, methodist):
    program = draft_program(by=methodist)
    program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    program_submit(program, by=methodist, letter_number="1", on=LONG_AGO + datetime.timedelta(20))
    client.force_login(methodist)
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    data = {
        "conclusion": "rework",
        "concluded_on": TODAY.isoformat(),
        "conclusion_number": "5",
        "letter": fake,
        "remarks": "Уточнить цели\nДобавить литературу",
    }
    response = client.post(f"/staff/programs/{program.pk}/conclude/", data)
    assert response.status_code == 400
    assert "not a PDF" in response.content.decode()
    assert Submission.objects.get().conclusion == ""
    program.refresh_from_db()
    assert program.status == ProgramStatus.SUBMITTED
    # The remarks the user typed are still in the form.
    assert "Добавить литературу" in response.content.decode()


def test_the_director_approves_on_the_program_page_and_it_joins_the_catalogue_000_2_12_2_13(
    client, org, methodist, director
):
    program = draft_program(by=methodist)
    program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    submission = program_submit(program, by=methodist, letter_number="1", on=LONG_AGO + datetime.timedelta(20))
    submission_conclude(submission, by=methodist, conclusion=Conclusion.AGREED, on=TODAY)
    assert client.get(f"/programs/{program.pk}/").status_code == 404
    client.force_login(director)
    page = client.get(f"/staff/programs/{program.pk}/").content.decode()
    assert 'id="approve-form"' in page
    response = client.post(
        f"/staff/programs/{program.pk}/approve/", {"order_number": "12-П", "approved_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == ProgramStatus.APPROVED
    client.logout()
    catalogue = client.get("/programs/").content.decode()
    assert program.title in catalogue
    assert client.get(f"/programs/{program.pk}/").status_code == 200


def test_a_late_approval_order_is_flagged_000_2_12(client, org, methodist):
    program = draft_program(by=methodist)
    program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    submission = program_submit(program, by=methodist, letter_number="1", on=LONG_AGO + datetime.timedelta(20))
    submission_conclude(submission, by=methodist, conclusion=Conclusion.AGREED, on=LONG_AGO + datetime.timedelta(25))
    client.force_login(methodist)
    page = client.get("/staff/programs/").content.decode()
    assert 'class="late"' in page


# --------------------------------------------------------------------------- the public discussion page


def test_anyone_comments_while_the_discussion_is_open_and_the_email_stays_private_000_2_9(client, org, methodist):
    program = draft_program(by=methodist)
    discussion = program_publish_for_discussion(program, by=methodist, on=TODAY)
    response = client.post(f"/discussion/{discussion.pk}/", comment_data())
    assert response.status_code == 302
    comment = DiscussionComment.objects.get()
    assert comment.email == "aigul.private@example.kz"
    page = client.get(f"/discussion/{discussion.pk}/").content.decode()
    assert "Модуль 2 үшін" in page and "Айгүл Серікова" in page
    assert "aigul.private" not in page
    assert "example.kz" not in page


def test_staff_accept_a_comment_with_a_reason_and_the_reply_is_public_000_2_9(client, org, methodist):
    program = draft_program(by=methodist)
    discussion = program_publish_for_discussion(program, by=methodist, on=TODAY)
    client.post(f"/discussion/{discussion.pk}/", comment_data())
    comment = DiscussionComment.objects.get()
    client.force_login(methodist)
    url = f"/staff/programs/{program.pk}/discussion/{discussion.pk}/"
    assert "aigul.private@example.kz" in client.get(url).content.decode()
    prefix = f"c{comment.pk}"
    bad = client.post(url, {"comment": comment.pk, f"{prefix}-status": "accepted", f"{prefix}-reason": ""})
    assert bad.status_code == 400
    comment.refresh_from_db()
    assert comment.status == CommentStatus.NEW
    client.post(
        url,
        {
            "comment": comment.pk,
            f"{prefix}-status": "accepted",
            f"{prefix}-reason": "Тапсырмалар қосылады",
            f"{prefix}-reply": "Рақмет, 2-модульге қосамыз.",
        },
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.ACCEPTED and comment.replied_by == methodist
    client.logout()
    assert "Рақмет, 2-модульге қосамыз." in client.get(f"/discussion/{discussion.pk}/").content.decode()


def test_a_comment_after_the_end_date_is_refused_000_2_9(client, org, methodist):
    program = draft_program(by=methodist)
    discussion = program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    page = client.get(f"/discussion/{discussion.pk}/").content.decode()
    assert 'id="closed"' in page and "<textarea" not in page
    response = client.post(f"/discussion/{discussion.pk}/", comment_data())
    assert response.status_code == 400
    assert not DiscussionComment.objects.exists()


def test_a_filled_honeypot_is_taken_for_a_robot(client, org, methodist):
    discussion = program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=TODAY)
    response = client.post(f"/discussion/{discussion.pk}/", comment_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not DiscussionComment.objects.exists()


def test_a_comment_sent_at_once_after_the_page_loaded_is_refused(client, org, methodist, settings):
    settings.DISCUSSION_COMMENT_MIN_SECONDS = 3
    discussion = program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=TODAY)
    response = client.post(f"/discussion/{discussion.pk}/", comment_data())
    assert response.status_code == 400
    assert not DiscussionComment.objects.exists()


def test_a_forged_form_stamp_is_refused(client, org, methodist):
    discussion = program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=TODAY)
    response = client.post(f"/discussion/{discussion.pk}/", comment_data(token="1700000000:forged"))
    assert response.status_code == 400
    assert not DiscussionComment.objects.exists()


def test_comments_are_rate_limited_per_address(client, org, methodist):
    discussion = program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=TODAY)
    for i in range(5):
        assert client.post(f"/discussion/{discussion.pk}/", comment_data(text=f"Пікір {i}")).status_code == 302
    response = client.post(f"/discussion/{discussion.pk}/", comment_data(text="Тағы бір пікір"))
    assert response.status_code == 400
    assert DiscussionComment.objects.count() == 5


def test_a_discussion_page_of_an_unknown_id_is_404(client, db):
    assert client.get("/discussion/999999/").status_code == 404


# --------------------------------------------------------------------------- lists do not grow in queries


@pytest.mark.parametrize("url", ["/programs/", "/staff/programs/", "/staff/programs/revisions/", "/discussion/"])
def test_list_pages_make_the_same_number_of_queries_for_few_and_many_programs(client, org, methodist, director, url):
    client.force_login(director)

    def grow():
        approved_program(methodist, director)
        program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=TODAY)

    grow()
    few = page_queries(client, url)
    for _ in range(3):
        grow()
    assert page_queries(client, url) == few


def test_the_program_card_shows_no_private_data_and_offers_the_document(client, org, methodist, director):
    program = approved_program(methodist, director)
    page = client.get(f"/programs/{program.pk}/").content.decode()
    assert "Цифровые инструменты в работе педагога." in page
    assert f"/programs/{program.pk}/program-ru.docx" in page
    assert "12-П" in page


def test_revisions_list_shows_programs_due_within_90_days_and_overdue_000_2_14(client, org, methodist, director):
    due_soon = approved_program(methodist, director, title_kk="", title_ru="Скоро пересмотр")
    overdue = approved_program(methodist, director, title_kk="", title_ru="Пересмотр просрочен")
    fresh = approved_program(methodist, director, title_kk="", title_ru="Недавно утверждена")
    type(due_soon).objects.filter(pk=due_soon.pk).update(approved_on=TODAY - datetime.timedelta(days=3 * 365 - 30))
    type(overdue).objects.filter(pk=overdue.pk).update(approved_on=TODAY - datetime.timedelta(days=3 * 365 + 30))
    client.force_login(methodist)
    page = client.get("/staff/programs/revisions/").content.decode()
    assert "Скоро пересмотр" in page and "Пересмотр просрочен" in page
    assert fresh.title_ru not in page
    assert page.count('class="late"') == 1
