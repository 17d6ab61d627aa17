"""The demo programs: entered and driven through the real workflow (000 §2.8-2.12, seed 004)."""

import pytest
from django.utils import timezone

from monitoring.demo import programs as demo
from programs.enums import Conclusion, ProgramStatus
from programs.models import DiscussionComment, Program, ProgramVersion, StateRemark, Submission, Topic, VersionText
from programs.rules import missing_sections
from programs.selectors import plan_totals, version_with_plan
from programs.services.workflow import discussion_is_open, program_is_teachable
from tests.factories import staff_user


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


@pytest.fixture
def programs(db, methodist, director):
    return (
        demo.program_004(by_methodist=methodist, by_director=director),
        demo.program_in_discussion(by_methodist=methodist),
        demo.program_in_rework(by_methodist=methodist),
    )


def _total(version_id):
    return plan_totals(version_with_plan(version_id)).total


def test_the_demo_has_programs_approved_in_discussion_and_in_rework(programs):
    approved, discussed, reworked = (Program.objects.get(pk=p.pk) for p in programs)
    assert (approved.status, discussed.status, reworked.status) == (
        ProgramStatus.APPROVED,
        ProgramStatus.DISCUSSION,
        ProgramStatus.REWORK,
    )
    assert program_is_teachable(approved) and not program_is_teachable(discussed)
    assert (_total(approved.approved_version_id), _total(discussed.current_version_id)) == (40, 36)
    assert _total(reworked.current_version_id) == 72


def test_004_went_through_discussion_state_body_and_approval_000_2_9_to_2_12(programs):
    program = Program.objects.get(pk=programs[0].pk)
    assert program.approval_order_number == "12-П"
    assert program.approved_version == program.current_version and program.approved_version.frozen
    assert list(program.history.values_list("to_status", flat=True)) == [
        ProgramStatus.DRAFT,
        ProgramStatus.DISCUSSION,
        ProgramStatus.SUBMITTED,
        ProgramStatus.AGREED,
        ProgramStatus.APPROVED,
    ]
    discussion = program.approved_version.discussion
    submission = Submission.objects.get(version=program.approved_version)
    assert discussion.ends_on < submission.submitted_on <= submission.concluded_on <= program.approved_on
    assert program.approved_on < timezone.localdate()
    assert submission.conclusion == Conclusion.AGREED
    comments = list(discussion.comments.all())
    assert len(comments) == 3
    assert [bool(c.reply) for c in comments] == [True, False, False]
    assert all(discussion.published_on <= timezone.localdate(c.created_at) <= discussion.ends_on for c in comments)


def test_004_has_every_section_of_000_2_8_in_russian(programs):
    version = version_with_plan(programs[0].approved_version_id)
    assert missing_sections(version) == []
    text = VersionText.objects.get(version=version, language="ru")
    assert len(text.glossary) == 16 and all(len(pair) == 2 and all(pair) for pair in text.glossary)
    assert text.glossary[0][0] == "Академическая честность"
    assert len(text.objectives) == 6 and len(text.expected_results) == 6
    assert text.structure.startswith("Программа состоит из 6 модулей")
    assert "Проектная работа" in text.assessment and "25 вопросов" in text.assessment
    assert len(text.literature_main) == 11 and len(text.literature_additional) == 7
    modules = list(version.modules.all())
    assert len(modules) == 7 and all(m.content_ru for m in modules)
    assert modules[-1].is_final_assessment


def test_004_plan_totals_per_column_spec_1_4(programs):
    totals = plan_totals(version_with_plan(programs[0].approved_version_id))
    assert [int(v) for v in totals.columns.values()] == [18, 5, 6, 2, 9]


def test_the_program_in_discussion_is_open_today_with_a_comment_000_2_9(programs):
    program = programs[1]
    discussion = program.current_version.discussion
    assert discussion.published_on == timezone.localdate()
    assert discussion_is_open(discussion)
    assert discussion.comments.count() == 1
    version = version_with_plan(program.current_version_id)
    assert missing_sections(version) == []
    assert set(version.texts.values_list("language", flat=True)) == {"kk", "ru"}
    assert sum(1 for m in version.modules.all() if not m.is_final_assessment) >= 2


def test_the_program_in_rework_has_remarks_and_a_new_editable_version_000_2_10(programs):
    program = Program.objects.select_related("current_version").get(pk=programs[2].pk)
    submission = Submission.objects.get(version__program=program)
    assert submission.conclusion == Conclusion.REWORK
    assert StateRemark.objects.filter(submission=submission).count() == 3
    version = program.current_version
    assert version.number == 2 and not version.frozen and version.based_on_id == submission.version_id
    assert program.approved_version_id is None
    assert version.texts.count() == 2


def test_the_demo_is_idempotent(programs, methodist, director):
    counts = [m.objects.count() for m in (Program, ProgramVersion, VersionText, Topic, DiscussionComment, Submission)]
    again = (
        demo.program_004(by_methodist=methodist, by_director=director),
        demo.program_in_discussion(by_methodist=methodist),
        demo.program_in_rework(by_methodist=methodist),
    )
    assert [p.pk for p in again] == [p.pk for p in programs]
    assert counts == [
        m.objects.count() for m in (Program, ProgramVersion, VersionText, Topic, DiscussionComment, Submission)
    ]
