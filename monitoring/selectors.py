"""The figures of the monitoring of effectiveness (000 §4.4-4.5, 001 §38), per cohort and pooled per program.

The six components of 000 §4.5 and where each figure comes from:

1. needs analysis: the needs surveys whose results the council's minutes took into account for the program's
   development order (``programs``), with their responses;
2. entrance diagnostics: ``assessment.diagnostics`` (first entrance attempt of each listener);
3. current and milestone control: the milestone and final averages and the gain (``assessment.diagnostics``),
   the listeners who passed by the outcome rule (``assessment.outcomes``) and their attendance by the
   attendance rule (``enrolment.attendance``, through the outcome);
4. satisfaction with the content, the organisation and the teaching: ``SatisfactionTally``, shown only from
   ``rules.satisfaction_shown`` answers up;
5. post-course support: follow-up questionnaires answered and applying what was learned, the support plan's
   activities held, consultations and event participations (``postcourse``);
6. self-analysis of the trainers and organisers: ``SelfAnalysis`` submitted against the cohort's trainers.

Everything is read in a fixed number of queries, however many cohorts and listeners: counts are grouped in the
database, the outcomes and diagnostics are read by their own modules in their own fixed number of queries.
A finished cohort's outcome figures are kept in ``CohortFigures`` (a cache written by the periodic task
``monitoring.tasks.cohort_figures``, ``monitoring.figures``; reading never writes) and reused while no change was
logged for the cohort or its program and the pass mark floor is the same; anything else is computed when read: a
selection narrowed to an organisation's teachers, running cohorts, and a finished cohort changed since the task
last kept it.
The selection of cohorts follows the filters (period of the course's end, program, cohort, trainer, the
organisation that sent the teachers through accepted requests) and the user's reach (``ziat.access``: a trainer
reaches the cohorts they teach).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.diagnostics import Diagnostics, diagnostics_for_cohorts, pooled
from assessment.outcomes import outcomes_for
from enrolment.enums import EnrolmentStatus, RequestStatus
from enrolment.models import Cohort, Enrolment, RequestedTeacher, Session
from postcourse.enums import ActivityStatus, Applying
from postcourse.models import Consultation, EventRegistration, FollowUp, SupportActivity
from programs.enums import ProgramStatus
from programs.models import DevelopmentOrder, NeedsSurvey, Program
from ziat import access
from ziat.errors import DomainError
from ziat.models import ActivityLog, Organisation
from ziat.roles import METHODIST
from ziat.workspace import Item, Link

from . import rules
from .enums import ReviewStatus, SatisfactionAspect, SelfAnalysisRole
from .filters import (
    NOBD_CONFIRMED,
    NOBD_DUE,
    NOBD_OVERDUE,
    REVIEW_DUE_SOON,
    REVIEW_IN_PROGRESS,
    REVIEW_OVERDUE,
    CohortSelection,
)
from .models import (
    SCORES,
    CohortFigures,
    EffectivenessReview,
    NobdDeadline,
    SatisfactionComment,
    SatisfactionTally,
    SelfAnalysis,
)
from .satisfaction import ASPECTS

TENTH = Decimal("0.1")
# The listeners a cohort's figures count: those on the course (an interrupted or transferred enrolment is
# continued by another one, counted there; an admitted one is not enrolled yet).
ON_THE_COURSE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.EXPELLED)
APPLYING = (Applying.REGULARLY, Applying.SOMETIMES)


def share(part, whole):
    """``part`` of ``whole`` in percent to 0.1, or None when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, ROUND_HALF_UP)


@dataclass
class Satisfaction:
    """The answers on one aspect: how many, and the sum of their scores (1-5)."""

    aspect: str
    answers: int = 0
    points: int = 0

    @property
    def label(self):
        return SatisfactionAspect(self.aspect).label

    @property
    def shown(self):
        return rules.satisfaction_shown(self.answers)

    @property
    def average(self):
        """The average score to 0.1, or None while too few answers to be shown (000 §4.5 4))."""
        if not self.shown:
            return None
        return (Decimal(self.points) / self.answers).quantize(TENTH, ROUND_HALF_UP)


