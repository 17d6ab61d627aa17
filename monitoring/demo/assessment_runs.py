"""The demo's cohorts assessed through the services, as the staff and listeners would in the pages:
the program's bank and rules, an entrance diagnostic, the final test sat online, project works scored
by the rubric, module grades filled by the program's rule."""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessment.enums import TestKind
from assessment.models import Attempt, CohortTest, Option
from assessment.services.cohort_tests import cohort_test_save, default_draw
from assessment.services.module_rules import module_grades_fill
from assessment.services.project import project_score, project_submit
from assessment.services.testing import answers_save, attempt_start, attempt_submit
from enrolment.models import Enrolment
from monitoring.demo.assessment import demo_bank, demo_scheme

PROJECT_PDF = b"%PDF-1.4\n% demo project work\n1 0 obj << >> endobj\n%%EOF\n"
PROJECT_TITLES = [
    "Портфолио педагога: цифровые инструменты самоанализа",
    "Педагогтің кәсіби портфолиосы",
    "Методическая разработка урока с формативным оцениванием",
    "Сабақтың әдістемелік әзірлемесі",
]
COMMENTS = {
    2: "Полностью соответствует критерию.",
    1: "Частично: раскройте подробнее.",
    0: "Не раскрыто.",
}


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def set_up_tests(cohort, *, by, entrance_on, final_from, final_until):
    """The cohort's entrance diagnostic (10 questions) and final test (25 questions, 40 minutes, 004 §8)."""
    bank = demo_bank(cohort.program, by)
    demo_scheme(cohort.program)
    tests = {t.kind: t for t in CohortTest.objects.filter(cohort=cohort)}
    if TestKind.ENTRANCE not in tests:
        tests[TestKind.ENTRANCE] = cohort_test_save(
            cohort=cohort,
            by=by,
            kind=TestKind.ENTRANCE,
            title="Входная диагностика / Кіріс диагностикасы",
            bank=bank,
            draw=default_draw(cohort, bank, 10),
            time_limit_minutes=20,
            opens_at=at(entrance_on, 8, 30),
            closes_at=at(entrance_on, 18),
        )
    if TestKind.FINAL not in tests:
        tests[TestKind.FINAL] = cohort_test_save(
            cohort=cohort,
            by=by,
            kind=TestKind.FINAL,
            bank=bank,
            draw=default_draw(cohort, bank, 25),
            time_limit_minutes=40,
            opens_at=final_from,
            closes_at=final_until,
            excellent_from=23,
            good_from=20,
        )
    return tests


def sit(test, enrolment, *, correct, at_time, rng):
    """The listener sits the test: ``correct`` answers right, the others wrong, then submits."""
    attempt = attempt_start(test=test, enrolment=enrolment, now=at_time)
    items = list(attempt.items.order_by("position"))
    options = {}
    for option in Option.objects.filter(question_id__in=[i.question_id for i in items]):
        options.setdefault(option.question_id, []).append(option)
    right = set(rng.sample([i.position for i in items], min(correct, len(items))))
    answers = {}
    for item in items:
        choices = options[item.question_id]
        if item.position in right:
            answers[item.position] = [o.pk for o in choices if o.is_correct]
        else:
            answers[item.position] = [next(o.pk for o in choices if not o.is_correct)]
    answers_save(attempt=attempt, answers=answers, now=at_time + datetime.timedelta(minutes=12))
    return attempt_submit(attempt=attempt, now=at_time + datetime.timedelta(minutes=18))


def hand_in(enrolment, *, n, on):
    return project_submit(
        enrolment=enrolment,
        title=PROJECT_TITLES[n % len(PROJECT_TITLES)],
        upload=SimpleUploadedFile(f"project-{n + 1}.pdf", PROJECT_PDF, content_type="application/pdf"),
        now=at(on, 19),
    )


def score(work, points, *, by):
    criteria = list(work.enrolment.cohort.program.assessment_scheme.criteria.order_by("position"))
    marks = {c.pk: (p, COMMENTS[p]) for c, p in zip(criteria, points, strict=True)}
    return project_score(work=work, scores=marks, comment="Работа принята.", by=by)


def assess_finished_cohort(cohort, *, methodist, trainer, scores, entrance, projects):
    """Everything the finished demo cohort went through after its sessions (its attendance is marked).

    ``scores``: the final test's correct answers per listener (None: not admitted, below 80%);
    ``entrance``: correct answers of the 10-question entrance diagnostic; ``projects``: rubric points.
    """
    if Attempt.objects.filter(enrolment__cohort=cohort).exists():
        return
    rng = random.Random(cohort.code)
    last = cohort.ends_on
    tests = set_up_tests(
        cohort, by=methodist, entrance_on=cohort.starts_on, final_from=at(last, 14), final_until=at(last, 20)
    )
    enrolments = list(Enrolment.objects.filter(cohort=cohort).order_by("pk"))
    for n, e in enumerate(enrolments):
        sit(tests[TestKind.ENTRANCE], e, correct=entrance[n], at_time=at(cohort.starts_on, 9), rng=rng)
        work = hand_in(e, n=n, on=last - datetime.timedelta(days=1))
        score(work, projects[n], by=trainer)
        if scores[n] is not None:
            sit(tests[TestKind.FINAL], e, correct=scores[n], at_time=at(last, 14, 5 + n), rng=rng)
    module_grades_fill(cohort=cohort, by=trainer)


def prepare_running_cohort(cohort, *, methodist, entrance):
    """A cohort in its last day: the entrance diagnostic sat, the final test open for a week, some works
    handed in and waiting for the trainer."""
    if CohortTest.objects.filter(cohort=cohort).exists():
        return
    rng = random.Random(cohort.code)
    today = timezone.localdate()
    tests = set_up_tests(
        cohort,
        by=methodist,
        entrance_on=cohort.starts_on,
        final_from=at(today, 0),
        final_until=at(today + datetime.timedelta(days=7), 18),
    )
    enrolments = list(Enrolment.objects.filter(cohort=cohort).order_by("pk"))
    for n, e in enumerate(enrolments):
        sit(tests[TestKind.ENTRANCE], e, correct=entrance[n], at_time=at(cohort.starts_on, 9), rng=rng)
        if n % 2:
            hand_in(e, n=n, on=cohort.starts_on + datetime.timedelta(days=2))
