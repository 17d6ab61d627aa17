from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from enrolment.enums import EnrolmentStatus
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


def may_record_results(user, cohort):
    """Who types a cohort's final results: staff with the permission; a trainer only for a cohort they teach."""
    return access.may(user, "assessment.change_finalresult", cohort)


def typed_by_hand(enrolment):
    """Whether the sheet takes a typed score for ``enrolment``: not for an expelled listener (they take no
    final assessment), nor over a score the server took from the listener's online test."""
    final = getattr(enrolment, "final_result", None)
    return enrolment.status != EnrolmentStatus.EXPELLED and (final is None or final.attempt_id is None)


@transaction.atomic
def final_results_record(*, cohort, scores, by):
    """Record the typed scores of a cohort at once: ``scores`` maps enrolment id to typed text ('' = none).

    Only staff who may record the cohort's results do so. Every score is checked first; if one is wrong (not
    a number, out of range, an expelled listener's, or over an online test's result), nothing is saved and
    all errors are returned, keyed by enrolment id. An unchanged score keeps who recorded it.
    """
    access.require(
        by, "assessment.change_finalresult", cohort, _("You may not record the final results of this cohort.")
    )
    enrolments = {e.pk: e for e in cohort.enrolments.select_related("cohort", "listener__user", "final_result")}
    errors, parsed = {}, {}
    for enrolment_id, raw in scores.items():
        if enrolment_id not in enrolments:
            raise DomainError(_("The result sheet does not match this cohort; nothing was saved."))
        if str(raw).strip() == "":
            continue
        enrolment = enrolments[enrolment_id]
        if enrolment.status == EnrolmentStatus.EXPELLED:
            errors[enrolment_id] = _("The listener is expelled; no final result is recorded.")
            continue
        if not typed_by_hand(enrolment):
            errors[enrolment_id] = _("This score comes from the online final test; it is not typed over.")
            continue
        try:
            parsed[enrolment_id] = parse_score(raw, cohort.test_max_score)
        except DomainError as e:
            errors[enrolment_id] = e.message
    if errors:
        return errors
    saved = {pk: e.final_result.score for pk, e in enrolments.items() if getattr(e, "final_result", None)}
    changes = []
    for enrolment_id, score in parsed.items():
        before = saved.get(enrolment_id)
        if before == score:
            continue  # unchanged: who recorded it stays
        result, _created = FinalResult.objects.update_or_create(
            enrolment_id=enrolment_id, defaults={"score": score, "recorded_by": by, "attempt": None}
        )
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
