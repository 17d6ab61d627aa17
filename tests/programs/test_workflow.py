"""The program's path: public discussion, the state body, approval, revision and the methodical complex."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programs.enums import ComplexPart, Conclusion, ProgramStatus
from programs.models import Discussion, ProgramStatusChange, ProgramVersion, StateRemark, Submission, Topic
from programs.services.workflow import (
    approval_deadline,
    complex_item_add,
    complex_missing_parts,
    discussion_window,
    program_approve,
    program_is_ready_to_teach,
    program_is_teachable,
    program_publish_for_discussion,
    program_revise_after_discussion,
    program_start_revision,
    program_submit,
    remark_answer,
    revision_due_on,
    submission_conclude,
    version_check_editable,
)
from tests.factories import draft_program, staff_user
from ziat.errors import DomainError
from ziat.models import CalendarDay

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=60)


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


def agreed(program, methodist, director, *, published=LONG_AGO):
    """Drive a draft through discussion and submission to the state body's agreement."""
    program_publish_for_discussion(program, by=methodist, on=published)
    submission = program_submit(program, by=methodist, letter_number="01-12/345", on=published + datetime.timedelta(30))
    submission_conclude(
        submission, by=methodist, conclusion=Conclusion.AGREED, on=published + datetime.timedelta(40), number="7"
    )
    program.refresh_from_db()
    return program


# --------------------------------------------------------------------------- public discussion, 000 §2.9


def test_discussion_lasts_ten_working_days_across_nauryz_000_2_9():
    # SPEC §1.7: published on Monday 16 March 2026, open to the end of Thursday 2 April 2026 (Nauryz 21-25 March).
    assert discussion_window(datetime.date(2026, 3, 16)) == datetime.date(2026, 4, 2)


def test_discussion_window_across_new_year_and_christmas_000_2_9():
    # Friday 26 December 2025: 29-31 Dec, 1-2 Jan and 7 Jan (Orthodox Christmas) are days off or not.
    assert discussion_window(datetime.date(2025, 12, 26)) == datetime.date(2026, 1, 14)


def test_discussion_window_counts_a_transferred_working_saturday_000_2_9():
    base = discussion_window(datetime.date(2026, 4, 29))
    # A government transfer makes Saturday 2 May 2026 a working day: the window ends one working day sooner.
    CalendarDay.objects.create(date=datetime.date(2026, 5, 2), is_working=True)
    assert discussion_window(datetime.date(2026, 4, 29)) < base


def test_publishing_freezes_the_version_and_opens_the_window_000_2_9(methodist):
    program = draft_program(by=methodist)
    discussion = program_publish_for_discussion(program, by=methodist, on=datetime.date(2026, 3, 16))
    program.refresh_from_db()
    assert program.status == ProgramStatus.DISCUSSION
    assert discussion.ends_on == datetime.date(2026, 4, 2)
    assert program.current_version.frozen
    with pytest.raises(DomainError):
        version_check_editable(program.current_version)


def test_an_incomplete_draft_is_not_published_000_2_8(methodist):
    program = draft_program(by=methodist)
    program.current_version.texts.update(assessment="")
    with pytest.raises(DomainError, match="Assessment"):
        program_publish_for_discussion(program, by=methodist)
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT
    assert not Discussion.objects.exists()


def test_a_plan_outside_every_duration_class_is_not_published_001_23(methodist):
    program = draft_program(by=methodist, modules=((("1.1", 10, 0, 0, 0, 0),),))
    with pytest.raises(DomainError, match="at least 36"):
        program_publish_for_discussion(program, by=methodist)
    assert ProgramStatusChange.objects.filter(program=program).count() == 1


def test_the_plan_must_match_the_development_orders_hours_000_2_6(methodist, director):
    from programs.models import DevelopmentOrder

    program = draft_program(by=methodist)
    DevelopmentOrder.objects.create(
        number="5-П",
        issued_on=LONG_AGO,
        program=program,
        title_ru=program.title_ru,
        hours=72,
        form_of_study=program.form_of_study,
        language=program.language,
        authors="Иванова А.",
        deadline=TODAY,
        created_by=director,
    )
    with pytest.raises(DomainError, match="72"):
        program_publish_for_discussion(program, by=methodist)


