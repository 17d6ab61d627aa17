"""The test bank of a program (000 §2.11, SPEC 4.2): imported from Excel as frozen versions, exported back.

A bank is kept in one Excel sheet, one question a row: the module No., the kind (single or multiple
choice), the points, the question in Kazakh and Russian, up to six options in both languages and the
numbers of the correct options ("2" or "1,3"). An import reads the whole file and checks every row
first; a file with any bad row saves nothing and returns a report of (row, problem). A good file
becomes the program's next version; earlier versions are never changed. An exported version re-imports
to an identical one.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.models import Module, Program
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.excel import as_text, open_sheet, sheet_rows, workbook

from ..enums import QuestionKind
from ..models import BankVersion, Option, Question

MAX_ROWS = 2000
MAX_OPTIONS = 6
MAX_TEXT = 2000
MAX_WEIGHT = 100
SHEET_TITLE = "Сұрақтар - Вопросы"

# The columns of the sheet: the key, the header as the template writes it (Kazakh / Russian / English),
# then further headers accepted for it. Each part of the written header is accepted on its own too, so a
# file whose header row is in one language only is read as well. The headers do not depend on the
# interface language: the same file goes round between Kazakh- and Russian-speaking methodists.
_BASE_COLUMNS = [
    ("module", "Модуль № / Модуль № / Module No.", ("модуль", "module", "№ модуля", "номер модуля", "module number")),
    ("kind", "Түрі / Тип / Kind", ("сұрақ түрі", "тип вопроса", "type")),
    ("weight", "Балл / Балл / Points", ("баллы", "ұпай", "weight")),
    (
        "text_kk",
        "Сұрақ (қазақша) / Вопрос (на казахском) / Question (Kazakh)",
        ("сұрақ", "вопрос (каз.)", "вопрос (казахский)", "question (kk)"),
    ),
    (
        "text_ru",
        "Сұрақ (орысша) / Вопрос (на русском) / Question (Russian)",
        ("вопрос", "вопрос (рус.)", "вопрос (русский)", "question (ru)"),
    ),
]
_CORRECT_COLUMN = (
    "correct",
    "Дұрыс жауаптар / Правильные ответы / Correct",
    ("дұрыс", "дұрыс жауап", "правильный ответ", "правильные", "ответ", "correct options", "answer"),
)


def _option_columns(n):
    return [
        (
            f"option_{n}_kk",
            f"{n}-нұсқа (қазақша) / Вариант {n} (на казахском) / Option {n} (Kazakh)",
            (f"нұсқа {n} (қазақша)", f"вариант {n} (каз.)", f"option {n} (kk)"),
        ),
        (
            f"option_{n}_ru",
            f"{n}-нұсқа (орысша) / Вариант {n} (на русском) / Option {n} (Russian)",
            (f"нұсқа {n} (орысша)", f"вариант {n} (рус.)", f"option {n} (ru)"),
        ),
    ]


COLUMNS = [
    *_BASE_COLUMNS,
    *[column for n in range(1, MAX_OPTIONS + 1) for column in _option_columns(n)],
    _CORRECT_COLUMN,
]
HEADER = [written for _key, written, _more in COLUMNS]
KEYS = [key for key, _written, _more in COLUMNS]

# The words accepted in the kind column, besides the values themselves.
KINDS = {
    QuestionKind.SINGLE: ("single", "бір", "бір жауап", "один", "один ответ", "одиночный"),
    QuestionKind.MULTIPLE: ("multiple", "бірнеше", "бірнеше жауап", "несколько", "несколько ответов", "множественный"),
}


def _norm(text):
    return " ".join(str(text).split()).casefold()


def _aliases():
    aliases = {}
    for key, written, more in COLUMNS:
        for name in (written, *written.split(" / "), *more):
            aliases.setdefault(_norm(name), key)
    return aliases


ALIASES = _aliases()
KIND_WORDS = {_norm(word): kind for kind, words in KINDS.items() for word in words}


class BankImportError(DomainError):
    """A file with bad rows: ``report`` lists (row number, problem), in the order of the file."""

    def __init__(self, message, report):
        super().__init__(message)
        self.report = report


# --------------------------------------------------------------------------- the modules


def bank_modules(program):
    """The modules a question may belong to: {No.: title}, final-assessment rows left out.

    The modules of the approved (taught) version and of the current one, if a new version is being
    drafted, so that a bank can be prepared for both; where both have a module No., the current title wins.
    """
    versions = [v for v in (program.approved_version_id, program.current_version_id) if v]
    modules = Module.objects.filter(version_id__in=versions, is_final_assessment=False).order_by("position")
    titles = {}
    for module in modules:
        if module.position not in titles or module.version_id == program.current_version_id:
            titles[module.position] = module.title
    return dict(sorted(titles.items()))


# --------------------------------------------------------------------------- reading a file


@dataclass
class ParsedQuestion:
    row: int
    module_number: int
    kind: str
    weight: int
    text_kk: str
    text_ru: str
    options: list = field(default_factory=list)  # (position, text_kk, text_ru, is_correct)


def _cell_text(value):
    """A cell as text; a leading apostrophe that kept text from being taken for a formula is dropped."""
    text = as_text(value)
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def _whole_number(value):
    """A positive whole number from a cell (a number or its text), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value > 0 else None
    text = as_text(value)
    return int(text) if text.isdigit() and int(text) > 0 else None