def _satisfaction():
    return {a.value: Satisfaction(a.value) for a in SatisfactionAspect}


@dataclass
class Figures:
    """The figures of one cohort, of a program (its selected cohorts pooled) or of the whole selection."""

    enrolled: int = 0
    completed: int = 0
    passed: int = 0
    attendance_total: Decimal = Decimal("0")
    attendance_listeners: int = 0
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    satisfaction: dict = field(default_factory=_satisfaction)
    follow_ups_due: int = 0
    follow_ups_answered: int = 0
    follow_ups_applying: int = 0
    activities_planned: int = 0
    activities_held: int = 0
    consultations: int = 0
    event_registrations: int = 0
    event_attended: int = 0
    self_analyses: int = 0
    self_analyses_expected: int = 0
    cohorts: int = 0

    @property
    def pass_rate(self):
        """Listeners who passed, of those who completed the course (the outcome rule)."""
        return share(self.passed, self.completed)

    @property
    def attendance(self):
        """The average attendance of the listeners, each by the attendance rule (hours held so far)."""
        if not self.attendance_listeners:
            return None
        return (self.attendance_total / self.attendance_listeners).quantize(TENTH, ROUND_HALF_UP)

    @property
    def gain(self):
        return self.diagnostics.gain_average

    @property
    def follow_up_answered_share(self):
        return share(self.follow_ups_answered, self.follow_ups_due)

    @property
    def applying_share(self):
        """Of the answered follow-ups, those applying what was learned regularly or sometimes (001 §34)."""
        return share(self.follow_ups_applying, self.follow_ups_answered)

    @property
    def satisfaction_list(self):
        return list(self.satisfaction.values())

    @property
    def satisfaction_shown(self):
        return any(s.shown for s in self.satisfaction.values())

    COUNTS = (
        "enrolled",
        "completed",
        "passed",
        "attendance_total",
        "attendance_listeners",
        "follow_ups_due",
        "follow_ups_answered",
        "follow_ups_applying",
        "activities_planned",
        "activities_held",
        "consultations",
        "event_registrations",
        "event_attended",
        "self_analyses",
        "self_analyses_expected",
        "cohorts",
    )

    def add(self, other):
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for aspect, s in other.satisfaction.items():
            mine = self.satisfaction[aspect]
            mine.answers += s.answers
            mine.points += s.points


def pool(figures, cohort_diagnostics):
    """Figures of many cohorts pooled: ``figures`` a list of (cohort, Figures); the diagnostics pooled over all
    their listeners by ``assessment.diagnostics``."""
    total = Figures()
    for _cohort, f in figures:
        total.add(f)
    total.diagnostics = pooled([(c, cohort_diagnostics[c.pk]) for c, _f in figures])
    return total


# ------------------------------------------------------------------------------------------------ the selection


def _sent_by(organisation, *, cohort="cohort_id", listener="listener_id"):
    """The accepted requests' teachers of ``organisation`` in the enrolment's cohort who became its listener."""
    return RequestedTeacher.objects.filter(
        request__partner=organisation,
        request__status=RequestStatus.ACCEPTED,
        request__cohort_id=OuterRef(cohort),
        listener_id=OuterRef(listener),
    )


def cohorts_selected(user, data=None, *, program=None):
    """The cohorts the user reaches that match the filters ``data`` (as in the address, or their cleaned
    values), newest first, with their program; filters that do not parse raise DomainError."""
    return _valid(CohortSelection(data, user=user, program=program)).qs


def _valid(selection):
    if not selection.is_valid():
        raise DomainError(_("The filters are not valid."))
    return selection


def _listeners(ids, organisation):
    """The enrolments whose figures count: on the course, in these cohorts, of the organisation when given."""
    found = Enrolment.objects.filter(cohort_id__in=ids, status__in=ON_THE_COURSE)
    if organisation:
        found = found.filter(Exists(_sent_by(organisation)))
    return found


