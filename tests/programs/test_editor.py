"""The staff's program-content editor: the ten sections (000 §2.8), the plan grid (SPEC 1.4), frozen versions."""

from decimal import Decimal

import pytest
from django.utils import translation

from programs.enums import HOUR_FIELDS, ProgramStatus
from programs.models import Module, Topic, VersionText
from programs.selectors import plan_totals, version_with_plan
from programs.services.content import version_plan_save, version_text_save
from tests.factories import listener, page_queries, program, staff_user
from ziat.errors import DomainError, PermissionDeniedError


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


@pytest.fixture
def draft(db):
    return program(approved=False)


def _plan_snapshot(version):
    return list(
        Topic.objects.filter(module__version=version)
        .order_by("module__position", "position")
        .values_list("module__position", "position", "code", *HOUR_FIELDS)
    )


def _module(title, *topics, final=False, id=None):
    return {"id": id, "title_ru": title, "is_final_assessment": final, "topics": list(topics)}


def _topic(code, lecture=0, self_study=0, question_answer=0, case=0, independent=0, id=None):
    return {
        "id": id,
        "code": code,
        "title_ru": f"Тема {code}",
        "lecture": lecture,
        "self_study": self_study,
        "question_answer": question_answer,
        "case": case,
        "independent": independent,
    }


# --------------------------------------------------------------------------- services: texts


def test_text_sections_are_saved_per_language_000_2_8(draft, methodist):
    version = draft.current_version
    version_text_save(
        version,
        by=methodist,
        language="ru",
        data={
            "general_provisions": "Программа разработана.\n\nВторой абзац.",
            "glossary": [["Кейс", "Описание ситуации"], ["", ""]],
            "subject": "Профессиональный рост",
            "goal": "Развитие компетенций",
            "objectives": ["  Изучить  ", "", "Применить"],
            "expected_results": "Знает\nУмеет\n",
            "literature_main": ["Закон об образовании"],
            "literature_additional": ["Статья"],
        },
    )
    version_text_save(version, by=methodist, language="kk", data={"goal": "Құзыреттерді дамыту"})
    ru = VersionText.objects.get(version=version, language="ru")
    assert ru.glossary == [["Кейс", "Описание ситуации"]]
    assert ru.objectives == ["Изучить", "Применить"]
    assert ru.expected_results == ["Знает", "Умеет"]
    assert ru.general_provisions == "Программа разработана.\n\nВторой абзац."
    assert VersionText.objects.get(version=version, language="kk").goal == "Құзыреттерді дамыту"


def test_a_glossary_term_without_definition_is_refused_and_nothing_saved_000_2_8(draft, methodist):
    version = draft.current_version
    with translation.override("en"), pytest.raises(DomainError, match="has no definition"):
        version_text_save(version, by=methodist, language="ru", data={"goal": "Цель", "glossary": [["Кейс", "  "]]})
    assert not VersionText.objects.filter(version=version).exists()


def test_text_save_needs_the_change_permission(draft, trainer):
    with pytest.raises(PermissionDeniedError):
        version_text_save(draft.current_version, by=trainer, language="ru", data={"goal": "Цель"})
    assert not VersionText.objects.exists()


def test_an_unknown_language_is_refused(draft, methodist):
    with pytest.raises(DomainError):
        version_text_save(draft.current_version, by=methodist, language="en", data={"goal": "Goal"})


# --------------------------------------------------------------------------- services: the plan


