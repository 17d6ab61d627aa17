from .admission import AdmissionOrder, Contract, Expulsion, Invoice, Message, Movement, Payment
from .applications import Application, ApplicationDocument
from .core import Attendance, Cohort, Enrolment, Listener, Session, StudyGroup
from .requests import Partner, Representative, RequestedTeacher, TeacherRequest

__all__ = [
    "AdmissionOrder",
    "Application",
    "ApplicationDocument",
    "Attendance",
    "Cohort",
    "Contract",
    "Enrolment",
    "Expulsion",
    "Invoice",
    "Listener",
    "Message",
    "Movement",
    "Partner",
    "Payment",
    "Representative",
    "RequestedTeacher",
    "Session",
    "StudyGroup",
    "TeacherRequest",
]