def _load(upload):
    return open_sheet(upload, max_rows=MAX_ROWS)


def _positions(header):
    """{key: column index} from the header row; refuses a file without the columns a question needs."""
    positions = {}
    for index, cell in enumerate(header):
        key = ALIASES.get(_norm(cell.value)) if cell.value not in (None, "") else None
        if key is None:
            continue
        if key in positions:
            raise DomainError(_("The column “%(column)s” appears twice.") % {"column": cell.value})
        positions[key] = index
    missing = [written for key, written, _more in COLUMNS if key in ("module", "correct") and key not in positions]
    if "text_kk" not in positions and "text_ru" not in positions:
        missing.append(HEADER[KEYS.index("text_ru")])
    for n in (1, 2):
        if f"option_{n}_kk" not in positions and f"option_{n}_ru" not in positions:
            missing.append(HEADER[KEYS.index(f"option_{n}_ru")])
    if missing:
        raise DomainError(_("Columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return positions


def _parse_row(row, values, modules):
    """A row as a ParsedQuestion and the list of its problems (a question is usable only without any)."""
    errors = []
    text = {key: _cell_text(values.get(key)) for key in KEYS if key not in ("module", "weight")}

    module_number = None
    raw_module = values.get("module")
    if raw_module in (None, ""):
        errors.append(_("The module No. is missing."))
    else:
        module_number = _whole_number(raw_module)
        if module_number not in modules:
            errors.append(
                _("“%(value)s” is not a module of the program; its modules are %(modules)s.")
                % {"value": as_text(raw_module), "modules": ", ".join(str(n) for n in modules) or "—"}
            )

    kind = QuestionKind.SINGLE
    if text["kind"]:
        kind = KIND_WORDS.get(_norm(text["kind"]))
        if kind is None:
            errors.append(_("Unknown kind “%(value)s”: write single or multiple.") % {"value": text["kind"]})

    weight = 1
    raw_weight = values.get("weight")
    if raw_weight not in (None, ""):
        weight = _whole_number(raw_weight)
        if not weight or weight > MAX_WEIGHT:
            errors.append(
                _("The points must be a whole number from 1 to %(max)s, not “%(value)s”.")
                % {"max": MAX_WEIGHT, "value": as_text(raw_weight)}
            )

    if not text["text_kk"] and not text["text_ru"]:
        errors.append(_("The question has no text in Kazakh or Russian."))
    if any(len(value) > MAX_TEXT for value in text.values()):
        errors.append(_("A text is longer than %(max)s characters.") % {"max": MAX_TEXT})

    options = {
        n: (text[f"option_{n}_kk"], text[f"option_{n}_ru"])
        for n in range(1, MAX_OPTIONS + 1)
        if text[f"option_{n}_kk"] or text[f"option_{n}_ru"]
    }
    if len(options) < 2:
        errors.append(_("A question needs at least two options; this one has %(count)s.") % {"count": len(options)})

    correct = set()
    if not text["correct"]:
        errors.append(_("No correct option is given."))
    else:
        parts = [p for p in re.split(r"[\s,;./]+", text["correct"]) if p]
        if not parts or not all(p.isdigit() for p in parts):
            errors.append(
                _("“%(value)s” in the correct column is not a list of option numbers such as 2 or 1,3.")
                % {"value": text["correct"]}
            )
        else:
            correct = {int(p) for p in parts}
            for n in sorted(correct - set(options)):
                errors.append(_("The correct option %(number)s is empty.") % {"number": n})
            if kind == QuestionKind.SINGLE and len(correct) > 1:
                errors.append(
                    _("A single-choice question has one correct option; %(count)s are given.") % {"count": len(correct)}
                )

    question = ParsedQuestion(
        row=row,
        module_number=module_number,
        kind=kind,
        weight=weight,
        text_kk=text["text_kk"],
        text_ru=text["text_ru"],
        options=[(n, kk, ru, n in correct) for n, (kk, ru) in options.items()],
    )
    return question, errors


def bank_read(upload, *, program):
    """Read and check an uploaded bank: the list of ParsedQuestion, in the order of the file.

    Refuses (DomainError) a file that is not an .xlsx workbook by its content, has merged cells, lacks
    the columns, has no questions or more than MAX_ROWS rows; refuses (BankImportError, with the report)
    a file with any bad row. Nothing is saved here.
    """
    sheet = _load(upload)
    modules = bank_modules(program)
    rows = sheet_rows(sheet)
    first = next(rows, None)
    if first is None or all(c.value in (None, "") for c in first[1]):
        raise DomainError(_("The file is empty."))
    positions = _positions(first[1])
    questions, report = [], []
    for row, cells in rows:
        if all(c.value in (None, "") for c in cells):
            continue
        formulas = [c for c in cells if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))]
        if formulas:
            report.append(
                (row, _("Cell %(cell)s holds a formula; paste values only.") % {"cell": formulas[0].coordinate})
            )
            continue
        values = {key: (cells[i].value if i < len(cells) else None) for key, i in positions.items()}
        question, errors = _parse_row(row, values, modules)
        report.extend((row, error) for error in errors)
        questions.append(question)
    if not questions and not report:
        raise DomainError(_("The file lists no questions."))
    if report:
        bad = len({row for row, _error in report})
        raise BankImportError(
            ngettext(
                "%(count)s row of the file has errors; nothing was saved.",
                "%(count)s rows of the file have errors; nothing was saved.",
                bad,
            )
            % {"count": bad},
            report,
        )
    return questions


