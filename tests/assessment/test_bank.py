"""The test bank of a program (000 §2.11, SPEC 4.2): Excel import as frozen versions, export, staff pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from assessment.models import BankVersion, Option, Question
from assessment.services.bank import (
    HEADER,
    MAX_ROWS,
    BankImportError,
    bank_export,
    bank_import,
    bank_modules,
    bank_template,
)
from monitoring.demo import programs as programs_demo
from monitoring.demo.assessment import QUESTIONS, demo_bank
from tests.factories import enrolment, listener, page_queries, program, staff_user
from ziat.errors import DomainError

FINAL = (("F.1", 0, 0, 2, 0, 0),)
OPTIONS = [("Бір", "Один"), ("Екі", "Два"), ("Үш", "Три")]


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


@pytest.fixture
def prog(db):
    """An approved program with modules 1 and 2 and a final-assessment row No. 3."""
    return program(final=FINAL)


def row(module=1, kind="single", weight=1, kk="Сұрақ?", ru="Вопрос?", options=OPTIONS, correct="2"):
    cells = [module, kind, weight, kk, ru]
    for n in range(6):
        cells.extend(options[n] if n < len(options) else ("", ""))
    return [*cells, correct]


def xlsx(rows, header=HEADER, name="bank.xlsx"):
    book = Workbook()
    sheet = book.active
    if header is not None:
        sheet.append(list(header))
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def snapshot(version):
    """A version's content, comparable between versions."""
    return [
        (
            q.position,
            q.module_number,
            q.kind,
            q.weight,
            q.text_kk,
            q.text_ru,
            [(o.position, o.text_kk, o.text_ru, o.is_correct) for o in q.options.all()],
        )
        for q in version.questions.prefetch_related("options").order_by("position")
    ]


# --------------------------------------------------------------------------- import


def test_import_makes_version_one_with_questions_and_options_000_2_11(prog, methodist):
    upload = xlsx(
        [
            row(module=1, kk="Бірінші сұрақ?", ru="Первый вопрос?", correct="2"),
            row(module=2, kind="multiple", weight=2, kk="", ru="Второй вопрос?", correct="1, 3"),
        ]
    )
    version = bank_import(program=prog, upload=upload, by=methodist, note="первая редакция")
    assert (version.number, version.source_name, version.note, version.created_by) == (
        1,
        "bank.xlsx",
        "первая редакция",
        methodist,
    )
    assert snapshot(version) == [
        (
            1,
            1,
            "single",
            1,
            "Бірінші сұрақ?",
            "Первый вопрос?",
            [(1, "Бір", "Один", False), (2, "Екі", "Два", True), (3, "Үш", "Три", False)],
        ),
        (
            2,
            2,
            "multiple",
            2,
            "",
            "Второй вопрос?",
            [(1, "Бір", "Один", True), (2, "Екі", "Два", False), (3, "Үш", "Три", True)],
        ),
    ]


def test_each_import_is_the_next_version_and_an_earlier_one_stays_as_it_was_000_2_11(prog, methodist):
    first = bank_import(program=prog, upload=xlsx([row(ru="Старый вопрос?")]), by=methodist)
    before = snapshot(first)
    second = bank_import(program=prog, upload=xlsx([row(ru="Новый вопрос?"), row(module=2)]), by=methodist)
    third = bank_import(program=prog, upload=xlsx([row()]), by=methodist)
    assert (first.number, second.number, third.number) == (1, 2, 3)
    assert snapshot(BankVersion.objects.get(pk=first.pk)) == before
    assert second.questions.count() == 2
    other = program()
    assert bank_import(program=other, upload=xlsx([row()]), by=methodist).number == 1


def test_empty_kind_and_points_mean_single_choice_of_one_point_000_2_11(prog, methodist):
    version = bank_import(program=prog, upload=xlsx([row(kind="", weight=None)]), by=methodist)
    question = version.questions.get()
    assert (question.kind, question.weight) == ("single", 1)


def test_kind_may_be_written_in_kazakh_or_russian_000_2_11(prog, methodist):
    version = bank_import(
        program=prog,
        upload=xlsx([row(kind="Бірнеше", correct="1,2"), row(kind="один"), row(kind="MULTIPLE", correct="3")]),
        by=methodist,
    )
    assert list(version.questions.values_list("kind", flat=True)) == ["multiple", "single", "multiple"]


