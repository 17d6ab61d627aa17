"""Re-assessment of a listener without a certificate (000 §3.10, SPEC 4.5).

A listener who attended the course (at least 80%, not expelled) but did not pass the final test may sit it
again, either

* in a later window of their own cohort's final test, at most once in 12 months: no other re-assessment
  of the same listener for the same program may have been granted or have opened less than 365 days
  before the new window opens; or
* with the next cohort of the same program: the first cohort starting after the listener's own whose
  final test has not closed yet; once per such cohort.

Either way the listener must have been assessed already: they sat their cohort's final test, a result
was recorded, or its window has closed. Earlier attempts stay as they were; the re-assessment's attempt
is a new one beside them.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError

from ..enums import TestKind
from ..models import Attempt, CohortTest, Reassessment
from ..outcomes import outcome_for

YEAR = datetime.timedelta(days=365)
# A suggested window in the own cohort: a week, from 09:00 to 18:00 local time.
OWN_WINDOW = datetime.timedelta(days=6)
REASON_MAX_LENGTH = Reassessment._meta.get_field("reason").max_length


def own_final_test(enrolment):
    return CohortTest.objects.filter(cohort_id=enrolment.cohort_id, kind=TestKind.FINAL).first()


def next_cohort_test(enrolment, now):
    """The final test of the next cohort of the listener's program: the first cohort starting after
    theirs whose final test has not closed yet; None when there is none."""
    cohort = enrolment.cohort
    return (
        CohortTest.objects.filter(
            kind=TestKind.FINAL,
            cohort__program_id=cohort.program_id,
            cohort__starts_on__gt=cohort.starts_on,
            closes_at__gt=now,
        )
        .select_related("cohort")
        .order_by("cohort__starts_on", "cohort__pk")
        .first()
    )


def _program_reassessments(enrolment):
    return Reassessment.objects.filter(
        enrolment__listener_id=enrolment.listener_id, enrolment__cohort__program_id=enrolment.cohort.program_id
    )


def earliest_own_window(enrolment):
    """When a re-assessment in the listener's own cohort may open next (None: no limit now)."""
    latest = None
    for opened, granted in _program_reassessments(enrolment).values_list("opens_at", "granted_at"):
        moment = max(opened, granted)
        latest = moment if latest is None or moment > latest else latest
    return latest + YEAR if latest else None


def _listener_refusal(enrolment, now):
    """Why the listener may not be re-assessed at all, or None."""
    if enrolment.status == EnrolmentStatus.EXPELLED:
        return _("The listener was expelled; re-assessment is only for a listener who completed the course.")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        return _("Re-assessment is only for a listener who completed the course; this enrolment is “%(status)s”.") % {
            "status": enrolment.get_status_display()
        }
    has_certificate = Enrolment.objects.filter(
        pk=enrolment.pk,
        certificates__isnull=False,
        certificates__replaced_at__isnull=True,
        certificates__revoked_at__isnull=True,
    ).exists()
    if has_certificate:
        return _("The listener has a certificate; re-assessment is for a listener without one.")
    outcome = outcome_for(enrolment)
    if outcome.expelled:
        return _("The listener was expelled; re-assessment is only for a listener who completed the course.")
    if not outcome.attendance_ok:
        return _(
            "Attendance %(percent)s%% is below 80%%: re-assessment is for a listener who attended the course "
            "and did not pass the test."
        ) % {"percent": outcome.attendance_display}
    if outcome.final_test_ok:
        return _("The listener passed the final test.")
    own = own_final_test(enrolment)
    sat = own is not None and Attempt.objects.filter(enrolment=enrolment, test=own).exists()
    closed = own is not None and own.closes_at <= now
    if not (sat or closed or outcome.score is not None):
        if own is not None:
            return _("The cohort's final test is still open and the listener has not sat it yet.")
        return _("The listener has not sat the final test yet.")
    return None


def _check(enrolment, test, opens_at, closes_at, now):
    """Every rule of a re-assessment of ``enrolment`` at ``test``; returns whether it is with the next cohort."""
    if test is None or test.kind != TestKind.FINAL:
        raise DomainError(_("A listener is re-assessed at a final test."))
    refusal = _listener_refusal(enrolment, now)
    if refusal:
        raise DomainError(refusal)
    if opens_at is None or closes_at is None:
        raise DomainError(_("Give the date and time the re-assessment opens and closes."))
    if closes_at <= opens_at:
        raise DomainError(_("The re-assessment must close after it opens."))
    if closes_at <= now:
        raise DomainError(_("The re-assessment's window is already over; give a window that ends later."))
    if test.cohort_id == enrolment.cohort_id:
        since = opens_at - YEAR
        earlier = (
            _program_reassessments(enrolment)
            .filter(Q(granted_at__gt=since) | Q(opens_at__gt=since))
            .order_by("-opens_at")
            .first()
        )
        if earlier is not None:
            allowed = max(earlier.opens_at, earlier.granted_at) + YEAR
            raise DomainError(
                _(
                    "A re-assessment is allowed at most once in 12 months: the listener had one opening on "
                    "%(opened)s; the next may open from %(allowed)s, or sit the test with the next cohort."
                )
                % {
                    "opened": timezone.localtime(earlier.opens_at).strftime("%d.%m.%Y"),
                    "allowed": timezone.localtime(allowed).strftime("%d.%m.%Y %H:%M"),
                }
            )
        return False
    if test.cohort.program_id != enrolment.cohort.program_id:
        raise DomainError(_("This test belongs to a cohort of another program."))
    upcoming = next_cohort_test(enrolment, now)
    if upcoming is None or upcoming.pk != test.pk:
        raise DomainError(
            _(
                "Only the next cohort of the program may take the listener: the first one starting after theirs "
                "whose final test has not closed (%(code)s)."
            )
            % {"code": upcoming.cohort.code if upcoming else "—"}
        )
    if _program_reassessments(enrolment).filter(test__cohort_id=test.cohort_id).exists():
        raise DomainError(
            _("The listener already has a re-assessment with cohort %(code)s.") % {"code": test.cohort.code}
        )
    return True


