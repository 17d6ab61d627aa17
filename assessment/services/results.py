from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Module
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError

from ..activity import log_final_results, log_module_grades
from ..enums import GradeSource
from ..models import FinalResult, ModuleGrade


def parse_score(raw, max_score):
    """A score typed by a person: a number from 0 to the maximum, in steps of 0.1."""
    text = str(raw).strip().replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise DomainError(_("“%(value)s” is not a number.") % {"value": raw}) from None
    if not score.is_finite() or score < 0:
        raise DomainError(_("A score cannot be negative."))
    if score > max_score:
        raise DomainError(_("A score of %(score)s is above the maximum %(max)s.") % {"score": score, "max": max_score})
    if score != score.quantize(Decimal("0.1")):
        raise DomainError(_("A score has at most one decimal place."))
    return score


@transaction.atomic
def final_result_record(*, enrolment, score, by):
    access.require(by, "assessment.change_finalresult", enrolment.cohort, _("You may not record final results."))
    score = parse_score(score, enrolment.cohort.test_max_score)
    before = FinalResult.objects.filter(enrolment=enrolment).values_list("score", flat=True).first()
    result, _created = FinalResult.objects.update_or_create(
        enrolment=enrolment, defaults={"score": score, "recorded_by": by, "attempt": None}
    )
    if before != score:
        log_action(
            result,
            "assessment.final_result.recorded",
            by=by,
            before=None if before is None else {"score": before},
            after={"score": score},
        )
    return result


@transaction.atomic
def final_results_record(*, cohort, scores, by):
    """Record the scores of a cohort at once: ``scores`` maps enrolment id to typed text ('' = none).

    Every score is checked first; if one is wrong, nothing is saved and all errors are returned.
    """
    access.require(by, "assessment.change_finalresult", cohort, _("You may not record final results."))
    enrolments = {e.pk: e for e in cohort.enrolments.select_related("cohort", "listener__user")}
    errors, parsed = {}, {}
    for enrolment_id, raw in scores.items():
        if enrolment_id not in enrolments:
            raise DomainError(_("The result sheet does not match this cohort; nothing was saved."))
        if str(raw).strip() == "":
            continue
        try:
            parsed[enrolment_id] = parse_score(raw, cohort.test_max_score)
        except DomainError as e:
            errors[enrolment_id] = e.message
    if errors:
        return errors
    saved = dict(FinalResult.objects.filter(enrolment__cohort=cohort).values_list("enrolment_id", "score"))
    changes = []
    for enrolment_id, score in parsed.items():
        result, _created = FinalResult.objects.update_or_create(
            enrolment_id=enrolment_id, defaults={"score": score, "recorded_by": by, "attempt": None}
        )
        if saved.get(enrolment_id) != score:
            before = saved.get(enrolment_id)
            changes.append((result, None if before is None else {"score": before}, {"score": score}))
    log_final_results(cohort, enrolments, changes, by=by)
    return {}


GRADE_MAX_LENGTH = ModuleGrade._meta.get_field("grade").max_length


@transaction.atomic
def module_grades_save(*, cohort, grades, by):
    """Save the module grades of a cohort at once (001 App. 4).

    ``grades`` maps (enrolment id, module id) to the grade's text; an empty text removes the grade.
    Every cell is checked first: a module not of the cohort's program version (or a final-assessment
    row), an enrolment not of the cohort or a grade too long refuses the whole sheet; nothing is saved.
    """
    access.require(by, "assessment.change_modulegrade", cohort, _("You may not record module grades."))
    modules = set(
        Module.objects.filter(version_id=cohort.version_id, is_final_assessment=False).values_list("pk", flat=True)
    )
    enrolments = set(cohort.enrolments.values_list("pk", flat=True))
    to_save, to_clear = {}, []
    for (enrolment_id, module_id), raw in grades.items():
        if enrolment_id not in enrolments or module_id not in modules:
            raise DomainError(_("The grade sheet does not match this cohort; nothing was saved."))
        text = " ".join(str(raw).split())
        if len(text) > GRADE_MAX_LENGTH:
            raise DomainError(
                _("A grade has at most %(max)s characters; nothing was saved.") % {"max": GRADE_MAX_LENGTH}
            )
        if text:
            to_save[(enrolment_id, module_id)] = text
        else:
            to_clear.append((enrolment_id, module_id))
    saved = {
        (g.enrolment_id, g.module_id): g.grade
        for g in ModuleGrade.objects.filter(enrolment_id__in=enrolments, module_id__in=modules)
    }
    changes = []
    for (enrolment_id, module_id), text in to_save.items():
        if saved.get((enrolment_id, module_id)) == text:
            continue  # unchanged: a grade set by the program's rule stays the rule's
        ModuleGrade.objects.update_or_create(
            enrolment_id=enrolment_id,
            module_id=module_id,
            defaults={"grade": text, "source": GradeSource.TRAINER},
        )
        changes.append((enrolment_id, module_id, saved.get((enrolment_id, module_id)), text))
    for enrolment_id, module_id in to_clear:
        if ModuleGrade.objects.filter(enrolment_id=enrolment_id, module_id=module_id).delete()[0]:
            changes.append((enrolment_id, module_id, saved.get((enrolment_id, module_id)), None))
    log_module_grades(cohort, changes, by=by)
    return len(to_save)
