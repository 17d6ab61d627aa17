"""The demo's effectiveness reviews (000 §4.4, 001 §38): a program approved more than three years ago and never
reviewed since, so that its review is overdue on the schedule, and a review of the 004 program assembled by the
monitoring officer over the last three years, waiting for the methodist's conclusion.

Idempotent: the older program is found by its Russian title, the review by its program.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from monitoring.models import EffectivenessReview
from monitoring.reviews import review_assemble
from programs.enums import ProgramStatus
from programs.models import Module, Program, ProgramVersion, Topic
from ziat.dates import add_years

OLD_TITLE_KK = "Сабақтағы формативті бағалау"
OLD_TITLE_RU = "Формативное оценивание на уроке"
# (title kk, title ru, lecture, practice (question-answer), independent work)
OLD_MODULES = (
    ("Формативті бағалаудың негіздері", "Основы формативного оценивания", 6, 4, 2),
    ("Бағалау критерийлері мен дескрипторлар", "Критерии оценивания и дескрипторы", 6, 6, 4),
    ("Кері байланыс", "Обратная связь", 4, 2, 2),
)


def program_due_for_review(*, today=None):
    """A 36-hour program approved three years and two months ago, never reviewed: its review is overdue."""
    today = today or timezone.localdate()
    existing = Program.objects.filter(title_ru=OLD_TITLE_RU).first()
    if existing:
        return existing
    program = Program.objects.create(title_kk=OLD_TITLE_KK, title_ru=OLD_TITLE_RU, authors="Ахметова Д.")
    version = ProgramVersion.objects.create(program=program, number=1, frozen=True, frozen_at=timezone.now())
    for position, (title_kk, title_ru, lecture, practice, independent) in enumerate(OLD_MODULES, start=1):
        module = Module.objects.create(version=version, position=position, title_kk=title_kk, title_ru=title_ru)
        Topic.objects.create(
            module=module,
            position=1,
            code=f"{position}.1",
            title_kk=title_kk,
            title_ru=title_ru,
            lecture=Decimal(lecture),
            question_answer=Decimal(practice),
            independent=Decimal(independent),
        )
    approved_on = add_years(today, -3) - datetime.timedelta(days=60)
    program.current_version = program.approved_version = version
    program.status, program.approved_on, program.approval_order_number = ProgramStatus.APPROVED, approved_on, "7-П"
    program.save(
        update_fields=["current_version", "approved_version", "status", "approved_on", "approval_order_number"]
    )
    return program


def seed(program, *, users, today=None):
    """The overdue program, and the 004 program's review of the last three years, assembled (a snapshot)."""
    today = today or timezone.localdate()
    program_due_for_review(today=today)
    review = EffectivenessReview.objects.filter(program=program).first()
    if review is None:
        review = review_assemble(program, by=users["monitoring"], period_from=add_years(today, -3), period_to=today)
    return review