def test_headers_in_one_language_and_another_order_are_recognised_000_2_11(prog, methodist):
    header = [
        "Правильные ответы",
        "Вопрос (на русском)",
        "Вариант 1 (на русском)",
        "Вариант 2 (на русском)",
        "Модуль №",
    ]
    version = bank_import(program=prog, upload=xlsx([["2", "Вопрос?", "Да", "Нет", 2]], header=header), by=methodist)
    assert snapshot(version) == [(1, 2, "single", 1, "", "Вопрос?", [(1, "", "Да", False), (2, "", "Нет", True)])]


BAD_ROWS = [
    ("no text in either language", {"kk": "", "ru": "  "}, "no text in Kazakh or Russian"),
    ("one option only", {"options": [("Иә", "Да")], "correct": "1"}, "at least two options"),
    ("no correct option", {"correct": ""}, "No correct option"),
    ("correct option is empty", {"correct": "5"}, "The correct option 5 is empty"),
    ("two correct for single choice", {"correct": "1,2"}, "single-choice question has one correct option"),
    ("unknown kind", {"kind": "essay"}, "Unknown kind “essay”"),
    ("zero points", {"weight": 0}, "whole number from 1"),
    ("negative points", {"weight": -2}, "whole number from 1"),
    ("too many points", {"weight": 101}, "whole number from 1 to 100"),
    ("fractional points", {"weight": 1.5}, "whole number from 1"),
    ("points as words", {"weight": "много"}, "whole number from 1"),
    ("correct not numbers", {"correct": "Б"}, "not a list of option numbers"),
    ("module not of the program", {"module": 7}, "“7” is not a module of the program"),
    ("final assessment row", {"module": 3}, "“3” is not a module of the program"),
    ("module missing", {"module": None}, "module No. is missing"),
]


@pytest.mark.parametrize(("case", "changes", "message"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_refuses_the_whole_file_with_a_report_000_2_11(prog, methodist, case, changes, message):
    upload = xlsx([row(), row(**changes), row(module=2)])
    with pytest.raises(BankImportError) as failure:
        bank_import(program=prog, upload=upload, by=methodist)
    assert "nothing was saved" in failure.value.message
    rows = {number for number, _problem in failure.value.report}
    assert rows == {3}, failure.value.report
    assert any(message in problem for _number, problem in failure.value.report), failure.value.report
    assert not BankVersion.objects.exists() and not Question.objects.exists() and not Option.objects.exists()


def test_the_report_lists_every_bad_row_and_a_later_import_still_gets_number_one_000_2_11(prog, methodist):
    upload = xlsx([row(correct=""), row(), row(kind="x", weight=0)])
    with pytest.raises(BankImportError) as failure:
        bank_import(program=prog, upload=upload, by=methodist)
    assert [number for number, _problem in failure.value.report] == [2, 4, 4]
    assert "2 rows of the file have errors" in failure.value.message
    assert bank_import(program=prog, upload=xlsx([row()]), by=methodist).number == 1


def test_a_formula_is_refused_000_2_11(prog, methodist):
    upload = xlsx([row(correct="=1+1")])
    with pytest.raises(BankImportError) as failure:
        bank_import(program=prog, upload=upload, by=methodist)
    assert "formula" in failure.value.report[0][1]
    assert not BankVersion.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: xlsx([]), "lists no questions"),
        (lambda: xlsx([], header=None), "The file is empty"),
        (lambda: xlsx([[1, "Вопрос?", "2"]], header=["Модуль №", "Вопрос", "Ответ"]), "Columns are missing"),
        (lambda: SimpleUploadedFile("bank.xlsx", b"module;question\n1;What?\n"), "is not a XLSX file"),
        (lambda: SimpleUploadedFile("bank.csv", b"module;question\n1;What?\n"), "not accepted"),
    ],
    ids=["header only", "empty sheet", "missing columns", "text named xlsx", "csv"],
)
def test_a_file_that_is_not_a_bank_is_refused_000_2_11(prog, methodist, upload, message):
    with pytest.raises(DomainError) as failure:
        bank_import(program=prog, upload=upload(), by=methodist)
    assert message in failure.value.message
    assert not BankVersion.objects.exists()


def test_too_many_rows_are_refused_000_2_11(prog, methodist):
    with pytest.raises(DomainError) as failure:
        bank_import(program=prog, upload=xlsx([row()] * (MAX_ROWS + 1)), by=methodist)
    assert f"at most {MAX_ROWS}" in failure.value.message
    assert not BankVersion.objects.exists()


def test_a_trainer_may_not_import_000_2_11(prog, trainer):
    with pytest.raises(DomainError):
        bank_import(program=prog, upload=xlsx([row()]), by=trainer)
    assert not BankVersion.objects.exists()


