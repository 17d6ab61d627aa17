"""The program's assessment rules and the project rubric (001 §28, 004 §8).

A program that scores a project work sets its rubric (criteria with maximum points) and the grade scale
of the sum: "satisfactory", "good" and "excellent" from given points (004 §8: five criteria of 0-2,
excellent 9-10, good 7-8, satisfactory 5-6). The rules and the rubric are saved together, all or nothing.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError

from ..activity import scheme_values
from ..enums import ModuleGradeRule
from ..models import AssessmentScheme, CriterionScore, RubricCriterion
from ..rules import minimum_pass_score

MAX_CRITERIA = 30
CRITERION_TEXT_FIELDS = ("name_kk", "name_ru", "description_kk", "description_ru")
_MAX_POINTS = RubricCriterion._meta.get_field("max_points")
MAX_CRITERION_POINTS = max(v.limit_value for v in _MAX_POINTS.validators if hasattr(v, "limit_value"))
NAME_MAX_LENGTH = RubricCriterion._meta.get_field("name_kk").max_length


class SchemeError(DomainError):
    """Rules that may not be saved: ``errors`` lists every problem found."""

    def __init__(self, errors):
        super().__init__(" ".join(str(e) for e in errors))
        self.errors = list(errors)


def _clean_criteria(criteria):
    """The criteria rows with text trimmed; rows without any text and points are left out."""
    rows = []
    for raw in criteria:
        row = {key: " ".join(str(raw.get(key) or "").split()) for key in ("name_kk", "name_ru")}
        row.update({key: str(raw.get(key) or "").strip() for key in ("description_kk", "description_ru")})
        row["pk"] = raw.get("pk") or None
        row["max_points"] = raw.get("max_points")
        if row["pk"] is None and not any(row[key] for key in CRITERION_TEXT_FIELDS) and row["max_points"] in (None, ""):
            continue
        rows.append(row)
    return rows


def _points(value):
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if str(number) == str(value).strip() else None


def scheme_errors(*, has_project, excellent_from, good_from, pass_from, module_grade_rule, criteria, scheme=None):
    """The problems of the rules as typed (an empty list: they may be saved).

    ``criteria``: dicts with name_kk, name_ru, description_kk, description_ru, max_points and, for a
    criterion already saved, its pk. ``scheme``: the saved rules being changed, if any.
    """
    errors = []
    if module_grade_rule not in ModuleGradeRule.values:
        errors.append(_("Choose how the module grades are set."))
    rows = _clean_criteria(criteria)
    if len(rows) > MAX_CRITERIA:
        errors.append(_("A rubric has at most %(max)s criteria.") % {"max": MAX_CRITERIA})
    total = 0
    for number, row in enumerate(rows, start=1):
        prefix = _("Criterion %(number)s:") % {"number": number}
        if not row["name_kk"] and not row["name_ru"]:
            errors.append(f"{prefix} " + _("give its name in Kazakh or Russian."))
        if max(len(row["name_kk"]), len(row["name_ru"])) > NAME_MAX_LENGTH:
            errors.append(f"{prefix} " + _("the name is longer than %(max)s characters.") % {"max": NAME_MAX_LENGTH})
        points = _points(row["max_points"])
        if points is None or not 1 <= points <= MAX_CRITERION_POINTS:
            errors.append(
                f"{prefix} "
                + _("the maximum points must be a whole number from 1 to %(max)s.") % {"max": MAX_CRITERION_POINTS}
            )
        else:
            total += points
    scale = [_points(v) for v in (pass_from, good_from, excellent_from)]
    if any(v is None for v in scale):
        errors.append(_("The grade scale is given in whole points."))
    else:
        pass_, good, excellent = scale
        if not 1 <= pass_ < good < excellent:
            errors.append(
                _(
                    "The grade scale must rise: “satisfactory” from at least 1 point, "
                    "“good” from more, “excellent” from more still."
                )
            )
        if has_project:
            if not rows:
                errors.append(_("A project work is scored by its rubric: add at least one criterion."))
            elif excellent > total:
                errors.append(
                    _("“Excellent” from %(points)s points cannot be reached: the rubric gives at most %(total)s.")
                    % {"points": excellent, "total": total}
                )
            elif pass_ < minimum_pass_score(total):
                errors.append(
                    _("“Satisfactory” cannot start below half of the rubric's %(total)s points (%(min)s).")
                    % {"total": total, "min": minimum_pass_score(total)}
                )
    errors.extend(_criteria_change_errors(rows, scheme))
    return errors


def _criteria_change_errors(rows, scheme):
    """A criterion kept must be the scheme's own; one that scored works cannot go or drop below a score."""
    own = {c.pk: c for c in scheme.criteria.all()} if scheme is not None and scheme.pk else {}
    errors = []
    kept = set()
    for row in rows:
        if row["pk"] is None:
            continue
        try:
            pk = int(row["pk"])
        except (TypeError, ValueError):
            pk = None
        if pk not in own or pk in kept:
            errors.append(_("The rubric was changed meanwhile; open the page again."))
            return errors
        kept.add(pk)
    if not own:
        return errors
    highest = {}
    for score in CriterionScore.objects.filter(criterion_id__in=list(own)).values("criterion_id", "points"):
        highest[score["criterion_id"]] = max(highest.get(score["criterion_id"], 0), score["points"])
    for pk, criterion in own.items():
        if pk not in kept and pk in highest:
            errors.append(
                _("The criterion “%(name)s” has scored project works; it cannot be removed.") % {"name": criterion}
            )
    for row in rows:
        pk = int(row["pk"]) if row["pk"] is not None else None
        points = _points(row["max_points"])
        if pk in highest and points is not None and points < highest[pk]:
            errors.append(
                _("The criterion “%(name)s” already gave %(points)s points; its maximum cannot be lower.")
                % {"name": own[pk], "points": highest[pk]}
            )
    return errors


