"""The self-analysis of the trainers and organisers after a cohort (000 §4.5 6)).

Once the cohort has ended, each trainer who taught it writes one self-analysis as its trainer, and the
methodist or registrar who organised it writes one as its organiser: how far the course's goals were met
(1-5), what worked, the difficulties and what to change. Once per person and cohort. A staff page of the
cohort shows who has written theirs and who has not yet.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ziat import access, roles
from ziat.activity import log_action, register_actions
from ziat.errors import DomainError

from .enums import SelfAnalysisRole
from .models import SelfAnalysis

ORGANISER_ROLES = frozenset({roles.METHODIST, roles.REGISTRAR})
PERM = "monitoring.add_selfanalysis"

register_actions(
    (
        "monitoring.self_analysis.submitted",
        gettext_lazy("Self-analysis submitted"),
        {
            "choices": {"role": SelfAnalysisRole},
            "fields": {"role": gettext_lazy("role"), "goals_met": gettext_lazy("goals met, 1-5")},
        },
    ),
)


def self_analysis_role_of(user, cohort):
    """The role in which ``user`` writes the cohort's self-analysis: its trainer, its organiser, or None."""
    if not (user.is_authenticated and user.is_active and user.is_staff and user.has_perm(PERM)):
        return None
    if access.teaches(user, cohort):
        return SelfAnalysisRole.TRAINER
    if access.roles(user) & ORGANISER_ROLES:
        return SelfAnalysisRole.ORGANISER
    return None


def self_analysis_submit(cohort, *, by, goals_met, what_worked, difficulties="", improvements="", today=None):
    """``by``'s self-analysis of the ended cohort, once."""
    today = today or timezone.localdate()
    role = self_analysis_role_of(by, cohort)
    if role is None:
        raise DomainError(_("Only the cohort's trainers and its organisers write its self-analysis."))
    if cohort.ends_on > today:
        raise DomainError(
            _("The self-analysis is written after the course, from %(date)s.")
            % {"date": cohort.ends_on.strftime("%d.%m.%Y")}
        )
    try:
        goals_met = int(goals_met)
    except (TypeError, ValueError):
        goals_met = 0
    if not 1 <= goals_met <= 5:
        raise DomainError(_("Rate from 1 to 5 how far the course's goals were met."))
    if not (what_worked or "").strip():
        raise DomainError(_("Write what worked."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                analysis = SelfAnalysis.objects.create(
                    cohort=cohort,
                    author=by,
                    role=role,
                    goals_met=goals_met,
                    what_worked=what_worked.strip(),
                    difficulties=(difficulties or "").strip(),
                    improvements=(improvements or "").strip(),
                )
        except IntegrityError:
            raise DomainError(_("You have already written the self-analysis of this cohort.")) from None
        log_action(analysis, "monitoring.self_analysis.submitted", by=by, after={"role": role, "goals_met": goals_met})
    return analysis