def test_the_modules_are_those_of_the_program_without_the_final_assessment_000_2_11(prog):
    assert list(bank_modules(prog)) == [1, 2]


# --------------------------------------------------------------------------- export and the template


def test_an_exported_version_reimports_identically_000_2_11(prog, methodist):
    rows = [
        row(module=1, kk="Формула = жоқ", ru="-минус в начале", correct="3"),
        row(module=2, kind="multiple", weight=3, kk="", options=[*OPTIONS, ("", "Четыре"), ("Бес", "")], correct="4,5"),
        row(module=1, kk="Көп\nжолды", ru="Много\nстрок", options=[("@at", "+plus"), ("'=eq", "обычный")], correct="1"),
    ]
    first = bank_import(program=prog, upload=xlsx(rows), by=methodist)
    # Text that a spreadsheet would take for a formula is written with an apostrophe and read without it.
    assert Option.objects.filter(text_kk="=eq").exists() and Option.objects.filter(text_kk="@at").exists()
    content = bank_export(first)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 4
    assert [c.value for c in sheet[3]][:5] == [2, "multiple", 3, None, "Вопрос?"]
    assert sheet.cell(row=3, column=len(HEADER)).value == "4,5"
    second = bank_import(program=prog, upload=SimpleUploadedFile("again.xlsx", content), by=methodist)
    assert second.number == 2
    assert snapshot(second) == snapshot(first)


def test_the_template_has_a_readable_header_and_an_example_that_imports_000_2_11(prog, methodist):
    content = bank_template(prog)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "Модуль № / Модуль № / Module No."
    assert "Option 6 (Russian)" in header[-2] and "Вариант 6" in header[-2] and "6-нұсқа" in header[-2]
    assert sheet.max_row == 2
    version = bank_import(program=prog, upload=SimpleUploadedFile("template.xlsx", content), by=methodist)
    assert version.questions.get().options.get(is_correct=True).text_ru == "Не реже одного раза в пять лет"


# --------------------------------------------------------------------------- the pages


def _page(p):
    return f"/staff/assessment/programs/{p.pk}/"


def test_the_assessment_page_lists_versions_with_questions_per_module_000_2_11(client, prog, methodist):
    rows = [row(), row(kk=""), row(module=2, ru=""), row(options=[("Иә", ""), ("Жоқ", "Нет")], correct="1")]
    bank_import(program=prog, upload=xlsx(rows), by=methodist, note="черновик")
    bank_import(program=prog, upload=xlsx([row()]), by=methodist)
    client.force_login(methodist)
    response = client.get(_page(prog))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="version-1"' in html and 'id="version-2"' in html and "черновик" in html
    v1 = html.split('id="version-1"')[1].split("</tr>")[0]
    cells = [c.split(">", 1)[1].split("<")[0] for c in v1.split('<td class="num')[1:]]
    assert cells == ["3", "1", "4", "1", "2"]  # module 1, module 2, all, no Kazakh, no Russian (an option's)
    assert f"/staff/assessment/programs/{prog.pk}/bank/1.xlsx" in html
    assert f'action="/staff/assessment/programs/{prog.pk}/bank/import/"' in html


