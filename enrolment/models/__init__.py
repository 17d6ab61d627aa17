from .admission import AdmissionOrder, Contract, Expulsion, Invoice, Mailing, Message, Movement, Payment
from .applications import Application, ApplicationDocument
from .core import Attendance, Cohort, Enrolment, Listener, Session, StudyGroup
from .delivery import CalendarFeed, CheckIn, Trainer
from .planning import LateDecision, Plan, PlanApplication, PlanLine, ReferralOrder, ScheduleAgreement
from .requests import Partner, Representative, RequestedTeacher, TeacherRequest

__all__ = [
    "LateDecision",
    "Plan",
    "PlanApplication",
    "PlanLine",
    "ReferralOrder",
    "ScheduleAgreement",
    "AdmissionOrder",
    "Application",
    "ApplicationDocument",
    "Attendance",
    "CalendarFeed",
    "CheckIn",
    "Cohort",
    "Contract",
    "Enrolment",
    "Expulsion",
    "Invoice",
    "Listener",
    "Mailing",
    "Message",
    "Movement",
    "Partner",
    "Payment",
    "Representative",
    "RequestedTeacher",
    "Session",
    "StudyGroup",
    "TeacherRequest",
    "Trainer",
]
