"""Reads for the assessment pages, in a fixed number of queries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Module
from ziat import access
from ziat.workspace import Item

from .models import ModuleGrade, ProjectWork


def grade_modules(version):
    """The modules of a program version graded in the appendix: all but the final-assessment rows."""
    return list(Module.objects.filter(version=version, is_final_assessment=False).order_by("position"))


def module_grade_grid(cohort, *, typed=None):
    """Rows of (enrolment, [(module, field name, value)]) for the cohort's listeners.

    ``typed`` maps (enrolment id, module id) to text a person typed, shown instead of the saved grade.
    """
    modules = grade_modules(cohort.version_id)
    enrolments = list(cohort.enrolments.select_related("listener__user").order_by("listener__user__last_name", "pk"))
    saved = {
        (g.enrolment_id, g.module_id): g.grade
        for g in ModuleGrade.objects.filter(enrolment__cohort=cohort, module__in=[m.pk for m in modules])
    }
    values = {**saved, **(typed or {})}
    rows = [(e, [(m, f"grade-{e.pk}-{m.pk}", values.get((e.pk, m.pk), "")) for m in modules]) for e in enrolments]
    return {"modules": modules, "rows": rows}


# ------------------------------------------------------------------------------- the staff home's work


def work_of_scoring(user, *, today):
    """Project works handed in and not yet scored, in the cohorts the user may know of (a trainer: theirs)."""
    if not user.has_perm("assessment.change_projectwork"):
        return []
    waiting = access.scope(user, ProjectWork.objects.filter(points__isnull=True))
    oldest = (
        waiting.order_by("submitted_at", "pk").values_list("enrolment__cohort_id", "enrolment__cohort__ends_on").first()
    )
    if oldest is None:
        return []
    return [
        Item(
            "assessment.works_to_score",
            _("Project works to score"),
            waiting.count(),
            reverse("assessment:project_works", args=[oldest[0]]),
            deadline=oldest[1],
        )
    ]