def _grouped(queryset, key, **aggregates):
    """{key value: {name: value}} of a grouped aggregate (one query)."""
    rows = queryset.order_by().values(key).annotate(**aggregates)
    return {row[key]: row for row in rows}


def cohort_figures(cohorts, *, organisation=None, today=None):
    """[(cohort, Figures)] of ``cohorts`` (a list), in a fixed number of queries; with ``organisation``, the
    figures of listeners are those of its teachers (satisfaction and diagnostics stay the cohort's)."""
    today = today or timezone.localdate()
    cohorts = list(cohorts)
    if not cohorts:
        return []
    ids = [c.pk for c in cohorts]
    figures = {c.pk: Figures(cohorts=1) for c in cohorts}
    ended = {c.pk: c.ends_on < today for c in cohorts}
    enrolments = _listeners(ids, organisation)
    if organisation:
        _results(figures, ended, enrolments)
    else:
        _results_kept(figures, cohorts, ended)
    for pk, d in diagnostics_for_cohorts(ids).items():
        figures[pk].diagnostics = d
    _satisfaction_of(figures, ids)
    _support(figures, ids, enrolments, organisation, today)
    _self_analysis(figures, ids, ended)
    return [(c, figures[c.pk]) for c in cohorts]


def _results(figures, ended, enrolments):
    """Listeners enrolled, completed and passed (the outcome rule), and attendance (the attendance rule)."""
    for outcome in outcomes_for(enrolments, now=timezone.now()):
        e = outcome.enrolment
        f = figures[e.cohort_id]
        f.enrolled += 1
        if e.status == EnrolmentStatus.ENROLLED and ended[e.cohort_id]:
            f.completed += 1
            f.passed += outcome.eligible
        if outcome.attendance.held_hours:
            f.attendance_total += outcome.attendance.so_far
            f.attendance_listeners += 1


# The outcome figures of a cohort that ``CohortFigures`` keeps: exactly what ``_results`` adds up.
RESULTS = ("enrolled", "completed", "passed", "attendance_total", "attendance_listeners")


def watermarks(cohorts):
    """{cohort id: watermark} of ``cohorts`` (with ``program_id``), in two grouped queries: the latest activity-log
    entry of the cohort and of its program, and the organisation's pass mark floor. Every change of what the
    outcome rule reads (results, attendance, grades, statuses, the timetable, the program) is made by a service
    that logs it with the cohort or the program, so the figures computed under a watermark stay true while it
    is the current one."""
    ids = [c.pk for c in cohorts]
    by_cohort = dict(
        ActivityLog.objects.filter(cohort_id__in=ids)
        .order_by()
        .values_list("cohort_id")
        .annotate(latest=Max("pk"))
        .values_list("cohort_id", "latest")
    )
    by_program = dict(
        ActivityLog.objects.filter(program_id__in={c.program_id for c in cohorts})
        .order_by()
        .values_list("program_id")
        .annotate(latest=Max("pk"))
        .values_list("program_id", "latest")
    )
    floor = Organisation.current().pass_floor_percent
    return {c.pk: f"{by_cohort.get(c.pk, 0)}:{by_program.get(c.program_id, 0)}:{floor}" for c in cohorts}


def finished_results(ids):
    """{cohort id: Figures} with the outcome figures (``RESULTS``) of the finished cohorts ``ids``, computed by the
    outcome rule in a fixed number of queries."""
    figures = {pk: Figures(cohorts=1) for pk in ids}
    _results(figures, dict.fromkeys(ids, True), _listeners(ids, None))
    return figures


