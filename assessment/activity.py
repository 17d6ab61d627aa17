"""The logged actions of assessment, and the log of a grade sheet in constant queries."""

from django.utils.translation import gettext_lazy as _

from ziat.activity import log_actions, register_actions

from .enums import GradeSource, ModuleGradeRule

register_actions(
    ("assessment.final_result.recorded", _("Final result recorded"), {"fields": {"score": _("score")}}),
    ("assessment.final_result.scored", _("Final test scored online"), {"fields": {"score": _("score")}}),
    (
        "assessment.module_grade.saved",
        _("Module grade saved"),
        {"fields": {"grade": _("grade"), "source": _("set")}, "choices": {"source": GradeSource}},
    ),
    (
        "assessment.module_grade.filled",
        _("Module grade set by the program's rule"),
        {"fields": {"grade": _("grade")}},
    ),
    ("assessment.project.submitted", _("Project work handed in")),
    ("assessment.project.scored", _("Project work scored"), {"fields": {"points": _("points")}}),
    ("assessment.reassessment.granted", _("Re-assessment granted")),
    ("assessment.external.recorded", _("External final assessment recorded")),
    (
        "assessment.scheme.saved",
        _("Assessment rules changed"),
        {"choices": {"module_grade_rule": ModuleGradeRule}},
    ),
    ("assessment.bank.imported", _("Test bank imported")),
    ("assessment.test.saved", _("Test settings saved")),
)


def log_module_grades(cohort, changes, *, by, action="assessment.module_grade.saved"):
    """Log changed module grades of a cohort, one entry per grade on the listener's enrolment, in three
    queries whatever their number. ``changes`` lists (enrolment id, module id, grade before or None,
    grade after or None)."""
    if not changes:
        return []
    from enrolment.models import Enrolment
    from programs.models import Module

    enrolments = {
        e.pk: e for e in Enrolment.objects.filter(pk__in={c[0] for c in changes}).select_related("listener__user")
    }
    modules = {
        m.pk: m
        for m in Module.objects.filter(pk__in={c[1] for c in changes}).only("pk", "position", "title_kk", "title_ru")
    }
    entries = []
    for enrolment_id, module_id, before, after in changes:
        enrolment, module = enrolments[enrolment_id], modules[module_id]
        title = f"{module.position}. {module.title}"
        entries.append(
            (
                enrolment,
                {"grade": before} if before is not None else None,
                {"grade": after},
                {
                    "label": f"{enrolment.listener.full_name} — {title}",
                    "data": {"module_id": module_id},
                    "scope": {
                        "program_id": cohort.program_id,
                        "cohort_id": cohort.pk,
                        "listener_id": enrolment.listener_id,
                    },
                },
            )
        )
    return log_actions(action, entries, by=by)


def log_final_results(cohort, enrolments, changes, *, by):
    """Log changed final results of a cohort (``enrolments`` by id, with their listeners' ids) in one query.
    ``changes`` lists (final result, before or None, after)."""
    return log_actions(
        "assessment.final_result.recorded",
        changes,
        by=by,
        scope=lambda r: {
            "program_id": cohort.program_id,
            "cohort_id": cohort.pk,
            "listener_id": enrolments[r.enrolment_id].listener_id,
        },
        label=lambda r: f"{enrolments[r.enrolment_id].listener.full_name} — {cohort.code}",
    )


def scheme_values(scheme):
    """What the history keeps of a program's assessment rules and rubric."""
    if scheme is None or scheme.pk is None:
        return None
    return {
        "has_project": scheme.has_project,
        "project_excellent_from": scheme.project_excellent_from,
        "project_good_from": scheme.project_good_from,
        "project_pass_from": scheme.project_pass_from,
        "module_grade_rule": scheme.module_grade_rule,
        "criteria": [f"{c.position}. {c.name}: {c.max_points}" for c in scheme.criteria.order_by("position")],
    }
