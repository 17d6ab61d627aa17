import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Min, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat.dates import add_years
from ziat.workspace import Item

from .enums import HOUR_FIELDS, ProgramStatus, QuestionKind
from .models import (
    DevelopmentOrder,
    Module,
    NeedsSurvey,
    Program,
    ProgramVersion,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    Topic,
)

# An approved program is listed as due for revision this many days before its three years run out.
REVISION_WARNING_DAYS = 90


@dataclass
class PlanTotals:
    """Totals of a thematic plan: per column, per module and overall, computed from the topics."""

    columns: dict = field(default_factory=lambda: dict.fromkeys(HOUR_FIELDS, Decimal("0")))
    modules: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.columns.values(), Decimal("0"))


def version_with_plan(version_id):
    modules = Module.objects.order_by("position").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("position"))
    )
    return (
        ProgramVersion.objects.select_related("program")
        .prefetch_related(Prefetch("modules", queryset=modules))
        .get(pk=version_id)
    )


def plan_totals(version):
    totals = PlanTotals()
    for module in version.modules.all():
        module_total = Decimal("0")
        for topic in module.topics.all():
            for f in HOUR_FIELDS:
                totals.columns[f] += getattr(topic, f)
            module_total += topic.total
        totals.modules[module.pk] = module_total
    return totals


def version_for_display(program_id, number):
    """One version of a program with its texts and its plan (modules, topics) in a fixed number of queries."""
    modules = Module.objects.order_by("position").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("position"))
    )
    return (
        ProgramVersion.objects.select_related("program", "based_on")
        .prefetch_related("texts", Prefetch("modules", queryset=modules))
        .get(program_id=program_id, number=number)
    )


def program_version_numbers(program_id):
    """The numbers of a program's versions, oldest first."""
    numbers = ProgramVersion.objects.filter(program_id=program_id).order_by("number").values_list("number", flat=True)
    return list(numbers)


# ------------------------------------------------------------------------------- the staff home's work


def _programs_url(status=""):
    return reverse("programs:staff_list") + (f"?status={status}" if status else "")


def work_of_director(user, *, today):
    """Programs agreed by the state body, waiting for the director's approval (000 §2.10)."""
    if not user.has_perm("programs.approve_program"):
        return []
    count = Program.objects.filter(status=ProgramStatus.AGREED).count()
    return [Item("programs.to_approve", _("Programs to approve"), count, _programs_url(ProgramStatus.AGREED))]


def work_of_methodist(user, *, today):
    """Programs being drafted or reworked, in public discussion (with its end), and revisions due."""
    if not user.has_perm("programs.change_program"):
        return []
    counts = dict(
        Program.objects.filter(status__in=[ProgramStatus.DRAFT, ProgramStatus.REWORK, ProgramStatus.DISCUSSION])
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    discussion_end = Program.objects.filter(status=ProgramStatus.DISCUSSION).aggregate(
        due=Min("current_version__discussion__ends_on")
    )["due"]
    return [
        Item(
            "programs.drafting", _("Programs in drafting"), counts.get(ProgramStatus.DRAFT, 0), _programs_url("draft")
        ),
        Item(
            "programs.rework",
            _("Programs returned for rework"),
            counts.get(ProgramStatus.REWORK, 0),
            _programs_url(ProgramStatus.REWORK),
        ),
        Item(
            "programs.discussion",
            _("Programs in public discussion"),
            counts.get(ProgramStatus.DISCUSSION, 0),
            _programs_url(ProgramStatus.DISCUSSION),
            deadline=discussion_end,
        ),
        _revisions_due(today),
    ]


def _revisions_due(today):
    """Approved programs whose three years run out within the warning period (000 §2.14)."""
    from .services.workflow import REVISION_YEARS  # the workflow reads plans through this module

    horizon = today + datetime.timedelta(days=REVISION_WARNING_DAYS)
    found = (
        Program.objects.filter(approved_version__isnull=False, approved_on__lte=add_years(horizon, -REVISION_YEARS))
        .exclude(status=ProgramStatus.ARCHIVED)
        .aggregate(n=Count("pk"), first=Min("approved_on"))
    )
    due = add_years(found["first"], REVISION_YEARS) if found["first"] else None
    return Item("programs.revisions", _("Revisions due"), found["n"], reverse("programs:revisions"), deadline=due)


# ------------------------------------------------------------------------------- the needs analysis


def development_orders(today=None):
    """Orders with their program; ``is_overdue`` is set when the deadline passed and no draft was sent out.

    A draft counts as sent out once any version of the program was frozen (published for discussion,
    submitted to the state body or approved).
    """
    today = today or timezone.localdate()
    sent = ProgramVersion.objects.filter(program=OuterRef("program"), frozen=True)
    return (
        DevelopmentOrder.objects.select_related("program__current_version", "minutes", "created_by")
        .annotate(draft_sent=Exists(sent))
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(deadline__lt=today)
                & Q(program__status=ProgramStatus.DRAFT)
                & Q(program__current_version__frozen=False)
                & Q(draft_sent=False),
                output_field=BooleanField(),
            )
        )
        .order_by("-issued_on", "-pk")
    )