def _results_kept(figures, cohorts, ended):
    """``_results`` of every listener on the course, reusing the figures of the finished cohorts kept in
    ``CohortFigures`` under the current watermark; the others are computed by the outcome rule. Nothing is
    written here: the figures are kept by ``monitoring.figures.cohort_figures_refresh``. Fixed queries: the
    watermarks (two), the kept rows (one), and when anything is to compute, the outcomes."""
    finished = [c for c in cohorts if ended[c.pk]]
    marks = watermarks(finished) if finished else {}
    kept = {
        k.cohort_id: k for k in CohortFigures.objects.filter(cohort_id__in=marks) if k.watermark == marks[k.cohort_id]
    }
    for pk, k in kept.items():
        for name in RESULTS:
            setattr(figures[pk], name, getattr(figures[pk], name) + getattr(k, name))
    live = [c.pk for c in cohorts if c.pk not in kept]
    if live:
        _results(figures, ended, _listeners(live, None))


def _satisfaction_of(figures, ids):
    for cohort_id, aspect, answers, points in (
        SatisfactionTally.objects.filter(cohort_id__in=ids)
        .order_by()
        .values_list("cohort_id", "aspect")
        .annotate(answers=Sum("count"), points=Sum(F("count") * F("score")))
    ):
        s = figures[cohort_id].satisfaction.get(aspect)
        if s is not None:
            s.answers, s.points = answers or 0, points or 0


def _support(figures, ids, enrolments, organisation, today):
    """Follow-ups due and answered, the plan's activities, consultations and events (000 §4.3, 001 §34)."""
    follow_ups = FollowUp.objects.filter(enrolment__in=enrolments.values("pk"), due_on__lte=today)
    for cohort_id, row in _grouped(
        follow_ups,
        "enrolment__cohort_id",
        due=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        applying=Count("pk", filter=Q(answered_at__isnull=False, applying__in=APPLYING)),
    ).items():
        f = figures[cohort_id]
        f.follow_ups_due, f.follow_ups_answered, f.follow_ups_applying = row["due"], row["answered"], row["applying"]
    for cohort_id, row in _grouped(
        SupportActivity.objects.filter(cohort_id__in=ids).exclude(status=ActivityStatus.CANCELLED),
        "cohort_id",
        planned=Count("pk"),
        held=Count("pk", filter=Q(status=ActivityStatus.HELD)),
    ).items():
        figures[cohort_id].activities_planned, figures[cohort_id].activities_held = row["planned"], row["held"]
    consultations = Consultation.objects.filter(enrolment__cohort_id__in=ids)
    registrations = EventRegistration.objects.filter(enrolment__cohort_id__in=ids)
    if organisation:
        mine = Exists(_sent_by(organisation, cohort="enrolment__cohort_id", listener="enrolment__listener_id"))
        consultations, registrations = consultations.filter(mine), registrations.filter(mine)
    for cohort_id, row in _grouped(consultations, "enrolment__cohort_id", n=Count("pk")).items():
        figures[cohort_id].consultations = row["n"]
    for cohort_id, row in _grouped(
        registrations, "enrolment__cohort_id", n=Count("pk"), attended=Count("pk", filter=Q(attended=True))
    ).items():
        figures[cohort_id].event_registrations, figures[cohort_id].event_attended = row["n"], row["attended"]


def _self_analysis(figures, ids, ended):
    """The trainers' self-analyses submitted, of those expected from each trainer of a cohort that has ended
    (000 §4.5 6)); the organisers' are read on the cohort's self-analysis page."""
    written = SelfAnalysis.objects.filter(cohort_id__in=ids, role=SelfAnalysisRole.TRAINER)
    for cohort_id, row in _grouped(written, "cohort_id", n=Count("pk")).items():
        figures[cohort_id].self_analyses = row["n"]
    for cohort_id, row in _grouped(
        Session.objects.filter(cohort_id__in=ids, trainer__isnull=False),
        "cohort_id",
        n=Count("trainer_id", distinct=True),
    ).items():
        if ended[cohort_id]:
            figures[cohort_id].self_analyses_expected = row["n"]


# ------------------------------------------------------------------------------------------------ needs analysis


