"""The demo's post-course support (000 §4.1-4.3), all through the services: the finished cohort's listeners in
their support year get the cohort's plan (one activity already held), two consultations (one answered), a
draft publication in review and an announced round table with registrations."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from certificates.models import Certificate
from postcourse import consultations, events, publications
from postcourse.enums import ConsultationKind, EventKind, SupportForm
from postcourse.models import SupportActivity
from postcourse.services import support_period_open
from postcourse.support import expected_results, support_activity_hold, support_activity_plan

# A one-page PDF: enough for the draft's type check (its content is checked, not its name).
DRAFT = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)

PLAN = (
    # (form, title, days after the course's end, result index)
    (SupportForm.CONSULTING, "Онлайн-консультация: формативное оценивание на уроке", 7, 0),
    (SupportForm.COMMUNITY, "Заседание профессионального сообщества выпускников курса", 45, 1),
    (SupportForm.EVENT, "Круглый стол «Оценивание для обучения: опыт школ»", 60, 2),
    (SupportForm.PUBLICATION, "Семинар по подготовке публикаций о педагогическом опыте", 120, 3),
    (SupportForm.MENTORING, "Наставничество: посещение и разбор уроков выпускников", 180, 4),
)


def support_demo(cohort, *, methodist, trainer):
    """Give the finished demo cohort its year of support; done once (a second run finds the plan made)."""
    if SupportActivity.objects.filter(cohort=cohort).exists():
        return
    certified = [
        c.enrolment
        for c in Certificate.objects.filter(enrolment__cohort=cohort, revoked_at__isnull=True, replaced_at__isnull=True)
        .select_related("enrolment__listener__user", "enrolment__cohort")
        .order_by("enrolment__pk")
    ]
    for enrolment in certified:  # the receiver opens them on commit; the demo needs them now
        support_period_open(enrolment)
    if len(certified) < 4:
        return
    today = timezone.localdate()
    results = expected_results(cohort) or [""]
    plan = [
        support_activity_plan(
            cohort,
            by=methodist,
            form=form,
            title=title,
            expected_result=results[index % len(results)],
            planned_on=cohort.ends_on + datetime.timedelta(days=days),
            responsible=trainer,
        )
        for form, title, days, index in PLAN
    ]
    if plan[0].planned_on <= today:
        support_activity_hold(plan[0], by=trainer, held_on=plan[0].planned_on, participants=8)

    first, second, third = (e.listener.user for e in certified[:3])
    answered = consultations.consultation_ask(
        certified[0],
        by=first,
        kind=ConsultationKind.QUESTION,
        subject="Критерии оценивания проекта в 7 классе",
        text="Как составить дескрипторы к критериям, если проект групповой?",
    )
    consultations.consultation_answer(
        answered,
        by=trainer,
        text="Разделите дескрипторы на общие для группы и личные для каждого ученика; пример — в материалах модуля 3.",
    )
    consultations.consultation_ask(
        certified[1],
        by=second,
        kind=ConsultationKind.MEETING,
        subject="Разбор моего урока с обратной связью",
        text="Хотела бы обсудить запись урока и обратную связь ученикам.",
        preferred_time="будни после 15:00",
    )

    draft = publications.publication_submit(
        certified[2],
        by=third,
        title="Формативное оценивание на уроках казахского языка: опыт сельской школы",
        venue="Журнал «Педагогика и психология»",
        upload=ContentFile(DRAFT, name="draft.pdf"),
    )
    publications.publication_take(draft, by=trainer)
    publications.publication_comment(
        draft, by=trainer, text="Хорошая основа. Добавьте данные до и после внедрения и список литературы."
    )

    round_table = events.support_event_announce(
        by=methodist,
        kind=EventKind.ROUND_TABLE,
        title_kk="«Оқыту үшін бағалау: мектептер тәжірибесі» дөңгелек үстелі",
        title_ru="Круглый стол «Оценивание для обучения: опыт школ»",
        description="Выпускники курса делятся опытом применения формативного оценивания.",
        starts_at=timezone.now() + datetime.timedelta(days=14),
        place="Аудитория 204 и https://meet.example.kz/ziat-round-table",
        capacity=20,
        gives_certificate=True,
        programs=[cohort.program],
    )
    for enrolment in certified[:4]:
        events.event_register(round_table, enrolment, by=enrolment.listener.user)
