"""Module grades of the certificate's appendix set by the program's rule (001 App. 4, SPEC 4.6).

The program's assessment rules say how (``AssessmentScheme.module_grade_rule``; "entered by the trainer"
when a program has no rules):

- from the final test: for each module, the share of the listener's final attempt's questions of that module
  answered correctly, on ``SHARE_SCALE``; a module with no question in the attempt (or a result typed in by a
  person, with no attempt) is "credited";
- "credited" for every module;
- entered by the trainer: nothing is filled.

Only listeners who passed (``Outcome.eligible``) get grades. A grade the trainer entered is never
overwritten; the grades set here are marked as set by the rule. The text is written in the cohort's
language of instruction (both languages, Kazakh first, for a Kazakh-Russian cohort), as printed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.enums import Language
from ziat import access
from ziat.errors import DomainError

from ..activity import log_module_grades
from ..enums import Grade, GradeSource, ModuleGradeRule
from ..models import AssessmentScheme, AttemptItem, ModuleGrade
from ..outcomes import cohort_outcomes
from ..selectors import grade_modules

# The grade of a module from the share of its questions answered correctly in the final test, in percent:
# at least 90 excellent, at least 75 good, at least 50 satisfactory, below 50 unsatisfactory.
SHARE_SCALE = (
    (Decimal(90), Grade.EXCELLENT),
    (Decimal(75), Grade.GOOD),
    (Decimal(50), Grade.SATISFACTORY),
)
CREDITED = gettext_lazy("credited")


def share_grade(correct, total):
    """The grade of ``correct`` of ``total`` questions on ``SHARE_SCALE``."""
    percent = Decimal(correct) * 100 / Decimal(total)
    for floor, grade in SHARE_SCALE:
        if percent >= floor:
            return grade
    return Grade.UNSATISFACTORY


def grade_text(label, language):
    """``label`` (a lazy translation) in the cohort's ``language``: "kk", "ru" or both ("kk_ru")."""
    codes = ("kk", "ru") if language == Language.KK_RU else (language,)
    texts = []
    for code in codes:
        with translation.override(code):
            texts.append(str(label))
    return " / ".join(dict.fromkeys(texts))


def module_rule(program_id):
    scheme = AssessmentScheme.objects.filter(program_id=program_id).first()
    return scheme.module_grade_rule if scheme else ModuleGradeRule.TRAINER


@dataclass
class FillReport:
    rule: str
    filled: int = 0  # grades written by the rule
    kept: int = 0  # grades left as the trainer entered them
    listeners: int = 0  # listeners who passed and were graded
    not_passed: int = 0  # listeners left without grades: they have not passed (yet)


def _tally(attempt_ids):
    """{(attempt id, module number): (correct, asked)} of the attempts' questions."""
    tally = {}
    rows = AttemptItem.objects.filter(attempt_id__in=attempt_ids).values_list(
        "attempt_id", "question__module_number", "is_correct"
    )
    for attempt_id, number, correct in rows:
        right, asked = tally.get((attempt_id, number), (0, 0))
        tally[(attempt_id, number)] = (right + (correct is True), asked + 1)
    return tally


@transaction.atomic
def module_grades_fill(*, cohort, by):
    """Fill the module grades of the cohort's listeners who passed by the program's rule (001 App. 4)."""
    access.require(by, "assessment.change_modulegrade", cohort, _("You may not record module grades."))
    rule = module_rule(cohort.program_id)
    if rule == ModuleGradeRule.TRAINER:
        raise DomainError(
            _("The module grades of this program are entered by the trainer; there is no rule to fill them from.")
        )
    modules = grade_modules(cohort.version_id)
    outcomes = cohort_outcomes(cohort)
    passed = [o.enrolment for o in outcomes if o.eligible]
    report = FillReport(rule=rule, listeners=len(passed), not_passed=len(outcomes) - len(passed))
    if not modules or not passed:
        return report

    attempt_of = {}
    if rule == ModuleGradeRule.TEST_SHARE:
        for e in passed:
            final = getattr(e, "final_result", None)
            if final is not None and final.attempt_id:
                attempt_of[e.pk] = final.attempt_id
    tally = _tally(attempt_of.values()) if attempt_of else {}

    # Locked, so that a grade the trainer saves meanwhile is either seen here or saved after.
    existing = {
        (g.enrolment_id, g.module_id): g
        for g in ModuleGrade.objects.select_for_update().filter(enrolment__in=[e.pk for e in passed])
    }
    texts, to_create, to_update, changes = {}, [], {}, []
    for e in passed:
        for m in modules:
            right, asked = tally.get((attempt_of.get(e.pk), m.position), (0, 0))
            grade = share_grade(right, asked) if asked else None
            if grade not in texts:
                texts[grade] = grade_text(grade.label if grade else CREDITED, cohort.language)
            text = texts[grade]
            saved = existing.get((e.pk, m.pk))
            if saved is None:
                to_create.append(ModuleGrade(enrolment=e, module=m, grade=text, source=GradeSource.RULE))
                changes.append((e.pk, m.pk, None, text))
            elif saved.source == GradeSource.TRAINER:
                report.kept += 1
                continue
            elif saved.grade != text:
                to_update.setdefault(text, []).append(saved.pk)
                changes.append((e.pk, m.pk, saved.grade, text))
            report.filled += 1
    ModuleGrade.objects.bulk_create(to_create, ignore_conflicts=True)
    for text, pks in to_update.items():
        ModuleGrade.objects.filter(pk__in=pks, source=GradeSource.RULE).update(grade=text)
    log_module_grades(cohort, changes, by=by, action="assessment.module_grade.filled")
    return report