@dataclass
class NeedsSurveyRow:
    survey: NeedsSurvey
    responses: int
    programs: list  # the programs developed with its results (the council's minutes of their development order)


def needs_surveys(program_ids=None):
    """The needs surveys with their responses and the programs that answered them (000 §4.5 1)): a program
    answers a survey when the council's minutes behind its development order took the survey's results into
    account. With ``program_ids``, only the surveys behind those programs. Two queries."""
    links = DevelopmentOrder.objects.filter(minutes__surveys__isnull=False)
    if program_ids is not None:
        links = links.filter(program_id__in=program_ids)
    pairs = list(
        links.order_by().values_list("minutes__surveys", "program_id", "program__title_kk", "program__title_ru")
    )
    surveys = NeedsSurvey.objects.annotate(responses_count=Count("responses")).order_by("-created_at", "pk")
    if program_ids is not None:
        surveys = surveys.filter(pk__in={survey_id for survey_id, *_rest in pairs})
    answered = {}
    for survey_id, program_id, title_kk, title_ru in pairs:
        program = Program(pk=program_id, title_kk=title_kk, title_ru=title_ru)
        answered.setdefault(survey_id, {})[program_id] = program
    return [NeedsSurveyRow(s, s.responses_count, list(answered.get(s.pk, {}).values())) for s in surveys]


def needs_of_programs(program_ids):
    """{program id: [NeedsSurveyRow]} of the surveys behind each program (two queries)."""
    rows = needs_surveys(program_ids)
    result = {pk: [] for pk in program_ids}
    for row in rows:
        for program in row.programs:
            if program.pk in result:
                result[program.pk].append(row)
    return result


# ------------------------------------------------------------------------------------------------ the overview


@dataclass
class ProgramRow:
    program: Program
    figures: Figures
    cohorts: list  # (cohort, Figures)


@dataclass
class Overview:
    total: Figures
    programs: list  # ProgramRow, by title
    cohorts: list  # (cohort, Figures), newest first
    periods: list  # (label, Figures) by the year and quarter of the course's end, oldest first


def quarter_of(day):
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def overview(selection, *, today=None):
    """The figures of a valid ``CohortSelection``: in total, per program, per cohort and per quarter of the
    course's end."""
    cohorts = list(_valid(selection).qs)
    per_cohort = cohort_figures(cohorts, organisation=selection.sent_by, today=today)
    diagnostics = {c.pk: f.diagnostics for c, f in per_cohort}
    by_program, by_period = {}, {}
    for c, f in per_cohort:
        by_program.setdefault(c.program_id, (c.program, []))[1].append((c, f))
        by_period.setdefault(quarter_of(c.ends_on), []).append((c, f))
    programs = [ProgramRow(p, pool(rows, diagnostics), rows) for p, rows in by_program.values()]
    programs.sort(key=lambda r: (str(r.program.title).casefold(), r.program.pk))
    periods = [(label, pool(rows, diagnostics)) for label, rows in sorted(by_period.items())]
    return Overview(total=pool(per_cohort, diagnostics), programs=programs, cohorts=per_cohort, periods=periods)


# ----------------------------------------------------------------------------------------- the schedule of reviews


DUE_SOON_DAYS = 90


@dataclass
class ScheduleRow:
    program: Program
    last_reviewed_on: datetime.date | None  # the last approved review's approval, None when never reviewed
    counted_from: datetime.date  # that date, or the program's approval
    due_on: datetime.date
    overdue: bool
    due_soon: bool
    open_review: EffectivenessReview | None


def review_programs():
    """The programs that are reviewed: approved and not archived."""
    return Program.objects.filter(approved_on__isnull=False).exclude(status=ProgramStatus.ARCHIVED)