def test_a_bad_file_shows_the_report_with_status_400_and_saves_nothing_000_2_11(client, prog, methodist):
    client.force_login(methodist)
    upload = xlsx([row(), row(correct="9")])
    response = client.post(f"{_page(prog)}bank/import/", {"file": upload, "note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-report"' in html and "The correct option 9 is empty." in html and "<td>3</td>" in html
    assert not BankVersion.objects.exists()


def test_a_good_file_is_imported_from_the_page_000_2_11(client, prog, methodist):
    client.force_login(methodist)
    response = client.post(f"{_page(prog)}bank/import/", {"file": xlsx([row(), row()]), "note": "к весне"})
    # A task saves it (at once in the tests) while the job's page shows the progress, then leads back.
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == _page(prog)
    assert "Version 1 of the test bank is saved: 2 questions." in page.content.decode()
    version = BankVersion.objects.get(program=prog)
    assert (version.number, version.note, version.questions.count()) == (1, "к весне", 2)


def test_a_bank_import_task_run_again_makes_no_second_version_000_2_11(client, prog, methodist):
    from assessment.tasks import import_bank
    from ziat.models import Job

    client.force_login(methodist)
    client.post(f"{_page(prog)}bank/import/", {"file": xlsx([row(), row()]), "note": ""})
    job = Job.objects.get()
    # As after a worker died between the import's commit and the job's end: the job is still running.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    import_bank.enqueue(job.pk, prog.pk, methodist.pk, "")
    assert BankVersion.objects.filter(program=prog).count() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_a_trainer_reads_the_bank_but_may_not_import_000_2_11(client, prog, methodist, trainer):
    version = bank_import(program=prog, upload=xlsx([row(kk="Көрінетін сұрақ?")]), by=methodist)
    client.force_login(trainer)
    html = client.get(_page(prog)).content.decode()
    assert 'id="import"' not in html
    page = client.get(f"{_page(prog)}bank/{version.number}/")
    assert page.status_code == 200 and "Көрінетін сұрақ?" in page.content.decode()
    assert client.get(f"{_page(prog)}bank/1.xlsx").status_code == 200
    response = client.post(f"{_page(prog)}bank/import/", {"file": xlsx([row()])})
    assert response.status_code == 403
    assert BankVersion.objects.count() == 1


def test_a_listener_and_a_stranger_do_not_reach_the_bank_000_2_11(client, prog, methodist):
    bank_import(program=prog, upload=xlsx([row()]), by=methodist)
    urls = [_page(prog), f"{_page(prog)}bank/1/", f"{_page(prog)}bank/1.xlsx", f"{_page(prog)}bank/template.xlsx"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(enrolment(listener_=listener()).listener.user)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(f"{_page(prog)}bank/import/", {"file": xlsx([row()])}).status_code == 403


def test_the_version_page_marks_the_correct_options_000_2_11(client, prog, methodist):
    bank_import(
        program=prog,
        upload=xlsx([row(module=2, kind="multiple", ru="Какие верны?", correct="1,3")]),
        by=methodist,
    )
    client.force_login(methodist)
    html = client.get(f"{_page(prog)}bank/1/").content.decode()
    assert "Какие верны?" in html and 'id="module-2"' in html
    assert html.count('class="correct"') == 4  # two options, in Kazakh and in Russian
    assert '<li value="2">Два</li>' in html


def test_template_and_export_downloads_are_excel_000_2_11(client, prog, methodist):
    bank_import(program=prog, upload=xlsx([row()]), by=methodist)
    client.force_login(methodist)
    for url in (f"{_page(prog)}bank/template.xlsx", f"{_page(prog)}bank/1.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert load_workbook(io.BytesIO(response.content)).worksheets[0].max_row == 2
    assert client.get(f"{_page(prog)}bank/9.xlsx").status_code == 404


def _bank_of(p, by, versions, questions):
    for _ in range(versions):
        rows = [row(module=1 + i % 2, kk="" if i % 3 else "Сұрақ?") for i in range(questions)]
        bank_import(program=p, upload=xlsx(rows), by=by)


def test_the_assessment_page_queries_do_not_grow_with_versions_and_questions_000_2_11(client, methodist):
    small, large = program(final=FINAL), program(final=FINAL)
    _bank_of(small, methodist, versions=1, questions=2)
    _bank_of(large, methodist, versions=4, questions=30)
    client.force_login(methodist)
    assert page_queries(client, _page(small)) == page_queries(client, _page(large))


def test_the_version_page_queries_do_not_grow_with_questions_000_2_11(client, methodist):
    small, large = program(), program()
    _bank_of(small, methodist, versions=1, questions=2)
    _bank_of(large, methodist, versions=1, questions=40)
    client.force_login(methodist)
    assert page_queries(client, f"{_page(small)}bank/1/") == page_queries(client, f"{_page(large)}bank/1/")


# --------------------------------------------------------------------------- the demo bank


def test_the_demo_bank_of_program_004_covers_every_module_000_2_11(org, methodist, director):
    program_004 = programs_demo.program_004(by_methodist=methodist, by_director=director)
    modules = bank_modules(program_004)
    version = demo_bank(program_004, methodist)
    assert list(modules) == sorted(QUESTIONS)
    questions = list(version.questions.prefetch_related("options"))
    assert len(questions) >= 25
    per_module = {n: sum(1 for q in questions if q.module_number == n) for n in modules}
    # A 25-question final test draws ceil(25 / modules) questions of each module.
    assert min(per_module.values()) >= -(-25 // len(modules))
    assert all(q.text_kk and q.text_ru and q.weight == 1 for q in questions)
    assert all(o.text_kk and o.text_ru for q in questions for o in q.options.all())
    assert any(q.kind == "multiple" for q in questions)
    assert demo_bank(program_004, methodist) == version
    again = bank_import(program=program_004, upload=SimpleUploadedFile("demo.xlsx", bank_export(version)), by=methodist)
    assert snapshot(again) == snapshot(version)