@transaction.atomic
def reassessment_grant(*, enrolment, test, opens_at, closes_at, by, reason=""):
    """Grant ``enrolment``'s listener a re-assessment at ``test`` in the window given (000 §3.10).

    ``test`` is the final test of the listener's own cohort (at most once in 12 months) or of the next
    cohort of the same program (once per that cohort); see the module's note. Nothing else is changed:
    the listener's earlier attempts and result stay.
    """
    access.require(by, "assessment.add_reassessment", enrolment, _("You may not grant re-assessments."))
    enrolment = Enrolment.objects.select_for_update().select_related("cohort").get(pk=enrolment.pk)
    reason = " ".join(str(reason or "").split())
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(_("The basis has at most %(max)s characters.") % {"max": REASON_MAX_LENGTH})
    if test is not None:
        test = CohortTest.objects.select_related("cohort").get(pk=test.pk)
    with_next = _check(enrolment, test, opens_at, closes_at, timezone.now())
    granted = Reassessment.objects.create(
        enrolment=enrolment,
        test=test,
        with_next_cohort=with_next,
        opens_at=opens_at,
        closes_at=closes_at,
        reason=reason,
        granted_by=by,
    )
    where = test.cohort.code if test is not None else None
    log_action(
        granted,
        "assessment.reassessment.granted",
        by=by,
        after={"cohort": where, "opens_at": opens_at, "closes_at": closes_at},
        note=reason,
    )
    return granted


@dataclass
class ReassessmentOption:
    """One way of re-assessing a listener, allowed or not (with the reason), and a suggested window."""

    with_next_cohort: bool
    test: CohortTest | None
    allowed: bool
    reason: str = ""
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None

    @property
    def label(self):
        if self.with_next_cohort:
            if self.test is None:
                return _("With the next cohort")
            return _("With the next cohort %(code)s") % {"code": self.test.cohort.code}
        return _("In the own cohort's final test (at most once in 12 months)")


def _next_hour(moment):
    moment = timezone.localtime(moment)
    rounded = moment.replace(minute=0, second=0, microsecond=0)
    return rounded if rounded >= moment else rounded + datetime.timedelta(hours=1)


def reassessment_options(enrolment, now=None):
    """The two choices of 000 §3.10 for ``enrolment``: own cohort and next cohort, each allowed or refused."""
    now = now or timezone.now()
    own = own_final_test(enrolment)
    upcoming = next_cohort_test(enrolment, now)
    refusal = _listener_refusal(enrolment, now)
    options = []

    start = (timezone.localtime(now) + datetime.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    earliest = earliest_own_window(enrolment)
    if earliest is not None and earliest > start:
        start = _next_hour(earliest)
    end = (start + OWN_WINDOW).replace(hour=18, minute=0)
    own_option = ReassessmentOption(False, own, False, opens_at=start, closes_at=end)
    if refusal:
        own_option.reason = refusal
    elif own is None:
        own_option.reason = _("The cohort has no final test taken online.")
    else:
        try:
            _check(enrolment, own, own_option.opens_at, own_option.closes_at, now)
        except DomainError as e:
            own_option.reason = e.message
        else:
            own_option.allowed = True
            if earliest is not None and earliest > now:
                own_option.reason = _("Not before %(date)s (at most once in 12 months).") % {
                    "date": timezone.localtime(earliest).strftime("%d.%m.%Y %H:%M")
                }
    options.append(own_option)

    next_option = ReassessmentOption(True, upcoming, False)
    if upcoming is not None:
        next_option.opens_at, next_option.closes_at = max(upcoming.opens_at, now), upcoming.closes_at
    if refusal:
        next_option.reason = refusal
    elif upcoming is None:
        next_option.reason = _("No later cohort of the program has a final test still open.")
    else:
        try:
            _check(enrolment, upcoming, next_option.opens_at, next_option.closes_at, now)
        except DomainError as e:
            next_option.reason = e.message
        else:
            next_option.allowed = True
    options.append(next_option)
    return options