def test_plan_is_saved_whole_and_totals_are_computed_spec_1_4(draft, methodist):
    version = draft.current_version
    version_plan_save(
        version,
        by=methodist,
        modules=[
            _module("Основы", _topic("1.1", lecture="2", self_study="0.5"), _topic("1.2", case=Decimal("1.5"))),
            _module("Практика", _topic("2.1", question_answer=3, independent="2,5")),
            _module("Итоговое оценивание", _topic("", independent=1), final=True),
        ],
    )
    version = version_with_plan(version.pk)
    modules = list(version.modules.all())
    assert [m.title_ru for m in modules] == ["Основы", "Практика", "Итоговое оценивание"]
    assert [m.is_final_assessment for m in modules] == [False, False, True]
    totals = plan_totals(version)
    assert [totals.modules[m.pk] for m in modules] == [4, Decimal("5.5"), 1]
    assert totals.columns == {
        "lecture": 2,
        "self_study": Decimal("0.5"),
        "question_answer": 3,
        "case": Decimal("1.5"),
        "independent": Decimal("3.5"),
    }
    assert totals.total == Decimal("10.5")


def test_plan_save_keeps_existing_rows_moves_and_deletes_others(draft, methodist):
    version = version_with_plan(draft.current_version_id)
    first, second = version.modules.all()
    t11 = first.topics.all()[0]
    t21 = second.topics.all()[0]
    # Swap the modules, move 1.1 into the (former) second module, drop 2.1 and add a topic.
    version_plan_save(
        version,
        by=methodist,
        modules=[
            _module("Второй", _topic("1.1", lecture=5, id=t11.pk), _topic("2.2", lecture=1), id=second.pk),
            _module("Первый", id=first.pk),
        ],
    )
    assert list(Module.objects.filter(version=version).order_by("position").values_list("pk", "title_ru")) == [
        (second.pk, "Второй"),
        (first.pk, "Первый"),
    ]
    moved = Topic.objects.get(pk=t11.pk)
    assert (moved.module_id, moved.position, moved.lecture) == (second.pk, 1, 5)
    assert not Topic.objects.filter(pk=t21.pk).exists()
    assert Topic.objects.filter(module=second).count() == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "cannot be negative"),
        (Decimal("-0.5"), "cannot be negative"),
        ("0.3", "whole and half hours"),
        ("1.25", "whole and half hours"),
        ("abc", "is not a number"),
        ("NaN", "is not a number"),
        ("1e9", "too many"),
    ],
)
def test_plan_save_rejects_bad_hours_and_saves_nothing_spec_1_4(draft, methodist, value, message):
    version = draft.current_version
    before = _plan_snapshot(version)
    modules = [
        _module("Новый модуль", _topic("1.1", lecture=3)),
        _module("Второй", _topic("2.1", lecture=1, case=value)),
    ]
    with translation.override("en"), pytest.raises(DomainError, match=message) as caught:
        version_plan_save(version, by=methodist, modules=modules)
    assert "topic 2.1" in str(caught.value) and "case" in str(caught.value)
    assert _plan_snapshot(version) == before
    assert list(Module.objects.filter(version=version).values_list("title_ru", flat=True).order_by("position")) == [
        "Модуль 1",
        "Модуль 2",
    ]


def test_plan_save_rejects_rows_without_title_and_foreign_ids(draft, methodist):
    other = program(approved=False)
    foreign = Topic.objects.filter(module__version=other.current_version).first()
    version = draft.current_version
    before = _plan_snapshot(version)
    with pytest.raises(DomainError):
        version_plan_save(version, by=methodist, modules=[{"title_ru": "", "topics": []}])
    with pytest.raises(DomainError):
        version_plan_save(version, by=methodist, modules=[_module("М", {**_topic("1.1"), "title_ru": ""})])
    with pytest.raises(DomainError):
        version_plan_save(version, by=methodist, modules=[_module("М", _topic("1.1", id=foreign.pk))])
    assert _plan_snapshot(version) == before


def test_a_frozen_version_refuses_edits_000_2_9(db, methodist):
    prog = program(approved=True)
    version = prog.current_version
    assert version.frozen
    before = _plan_snapshot(version)
    with pytest.raises(DomainError):
        version_plan_save(version, by=methodist, modules=[_module("М", _topic("1.1", lecture=1))])
    with pytest.raises(DomainError):
        version_text_save(version, by=methodist, language="ru", data={"goal": "Цель"})
    assert _plan_snapshot(version) == before
    assert not VersionText.objects.filter(version=version).exists()


