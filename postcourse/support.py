"""The support year and its plan (000 §4.1-4.2, 001 §36-37).

- who is in their support year (a ``SupportPeriod`` covering the day), and the refusal outside it;
- the plan of a certified cohort's support, made by the program's head (a methodist; the director too) from
  the program's expected results: activities with their form, date and responsible trainer, then marked held
  (with the date and the number of participants) or cancelled. A trainer marks only the activities of the
  cohorts they teach or of which they are the responsible.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import VersionText
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.roles import METHODIST, TRAINER

from .enums import ActivityStatus, SupportForm
from .models import SupportActivity, SupportPeriod

# ------------------------------------------------------------------------------------------ the support year


def period_of(enrolment):
    return SupportPeriod.objects.filter(enrolment=enrolment).first()


def in_support_year(period, today):
    return period is not None and period.starts_on <= today <= period.ends_on


def require_support_year(enrolment, *, today=None):
    """The listener's support period covering ``today``, or a translated refusal."""
    today = today or timezone.localdate()
    period = period_of(enrolment)
    if period is None:
        raise DomainError(_("Post-course support opens with the certificate of this course."))
    if not in_support_year(period, today):
        raise DomainError(
            _("Post-course support of this course lasts from %(start)s to %(end)s; it is not open today.")
            % {"start": period.starts_on.strftime("%d.%m.%Y"), "end": period.ends_on.strftime("%d.%m.%Y")}
        )
    return period


def require_own(enrolment, by):
    """The listener acting on their own course; anyone else is refused."""
    if not (by.is_authenticated and enrolment.listener.user_id == by.pk):
        raise access.AccessDenied(_("Only the listener of this course may do this."))


def may_see_plan(user, cohort):
    return access.may(user, "postcourse.view_supportactivity", cohort) or (
        user.is_authenticated and SupportActivity.objects.filter(cohort=cohort, responsible=user).exists()
    )


# ------------------------------------------------------------------------------------------ the plan


def expected_results(cohort):
    """The expected results of the cohort's approved version (000 §4.2), in its language first, then the
    other's; each once."""
    version_id = cohort.version_id or cohort.program.approved_version_id
    texts = {t.language: t.expected_results for t in VersionText.objects.filter(version_id=version_id)}
    first = "ru" if cohort.language == "ru" else "kk"
    results = []
    for language in (first, "kk" if first == "ru" else "ru"):
        for item in texts.get(language) or []:
            text = item if isinstance(item, str) else " ".join(str(part) for part in item)
            if text.strip() and text.strip() not in results:
                results.append(text.strip())
    return results


def responsible_choices():
    """Trainers (and methodists) who may be responsible for an activity."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name__in=[TRAINER, METHODIST])
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


class Refused(DomainError):
    """A refusal about one field of a form (``field``), which the page shows beside that field."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


def _check_activity(cohort, *, form, title, expected_result, responsible):
    if not SupportPeriod.objects.filter(enrolment__cohort=cohort).exists():
        raise DomainError(_("Support is planned for a cohort whose listeners have certificates."))
    if form not in SupportForm.values:
        raise Refused(_("Choose a form of support."), field="form")
    if not (title or "").strip():
        raise Refused(_("Name the activity."), field="title")
    results = expected_results(cohort)
    if results and expected_result not in results:
        raise Refused(_("Choose one of the program's expected results."), field="expected_result")
    if responsible is None or not responsible_choices().filter(pk=responsible.pk).exists():
        raise Refused(_("Choose a trainer responsible for the activity."), field="responsible")


@transaction.atomic
def support_activity_plan(cohort, *, by, form, title, expected_result, planned_on, responsible, note=""):
    """Add an activity to the cohort's support plan (000 §4.2)."""
    access.require(by, "postcourse.add_supportactivity", cohort)
    _check_activity(cohort, form=form, title=title, expected_result=expected_result, responsible=responsible)
    if planned_on is None:
        raise Refused(_("Give the date of the activity."), field="planned_on")
    activity = SupportActivity.objects.create(
        cohort=cohort,
        form=form,
        title=title.strip(),
        expected_result=expected_result,
        planned_on=planned_on,
        responsible=responsible,
        note=note,
        created_by=by,
    )
    log_action(
        activity,
        "postcourse.activity.planned",
        by=by,
        after={"form": form, "planned_on": planned_on, "responsible": responsible},
    )
    return activity