def review_schedule(*, today=None, programs=None):
    """The approved programs (or those of ``programs``, a narrower queryset of ``review_programs``) with the date
    their next review is due, most urgent first (three queries)."""
    today = today or timezone.localdate()
    last = (
        EffectivenessReview.objects.filter(program=OuterRef("pk"), status=ReviewStatus.APPROVED)
        .order_by()
        .values("program")
        .annotate(last=Max("approved_at"))
        .values("last")
    )
    programs = list((review_programs() if programs is None else programs).annotate(last_approved_at=Subquery(last)))
    open_reviews = {}
    for review in EffectivenessReview.objects.filter(
        program__in=programs, status__in=(ReviewStatus.DRAFT, ReviewStatus.CONCLUDED)
    ).order_by("program_id", "-created_at", "-pk"):
        open_reviews.setdefault(review.program_id, review)
    rows = []
    for p in programs:
        last_on = timezone.localdate(p.last_approved_at) if p.last_approved_at else None
        counted_from = last_on or p.approved_on
        due = rules.review_due_on(counted_from)
        rows.append(
            ScheduleRow(
                program=p,
                last_reviewed_on=last_on,
                counted_from=counted_from,
                due_on=due,
                overdue=due < today,
                due_soon=today <= due <= today + datetime.timedelta(days=DUE_SOON_DAYS),
                open_review=open_reviews.get(p.pk),
            )
        )
    rows.sort(key=lambda r: (r.due_on, str(r.program).casefold()))
    return rows


def schedule_rows(programs, filters, *, today=None):
    """The schedule of ``programs`` (filtered by ``ReviewScheduleFilter``) keeping the rows its "due" asks for."""
    rows = review_schedule(today=today, programs=programs)
    due = filters.get("due")
    if due == REVIEW_OVERDUE:
        return [r for r in rows if r.overdue]
    if due == REVIEW_DUE_SOON:
        return [r for r in rows if r.due_soon]
    if due == REVIEW_IN_PROGRESS:
        return [r for r in rows if r.open_review is not None]
    return rows


# ------------------------------------------------------------------------------------------------ satisfaction


def enrolment_for_satisfaction(user, cohort):
    """The user's enrolment in the cohort, or None."""
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(cohort=cohort, listener__user=user).select_related("cohort").first()


@dataclass
class AspectResult:
    aspect: str
    label: str
    average: float | None
    distribution: list  # (score, count, percent) for 1..5


@dataclass
class SatisfactionResults:
    answers: int
    shown: bool
    aspects: list
    comments: list


def satisfaction_results(cohort):
    """The cohort's results: averages, distributions and comments (in the order of their random keys),
    or only the number of answers while it is below the threshold (two queries)."""
    counts = {(a, s): 0 for a in ASPECTS for s in SCORES}
    for aspect, score, count in SatisfactionTally.objects.filter(cohort=cohort).values_list("aspect", "score", "count"):
        counts[(aspect, score)] = count
    answers = sum(counts[(ASPECTS[0], s)] for s in SCORES)
    shown = rules.satisfaction_shown(answers)
    if not shown:
        return SatisfactionResults(answers=answers, shown=False, aspects=[], comments=[])
    labels = dict(SatisfactionAspect.choices)
    aspects = []
    for aspect in ASPECTS:
        total = sum(counts[(aspect, s)] for s in SCORES)
        average = sum(s * counts[(aspect, s)] for s in SCORES) / total if total else None
        distribution = [
            (s, counts[(aspect, s)], round(100 * counts[(aspect, s)] / total) if total else 0) for s in SCORES
        ]
        aspects.append(AspectResult(aspect, str(labels[aspect]), average, distribution))
    comments = list(SatisfactionComment.objects.filter(cohort=cohort).order_by("id").values_list("text", flat=True))
    return SatisfactionResults(answers=answers, shown=True, aspects=aspects, comments=comments)


# ------------------------------------------------------------------------------------------------ self-analyses


@dataclass
class Expected:
    person: object
    analysis: SelfAnalysis | None


