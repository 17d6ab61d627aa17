"""Comparing two versions of a program: sections per language, modules and topics with their hours (000 §2.10)."""

from decimal import Decimal

import pytest

from programs.compare import ADDED, CHANGED, REMOVED, SAME, compare_versions, diff_items, diff_text
from programs.models import ProgramVersion
from programs.selectors import version_for_display
from programs.services.content import version_plan_save, version_text_save
from programs.services.workflow import program_start_revision
from tests.factories import program, staff_user


def test_diff_text_marks_removed_and_added_words():
    html = diff_text("Развитие навыков педагога", "Развитие компетенций педагога")
    assert '<del class="diff-del">навыков</del>' in html
    assert '<ins class="diff-ins">компетенций</ins>' in html
    assert html.startswith("Развитие ")


def test_diff_text_escapes_the_text_and_keeps_line_breaks():
    html = diff_text("<b>a</b>\nb", "<b>a</b>\nc")
    assert "<b>" not in html and "&lt;b&gt;a&lt;/b&gt;<br>" in html


def test_diff_items_reports_added_removed_and_changed_items():
    items = diff_items(["Книга 1", "Книга 2", "Книга 3"], ["Книга 1", "Книга 2, изд. 2", "Книга 4", "Книга 5"])
    assert [i.status for i in items] == [SAME, CHANGED, CHANGED, ADDED]
    assert [i.status for i in diff_items(["a", "b"], ["a"])] == [SAME, REMOVED]


@pytest.fixture
def two_versions(db):
    """Version 1 approved (frozen); version 2 a revision with changed sections and hours."""
    methodist = staff_user("methodist")
    prog = program(
        modules=(
            (("1.1", 2, 1, 0, 0, 0), ("1.2", 1, 0, 1, 0, 0)),
            (("2.1", 4, 0, 0, 0, 0),),
        ),
        approved=False,
    )
    first = prog.current_version
    version_text_save(
        first,
        by=methodist,
        language="ru",
        data={
            "general_provisions": "Программа для учителей школ.",
            "subject": "Профессиональный рост",
            "objectives": ["Изучить нормы", "Освоить оценивание"],
            "literature_main": ["Закон «Об образовании»"],
        },
    )
    version_text_save(first, by=methodist, language="kk", data={"subject": "Кәсіби өсу"})
    # Approve as the workflow leaves it, then revise: version 2 is a copy of version 1.
    from django.utils import timezone

    first.frozen, first.frozen_at = True, timezone.now()
    first.save(update_fields=["frozen", "frozen_at"])
    prog.status, prog.approved_version, prog.approved_on = "approved", first, timezone.localdate()
    prog.save(update_fields=["status", "approved_version", "approved_on"])
    program_start_revision(prog, by=staff_user("methodist"))
    prog.refresh_from_db()
    second = prog.current_version
    assert second.number == 2
    version_text_save(
        second,
        by=methodist,
        language="ru",
        data={
            "general_provisions": "Программа для учителей колледжей.",
            "objectives": ["Изучить нормы", "Освоить критериальное оценивание", "Применить"],
        },
    )
    plan = version_for_display(prog.pk, 2)
    m1, m2 = plan.modules.all()
    t11, t12 = m1.topics.all()
    version_plan_save(
        second,
        by=methodist,
        modules=[
            {
                "id": m1.pk,
                "title_kk": m1.title_kk,
                "title_ru": m1.title_ru,
                "topics": [
                    {"id": t11.pk, "code": "1.1", "title_ru": t11.title_ru, "lecture": 2, "self_study": 2},
                    {"code": "1.3", "title_ru": "Новая тема", "case": "1.5"},
                ],
            },
            {
                "id": m2.pk,
                "title_kk": m2.title_kk,
                "title_ru": m2.title_ru,
                "topics": [{"code": "2.1", "title_ru": "Тема 2.1 (обновлена)", "lecture": 4}],
            },
            {
                "title_ru": "Итоговое оценивание",
                "is_final_assessment": True,
                "topics": [{"title_ru": "Тест", "independent": 1}],
            },
        ],
    )
    return prog, methodist