def _locked(activity):
    return SupportActivity.objects.select_for_update().select_related("cohort").get(pk=activity.pk)


# The terms of a planned activity that its planner may change (000 §4.2).
ACTIVITY_TERMS = ("form", "title", "expected_result", "planned_on", "responsible")


@transaction.atomic
def support_activity_change(activity, *, by, form, title, expected_result, planned_on, responsible):
    """Change a planned activity's form, title, expected result, date and responsible trainer (000 §4.2), under
    the rules of planning it; a held or cancelled activity stays as it was."""
    activity = _locked(activity)
    access.require(by, "postcourse.add_supportactivity", activity.cohort)
    if activity.status != ActivityStatus.PLANNED:
        raise DomainError(
            _("Only a planned activity can be changed; this one is %(status)s.")
            % {"status": activity.get_status_display()}
        )
    _check_activity(activity.cohort, form=form, title=title, expected_result=expected_result, responsible=responsible)
    if planned_on is None:
        raise Refused(_("Give the date of the activity."), field="planned_on")
    new = {
        "form": form,
        "title": title.strip(),
        "expected_result": expected_result or "",
        "planned_on": planned_on,
        "responsible": responsible,
    }
    changed = [name for name in ACTIVITY_TERMS if getattr(activity, name) != new[name]]
    if not changed:
        return activity
    before = {name: getattr(activity, name) for name in changed}
    for name in changed:
        setattr(activity, name, new[name])
    activity.save(update_fields=changed)
    log_action(
        activity,
        "postcourse.activity.changed",
        by=by,
        before=before,
        after={name: new[name] for name in changed},
    )
    return activity


def _may_mark(by, activity):
    """The responsible trainer, a trainer of the cohort, or the program's head (``SupportActivity``'s access
    rule leads to both the cohort and the responsible)."""
    access.require(by, "postcourse.change_supportactivity", activity)


@transaction.atomic
def support_activity_hold(activity, *, by, held_on, participants, note=""):
    """Mark a planned activity held, with its date and the number of participants."""
    activity = _locked(activity)
    _may_mark(by, activity)
    if activity.status != ActivityStatus.PLANNED:
        raise DomainError(_("Only a planned activity can be marked held or cancelled."))
    if held_on is None:
        raise DomainError(_("Give the date it was held."))
    if held_on > timezone.localdate():
        raise DomainError(_("An activity cannot be held on a future date."))
    if participants is None or participants < 0:
        raise DomainError(_("Give the number of participants."))
    before = {"status": activity.status}
    activity.status, activity.held_on, activity.participants = ActivityStatus.HELD, held_on, participants
    if note:
        activity.note = note
    activity.save(update_fields=["status", "held_on", "participants", "note"])
    log_action(
        activity,
        "postcourse.activity.held",
        by=by,
        before=before,
        after={"status": activity.status, "held_on": held_on, "participants": participants},
    )
    return activity


@transaction.atomic
def support_activity_cancel(activity, *, by, note):
    """Cancel a planned activity, saying why."""
    activity = _locked(activity)
    _may_mark(by, activity)
    if activity.status != ActivityStatus.PLANNED:
        raise DomainError(_("Only a planned activity can be marked held or cancelled."))
    if not (note or "").strip():
        raise DomainError(_("Say why the activity is cancelled."))
    before = {"status": activity.status}
    activity.status, activity.note = ActivityStatus.CANCELLED, note.strip()
    activity.save(update_fields=["status", "note"])
    log_action(
        activity, "postcourse.activity.cancelled", by=by, before=before, after={"status": activity.status}, note=note
    )
    return activity


def may_mark(user, activity):
    try:
        _may_mark(user, activity)
    except DomainError:
        return False
    return activity.status == ActivityStatus.PLANNED
