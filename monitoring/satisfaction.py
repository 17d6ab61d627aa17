"""The listeners' satisfaction with the course, asked during it (000 §4.5 4)), kept anonymous.

A listener enrolled in a running cohort (or one ended at most ``OPEN_DAYS_AFTER_END`` days ago) rates the
content, the organisation and the teaching from 1 to 5 and may add a comment. What is kept cannot be
traced back to anyone:

- ``SatisfactionReceipt`` says only *that* the listener answered (so that nobody answers twice);
- ``SatisfactionTally`` counts the scores: the fifteen rows of a cohort (three aspects, five scores) are
  made together, in a fixed order, on the first answer, and each answer only adds one to three counts, so
  neither the rows nor their ids tell in which order anyone answered;
- ``SatisfactionComment`` keeps the text under a random key, with no time.

The database itself stamps every row version with the transaction that wrote it, and keeps rows in the
order they were written. So once an answer has committed, a second transaction (``satisfaction_mix``)
rewrites all of the cohort's counts and writes its comments anew in a random order under new keys: from
then on every anonymous row of the cohort carries that one transaction and no order of arrival, and none
shares a transaction with a receipt. (Superseded row versions stay on disk until the database vacuums them.)

For the same reason the answer itself is not written to the activity log (an entry would carry the
listener and the time): the receipt is the record that the listener answered.

Results are shown per cohort only from ``monitoring.rules.SATISFACTION_MIN_ANSWERS`` answers on
(``monitoring.selectors.satisfaction_results``).
"""

import datetime
import random

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.cabinet import Panel, register
from enrolment.enums import EnrolmentStatus
from ziat.errors import DomainError

from .enums import SatisfactionAspect
from .models import SCORES, SatisfactionComment, SatisfactionReceipt, SatisfactionTally

# The questionnaire stays open this long after the course's last day, for those who could not answer on it.
OPEN_DAYS_AFTER_END = 14
ASPECTS = tuple(SatisfactionAspect.values)


def satisfaction_is_open(cohort, today):
    """Whether the cohort's questionnaire may be answered on ``today``: during the course and shortly after."""
    return cohort.starts_on <= today <= cohort.ends_on + datetime.timedelta(days=OPEN_DAYS_AFTER_END)


def _check(enrolment, by, today):
    if enrolment is None or enrolment.listener.user_id != by.pk:
        raise DomainError(_("Only the cohort's listeners answer its questionnaire."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise DomainError(_("Only listeners enrolled in the course answer its questionnaire."))
    if not satisfaction_is_open(enrolment.cohort, today):
        raise DomainError(_("The questionnaire is open during the course and two weeks after it."))


def satisfaction_answer(enrolment, *, by, content, organisation, teaching, comment="", today=None):
    """Count one listener's scores and keep their comment, so that nothing links them to the listener."""
    today = today or timezone.localdate()
    _check(enrolment, by, today)
    scores = {SatisfactionAspect.CONTENT: content, SatisfactionAspect.ORGANISATION: organisation}
    scores[SatisfactionAspect.TEACHING] = teaching
    try:
        scores = {aspect: int(value) for aspect, value in scores.items()}
    except (TypeError, ValueError):
        scores = {}
    if len(scores) != len(ASPECTS) or any(value not in SCORES for value in scores.values()):
        raise DomainError(_("Rate each aspect from 1 to 5."))
    cohort_id = enrolment.cohort_id
    with transaction.atomic():
        try:
            with transaction.atomic():
                SatisfactionReceipt.objects.create(enrolment=enrolment)
        except IntegrityError:
            raise DomainError(_("You have already answered this questionnaire.")) from None
        # All fifteen counts of the cohort exist from the first answer on, made in the same order whoever
        # answers first; an answer then adds to three of them (row locks: no count is lost).
        SatisfactionTally.objects.bulk_create(
            [SatisfactionTally(cohort_id=cohort_id, aspect=a, score=s, count=0) for a in ASPECTS for s in SCORES],
            ignore_conflicts=True,
        )
        chosen = Q(pk__in=[])
        for aspect, score in scores.items():
            chosen |= Q(aspect=aspect, score=score)
        SatisfactionTally.objects.filter(chosen, cohort_id=cohort_id).update(count=F("count") + 1)
        if comment and comment.strip():
            SatisfactionComment.objects.create(cohort_id=cohort_id, text=comment.strip())
        # The answer stands once committed; a mix that fails (logged) is done again by the cohort's next answer.
        transaction.on_commit(lambda: satisfaction_mix(cohort_id), robust=True)


def satisfaction_mix(cohort_id):
    """Rewrite the cohort's counts and comments in one transaction of their own, the comments in a random
    order under new keys, so that no transaction id or order ties an answer to the receipt written with it."""
    with transaction.atomic():
        tallies = SatisfactionTally.objects.filter(cohort_id=cohort_id)
        list(tallies.select_for_update().values_list("pk", flat=True))
        tallies.update(count=F("count"))
        comments = SatisfactionComment.objects.filter(cohort_id=cohort_id)
        texts = list(comments.select_for_update().values_list("text", flat=True))
        random.SystemRandom().shuffle(texts)
        comments.delete()
        SatisfactionComment.objects.bulk_create([SatisfactionComment(cohort_id=cohort_id, text=t) for t in texts])


# ------------------------------------------------------------------------------------------ the cabinet


def _satisfaction_panel(enrolments, *, today):
    """The courses whose questionnaire the listener may still answer, or has answered."""
    candidates = [
        e for e in enrolments if e.status == EnrolmentStatus.ENROLLED and satisfaction_is_open(e.cohort, today)
    ]
    if not candidates:
        return {}
    answered = set(
        SatisfactionReceipt.objects.filter(enrolment_id__in=[e.pk for e in candidates]).values_list(
            "enrolment_id", flat=True
        )
    )
    return {e.pk: {"answered": e.pk in answered} for e in candidates}


register(Panel("satisfaction", "monitoring/feedback/panel.html", 45, _satisfaction_panel))
