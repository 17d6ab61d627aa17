"""Records of every stage that monitoring reads, made directly with the ORM where their pages are elsewhere."""

import datetime
import itertools

from django.utils import timezone

from assessment.enums import TestKind
from enrolment.enums import RequestStatus
from enrolment.models import Partner, Representative, RequestedTeacher, TeacherRequest
from monitoring.models import SatisfactionTally, SelfAnalysis
from postcourse.models import Consultation, EventRegistration, FollowUp, SupportActivity, SupportEvent
from programs.models import CouncilMinutes, DevelopmentOrder, NeedsSurvey, SurveyResponse
from tests.assessment import stafftests_factories as st
from tests.certificates.helpers import course, enrol
from tests.factories import UserFactory, cohort, sessions, staff_user

_n = itertools.count(1)


def finished_cohort(prog=None, *, results=(20, 20, 10), code=None, ends_on=None, hours=None):
    """A cohort that has ended, with one listener per final score in ``results`` (None: no test) who attended
    everything (``hours``: {index: hours attended} for some). With the default program: 10 hours, pass at 17."""
    kwargs = {"code": code or f"MON-{next(_n)}"}
    if ends_on is not None:
        kwargs |= {"starts_on": ends_on - datetime.timedelta(days=4), "ends_on": ends_on}
    if prog is None:
        c = course(**kwargs)
    else:
        c = cohort(prog, **kwargs)
        sessions(c, (2, 2, 2, 2, 2))
    hours = hours or {}
    enrolments = [enrol(c, test=score, hours=hours.get(i)) for i, score in enumerate(results)]
    return c, enrolments


def diagnostics(c, enrolments, entrance, final):
    """An entrance and a final test of the cohort with attempts of ``entrance[i]`` and ``final[i]`` points of 30."""
    bank = st.bank(c.program)
    first = st.make_test(c, bank, kind=TestKind.ENTRANCE)
    last = st.make_test(c, bank, kind=TestKind.FINAL)
    for e, a, b in zip(enrolments, entrance, final, strict=True):
        st.attempt(first, e, points=a, max_points=30)
        st.attempt(last, e, points=b, max_points=30)


def satisfaction(c, aspect, scores):
    """Tallies of ``scores`` ({score: answers}) on ``aspect``."""
    for score, count in scores.items():
        SatisfactionTally.objects.create(cohort=c, aspect=aspect, score=score, count=count)


def follow_up(e, *, months=3, answered=True, applying="regularly", due_on=None):
    due_on = due_on or e.cohort.ends_on + datetime.timedelta(days=30 * months)
    return FollowUp.objects.create(
        enrolment=e,
        months=months,
        due_on=due_on,
        answered_at=timezone.now() if answered else None,
        applying=applying if answered else "",
    )


def activity(c, *, held=False, cancelled=False, by=None):
    by = by or staff_user("methodist")
    status = "held" if held else ("cancelled" if cancelled else "planned")
    return SupportActivity.objects.create(
        cohort=c,
        form="consulting",
        title="Семинар",
        planned_on=c.ends_on + datetime.timedelta(days=40),
        held_on=c.ends_on + datetime.timedelta(days=40) if held else None,
        status=status,
        responsible=by,
        created_by=by,
    )


def consultation(e):
    return Consultation.objects.create(enrolment=e, kind="question", subject="Сұрақ")


def event_registration(e, *, attended=True, event=None):
    event = event or SupportEvent.objects.create(
        kind="seminar", title_kk="Семинар", title_ru="Семинар", starts_at=timezone.now(), created_by=UserFactory()
    )
    return EventRegistration.objects.create(event=event, enrolment=e, attended=attended)


def self_analysis(c, author, *, role="trainer", goals_met=4):
    return SelfAnalysis.objects.create(cohort=c, author=author, role=role, goals_met=goals_met, what_worked="Кейстер")


def needs_survey(program, *, responses=3, title="Сауалнама"):
    """A needs survey with ``responses`` responses whose results the council's minutes behind the program's
    development order took into account."""
    by = UserFactory()
    survey = NeedsSurvey.objects.create(title_ru=title, created_by=by)
    SurveyResponse.objects.bulk_create(SurveyResponse(survey=survey) for _ in range(responses))
    minutes = CouncilMinutes.objects.create(
        number=f"{next(_n)}",
        held_on=datetime.date(2025, 1, 10),
        attendees="Кеңес",
        proposed_title=str(program),
        decision="develop",
        created_by=by,
    )
    minutes.surveys.add(survey)
    DevelopmentOrder.objects.create(
        number=f"Б-{next(_n)}",
        issued_on=datetime.date(2025, 1, 20),
        minutes=minutes,
        program=program,
        hours=10,
        form_of_study="without_leaving_work",
        language="kk",
        authors="Авторлар",
        deadline=datetime.date(2025, 3, 1),
        created_by=by,
    )
    return survey


def partner_with_teachers(c, enrolments, *, name="Мектеп", status=RequestStatus.ACCEPTED):
    """An organisation whose request for ``c`` listed the listeners of ``enrolments``; and its representative."""
    partner = Partner.objects.create(name=name, kind="school")
    user = UserFactory(last_name=f"Өкіл {name}")
    Representative.objects.create(user=user, partner=partner)
    request = TeacherRequest.objects.create(partner=partner, cohort=c, created_by=user, status=status)
    for row, e in enumerate(enrolments, start=1):
        person = e.listener
        RequestedTeacher.objects.create(
            request=request,
            row=row,
            iin=person.iin,
            last_name=person.user.last_name,
            first_name=person.user.first_name,
            birth_date=person.birth_date,
            listener=person,
        )
    return partner, user