# --------------------------------------------------------------------------- state body, 000 §2.10


def test_a_draft_goes_to_the_state_body_only_after_its_discussion_000_2_10(methodist):
    program = draft_program(by=methodist)
    with pytest.raises(DomainError, match="public discussion"):
        program_submit(program, by=methodist, letter_number="1")
    program_publish_for_discussion(program, by=methodist, on=TODAY)
    with pytest.raises(DomainError, match="public discussion"):
        program_submit(program, by=methodist, letter_number="1")
    assert not Submission.objects.exists()


def test_rework_creates_the_next_version_and_each_remark_is_answered_000_2_10(methodist, director):
    program = draft_program(by=methodist)
    program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    first = program_submit(program, by=methodist, letter_number="01-12/100", on=LONG_AGO + datetime.timedelta(20))
    submission_conclude(
        first,
        by=methodist,
        conclusion=Conclusion.REWORK,
        on=LONG_AGO + datetime.timedelta(25),
        remarks=["Уточнить ожидаемые результаты", "Добавить литературу"],
    )
    program.refresh_from_db()
    assert program.status == ProgramStatus.REWORK
    assert program.current_version.number == 2
    assert not program.current_version.frozen
    assert program.current_version.based_on_id == first.version_id
    assert program.current_version.texts.count() == 1
    assert Topic.objects.filter(module__version=program.current_version).count() == 4

    with pytest.raises(DomainError, match="2 left"):
        program_submit(program, by=methodist, letter_number="01-12/200", on=LONG_AGO + datetime.timedelta(30))
    for remark in StateRemark.objects.all():
        remark_answer(remark, by=methodist, answer="Исправлено в разделе 4")
    second = program_submit(program, by=methodist, letter_number="01-12/200", on=LONG_AGO + datetime.timedelta(30))
    assert second.version.number == 2 and second.version.frozen
    submission_conclude(second, by=methodist, conclusion=Conclusion.AGREED, on=LONG_AGO + datetime.timedelta(35))
    program.refresh_from_db()
    assert program.status == ProgramStatus.AGREED
    assert Submission.objects.filter(version__program=program).count() == 2
    # Both versions and both decisions are kept.
    assert list(program.versions.values_list("number", "frozen")) == [(1, True), (2, True)]


def test_a_rework_conclusion_needs_its_remarks_000_2_10(methodist):
    program = draft_program(by=methodist)
    program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    submission = program_submit(program, by=methodist, letter_number="1", on=LONG_AGO + datetime.timedelta(20))
    with pytest.raises(DomainError, match="remarks"):
        submission_conclude(submission, by=methodist, conclusion=Conclusion.REWORK, on=TODAY, remarks=["  "])
    with pytest.raises(DomainError, match="before"):
        submission_conclude(submission, by=methodist, conclusion=Conclusion.AGREED, on=LONG_AGO)
    submission.refresh_from_db()
    assert submission.conclusion == ""
    assert ProgramVersion.objects.filter(program=program).count() == 1


# --------------------------------------------------------------------------- approval, 000 §2.12


def test_approval_order_is_due_within_three_working_days_000_2_12(methodist, director):
    program = draft_program(by=methodist)
    program_publish_for_discussion(program, by=methodist, on=datetime.date(2026, 2, 2))
    submission = program_submit(program, by=methodist, letter_number="1", on=datetime.date(2026, 3, 2))
    # Received on Friday 20 March 2026; Nauryz keeps 23-25 March off: due on Monday 30 March.
    submission_conclude(submission, by=methodist, conclusion=Conclusion.AGREED, on=datetime.date(2026, 3, 20))
    program.refresh_from_db()
    assert approval_deadline(program) == datetime.date(2026, 3, 30)


