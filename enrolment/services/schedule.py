"""The centre's annual schedule of courses (001 §15, 003 §4.4): cohorts ("потоки") of approved programs,
their groups, publication for applications, and the year's schedule as an Excel workbook.

Writes are plain functions with an explicit actor; the reads the schedule pages need (``cohorts_of_year``,
``public_cohorts``) are in ``enrolment.selectors``, each in a fixed number of queries.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action, log_actions
from ziat.errors import DomainError
from ziat.excel import workbook

from ..enums import Funding
from ..filters import ScheduleFilter
from ..models import Cohort, Enrolment, StudyGroup
from ..selectors import cohorts_of_year
from .core import SEAT_STATES, cohort_check_program, seats_taken

# The fields of a cohort the registrar sets on the schedule (the program is chosen once, at creation).
COHORT_FIELDS = (
    "code",
    "language",
    "funding",
    "starts_on",
    "ends_on",
    "capacity",
    "price",
    "test_max_score",
    "test_pass_score",
)


def _check_terms(cohort):
    """The rules of a cohort's own terms, in the words a registrar understands."""
    if not cohort.code.strip():
        raise DomainError(_("Give the cohort a code."))
    if cohort.ends_on < cohort.starts_on:
        raise DomainError(_("The course cannot end before it starts."))
    if cohort.capacity < 1:
        raise DomainError(_("A cohort has at least one seat."))
    if cohort.funding != Funding.STATE and cohort.price is None:
        raise DomainError(_("A paid course needs its price per listener (003 §6.4)."))
    if cohort.price is not None and cohort.price < 0:
        raise DomainError(_("The price cannot be negative."))
    if cohort.test_max_score < 1:
        raise DomainError(_("The maximum score of the final test is at least 1."))
    if cohort.test_pass_score > cohort.test_max_score:
        raise DomainError(_("The pass mark cannot exceed the maximum score."))
    if cohort.test_pass_score * 2 < cohort.test_max_score:
        raise DomainError(
            _("The pass mark cannot be below half of the maximum score (%(half)s of %(max)s; 001 §24, 000 §3.6).")
            % {"half": (cohort.test_max_score + 1) // 2, "max": cohort.test_max_score}
        )


def _save(cohort, update_fields=None):
    try:
        with transaction.atomic():
            cohort.save(update_fields=update_fields)
    except IntegrityError:
        raise DomainError(_("The code %(code)s is already taken by another cohort.") % {"code": cohort.code}) from None


@transaction.atomic
def cohort_create(
    *,
    by,
    program,
    code,
    starts_on,
    ends_on,
    language,
    funding,
    capacity=30,
    price=None,
    test_max_score=25,
    test_pass_score=17,
):
    """Put a cohort of an approved program, in its approved version, on the schedule (unpublished)."""
    # A new cohort belongs to no one yet: it names its program, the centre's own record.
    access.require(by, "enrolment.add_cohort", program, _("You may not plan cohorts."))
    cohort = Cohort(
        program=program,
        version_id=program.approved_version_id,
        code=code.strip(),
        language=language,
        funding=funding,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        price=price,
        test_max_score=test_max_score,
        test_pass_score=test_pass_score,
    )
    cohort_check_program(cohort)
    _check_terms(cohort)
    _save(cohort)
    log_action(
        cohort,
        "enrolment.cohort.created",
        by=by,
        after={"code": cohort.code, "starts_on": starts_on, "ends_on": ends_on},
    )
    return cohort


@transaction.atomic
def cohort_update(cohort, *, by, **changes):
    """Change a cohort's terms; its seats cannot fall below the listeners already holding one."""
    access.require(by, "enrolment.change_cohort", cohort, _("You may not change cohorts."))
    unknown = set(changes) - set(COHORT_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    cohort = Cohort.objects.select_for_update().select_related("program").get(pk=cohort.pk)
    before = {name: getattr(cohort, name) for name in changes}
    for name, value in changes.items():
        setattr(cohort, name, value.strip() if name == "code" else value)
    _check_terms(cohort)
    taken = seats_taken(cohort)
    if cohort.capacity < taken:
        raise DomainError(_("%(taken)s listeners already hold seats; the capacity cannot be less.") % {"taken": taken})
    _save(cohort, update_fields=list(changes))
    log_action(
        cohort,
        "enrolment.cohort.changed",
        by=by,
        before=before,
        after={name: getattr(cohort, name) for name in changes},
    )
    return cohort


# The stages of a cohort's course, by its dates: what its page offers depends on them.
PLANNED, RUNNING, FINISHED = "planned", "running", "finished"


def cohort_stage(cohort, today):
    """``PLANNED`` before its first day, ``RUNNING`` from its first to its last day, ``FINISHED`` after."""
    if today < cohort.starts_on:
        return PLANNED
    return RUNNING if today <= cohort.ends_on else FINISHED


def cohort_may_open(cohort, today):
    """Whether the cohort may still be opened for applications: not once the course has ended."""
    return not cohort.is_published and cohort.ends_on >= today


@transaction.atomic
def cohort_publish(cohort, *, by):
    """Open the cohort for applications: it appears in the public schedule with its seats left."""
    access.require(by, "enrolment.change_cohort", cohort, _("You may not publish cohorts."))
    cohort = Cohort.objects.select_for_update().select_related("program").get(pk=cohort.pk)
    if cohort.is_published:
        raise DomainError(_("The cohort is already published."))
    if not cohort_may_open(cohort, timezone.localdate()):
        raise DomainError(_("The course has ended; it cannot be opened for applications."))
    cohort_check_program(cohort)
    cohort.is_published = True
    cohort.save(update_fields=["is_published"])
    log_action(cohort, "enrolment.cohort.published", by=by)
    return cohort


@transaction.atomic
def cohort_unpublish(cohort, *, by):
    """Close the cohort for new applications; those already made stay."""
    access.require(by, "enrolment.change_cohort", cohort, _("You may not publish cohorts."))
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not cohort.is_published:
        raise DomainError(_("The cohort is not published."))
    cohort.is_published = False
    cohort.save(update_fields=["is_published"])
    log_action(cohort, "enrolment.cohort.unpublished", by=by)
    return cohort


@transaction.atomic
def group_create(cohort, *, by, name, capacity):
    """Split a cohort: add a group of listeners to it."""
    access.require(by, "enrolment.change_cohort", cohort, _("You may not split cohorts into groups."))
    name = name.strip()
    if not name:
        raise DomainError(_("Give the group a name."))
    if capacity < 1:
        raise DomainError(_("A group has at least one seat."))
    try:
        with transaction.atomic():
            group = StudyGroup.objects.create(cohort=cohort, name=name, capacity=capacity)
    except IntegrityError:
        raise DomainError(_("The cohort already has a group %(name)s.") % {"name": name}) from None
    log_action(group, "enrolment.group.created", by=by, after={"name": name, "capacity": capacity})
    return group


@transaction.atomic
def group_delete(group, *, by):
    access.require(by, "enrolment.change_cohort", group, _("You may not split cohorts into groups."))
    if group.enrolments.exists():
        raise DomainError(_("The group has listeners; move them to another group first."))
    log_action(group, "enrolment.group.deleted", by=by, before={"name": group.name, "capacity": group.capacity})
    group.delete()


@transaction.atomic
def groups_assign(cohort, *, by, assignments):
    """Put listeners of the cohort into its groups at once.

    ``assignments`` maps an enrolment id to a group id, or to None to take the listener out of any group.
    Only listeners holding a seat are placed; a group never holds more than its capacity. Nothing is saved
    when one rule is broken.
    """
    access.require(by, "enrolment.change_cohort", cohort, _("You may not split cohorts into groups."))
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    groups = {g.pk: g for g in cohort.groups.all()}
    enrolments = {e.pk: e for e in cohort.enrolments.filter(status__in=SEAT_STATES)}
    for enrolment_id, group_id in assignments.items():
        if enrolment_id not in enrolments or (group_id is not None and group_id not in groups):
            raise DomainError(_("The groups do not match this cohort; nothing was saved."))
    changed, changes = [], []
    for enrolment_id, group_id in assignments.items():
        enrolment = enrolments[enrolment_id]
        if enrolment.group_id != group_id:
            changes.append(
                (
                    enrolment,
                    {"group": getattr(groups.get(enrolment.group_id), "name", None)},
                    {"group": getattr(groups.get(group_id), "name", None)},
                )
            )
            enrolment.group_id = group_id
            changed.append(enrolment)
    Enrolment.objects.bulk_update(changed, ["group"])
    scope = {"program_id": cohort.program_id, "cohort_id": cohort.pk}
    log_actions(
        "enrolment.group.assigned",
        changes,
        by=by,
        scope=lambda e: {**scope, "listener_id": e.listener_id},
        label=lambda e: f"{cohort.code} #{e.pk}",
    )
    sizes = dict(
        cohort.enrolments.filter(status__in=SEAT_STATES, group__isnull=False)
        .values_list("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    for group_id, size in sizes.items():
        group = groups[group_id]
        if size > group.capacity:
            raise DomainError(
                _("Group %(name)s holds %(capacity)s listeners; %(size)s were put in it. Nothing was saved.")
                % {"name": group.name, "capacity": group.capacity, "size": size}
            )
    return len(changed)


# ------------------------------------------------------------------------------------- the year's workbook


def schedule_year(value, today=None):
    """The year asked for in a query string, or the current one when it is missing or absurd."""
    current = (today or timezone.localdate()).year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return current
    return year if datetime.MINYEAR < year < datetime.MAXYEAR else current


def schedule_workbook(year, filters=None):
    """The year's schedule as an .xlsx workbook (bytes), one row per cohort; ``filters``: the query string of
    the schedule page's filters (``enrolment.filters.ScheduleFilter``), so that the file holds what the page
    shows."""
    cohorts = cohorts_of_year(year)
    if filters:
        found = ScheduleFilter(QueryDict(filters), queryset=cohorts)
        cohorts = found.qs if found.is_valid() else cohorts.none()
    header = [
        _("Code"),
        _("Program"),
        _("Starts on"),
        _("Ends on"),
        _("Language of instruction"),
        _("Form of study"),
        _("Funding"),
        _("Price per listener, tenge"),
        _("Capacity"),
        _("Seats taken"),
        _("Groups"),
        _("Open for applications"),
    ]
    rows = (
        [
            c.code,
            c.program.title,
            c.starts_on,
            c.ends_on,
            str(c.get_language_display()),
            str(c.program.get_form_of_study_display()),
            str(c.get_funding_display()),
            c.price,
            c.capacity,
            c.taken,
            c.group_count,
            _("yes") if c.is_published else _("no"),
        ]
        for c in cohorts
    )
    return workbook([(_("Schedule %(year)s") % {"year": year}, header, rows)])