@pytest.mark.parametrize("status", [ProgramStatus.DISCUSSION, ProgramStatus.SUBMITTED, ProgramStatus.AGREED])
def test_a_program_out_of_drafting_refuses_edits_000_2_10(draft, methodist, status):
    draft.status = status
    draft.save(update_fields=["status"])
    with pytest.raises(DomainError):
        version_text_save(draft.current_version, by=methodist, language="ru", data={"goal": "Цель"})
    with pytest.raises(DomainError):
        version_plan_save(draft.current_version, by=methodist, modules=[])


def test_a_program_in_rework_is_editable_000_2_10(draft, methodist):
    draft.status = ProgramStatus.REWORK
    draft.save(update_fields=["status"])
    version_text_save(draft.current_version, by=methodist, language="ru", data={"goal": "Цель"})
    assert VersionText.objects.get(version=draft.current_version).goal == "Цель"


# --------------------------------------------------------------------------- pages: texts


def _text_post(**overrides):
    data = {name: "" for name in (
        "general_provisions", "glossary", "subject", "goal", "objectives", "expected_results", "structure",
        "organisation", "methodical_support", "assessment", "postcourse", "literature_main", "literature_additional",
    )}  # fmt: skip
    data.update(overrides)
    return data


def test_text_page_saves_one_language_000_2_8(draft, methodist, client):
    client.force_login(methodist)
    url = f"/staff/programs/{draft.pk}/edit/?lang=ru"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _text_post(
            goal="Развитие",
            glossary="Кейс — описание ситуации\nонлайн-курс - курс в сети",
            objectives="Первая\n\nВторая",
            literature_main="Книга 1",
        ),
    )
    assert response.status_code == 302
    text = VersionText.objects.get(version=draft.current_version, language="ru")
    assert text.glossary == [["Кейс", "описание ситуации"], ["онлайн-курс", "курс в сети"]]
    assert text.objectives == ["Первая", "Вторая"]
    assert text.literature_main == ["Книга 1"]
    assert "Кейс — описание ситуации" in client.get(url).content.decode()


@pytest.mark.parametrize("glossary", ["Кейс описание ситуации", "Кейс —", "— описание"])
def test_text_page_refuses_a_bad_glossary_line_and_saves_nothing(draft, methodist, client, glossary):
    client.force_login(methodist)
    with translation.override("en"):
        response = client.post(
            f"/staff/programs/{draft.pk}/edit/?lang=ru",
            _text_post(goal="Развитие", glossary=glossary),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "glossary" in response.context["form"].errors
    assert "Line 1 of the glossary" in response.content.decode()
    assert not VersionText.objects.exists()


# --------------------------------------------------------------------------- pages: the plan grid


def _grid(rows, extra=2):
    data = {
        "form-TOTAL_FORMS": str(len(rows) + extra),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"form-{i}-{k}": v for k, v in row.items()})
    for i in range(len(rows), len(rows) + extra):
        data[f"form-{i}-kind"] = "topic"
    return data


def test_plan_page_saves_the_grid_in_one_post_spec_1_4(db, methodist, client):
    prog = program(modules=(), approved=False)
    client.force_login(methodist)
    url = f"/staff/programs/{prog.pk}/edit/plan/"
    assert client.get(url).status_code == 200
    rows = [
        {"kind": "module", "title_ru": "Основы", "title_kk": "Негіздер", "content_ru": "О модуле"},
        {"kind": "topic", "code": "1.1", "title_ru": "Тема", "lecture": "2", "self_study": "0,5"},
        {"kind": "topic", "code": "1.2", "title_kk": "Тақырып", "case": "1.5"},
        {"kind": "final", "title_ru": "Итоговое оценивание"},
        {"kind": "topic", "title_ru": "Тестирование", "independent": "1"},
        # Inserted by its order number after the first topic:
        {"kind": "topic", "code": "1.1а", "title_ru": "Вставка", "lecture": "1", "order": "2"},
    ]
    for position, row in enumerate(rows[:-1], start=1):
        row["order"] = str(position)
    response = client.post(url, _grid(rows))
    assert response.status_code == 302, response.context and response.context["formset"].errors
    version = version_with_plan(prog.current_version_id)
    modules = list(version.modules.all())
    assert [(m.title_ru, m.is_final_assessment, m.content_ru) for m in modules] == [
        ("Основы", False, "О модуле"),
        ("Итоговое оценивание", True, ""),
    ]
    assert [t.code for t in modules[0].topics.all()] == ["1.1", "1.1а", "1.2"]
    totals = plan_totals(version)
    assert totals.total == 6
    assert [totals.modules[m.pk] for m in modules] == [5, 1]
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["totals"].total == 6


