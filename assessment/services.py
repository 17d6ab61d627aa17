from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ziat.errors import DomainError

from .models import FinalResult


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
    if not by.has_perm("assessment.change_finalresult"):
        raise DomainError(_("You may not record final results."))
    score = parse_score(score, enrolment.cohort.test_max_score)
    result, _created = FinalResult.objects.update_or_create(
        enrolment=enrolment, defaults={"score": score, "recorded_by": by}
    )
    return result


@transaction.atomic
def final_results_record(*, cohort, scores, by):
    """Record the scores of a cohort at once: ``scores`` maps enrolment id to typed text ('' = none).

    Every score is checked first; if one is wrong, nothing is saved and all errors are returned.
    """
    enrolments = {e.pk: e for e in cohort.enrolments.select_related("cohort")}
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
    if not by.has_perm("assessment.change_finalresult"):
        raise DomainError(_("You may not record final results."))
    for enrolment_id, score in parsed.items():
        FinalResult.objects.update_or_create(enrolment_id=enrolment_id, defaults={"score": score, "recorded_by": by})
    return {}