def _write(program, scheme, *, has_project, excellent_from, good_from, pass_from, module_grade_rule, criteria):
    scheme.has_project = bool(has_project)
    scheme.project_excellent_from = _points(excellent_from)
    scheme.project_good_from = _points(good_from)
    scheme.project_pass_from = _points(pass_from)
    scheme.module_grade_rule = module_grade_rule
    if scheme.pk is None:
        scheme.program = program
        scheme.save()
    else:
        scheme.save(
            update_fields=[
                "has_project",
                "project_excellent_from",
                "project_good_from",
                "project_pass_from",
                "module_grade_rule",
            ]
        )
    rows = _clean_criteria(criteria)
    kept = {int(row["pk"]) for row in rows if row["pk"] is not None}
    scheme.criteria.exclude(pk__in=kept).delete()
    existing = {c.pk: c for c in scheme.criteria.filter(pk__in=kept)}
    # Positions are unique within the rubric: the kept criteria step aside first, then take their places.
    for c in existing.values():
        c.position = 100000 + c.pk
    RubricCriterion.objects.bulk_update(existing.values(), ["position"])
    changed, new = [], []
    for position, row in enumerate(rows, start=1):
        values = {key: row[key] for key in CRITERION_TEXT_FIELDS}
        values["max_points"] = _points(row["max_points"])
        if row["pk"] is not None:
            criterion = existing[int(row["pk"])]
            for key, value in values.items():
                setattr(criterion, key, value)
            criterion.position = position
            changed.append(criterion)
        else:
            new.append(RubricCriterion(scheme=scheme, position=position, **values))
    RubricCriterion.objects.bulk_update(changed, ["position", "max_points", *CRITERION_TEXT_FIELDS])
    RubricCriterion.objects.bulk_create(new)
    return scheme


@transaction.atomic
def scheme_save(*, program, by, has_project, excellent_from, good_from, pass_from, module_grade_rule, criteria=()):
    """Save the program's assessment rules and its rubric at once (004 §8); nothing is saved on a problem.

    The criteria come in the order they are to be numbered; a saved criterion left out is removed.
    Raises SchemeError (a DomainError listing every problem in ``errors``).
    """
    refusal = _("You may not change the assessment rules.")
    access.require(by, "assessment.change_assessmentscheme", program, refusal)
    scheme = AssessmentScheme.objects.select_for_update().filter(program=program).first()
    if scheme is None:
        access.require(by, "assessment.add_assessmentscheme", program, refusal)
    fields = {
        "has_project": has_project,
        "excellent_from": excellent_from,
        "good_from": good_from,
        "pass_from": pass_from,
        "module_grade_rule": module_grade_rule,
        "criteria": list(criteria),
    }
    errors = scheme_errors(scheme=scheme, **fields)
    if errors:
        raise SchemeError(errors)
    before = scheme_values(scheme)
    saved = _write(program, scheme or AssessmentScheme(program=program), **fields)
    log_action(saved, "assessment.scheme.saved", by=by, before=before, after=scheme_values(saved))
    return saved