def test_compare_finds_the_changed_sections_per_language(two_versions):
    prog, _m = two_versions
    result = compare_versions(version_for_display(prog.pk, 1), version_for_display(prog.pk, 2))
    assert result.changed
    ru, kk = {lang.language: lang for lang in result.languages}["ru"], result.languages[0]
    assert kk.language == "kk" and not kk.changed
    changed = {s.section.number for s in ru.sections if s.changed}
    assert changed == {1, 4}
    general = ru.sections[0].fields[0]
    assert (
        '<del class="diff-del">школ.</del>' in general.html and '<ins class="diff-ins">колледжей.</ins>' in general.html
    )
    objectives = next(f for f in ru.sections[3].fields if f.name == "objectives")
    assert [i.status for i in objectives.items] == [SAME, CHANGED, ADDED]


def test_compare_finds_topics_added_removed_and_hours_changed_spec_1_4(two_versions):
    prog, _m = two_versions
    result = compare_versions(version_for_display(prog.pk, 1), version_for_display(prog.pk, 2))
    first, second, final = result.modules
    assert (first.status, second.status, final.status) == (CHANGED, CHANGED, ADDED)
    by_code = {(t.topic.code or t.topic.title_ru): t for t in first.topics}
    assert by_code["1.1"].status == CHANGED
    assert by_code["1.1"].hours == {"self_study": (Decimal(1), Decimal(2))}
    assert by_code["1.2"].status == REMOVED
    assert by_code["1.3"].status == ADDED
    assert (first.old_hours, first.new_hours) == (5, Decimal("5.5"))
    topic_21 = second.topics[0]
    assert topic_21.status == CHANGED and not topic_21.hours
    assert topic_21.titles["ru"][0] is True
    assert result.totals[-1] == ("total", Decimal(9), Decimal("10.5"))


def test_versions_without_changes_compare_equal(two_versions):
    prog, _m = two_versions
    version = version_for_display(prog.pk, 2)
    result = compare_versions(version, version)
    assert not result.changed
    assert all(m.status == SAME for m in result.modules)


def test_compare_page_highlights_changes(two_versions, client):
    prog, methodist = two_versions
    client.force_login(methodist)
    response = client.get(f"/staff/programs/{prog.pk}/compare/?a=1&b=2")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<ins class="diff-ins">колледжей.</ins>' in html
    assert 'id="compare-ru-1"' in html and "section-changed" in html
    assert '<ins class="diff-ins hours-changed">2</ins>' in html
    assert "topic-removed" in html and "topic-added" in html and "module-added" in html


def test_compare_page_is_open_to_a_trainer(two_versions, client, trainer):
    prog, _m = two_versions
    client.force_login(trainer)
    assert client.get(f"/staff/programs/{prog.pk}/compare/?a=1&b=2").status_code == 200


@pytest.mark.parametrize(
    ("query", "status"),
    [("", 200), ("?a=1", 400), ("?a=x&b=2", 400), ("?a=1&b=-2", 400), ("?a=1&b=1", 400), ("?a=1&b=9", 404)],
)
def test_compare_page_explains_bad_or_missing_numbers(two_versions, client, query, status):
    prog, methodist = two_versions
    client.force_login(methodist)
    response = client.get(f"/staff/programs/{prog.pk}/compare/{query}")
    assert response.status_code == status
    assert response.context["comparison"] is None
    if status != 200:
        assert response.context["error"]
        assert str(response.context["error"]) in response.content.decode()
    else:
        assert (response.context["a"], response.context["b"]) == (1, 2)


def test_compare_page_of_an_unknown_program_is_404(db, client):
    client.force_login(staff_user("methodist"))
    assert client.get("/staff/programs/999999/compare/?a=1&b=2").status_code == 404


def test_the_frozen_version_stays_as_it_was(two_versions):
    prog, _m = two_versions
    first = ProgramVersion.objects.get(program=prog, number=1)
    assert first.frozen
    assert first.texts.get(language="ru").general_provisions == "Программа для учителей школ."
