"""Reads for the assessment pages, in a fixed number of queries."""

from programs.models import Module

from .models import ModuleGrade


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