# --------------------------------------------------------------------------- import


@transaction.atomic
def bank_import(*, program, upload, by, note="", job_id=None):
    """Import an Excel bank as the program's next version (000 §2.11): all its questions, or nothing.

    ``job_id`` names the background job doing it: the version it already made is returned, not made twice.
    """
    access.require(by, "assessment.add_bankversion", program, _("You may not import test banks."))
    note = " ".join((note or "").split())
    limit = BankVersion._meta.get_field("note").max_length
    if len(note) > limit:
        raise DomainError(_("The note is longer than %(max)s characters.") % {"max": limit})
    # The program row is locked so that two imports at once get different numbers.
    program = Program.objects.select_for_update().get(pk=program.pk)
    if job_id is not None:
        done = BankVersion.objects.filter(program=program, import_job_id=job_id).first()
        if done is not None:
            return done
    questions = bank_read(upload, program=program)
    last = program.bank_versions.order_by("-number").values_list("number", flat=True).first() or 0
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    version = BankVersion.objects.create(
        program=program,
        number=last + 1,
        source_name=name[: BankVersion._meta.get_field("source_name").max_length],
        note=note,
        created_by=by,
        import_job_id=job_id,
    )
    saved = Question.objects.bulk_create(
        Question(
            bank=version,
            module_number=q.module_number,
            position=position,
            kind=q.kind,
            weight=q.weight,
            text_kk=q.text_kk,
            text_ru=q.text_ru,
        )
        for position, q in enumerate(questions, start=1)
    )
    Option.objects.bulk_create(
        Option(question=question, position=n, text_kk=kk, text_ru=ru, is_correct=correct)
        for question, parsed in zip(saved, questions, strict=True)
        for n, kk, ru, correct in parsed.options
    )
    log_action(
        version,
        "assessment.bank.imported",
        by=by,
        after={"number": version.number, "questions": len(saved), "file": name},
        note=note,
    )
    return version


# --------------------------------------------------------------------------- export and the template


def bank_row(module_number, kind, weight, text_kk, text_ru, options):
    """A row of the sheet; ``options`` are (position, text_kk, text_ru, is_correct)."""
    cells = {"module": module_number, "kind": str(kind), "weight": weight, "text_kk": text_kk, "text_ru": text_ru}
    for n, kk, ru, _correct in options:
        cells[f"option_{n}_kk"], cells[f"option_{n}_ru"] = kk, ru
    cells["correct"] = ",".join(str(n) for n, _kk, _ru, correct in options if correct)
    return [cells.get(key) if cells.get(key) not in ("", None) else None for key in KEYS]


def bank_workbook(rows):
    """The .xlsx bytes of a bank sheet with ``rows`` (each as bank_row gives it)."""
    return workbook([(SHEET_TITLE, HEADER, rows)])


def bank_export(version):
    """The version as .xlsx bytes in the layout of the template; importing it gives an identical version."""
    questions = version.questions.prefetch_related("options").order_by("position")
    rows = []
    for q in questions:
        options = [(o.position, o.text_kk, o.text_ru, o.is_correct) for o in q.options.all()]
        if any(n > MAX_OPTIONS for n, *_rest in options):
            raise DomainError(_("A question has more options than the Excel layout holds."))
        rows.append(bank_row(q.module_number, q.kind, q.weight, q.text_kk, q.text_ru, options))
    return bank_workbook(rows)


def bank_template(program):
    """An empty bank with the header and one example question of the program's first module."""
    modules = bank_modules(program)
    example = bank_row(
        next(iter(modules), 1),
        QuestionKind.SINGLE,
        1,
        "Педагог аттестаттаудан қаншалықты жиі өтеді?",
        "Как часто педагог проходит аттестацию?",
        [
            (1, "Жыл сайын", "Ежегодно", False),
            (2, "Бес жылда кемінде бір рет", "Не реже одного раза в пять лет", True),
            (3, "Он жылда бір рет", "Один раз в десять лет", False),
        ],
    )
    return bank_workbook([example])