def cohort_self_analyses(cohort):
    """The cohort's trainers, each with their self-analysis or None, and the organisers' self-analyses
    (three queries)."""
    written = {a.author_id: a for a in SelfAnalysis.objects.filter(cohort=cohort).select_related("author")}
    trainer_ids = Session.objects.filter(cohort=cohort, trainer__isnull=False).values("trainer_id")
    trainers = get_user_model().objects.filter(pk__in=trainer_ids).order_by("last_name", "first_name", "pk")
    expected = [Expected(t, written.get(t.pk)) for t in trainers]
    listed = {t.person.pk for t in expected}
    others = [a for a in written.values() if a.author_id not in listed]
    others.sort(key=lambda a: (a.role, a.submitted_at, a.pk))
    return expected, others


def cohorts_for_self_analysis(user, *, today=None):
    """The ended cohorts the user may read the self-analyses of (a trainer: those they teach), newest first."""
    today = today or timezone.localdate()
    return (
        access.scope(user, Cohort.objects.filter(ends_on__lte=today))
        .select_related("program")
        .order_by("-ends_on", "code")
    )


# ------------------------------------------------------------------------------------------------ the NOBD deadlines


def nobd_deadlines():
    """The deadlines with their cohort, program and confirmer, overdue first, then by due day."""
    rows = NobdDeadline.objects.select_related("cohort__program", "confirmed_by")
    return rows.order_by("confirmed_at", "due_on", "cohort__code", "pk")


def state_of(deadline, today):
    if deadline.confirmed_at is not None:
        return NOBD_CONFIRMED
    return NOBD_OVERDUE if deadline.due_on < today else NOBD_DUE


# ------------------------------------------------------------------------------- the staff home's work


def work_of_reviews(user, *, today):
    """Effectiveness reviews waiting: the methodist concludes an assembled one, the director approves a
    concluded one (000 §4.4, 001 §38)."""
    counts = dict(
        EffectivenessReview.objects.filter(status__in=[ReviewStatus.DRAFT, ReviewStatus.CONCLUDED])
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    items = []
    url = reverse("monitoring:reviews")
    if user.has_perm("monitoring.approve_effectivenessreview"):
        items.append(
            Item("monitoring.reviews_to_approve", _("Reviews to approve"), counts.get(ReviewStatus.CONCLUDED, 0), url)
        )
    if user.has_perm("monitoring.change_effectivenessreview") and METHODIST in access.roles(user):
        items.append(
            Item("monitoring.reviews_to_conclude", _("Reviews to conclude"), counts.get(ReviewStatus.DRAFT, 0), url)
        )
    return items


def work_of_nobd(user, *, today):
    """Finished cohorts whose entry into NOBD is not yet confirmed, with the nearest due date (001 §19)."""
    if not user.has_perm("monitoring.view_nobddeadline"):
        return []
    found = access.scope(
        user, Cohort.objects.filter(nobd_deadline__isnull=False, nobd_deadline__confirmed_at__isnull=True)
    ).aggregate(n=Count("pk"), due=Min("nobd_deadline__due_on"))
    return [
        Item(
            "monitoring.nobd_due",
            _("NOBD entries to confirm"),
            found["n"],
            reverse("monitoring:nobd"),
            deadline=found["due"],
        )
    ]


def work_of_monitoring(user, *, today):
    """The monitoring officer's own pages, and the needs surveys open for answers."""
    items = []
    if user.has_perm("monitoring.view_satisfactiontally"):
        items.append(Link("monitoring.dashboard", _("Monitoring dashboard"), reverse("monitoring:dashboard")))
    if user.has_perm("monitoring.view_effectivenessreview"):
        items.append(Link("monitoring.reviews", _("Effectiveness reviews"), reverse("monitoring:reviews")))
    if user.has_perm("programs.view_needssurvey"):
        items.append(Link("monitoring.needs_surveys", _("Needs surveys"), reverse("programs:survey_list")))
        open_surveys = NeedsSurvey.objects.filter(is_open=True).count()
        items.append(
            Item(
                "monitoring.surveys_open",
                _("Needs surveys open for answers"),
                open_surveys,
                reverse("programs:survey_list"),
            )
        )
    return items
