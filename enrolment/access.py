"""How the enrolment records lead to their cohort, their listener and their organisation (see ``ziat.access``)."""

from django.db.models import Q

from ziat import access

from .models import (
    AdmissionOrder,
    Application,
    ApplicationDocument,
    Attendance,
    CheckIn,
    Cohort,
    Contract,
    Enrolment,
    Expulsion,
    Invoice,
    LateDecision,
    Listener,
    Mailing,
    Message,
    Movement,
    Partner,
    Payment,
    Plan,
    PlanApplication,
    PlanLine,
    ReferralOrder,
    Representative,
    RequestedTeacher,
    ScheduleAgreement,
    Session,
    StudyGroup,
    TeacherRequest,
    Trainer,
)


def teaching(user):
    """The sessions the user teaches: their ``cohort_id`` are the trainer's cohorts."""
    return Session.objects.filter(trainer=user)


def represented(user):
    return Representative.objects.filter(user=user).values_list("partner_id", flat=True).first()


def reach(partner_id):
    """The organisation and every level below it (ministry > region > department > organisation)."""
    return Partner.objects.filter(
        Q(pk=partner_id)
        | Q(parent_id=partner_id)
        | Q(parent__parent_id=partner_id)
        | Q(parent__parent__parent_id=partner_id)
    ).values("pk")


def register():
    access.register_teaching(teaching)
    access.register_partner(represented)
    access.register_partner_reach(reach)
    access.register(Cohort, cohort="pk")
    access.register(Session, cohort="cohort", person="trainer")
    access.register(StudyGroup, cohort="cohort")
    access.register(Listener, cohort="enrolments__cohort", person="user", many=True)
    access.register(Enrolment, cohort="cohort", person="listener__user")
    access.register(Attendance, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(CheckIn, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(Trainer, person="user")
    access.register(Application, cohort="cohort", person="listener__user")
    access.register(ApplicationDocument, cohort="application__cohort", person="application__listener__user")
    access.register(AdmissionOrder, cohort="cohort")
    access.register(Contract, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(Invoice, cohort="cohort", person="contract__enrolment__listener__user", partner="request__partner")
    access.register(
        Payment,
        cohort="invoice__cohort",
        person="invoice__contract__enrolment__listener__user",
        partner="invoice__request__partner",
    )
    access.register(Movement, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(Expulsion, cohort="enrolment__cohort", person="enrolment__listener__user")
    access.register(Message, person="listener__user")
    access.register(Mailing, cohort="cohort")
    access.register(Partner, partner="pk")
    access.register(Representative, partner="partner", person="user")
    access.register(TeacherRequest, partner="partner")
    access.register(RequestedTeacher, partner="request__partner", person="listener__user")
    access.register(PlanApplication, partner="organisation", person="applicant")
    access.register(Plan, partner="partner")
    access.register(PlanLine, partner="plan__partner")
    access.register(ScheduleAgreement, partner="partner")
    access.register(ReferralOrder, partner="request__partner")
    access.register(LateDecision, partner="plan__partner")
