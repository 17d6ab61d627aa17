"""The demo's feedback on the finished cohort DEMO-004-01: the listeners' anonymous satisfaction, the
trainer's and the methodist's self-analysis, the first follow-up questionnaires answered, the school's
observation of the teachers it had sent, and the NOBD deadlines (one confirmed). Idempotent: what exists
is left as it is.

Everything goes through the services. The finished cohort's follow-up questionnaires are months away, so
the answered ones are those of the cohort of three years ago, which are due; its last listener has not
answered the 6- and 12-month ones.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from certificates.models import Certificate
from enrolment.enums import EnrolmentStatus, RequestStatus
from enrolment.models import Cohort, RequestedTeacher, TeacherRequest
from monitoring.models import NobdDeadline, SatisfactionReceipt, SelfAnalysis
from monitoring.nobd import nobd_confirm, nobd_deadlines_ensure
from monitoring.satisfaction import satisfaction_answer
from monitoring.selfanalysis import self_analysis_submit
from postcourse.enums import Applying
from postcourse.followups import expected_results_of, follow_up_answer
from postcourse.models import FollowUp, SchoolObservation
from postcourse.observations import school_observation_add
from postcourse.services import support_period_open

COHORT_CODE = "DEMO-004-01"
EXPIRED_CODE = "DEMO-004-00"
SCHOOL_USERNAME = "school"

# (content, organisation, teaching, comment) of the listeners who answered the questionnaire.
SATISFACTION = [
    (5, 4, 5, "Практикалық тапсырмалар өте пайдалы болды."),
    (4, 4, 5, ""),
    (5, 3, 4, "Кофе-брейк үшін үзіліс қысқа болды."),
    (4, 5, 5, "Спасибо тренеру за живые примеры из школ."),
    (3, 4, 4, ""),
    (5, 5, 5, "Жобалық жұмысқа көбірек уақыт керек."),
    (4, 4, 3, ""),
    (5, 4, 4, "Хотелось бы больше материалов на казахском языке."),
]

SELF_ANALYSIS = {
    "trainer": {
        "goals_met": 4,
        "what_worked": "Кейстер мен топтық жұмыс тыңдаушыларды белсенді етті; жобаларды қорғау жақсы өтті.",
        "difficulties": "Бір тыңдаушы сабақтардың 80%-ына қатыса алмады; цифрлық құралдарға уақыт аз болды.",
        "improvements": "Цифрлық құралдар тақырыбына қосымша практикалық сабақ енгізу.",
    },
    "methodist": {
        "goals_met": 4,
        "what_worked": "Кесте мен аудитория уақытында дайын болды; тыңдаушылар материалдарды алдын ала алды.",
        "difficulties": "Екі тыңдаушы қорытынды тестке қайта тапсыруды сұрады.",
        "improvements": "Тестілеу күнін жобаны қорғаудан бөлек жоспарлау.",
    },
}

FOLLOW_UPS = [
    (Applying.REGULARLY, "7-сыныпта критериалды бағалау рубрикасын әр сабақта қолданамын.", "", False),
    (Applying.SOMETIMES, "Провела открытый урок с групповой работой по кейсу.", "Не хватает времени.", True),
    (Applying.TRYING, "Бір рет жобалық сабақ өткіздім.", "Сынып толы, топқа бөлу қиын.", True),
    (Applying.REGULARLY, "Использую формативное оценивание на каждом уроке.", "", False),
]

OBSERVATIONS = [
    (Applying.REGULARLY, "Сабаққа қатыстық: бағалау критерийлері тақтада, оқушылар өзара бағалау жасады."),
    (Applying.SOMETIMES, "Ашық сабақта топтық жұмыс болды, бірақ кері байланыс аз берілді."),
]


def feedback(users):
    """The feedback of the finished demo cohort; ``users`` are the demo's staff by role name."""
    cohort = Cohort.objects.filter(code=COHORT_CODE).select_related("program").first()
    if cohort is None:
        return
    certified = _certified(cohort)
    _satisfaction(cohort)
    _self_analysis(cohort, users)
    earlier = Cohort.objects.filter(code=EXPIRED_CODE).first()
    if earlier is not None:
        _follow_ups(_certified(earlier))
    _school_observations(cohort, certified, users)
    _nobd(users)


