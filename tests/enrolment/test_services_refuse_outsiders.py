"""Every write of the enrolment stage refuses, in the service itself, anyone outside the record it acts on, and
changes nothing (SPEC "People": each role changes only what its job needs; ``ziat.access``).

The outsiders: a trainer who teaches another cohort, a representative of another organisation and a listener of
another cohort. Each is given the service's permission itself, so that only the rule of the record (or, for the
representative and the listener, who are not staff, the rule that permissions are the staff's) can refuse. A
service that acts on the centre as a whole (a new cohort names only its program; a new trainer names nothing)
is decided by the permission alone: there the outsiders are refused without being given it.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from enrolment.enums import EnrolmentStatus
from enrolment.models import (
    AdmissionOrder,
    Application,
    Cohort,
    Contract,
    Enrolment,
    Expulsion,
    Invoice,
    LateDecision,
    Listener,
    Movement,
    Partner,
    Payment,
    Plan,
    Representative,
    ScheduleAgreement,
    Session,
    StudyGroup,
    TeacherRequest,
    Trainer,
)
from enrolment.services import (
    admission,
    applications,
    core,
    movements,
    nobd,
    payments,
    planning,
    requests,
    schedule,
    timetable,
    trainers,
)
from tests.factories import UserFactory, cohort, listener, program, sessions, staff_user, teach
from ziat.access import AccessDenied
from ziat.errors import DomainError
from ziat.models import ActivityLog

DAY = datetime.date(2026, 3, 3)
WATCHED = [
    Cohort,
    StudyGroup,
    Session,
    Enrolment,
    Listener,
    Movement,
    Expulsion,
    Contract,
    AdmissionOrder,
    Invoice,
    Payment,
    Application,
    TeacherRequest,
    Representative,
    Partner,
    Plan,
    LateDecision,
    ScheduleAgreement,
    Trainer,
    ActivityLog,
]


def scan():
    return SimpleUploadedFile("order.pdf", b"%PDF-1.4\n% a scan\n", content_type="application/pdf")


def everything():
    """Every row the services below could write, to compare before and after."""
    users = list(get_user_model().objects.order_by("pk").values("pk", "username", "last_name", "is_active"))
    return {"users": users, **{m.__name__: list(m.objects.order_by("pk").values()) for m in WATCHED}}


@dataclass
class World:
    program: object
    a: Cohort
    b: Cohort
    school_a: Partner
    region: Partner
    group_a: StudyGroup
    session_a: Session
    enrolment_a: Enrolment
    enrolment_b: Enrolment
    order_a: AdmissionOrder
    request_a: TeacherRequest
    invoice_a: Invoice
    plan_a: Plan
    application_a: Application
    trainer_a: Trainer
    outsiders: dict


@pytest.fixture
def w(db, org, registrar):
    prog = program()
    a, b = cohort(prog, code="A-1"), cohort(prog, code="B-1")
    session_a = sessions(a, (2,))[0]
    trainer_a = Trainer.objects.create(user=teach(a, staff_user("trainer", last_name="Тренеров")))
    region = Partner.objects.create(name="Облыс білім басқармасы", kind="regional", region="west_kz")
    school_a = Partner.objects.create(name="№ 1 мектеп", kind="school")
    school_b = Partner.objects.create(name="№ 2 мектеп", kind="school")
    rep_a = UserFactory()
    Representative.objects.create(user=rep_a, partner=school_a)
    rep_b = UserFactory()
    Representative.objects.create(user=rep_b, partner=school_b)
    person_a = listener(last_name="Бірінші")
    enrolment_a = Enrolment.objects.create(cohort=a, listener=person_a, status=EnrolmentStatus.ENROLLED)
    enrolment_b = Enrolment.objects.create(
        cohort=b, listener=listener(last_name="Екінші"), status=EnrolmentStatus.ENROLLED
    )
    request_a = TeacherRequest.objects.create(partner=school_a, cohort=a, status="submitted", created_by=rep_a)
    world = World(
        program=prog,
        a=a,
        b=b,
        school_a=school_a,
        region=region,
        group_a=StudyGroup.objects.create(cohort=a, name="1-топ", capacity=10),
        session_a=session_a,
        enrolment_a=enrolment_a,
        enrolment_b=enrolment_b,
        order_a=AdmissionOrder.objects.create(
            cohort=a, number="A-1", issued_on=DAY, responsible="Тіркеуші", created_by=registrar
        ),
        request_a=request_a,
        invoice_a=Invoice.objects.create(
            number="INV-A", issued_on=DAY, cohort=a, request=request_a, amount=1000, created_by=registrar
        ),
        plan_a=Plan.objects.create(partner=school_a, year=2027, created_by=rep_a),
        application_a=Application.objects.create(
            listener=person_a, cohort=a, language="ru", funding=a.funding, status="submitted"
        ),
        trainer_a=trainer_a,
        outsiders={
            "trainer of another cohort": teach(b, staff_user("trainer", last_name="Бөтенов")),
            "representative of another organisation": rep_b,
            "listener of another cohort": enrolment_b.listener.user,
        },
    )
    return world


@dataclass
class Case:
    perm: str
    call: object
    centre: bool = False  # the permission alone decides: outsiders are not given it


CASES = {
    # the schedule (001 §15)
    "cohort_create": Case(
        "enrolment.add_cohort",
        lambda w, by: schedule.cohort_create(
            by=by,
            program=w.program,
            code="NEW-1",
            starts_on=DAY,
            ends_on=DAY,
            language="ru",
            funding="state",
        ),
        centre=True,
    ),
    "cohort_update": Case("enrolment.change_cohort", lambda w, by: schedule.cohort_update(w.a, by=by, capacity=5)),
    "cohort_publish": Case("enrolment.change_cohort", lambda w, by: schedule.cohort_publish(w.a, by=by)),
    "cohort_unpublish": Case("enrolment.change_cohort", lambda w, by: schedule.cohort_unpublish(w.a, by=by)),
    "group_create": Case(
        "enrolment.change_cohort", lambda w, by: schedule.group_create(w.a, by=by, name="2-топ", capacity=5)
    ),
    "group_delete": Case("enrolment.change_cohort", lambda w, by: schedule.group_delete(w.group_a, by=by)),
    "groups_assign": Case(
        "enrolment.change_cohort",
        lambda w, by: schedule.groups_assign(w.a, by=by, assignments={w.enrolment_a.pk: w.group_a.pk}),
    ),
    # the timetable (001 §17)
    "session_add": Case(
        "enrolment.add_session",
        lambda w, by: timetable.session_save(
            by=by,
            cohort=w.a,
            date=DAY,
            starts_at=datetime.time(14),
            ends_at=datetime.time(16),
            topic=w.session_a.topic,
            kind="lecture",
            hours=1,
        ),
    ),
    "session_change": Case(
        "enrolment.change_session",
        lambda w, by: timetable.session_save(
            by=by,
            cohort=w.a,
            session=w.session_a,
            date=DAY,
            starts_at=datetime.time(14),
            ends_at=datetime.time(16),
            topic=w.session_a.topic,
            kind="lecture",
            hours=1,
        ),
    ),
    "session_delete": Case("enrolment.delete_session", lambda w, by: timetable.session_delete(w.session_a, by=by)),
    # moves (000 §3.10) and expulsion (001 §32)
    "transfer_out_of_another_cohort": Case(
        "enrolment.add_movement",
        lambda w, by: movements.enrolment_transfer(
            w.enrolment_a, by=by, to_cohort=w.b, reason="Ауру", document=scan(), on=DAY
        ),
    ),
    "transfer_into_another_cohort": Case(
        "enrolment.add_movement",
        lambda w, by: movements.enrolment_transfer(
            w.enrolment_b, by=by, to_cohort=w.a, reason="Ауру", document=scan(), on=DAY
        ),
    ),
    "interrupt": Case(
        "enrolment.add_movement",
        lambda w, by: movements.enrolment_interrupt(w.enrolment_a, by=by, reason="Ауру", document=scan(), on=DAY),
    ),
    "resume_into_another_cohort": Case(
        "enrolment.add_movement",
        lambda w, by: movements.enrolment_resume(
            w.enrolment_b, by=by, to_cohort=w.a, reason="Сауықты", document=scan(), on=DAY
        ),
    ),
    "expel": Case(
        "enrolment.add_expulsion",
        lambda w, by: movements.enrolment_expel(
            w.enrolment_a,
            by=by,
            reason="Шарт бұзылды",
            commission_decision="№ 1",
            order_number="5-О",
            order_date=DAY,
            employer_name="№ 1 мектеп",
        ),
    ),
    # admission (001 §18) and payments (003 §6.4)
    "contract_draw_up": Case("enrolment.add_contract", lambda w, by: admission.contract_draw_up(w.enrolment_a, by=by)),
    "admission_order_create": Case(
        "enrolment.add_admissionorder",
        lambda w, by: admission.admission_order_create(w.a, by=by, number="A-2", issued_on=DAY, responsible="Мен"),
    ),
    "admission_order_update": Case(
        "enrolment.change_admissionorder",
        lambda w, by: admission.admission_order_update(
            w.order_a, by=by, number="A-3", issued_on=DAY, responsible="Мен"
        ),
    ),
    "admission_order_sign": Case(
        "enrolment.sign_admissionorder", lambda w, by: admission.admission_order_sign(w.order_a, by=by)
    ),
    "invoice_for_request": Case(
        "enrolment.add_invoice", lambda w, by: payments.invoice_for_request(w.request_a, by=by)
    ),
    "payment_record": Case(
        "enrolment.add_payment",
        lambda w, by: payments.payment_record(
            w.invoice_a, by=by, number="ПП-1", paid_on=DAY, amount="500", payer="Төлеуші"
        ),
    ),
    # the planning chain (001 §§10-18)
    "late_decision_on_a_plan": Case(
        "enrolment.change_teacherrequest",
        lambda w, by: planning.late_decision_record(by=by, reason="Кешікті", plan=w.plan_a),
    ),
    "late_decision_on_a_list": Case(
        "enrolment.change_teacherrequest",
        lambda w, by: planning.late_decision_record(by=by, reason="Кешікті", request=w.request_a),
    ),
    "schedule_agreement_record": Case(
        "enrolment.change_cohort",
        lambda w, by: planning.schedule_agreement_record(
            w.a, by=by, partner=w.region, places=5, agreed_by_name="Басшы", agreed_on=DAY, document=scan()
        ),
    ),
    # listeners, applications and requests
    "listener_update": Case(
        "enrolment.change_listener",
        lambda w, by: core.listener_update(w.enrolment_a.listener, by=by, phone="+7 700 000 0000"),
    ),
    "enrolment_admit": Case(
        "enrolment.add_enrolment",
        lambda w, by: core.enrolment_admit(cohort=w.a, listener=w.enrolment_b.listener, by=by),
    ),
    "enrolment_create": Case(
        "enrolment.add_enrolment",
        lambda w, by: core.enrolment_create(cohort=w.a, listener=w.enrolment_b.listener, by=by),
    ),
    "application_return": Case(
        "enrolment.change_application",
        lambda w, by: applications.application_return(w.application_a, by=by, reason="Құжат жоқ"),
    ),
    "application_admit": Case(
        "enrolment.change_application", lambda w, by: applications.application_admit(w.application_a, by=by)
    ),
    "request_accept": Case(
        "enrolment.change_teacherrequest", lambda w, by: requests.request_accept(w.request_a, by=by)
    ),
    "request_return": Case(
        "enrolment.change_teacherrequest",
        lambda w, by: requests.request_return(w.request_a, by=by, reason="Тізім толық емес"),
    ),
    "representative_create": Case(
        "enrolment.add_representative",
        lambda w, by: requests.representative_create(
            by=by, partner=w.school_a, username="new.rep", last_name="Өкілов", first_name="Асқар"
        ),
    ),
    "nobd_apply": Case(
        "enrolment.change_listener",
        lambda w, by: nobd.nobd_apply(rows=[{"iin": w.enrolment_a.listener.iin, "position": "Директор"}], by=by),
    ),
    # the trainers' registry (001 §17)
    "trainer_create": Case(
        "enrolment.add_trainer",
        lambda w, by: trainers.trainer_create(by=by, username="new.trainer", last_name="Жаңа", first_name="Тренер"),
        centre=True,
    ),
    "trainer_update": Case(
        "enrolment.change_trainer",
        lambda w, by: trainers.trainer_update(w.trainer_a, by=by, last_name="Өзгертілген", first_name="Тренер"),
    ),
}


def given(user, perm):
    """``user`` holding ``perm`` itself, as a fresh object (no permissions cached)."""
    app_label, codename = perm.split(".")
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return get_user_model().objects.get(pk=user.pk)


OUTSIDERS = ["trainer of another cohort", "representative of another organisation", "listener of another cohort"]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("service", list(CASES))
def test_the_service_refuses_an_outsider_and_changes_nothing(w, service, who):
    """SPEC "People"; ``ziat.access``: the service decides, whatever page or command calls it."""
    case = CASES[service]
    outsider = w.outsiders[who]
    if not case.centre:
        outsider = given(outsider, case.perm)
    before = everything()
    with pytest.raises(AccessDenied):
        case.call(w, outsider)
    assert everything() == before


# The same trainer, given the same permission, acts on the cohort they teach: what refuses them above is the
# rule of the record, not the permission.
OWN = {
    "cohort_update": ("enrolment.change_cohort", lambda w, by: schedule.cohort_update(w.b, by=by, capacity=5)),
    "group_create": (
        "enrolment.change_cohort",
        lambda w, by: schedule.group_create(w.b, by=by, name="2-топ", capacity=5),
    ),
    "interrupt": (
        "enrolment.add_movement",
        lambda w, by: movements.enrolment_interrupt(w.enrolment_b, by=by, reason="Ауру", document=scan(), on=DAY),
    ),
    "listener_update": (
        "enrolment.change_listener",
        lambda w, by: core.listener_update(w.enrolment_b.listener, by=by, phone="+7 700 000 0000"),
    ),
}


@pytest.mark.parametrize("service", list(OWN))
def test_a_trainer_given_the_permission_acts_on_the_cohort_they_teach(w, service):
    perm, call = OWN[service]
    trainer = given(w.outsiders["trainer of another cohort"], perm)
    before = ActivityLog.objects.count()
    call(w, trainer)
    assert ActivityLog.objects.count() > before


def test_the_registrar_acts_on_every_cohort(w, registrar):
    """The registrar's duties cover the whole centre (``ziat.roles``): any cohort, no teaching needed."""
    schedule.cohort_update(w.a, by=registrar, capacity=7)
    movements.enrolment_interrupt(w.enrolment_a, by=registrar, reason="Ауру", document=scan(), on=DAY)
    assert Cohort.objects.get(pk=w.a.pk).capacity == 7
    assert Enrolment.objects.get(pk=w.enrolment_a.pk).status == EnrolmentStatus.INTERRUPTED


def test_a_trainer_has_no_permission_to_change_even_the_timetable_of_their_own_cohort(w):
    """A trainer teaches; the registrar keeps the timetable (``ziat.roles``)."""
    trainer = w.outsiders["trainer of another cohort"]
    before = everything()
    with pytest.raises(AccessDenied):
        timetable.session_delete(w.b.sessions.get(), by=trainer)
    with pytest.raises(AccessDenied):
        schedule.cohort_update(w.b, by=trainer, capacity=5)
    assert everything() == before


def test_a_refusal_says_why_in_the_users_language(w):
    """The refusal is a translated DomainError: pages, commands and tasks show its message as any broken rule's."""
    with translation.override("kk"):
        with pytest.raises(DomainError) as refusal:
            schedule.cohort_update(w.a, by=w.outsiders["listener of another cohort"], capacity=5)
        assert isinstance(refusal.value, AccessDenied)
        assert str(refusal.value) == translation.gettext("You may not change cohorts.") != "You may not change cohorts."
