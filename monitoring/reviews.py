"""The effectiveness review of a program, at least once every three years (000 §4.4, 001 §38).

The monitoring officer or the methodist assembles a review of a program over a period: the six components of
000 §4.5 read from the cohorts of the program that ended in the period are kept in ``components`` as they were
(a snapshot: later data do not change an assembled review). The methodist concludes it with a conclusion and the
measures decided; the director approves it. Each step is logged; a refused step changes nothing.

The schedule (``monitoring.selectors.review_schedule``): a program is due for review ``rules.review_due_on``
after its last approved review, or after its approval when it has never been reviewed.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError

from .enums import ReviewStatus
from .models import EffectivenessReview
from .selectors import cohort_figures, cohorts_selected, needs_of_programs, pool

# The moves of a review: from which state each step starts.
MOVES = {"conclude": ReviewStatus.DRAFT, "approve": ReviewStatus.CONCLUDED}


# ------------------------------------------------------------------------------------------------ the snapshot


def _number(value):
    return None if value is None else str(value)


def components_of(program, period_from, period_to, *, by):
    """The six components of 000 §4.5 for the program's cohorts that ended in the period, as plain JSON."""
    cohorts = list(cohorts_selected(by, {"ends_from": period_from, "ends_to": period_to}, program=program))
    per_cohort = cohort_figures(cohorts)
    f = pool(per_cohort, {c.pk: x.diagnostics for c, x in per_cohort})
    d = f.diagnostics
    needs = needs_of_programs([program.pk])[program.pk]
    return {
        "cohorts": [
            {
                "code": c.code,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(),
                "enrolled": x.enrolled,
                "passed": x.passed,
                "pass_rate": _number(x.pass_rate),
                "attendance": _number(x.attendance),
                "gain": _number(x.gain),
            }
            for c, x in per_cohort
        ],
        "needs": [{"survey": str(row.survey), "responses": row.responses} for row in needs],
        "entrance": {"average": _number(d.entrance_average), "listeners": d.entrance_count},
        "control": {
            "milestone_average": _number(d.milestone_average),
            "final_average": _number(d.final_average),
            "gain": _number(d.gain_average),
            "both": d.both_count,
            "enrolled": f.enrolled,
            "completed": f.completed,
            "passed": f.passed,
            "pass_rate": _number(f.pass_rate),
            "attendance": _number(f.attendance),
        },
        "satisfaction": [
            {"aspect": s.aspect, "answers": s.answers, "average": _number(s.average)} for s in f.satisfaction_list
        ],
        "support": {
            "follow_ups_due": f.follow_ups_due,
            "follow_ups_answered": f.follow_ups_answered,
            "answered_share": _number(f.follow_up_answered_share),
            "applying_share": _number(f.applying_share),
            "activities_held": f.activities_held,
            "activities_planned": f.activities_planned,
            "consultations": f.consultations,
            "event_registrations": f.event_registrations,
            "event_attended": f.event_attended,
        },
        "self_analysis": {"submitted": f.self_analyses, "expected": f.self_analyses_expected},
    }


def has_components(review):
    """Whether the review holds the figures of at least one cohort of its period."""
    return bool((review.components or {}).get("cohorts"))


# ------------------------------------------------------------------------------------------------ the steps


def _period(review):
    return f"{review.period_from:%d.%m.%Y} – {review.period_to:%d.%m.%Y}"


def review_assemble(program, *, by, period_from, period_to):
    """A new review of ``program`` over the period, its components read now and kept (000 §4.4-4.5)."""
    access.require(by, "monitoring.add_effectivenessreview", program, _("You may not assemble reviews."))
    if period_from is None or period_to is None:
        raise DomainError(_("Give the period the review covers."))
    if period_from > period_to:
        raise DomainError(_("The end of the period is before its start."))
    if period_from > timezone.localdate():
        raise DomainError(_("The period of a review cannot start in the future."))
    if program.approved_on is None:
        raise DomainError(_("Only an approved program is reviewed."))
    with transaction.atomic():
        review = EffectivenessReview.objects.create(
            program=program,
            period_from=period_from,
            period_to=period_to,
            components=components_of(program, period_from, period_to, by=by),
            created_by=by,
        )
        log_action(
            review,
            "monitoring.review.assembled",
            by=by,
            after={"status": review.status, "period": _period(review)},
            scope={"program_id": program.pk, "cohort_id": None, "listener_id": None},
        )
    return review


def _locked(review, step):
    locked = EffectivenessReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != MOVES[step]:
        raise DomainError(
            _("The review is %(status)s: this step is not possible now.") % {"status": locked.get_status_display()}
        )
    return locked


def review_conclude(review, *, by, conclusion, measures):
    """The methodist's conclusion and the measures decided (001 §38); the review must hold its components."""
    access.require(by, "monitoring.change_effectivenessreview", review, _("You may not conclude reviews."))
    conclusion, measures = (conclusion or "").strip(), (measures or "").strip()
    if not has_components(review):
        raise DomainError(_("The review has no components: no course of the program ended in its period."))
    if not conclusion or not measures:
        raise DomainError(_("Write both the conclusion and the measures decided."))
    with transaction.atomic():
        locked = _locked(review, "conclude")
        before = locked.status
        locked.status, locked.conclusion, locked.measures = ReviewStatus.CONCLUDED, conclusion, measures
        locked.concluded_by, locked.concluded_at = by, timezone.now()
        locked.save(update_fields=["status", "conclusion", "measures", "concluded_by", "concluded_at"])
        log_action(
            locked,
            "monitoring.review.concluded",
            by=by,
            before={"status": before},
            after={"status": locked.status},
            note=conclusion,
            scope={"program_id": locked.program_id, "cohort_id": None, "listener_id": None},
        )
    return locked


def review_approve(review, *, by):
    """The director's approval of a concluded review; the program's next review is due three years on."""
    access.require(by, "monitoring.approve_effectivenessreview", review, _("Only the director approves reviews."))
    with transaction.atomic():
        locked = _locked(review, "approve")
        before = locked.status
        locked.status, locked.approved_by, locked.approved_at = ReviewStatus.APPROVED, by, timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        log_action(
            locked,
            "monitoring.review.approved",
            by=by,
            before={"status": before},
            after={"status": locked.status},
            scope={"program_id": locked.program_id, "cohort_id": None, "listener_id": None},
        )
    return locked
