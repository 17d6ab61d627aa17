from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from .enums import HOUR_FIELDS
from .models import Module, ProgramVersion, Topic


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
