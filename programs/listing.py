"""Reads of the program lists: the staff's list with deadlines, the catalogue, open discussions.

Each returns a queryset whose rows carry what the page shows, so a page's query count does not grow
with its rows.
"""

from django.db.models import OuterRef, Prefetch, Subquery

from .enums import Conclusion, ProgramStatus
from .models import ComplexItem, Discussion, Program, ProgramStatusChange, Submission


def staff_programs(status=None):
    discussions = Discussion.objects.filter(version=OuterRef("current_version"))
    agreements = Submission.objects.filter(version=OuterRef("current_version"), conclusion=Conclusion.AGREED).order_by(
        "-concluded_on"
    )
    last_change = ProgramStatusChange.objects.filter(program=OuterRef("pk")).order_by("-at")
    programs = (
        Program.objects.select_related("current_version", "approved_version", "development_order")
        .annotate(
            discussion_ends_on=Subquery(discussions.values("ends_on")[:1]),
            agreed_on=Subquery(agreements.values("concluded_on")[:1]),
            changed_at=Subquery(last_change.values("at")[:1]),
        )
        .order_by("status", "title_ru", "title_kk", "pk")
    )
    if status:
        programs = programs.filter(status=status)
    return programs


def catalogue_programs():
    """Approved programs that are taught (a revision in progress keeps the approved version listed)."""
    return (
        Program.objects.filter(approved_version__isnull=False)
        .exclude(status=ProgramStatus.ARCHIVED)
        .select_related("approved_version")
        .prefetch_related(Prefetch("complex_items", queryset=ComplexItem.objects.only("program_id", "part")))
        .order_by("title_ru", "title_kk", "pk")
    )


def open_discussions(today):
    return (
        Discussion.objects.filter(ends_on__gte=today, published_on__lte=today)
        .select_related("version__program")
        .order_by("ends_on")
    )