@pytest.mark.parametrize("value", ["-1", "0.3", "abc", "0.25"])
def test_plan_page_rejects_bad_hours_and_saves_nothing_spec_1_4(draft, methodist, client, value):
    client.force_login(methodist)
    url = f"/staff/programs/{draft.pk}/edit/plan/"
    before = _plan_snapshot(draft.current_version)
    rows = [
        {"kind": "module", "title_ru": "Новый", "order": "1"},
        {"kind": "topic", "code": "1.1", "title_ru": "Хорошая", "lecture": "4", "order": "2"},
        {"kind": "topic", "code": "1.2", "title_ru": "Плохая", "lecture": value, "order": "3"},
    ]
    response = client.post(url, _grid(rows))
    assert response.status_code == 200
    assert response.context["formset"].errors[2].get("lecture")
    assert _plan_snapshot(draft.current_version) == before
    assert "Новый" not in Module.objects.values_list("title_ru", flat=True)


def test_plan_page_refuses_hours_typed_on_a_module_row_and_a_topic_before_any_module(draft, methodist, client):
    client.force_login(methodist)
    url = f"/staff/programs/{draft.pk}/edit/plan/"
    before = _plan_snapshot(draft.current_version)
    response = client.post(url, _grid([{"kind": "module", "title_ru": "М", "lecture": "5"}]))
    assert response.status_code == 200 and response.context["formset"].errors[0]
    response = client.post(url, _grid([{"kind": "topic", "title_ru": "Т", "lecture": "5"}]))
    assert response.status_code == 200 and response.context["formset"].non_form_errors()
    assert _plan_snapshot(draft.current_version) == before


def test_plan_page_round_trips_the_existing_plan(draft, methodist, client):
    """Posting the grid back as shown changes nothing (ids of modules and topics are kept)."""
    client.force_login(methodist)
    url = f"/staff/programs/{draft.pk}/edit/plan/"
    page = client.get(url)
    assert page.content.decode().count('class="num muted module-hours"') == 2  # computed, not an input
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value not in (None, False):
                data[form.add_prefix(name)] = str(value)
    pks = sorted(Topic.objects.filter(module__version=draft.current_version).values_list("pk", flat=True))
    before = _plan_snapshot(draft.current_version)
    assert client.post(url, data).status_code == 302
    assert _plan_snapshot(draft.current_version) == before
    assert sorted(Topic.objects.filter(module__version=draft.current_version).values_list("pk", flat=True)) == pks


# --------------------------------------------------------------------------- frozen versions over HTTP


