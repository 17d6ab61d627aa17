"""Rows for the online test: a bank version with questions per module, a cohort's test, admitted listeners."""

import datetime
import itertools

from django.utils import timezone

from assessment.enums import QuestionKind, TestKind
from assessment.models import AttemptItem, BankVersion, CohortTest, Option, Question
from enrolment.enums import AttendanceStatus
from enrolment.models import Attendance
from tests import factories

_bank_numbers = itertools.count(1)


def bank(prog, *, modules=None, kind=QuestionKind.SINGLE, weight=1, options=4, by=None, kinds=None):
    """A bank version of ``prog`` with ``modules`` = {module number: number of questions}.

    Single-choice questions have option 1 correct; multiple-choice ones options 1 and 2. ``kinds`` may give
    a kind per question position instead of ``kind``.
    """
    modules = modules or {1: 13, 2: 12}
    author = by or factories.UserFactory()
    version = BankVersion.objects.create(program=prog, number=next(_bank_numbers), created_by=author)
    position = 0
    for module, count in modules.items():
        for _n in range(count):
            position += 1
            question_kind = (kinds or {}).get(position, kind)
            question = Question.objects.create(
                bank=version,
                module_number=module,
                position=position,
                kind=question_kind,
                weight=weight,
                text_kk=f"{position}-сұрақ",
                text_ru=f"Вопрос {position}",
            )
            correct = {1, 2} if question_kind == QuestionKind.MULTIPLE else {1}
            Option.objects.bulk_create(
                Option(
                    question=question,
                    position=p,
                    text_kk=f"{position}.{p} жауап",
                    text_ru=f"Ответ {position}.{p}",
                    is_correct=p in correct,
                )
                for p in range(1, options + 1)
            )
    return version


def cohort_test(cohort, version, *, draw=None, kind=TestKind.FINAL, opens_at=None, closes_at=None, by=None, **kwargs):
    """A test of ``cohort`` drawing ``draw`` (default 13 + 12 questions), open from an hour ago for a day."""
    now = timezone.now()
    return CohortTest.objects.create(
        cohort=cohort,
        bank=version,
        kind=kind,
        draw=draw or {"1": 13, "2": 12},
        opens_at=opens_at or now - datetime.timedelta(hours=1),
        closes_at=closes_at or now + datetime.timedelta(days=1),
        created_by=by or factories.UserFactory(),
        **kwargs,
    )


def attend(enrolment, present):
    """Mark the first ``present`` sessions of the cohort present and the others absent."""
    marker = factories.UserFactory()
    for n, session in enumerate(enrolment.cohort.sessions.order_by("date", "starts_at")):
        status = AttendanceStatus.PRESENT if n < present else AttendanceStatus.ABSENT
        Attendance.objects.update_or_create(
            session=session, enrolment=enrolment, defaults={"status": status, "marked_by": marker}
        )


def course(*, modules=None, sessions=5, **cohort_kwargs):
    """A cohort of the default program taught in ``sessions`` two-hour sessions, with a bank."""
    prog = factories.program()
    group = factories.cohort(prog, **cohort_kwargs)
    factories.sessions(group, ["2"] * sessions)
    return group, bank(prog, modules=modules)


def admitted(cohort, listener=None):
    """An enrolment of ``cohort`` that attended every session."""
    enrolment = factories.enrolment(cohort, listener)
    attend(enrolment, cohort.sessions.count())
    return enrolment


def correct_ids(item):
    return [o.pk for o in Option.objects.filter(question_id=item.question_id, is_correct=True)]


def wrong_id(item):
    return Option.objects.filter(question_id=item.question_id, is_correct=False).values_list("pk", flat=True)[0]


def answer(attempt, right, *, now=None):
    """Answer the first ``right`` questions correctly and the others wrongly, through the service."""
    from assessment.services.testing import answer_save

    for item in AttemptItem.objects.filter(attempt=attempt).order_by("position"):
        ids = correct_ids(item) if item.position <= right else [wrong_id(item)]
        answer_save(attempt=attempt, item_position=item.position, option_ids=ids, now=now)