def surveys_with_counts():
    return (
        NeedsSurvey.objects.select_related("created_by")
        .annotate(
            question_count=Count("questions", distinct=True),
            response_count=Count("responses", distinct=True),
        )
        .order_by("-created_at")
    )


@dataclass
class OptionResult:
    option: SurveyOption
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    options: list
    texts: list

    @property
    def is_text(self):
        return self.question.kind == QuestionKind.TEXT


@dataclass
class SurveyResults:
    survey: NeedsSurvey
    responses: int
    questions: list


def _percent(count, total):
    return round(100 * count / total) if total else 0


def surveys_results(surveys, *, with_texts=True):
    """Results of several surveys in a fixed number of queries: {survey id: SurveyResults}.

    Percentages are shares of those who answered the question (a multiple-choice question may add up to
    more than 100). ``with_texts=False`` leaves out the free-text answers (only their count is read).
    """
    surveys = list(surveys)
    ids = [s.pk for s in surveys]
    questions = (
        SurveyQuestion.objects.filter(survey_id__in=ids)
        .prefetch_related(Prefetch("options", queryset=SurveyOption.objects.order_by("position")))
        .order_by("survey_id", "position")
    )
    responses = dict(
        SurveyResponse.objects.filter(survey_id__in=ids)
        .values("survey_id")
        .annotate(n=Count("id"))
        .values_list("survey_id", "n")
    )
    answered = dict(
        SurveyAnswer.objects.filter(question__survey_id__in=ids)
        .values("question_id")
        .annotate(n=Count("id"))
        .values_list("question_id", "n")
    )
    chosen = dict(
        SurveyAnswer.options.through.objects.filter(surveyanswer__question__survey_id__in=ids)
        .values("surveyoption_id")
        .annotate(n=Count("id"))
        .values_list("surveyoption_id", "n")
    )
    texts = {}
    answered_texts = (
        SurveyAnswer.objects.filter(question__survey_id__in=ids, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("response__submitted_at", "pk")
        .values_list("question_id", "text")
    )
    for question_id, text in answered_texts if with_texts else ():
        texts.setdefault(question_id, []).append(text)
    results = {s.pk: SurveyResults(survey=s, responses=responses.get(s.pk, 0), questions=[]) for s in surveys}
    for question in questions:
        total = answered.get(question.pk, 0)
        options = [
            OptionResult(option=o, count=chosen.get(o.pk, 0), percent=_percent(chosen.get(o.pk, 0), total))
            for o in question.options.all()
        ]
        results[question.survey_id].questions.append(
            QuestionResult(question=question, answered=total, options=options, texts=texts.get(question.pk, []))
        )
    return results


def survey_results(survey, *, with_texts=True):
    return surveys_results([survey], with_texts=with_texts)[survey.pk]