def test_only_a_version_the_state_body_agreed_is_approved_000_2_12(methodist, director):
    program = draft_program(by=methodist)
    with pytest.raises(DomainError, match="agreed"):
        program_approve(program, by=director, order_number="12-П")
    program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    with pytest.raises(DomainError, match="agreed"):
        program_approve(program, by=director, order_number="12-П")
    program.refresh_from_db()
    assert program.approved_version_id is None and not program_is_teachable(program)


def test_only_the_director_approves_000_2_12(methodist, director):
    program = agreed(draft_program(by=methodist), methodist, director)
    with pytest.raises(DomainError, match="director"):
        program_approve(program, by=methodist, order_number="12-П")
    program_approve(program, by=director, order_number="12-П")
    program.refresh_from_db()
    assert program.status == ProgramStatus.APPROVED
    assert program.approved_version_id == program.current_version_id
    assert program.approval_order_number == "12-П"
    assert program_is_teachable(program)
    moves = list(program.history.order_by("at", "pk").values_list("to_status", flat=True))
    assert moves == ["draft", "discussion", "submitted", "agreed", "approved"]


# --------------------------------------------------------------------------- revision, 000 §2.14


def test_revision_is_due_three_years_after_approval_000_2_14(methodist, director):
    program = agreed(draft_program(by=methodist), methodist, director, published=datetime.date(2026, 1, 5))
    program = program_approve(program, by=director, order_number="12-П", on=datetime.date(2026, 2, 27))
    assert revision_due_on(program) == datetime.date(2029, 2, 27)


def test_revision_starts_a_draft_and_keeps_the_approved_version_taught_000_2_14(methodist, director):
    program = agreed(draft_program(by=methodist), methodist, director)
    program = program_approve(program, by=director, order_number="12-П")
    approved = program.approved_version_id
    program_start_revision(program, by=methodist)
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT
    assert program.approved_version_id == approved
    assert program.current_version.number == 2 and not program.current_version.frozen
    assert program_is_teachable(program)


def test_a_new_version_after_the_discussion_waits_for_its_end_000_2_9(methodist):
    program = draft_program(by=methodist)
    program_publish_for_discussion(program, by=methodist, on=TODAY)
    with pytest.raises(DomainError, match="open until"):
        program_revise_after_discussion(program, by=methodist)


# --------------------------------------------------------------------------- methodical complex, 000 §2.11


def _pdf(name="textbook.pdf", size=None):
    content = b"%PDF-1.4\n%test\n" + (b"0" * (size or 10))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_complex_is_complete_only_with_all_five_parts_000_2_11(methodist, director):
    program = agreed(draft_program(by=methodist), methodist, director)
    program_approve(program, by=director, order_number="12-П")
    assert not program_is_ready_to_teach(program)
    for part in ComplexPart:
        complex_item_add(program, by=methodist, part=part, title=str(part.label), url="https://example.kz/m")
        program.refresh_from_db()
    assert complex_missing_parts(program) == []
    assert program_is_ready_to_teach(program)


def test_the_complex_refuses_a_file_that_is_not_what_its_name_says_000_2_11(methodist, director):
    program = agreed(draft_program(by=methodist), methodist, director)
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    fake = SimpleUploadedFile("textbook.pdf", png.getvalue(), content_type="application/pdf")
    with pytest.raises(DomainError, match="not a PDF"):
        complex_item_add(program, by=methodist, part=ComplexPart.TEXTBOOKS, title="Пособие", file=fake)
    assert not program.complex_items.exists()


def test_the_complex_refuses_a_file_too_large(methodist, director, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    program = agreed(draft_program(by=methodist), methodist, director)
    with pytest.raises(DomainError, match="too large"):
        complex_item_add(program, by=methodist, part=ComplexPart.TEXTBOOKS, title="Пособие", file=_pdf(size=2000))
    complex_item_add(program, by=methodist, part=ComplexPart.TEXTBOOKS, title="Пособие", file=_pdf())
    assert program.complex_items.count() == 1


def test_the_complex_is_developed_after_agreement_000_2_11(methodist):
    program = draft_program(by=methodist)
    with pytest.raises(DomainError, match="after the state body"):
        complex_item_add(program, by=methodist, part=ComplexPart.TEXTBOOKS, title="Пособие", url="https://e.kz")
