"""Rows for the tests of a cohort's tests: a bank version, a test, attempts and results, made with the ORM
(the bank import and the engine that draws and scores attempts are tested on their own)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessment.enums import SubmittedBy, TestKind
from assessment.models import Attempt, AttemptItem, BankVersion, CohortTest, FinalResult, Option, Question
from enrolment.enums import AttendanceStatus
from enrolment.models import Attendance
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)


def bank(program, *, per_module=None, weight=1, number=None, by=None):
    """A bank version with ``per_module`` {module number: question count} questions of four options each,
    the first option correct; 15 questions in each of modules 1 and 2 by default."""
    per_module = per_module or {1: 15, 2: 15}
    if number is None:
        number = (
            BankVersion.objects.filter(program=program).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
    version = BankVersion.objects.create(program=program, number=number, created_by=by or UserFactory())
    position = 0
    for module_number, count in per_module.items():
        for i in range(count):
            position += 1
            weight_of = weight(module_number, i) if callable(weight) else weight
            q = Question.objects.create(
                bank=version,
                module_number=module_number,
                position=position,
                weight=weight_of,
                text_ru=f"Вопрос {module_number}.{i + 1}",
            )
            Option.objects.bulk_create(
                Option(question=q, position=p, text_ru=f"Ответ {p}", is_correct=p == 1) for p in range(1, 5)
            )
    return version


def make_test(cohort, bank_version, *, kind=TestKind.FINAL, draw=None, opens_at=None, closes_at=None, by=None, **kw):
    """A test of the cohort; open from yesterday to tomorrow unless told otherwise."""
    now = timezone.now()
    return CohortTest.objects.create(
        cohort=cohort,
        kind=kind,
        bank=bank_version,
        draw=draw or {"1": 13, "2": 12},
        opens_at=opens_at or now - DAY,
        closes_at=closes_at or now + DAY,
        created_by=by or UserFactory(),
        **kw,
    )


def attempt(test, enrolment, *, points=None, max_points=None, score=None, submitted=True, started_at=None, **kw):
    """An attempt; submitted by the listener an hour after it started unless ``submitted`` is False."""
    started_at = started_at or timezone.now() - datetime.timedelta(hours=2)
    max_points = test.question_count if max_points is None else max_points
    values = {
        "test": test,
        "enrolment": enrolment,
        "started_at": started_at,
        "deadline": started_at + datetime.timedelta(minutes=test.time_limit_minutes),
    }
    if submitted:
        values.update(
            submitted_at=started_at + datetime.timedelta(hours=1),
            submitted_by=kw.pop("submitted_by", SubmittedBy.LISTENER),
            points=Decimal(points),
            max_points=Decimal(max_points),
            score=Decimal(points if score is None else score),
        )
    values.update(kw)
    return Attempt.objects.create(**values)


def items(attempt_, questions, *, chosen_first=True, reverse_options=False):
    """Drawn questions of ``attempt_``; the first option (the correct one) chosen unless told otherwise."""
    made = []
    for position, q in enumerate(questions, start=1):
        options = list(q.options.order_by("position"))
        order = [o.pk for o in (reversed(options) if reverse_options else options)]
        chosen = [options[0].pk] if chosen_first else [options[1].pk]
        made.append(
            AttemptItem.objects.create(
                attempt=attempt_,
                question=q,
                position=position,
                option_order=order,
                chosen=chosen,
                is_correct=chosen_first,
            )
        )
    return made


def final_result(enrolment, score, *, attempt_=None, by=None):
    return FinalResult.objects.create(
        enrolment=enrolment, score=Decimal(score), attempt=attempt_, recorded_by=None if attempt_ else by
    )


def attend(enrolment, sessions, present, by):
    """Mark the first ``present`` sessions present and the others absent."""
    Attendance.objects.bulk_create(
        Attendance(
            session=s,
            enrolment=enrolment,
            status=AttendanceStatus.PRESENT if i < present else AttendanceStatus.ABSENT,
            marked_by=by,
        )
        for i, s in enumerate(sessions)
    )