def _certified(cohort):
    """The certified listeners' enrolments with their support year open (the certificates' own receivers
    open it when the demo's transaction commits; opening it is idempotent)."""
    ids = (
        Certificate.objects.filter(enrolment__cohort=cohort, revoked_at__isnull=True, replaced_at__isnull=True)
        .values_list("enrolment_id", flat=True)
        .distinct()
    )
    enrolments = list(cohort.enrolments.filter(pk__in=ids).select_related("listener__user").order_by("pk"))
    for e in enrolments:
        support_period_open(e)
    return enrolments


def _satisfaction(cohort):
    enrolled = list(
        cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related("listener__user").order_by("pk")
    )
    if SatisfactionReceipt.objects.filter(enrolment__cohort=cohort).exists():
        return
    for e, (content, organisation, teaching, comment) in zip(enrolled, SATISFACTION, strict=False):
        satisfaction_answer(
            e,
            by=e.listener.user,
            content=content,
            organisation=organisation,
            teaching=teaching,
            comment=comment,
            today=cohort.ends_on,
        )


def _self_analysis(cohort, users):
    today = max(timezone.localdate(), cohort.ends_on)
    for role, text in SELF_ANALYSIS.items():
        user = users[role]
        if not SelfAnalysis.objects.filter(cohort=cohort, author=user).exists():
            self_analysis_submit(cohort, by=user, today=today, **text)


def _follow_ups(certified):
    results = expected_results_of(certified[0].cohort_id, language="kk") if certified else []
    today = timezone.localdate()
    for n, e in enumerate(certified):
        due = FollowUp.objects.filter(enrolment=e, due_on__lte=today, answered_at__isnull=True).order_by("months")
        if n == len(certified) - 1:
            due = due.filter(months=3)
        for m, questionnaire in enumerate(due):
            applying, example, obstacles, wants = FOLLOW_UPS[(n + m) % len(FOLLOW_UPS)]
            follow_up_answer(
                questionnaire,
                by=e.listener.user,
                applying=applying,
                results_applied=results[:2],
                example=example,
                obstacles=obstacles,
                wants_support=wants,
                today=questionnaire.due_on,
            )


def _school_observations(cohort, certified, users):
    """The demo school had sent three of the cohort's teachers; its representative observed two lessons."""
    representative = get_user_model().objects.filter(username=SCHOOL_USERNAME).select_related("representative").first()
    if representative is None or len(certified) < 3:
        return
    partner = representative.representative.partner
    sent = certified[-3:]
    request = TeacherRequest.objects.filter(partner=partner, cohort=cohort).first()
    if request is None:
        accepted_at = timezone.make_aware(datetime.datetime.combine(cohort.starts_on, datetime.time(10)))
        request = TeacherRequest.objects.create(
            partner=partner,
            cohort=cohort,
            status=RequestStatus.ACCEPTED,
            letter_number="45-02/097",
            created_by=representative,
            submitted_at=accepted_at - datetime.timedelta(days=10),
            decided_by=users["registrar"],
            decided_at=accepted_at - datetime.timedelta(days=7),
        )
        for row, e in enumerate(sent, start=1):
            user = e.listener.user
            RequestedTeacher.objects.create(
                request=request,
                row=row,
                iin=e.listener.iin,
                last_name=user.last_name,
                first_name=user.first_name,
                middle_name=getattr(user, "middle_name", ""),
                birth_date=e.listener.birth_date,
                listener=e.listener,
            )
    if SchoolObservation.objects.filter(partner=partner, enrolment__cohort=cohort).exists():
        return
    today = timezone.localdate()
    for e, (applying, text) in zip(sent, OBSERVATIONS, strict=False):
        school_observation_add(e, by=representative, observed_on=today, applying=applying, text=text, today=today)


def _nobd(users):
    """The deadlines of the finished cohorts; the registrar has confirmed the oldest one."""
    today = timezone.localdate()
    nobd_deadlines_ensure(today=today)
    if NobdDeadline.objects.filter(~Q(confirmed_at=None)).exists():
        return
    oldest = NobdDeadline.objects.select_related("cohort").order_by("due_on", "pk").first()
    if oldest is not None:
        nobd_confirm(oldest, by=users["registrar"])