def test_a_frozen_version_is_read_only_over_http_000_2_9(db, methodist, client):
    prog = program(approved=True)
    client.force_login(methodist)
    for url in (f"/staff/programs/{prog.pk}/edit/", f"/staff/programs/{prog.pk}/edit/plan/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["read_only"] is True
        assert f'href="/staff/programs/{prog.pk}/"' in response.content.decode()
        assert '<form method="post"' not in response.content.decode()
    before = _plan_snapshot(prog.current_version)
    client.post(f"/staff/programs/{prog.pk}/edit/?lang=ru", _text_post(goal="Взлом"))
    client.post(f"/staff/programs/{prog.pk}/edit/plan/", _grid([{"kind": "module", "title_ru": "М"}]))
    assert not VersionText.objects.exists()
    assert _plan_snapshot(prog.current_version) == before
    detail = client.get(f"/staff/programs/{prog.pk}/versions/1/")
    assert detail.context["editable"] is False
    assert f"/staff/programs/{prog.pk}/edit/" not in detail.content.decode()


# --------------------------------------------------------------------------- the read-only page and permissions


def test_version_page_shows_all_ten_sections_and_the_plan_000_2_8(draft, methodist, client):
    version_text_save(
        draft.current_version,
        by=methodist,
        language="ru",
        data={
            "general_provisions": "Абзац один.\n\nАбзац два.",
            "glossary": [["Кейс", "Ситуация"]],
            "objectives": ["Задача А"],
            "literature_main": ["Основная книга"],
            "literature_additional": ["Дополнительная книга"],
        },
    )
    client.force_login(methodist)
    response = client.get(f"/staff/programs/{draft.pk}/versions/1/")
    assert response.status_code == 200
    html = response.content.decode()
    for number in range(1, 11):
        assert f'id="section-ru-{number}"' in html
    assert "<p>Абзац один.</p>" in html and "<p>Абзац два.</p>" in html
    assert "<dt>Кейс</dt><dd>Ситуация</dd>" in html
    assert "<li>Задача А</li>" in html and "Дополнительная книга" in html
    assert 'id="plan-total-ru">10<' in html
    assert response.context["editable"] is True
    assert f"/staff/programs/{draft.pk}/edit/plan/" in html


def test_unknown_version_is_404(draft, methodist, client):
    client.force_login(methodist)
    assert client.get(f"/staff/programs/{draft.pk}/versions/7/").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/staff/programs/{pk}/versions/1/", "/staff/programs/{pk}/edit/", "/staff/programs/{pk}/edit/plan/",
     "/staff/programs/{pk}/compare/?a=1&b=1"],
)  # fmt: skip
def test_anonymous_goes_to_login(draft, client, path):
    response = client.get(path.format(pk=draft.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_trainer_reads_but_cannot_edit(draft, trainer, client):
    client.force_login(trainer)
    response = client.get(f"/staff/programs/{draft.pk}/versions/1/")
    assert response.status_code == 200
    assert response.context["editable"] is False
    assert client.get(f"/staff/programs/{draft.pk}/edit/").status_code == 403
    assert client.get(f"/staff/programs/{draft.pk}/edit/plan/").status_code == 403
    assert client.post(f"/staff/programs/{draft.pk}/edit/?lang=ru", _text_post(goal="Цель")).status_code == 403
    assert not VersionText.objects.exists()


def test_a_listener_gets_403(draft, client):
    client.force_login(listener().user)
    for path in ("versions/1/", "edit/", "edit/plan/", "compare/"):
        assert client.get(f"/staff/programs/{draft.pk}/{path}").status_code == 403


def test_version_page_queries_do_not_grow_with_topics(db, methodist, client):
    client.force_login(methodist)
    few = program(modules=((("1.1", 1, 0, 0, 0, 0),),), approved=False)
    many = program(
        modules=tuple(tuple((f"{m}.{t}", 1, 1, 0, 0, 0) for t in range(1, 9)) for m in range(1, 7)),
        final=(("", 0, 0, 0, 0, 2),),
        approved=False,
    )
    for prog in (few, many):
        version_text_save(prog.current_version, by=methodist, language="ru", data={"goal": "Цель"})
        version_text_save(prog.current_version, by=methodist, language="kk", data={"goal": "Мақсат"})
    page_queries(client, f"/staff/programs/{few.pk}/versions/1/")  # warm the caches of the session and perms
    assert page_queries(client, f"/staff/programs/{many.pk}/versions/1/") == page_queries(
        client, f"/staff/programs/{few.pk}/versions/1/"
    )
