"""Every URL of the project, resolved from the URL configuration (the admin's included), requested by each
role and by outsiders: a trainer of another cohort, a listener of another cohort and a representative of
another organisation. No page answers with someone else's data, none answers 500, a refusal is a page in
the base layout (or the login page for anonymous users, or 404), and no POST of an outsider changes anything.

The data set is demo-like: two programs, two cohorts taught by different trainers, two partner organisations
with representatives and requests, listeners in each cohort with enrolments, attendance, results, module
grades, tests and attempts, project works, external assessments, applications with documents, contracts,
invoices, admission orders, messages, movements, an expulsion and a certificate. Side A is the outsiders'
target; side B is theirs.
"""

import datetime
import io
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from assessment.models import AssessmentScheme, ExternalAssessment, ModuleGrade, ProjectWork, Reassessment
from certificates.internships import internship_snapshot
from certificates.lifecycle import duplicate_issue
from certificates.models import Internship, InternshipCertificate
from certificates.services import certificate_issue, new_token
from enrolment.calendar_feed import feed_token_create
from enrolment.iin import make_iin
from enrolment.models import (
    AdmissionOrder,
    Application,
    ApplicationDocument,
    Expulsion,
    Invoice,
    Mailing,
    Message,
    Movement,
    Partner,
    Plan,
    PlanApplication,
    PlanLine,
    ReferralOrder,
    Representative,
    RequestedTeacher,
    ScheduleAgreement,
    StudyGroup,
    TeacherRequest,
    Trainer,
)
from enrolment.services.admission import contract_draw_up
from monitoring.models import EffectivenessReview, NobdDeadline
from monitoring.reviews import components_of
from monitoring.rules import nobd_due_on
from postcourse.models import (
    Consultation,
    ConsultationMessage,
    EventRegistration,
    FollowUp,
    Publication,
    PublicationComment,
    SchoolObservation,
    SupportActivity,
    SupportEvent,
)
from postcourse.services import support_period_open
from programs.models import Module
from tests.assessment import stafftests_factories as st
from tests.certificates.helpers import course, enrol
from tests.factories import UserFactory, listener, staff_user, teach, write_statements
from ziat import access, roles
from ziat.models import Job, Organisation

# Routes open to anyone by design, with the reason. Their answers are not checked for markers: what they
# show is public (or shown to whoever holds the secret link).
PUBLIC = {
    "home": "the start page",
    "login": "the login form",
    "logout": "ends the session of whoever asks (the walk keeps its own session: not requested)",
    "set_language": "switches the interface language",
    "enrolment:password_reset": "asks for a reset link by e-mail",
    "enrolment:password_reset_done": "says the link was sent",
    "enrolment:password_reset_complete": "says the password was changed",
    "enrolment:password_reset_confirm": "the signed link of the e-mail is the credential",
    "programs:catalogue": "the catalogue of approved programs",
    "programs:card": "an approved program's public card",
    "programs:public_docx": "an approved program's public document",
    "programs:public_pdf": "an approved program's public document",
    "programs:discussions": "public discussion of drafts",
    "programs:discussion": "public discussion of drafts",
    "programs:survey_answer": "a needs survey answered by its link",
    "programs:survey_thanks": "a needs survey answered by its link",
    "enrolment:public_schedule": "the public schedule of courses",
    "enrolment:apply": "anyone applies for a course on the schedule",
    "enrolment:calendar_feed": "the signed link is the credential (each requester uses their own)",
    "certificates:verify": "public verification of a certificate by its QR code",
    "certificates:verify_internship": "public verification of an internship certificate by its QR code",
    "certificates:verify_json": "the same verification as JSON for employers' systems",
    "postcourse:event_certificate_verify": "public verification of a participation certificate by its QR code",
    "certificates:lookup": "finding a certificate by its number and its holder's surname (both must match)",
    "certificates:public_key": "the organisation's public key, to check signed QR codes and badges",
    "certificates:public_key_pem": "the organisation's public key, to check signed QR codes and badges",
    "certificates:public_key_json": "the organisation's public key, to check signed QR codes and badges",
    "admin:login": "the back-office's login form",
    "admin:logout": "ends the session of whoever asks (not requested)",
    "admin:jsi18n": "the back-office's translations for scripts",
    "health": "the load balancer's check that the database answers; tells nothing else",
}
NOT_REQUESTED = {"logout", "admin:logout"}
# Routes whose POST changes a record of the requester's own (and no one else's): allowed to change rows.
OWN_RECORD = {
    "enrolment:calendar_feed_create": "makes the address of the requester's own calendar feed",
    "enrolment:calendar_feed_renew": "issues a new address of the requester's own calendar feed",
    "enrolment:partner_plan_open": "opens the plan of the requester's own organisation",
    "monitoring:dashboard_export": "starts an export of the requester's own reach (a trainer's cohorts) as their job",
    "monitoring:partner_report": "starts the report on the requester's own organisation's teachers as their job",
}

MARKERS_A = {
    "listener": "Жасырынбаева",
    "listener_iin": make_iin(datetime.date(1979, 1, 23), 7001),
    "listener_email": "hidden.listener@example.kz",
    "expelled": "Жасырынұлы",
    "expelled_iin": make_iin(datetime.date(1981, 2, 14), 7002),
    "teacher": "Құпиялова",
    "teacher_iin": make_iin(datetime.date(1983, 3, 15), 7003),
    "teacher_email": "hidden.teacher@example.kz",
    "follow_up_example": "Жасырын тәжірибе мысалы",
}
PASSWORD = "pass-12345"
FILE = b"%PDF-1.4\n% a document of the walk\n"


# ------------------------------------------------------------------------------------------ the data set


def _side(tag, director, registrar, *, markers=None):
    """One side: a program and a cohort with its trainer, listeners, records and a partner with a request."""
    m = markers or {}
    c = course(code=f"WALK-{tag}")
    trainer = teach(c, staff_user(roles.TRAINER, last_name=f"Тренер{tag}"))
    Trainer.objects.create(user=trainer)
    person = listener(
        last_name=m.get("listener", f"Слушатель{tag}"),
        first_name="Ақмарал",
        email=m.get("listener_email", f"listener.{tag.lower()}@example.kz"),
        iin=m.get("listener_iin"),
    )
    e = enrol(c, listener_=person)
    certificate = certificate_issue(e, by=director, on=datetime.date(2026, 3, 10))
    duplicate = duplicate_issue(certificate, by=director, reason="lost", on=datetime.date(2026, 4, 1))
    internship = Internship.objects.create(
        enrolment=e,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        speciality="Электрик",
        enterprise=f"Кәсіпорын {tag}",
        hours=36,
        functions="электромонтер",
        skills="дағдылар",
        head_name="Басшы",
        recorded_by=registrar,
    )
    internship_certificate = InternshipCertificate(
        internship=internship,
        registration_number=f"ZIAT-Т-2026-{tag}",
        year=2026,
        sequence=len(tag) + ord(tag[0]),
        token=new_token(),
        holder_name=person.user.full_name,
        issued_on=c.ends_on,
        issued_by=director,
    )
    internship_certificate.snapshot = internship_snapshot(internship_certificate, internship, Organisation.current())
    internship_certificate.save()
    first, *_rest = Module.objects.filter(version=c.version, is_final_assessment=False).order_by("position")
    ModuleGrade.objects.create(enrolment=e, module=first, grade="зачтено")
    bank = st.bank(c.program)
    test = st.make_test(c, bank)
    attempt = st.attempt(test, e, points=20)
    AssessmentScheme.objects.create(program=c.program, has_project=True)
    work = ProjectWork.objects.create(enrolment=e, title="Жоба", original_name="work.pdf", submitted_at=timezone.now())
    work.file.save("work.pdf", ContentFile(FILE))
    external = ExternalAssessment(
        enrolment=e, held_on=c.ends_on, assessor="Комиссия", result="сдано", passed=True, recorded_by=registrar
    )
    external.document.save("external.pdf", ContentFile(FILE))
    Reassessment.objects.create(
        enrolment=e, test=test, opens_at=test.opens_at, closes_at=test.closes_at, granted_by=registrar
    )
    application = Application.objects.create(listener=person, cohort=c, language="ru", funding=c.funding)
    document = ApplicationDocument(application=application, kind="diploma")
    document.file.save("diploma.pdf", ContentFile(FILE))
    contract = contract_draw_up(e, by=registrar)
    invoice = Invoice.objects.create(
        number=f"INV-{tag}", issued_on=c.starts_on, cohort=c, contract=contract, amount=1000, created_by=registrar
    )
    order = AdmissionOrder.objects.create(
        cohort=c, number=f"{tag}-1", issued_on=c.starts_on, responsible="Тіркеуші", created_by=registrar
    )
    Message.objects.create(listener=person, cohort=c, subject=f"Хабар {tag}", body="Мәтін")
    # A sending written to the cohort's listeners (its page lists it and offers the listeners by name).
    mailing = Mailing.objects.create(cohort=c, subject=f"Хат {tag}", body="Мәтін", sent_by=registrar)
    Message.objects.create(listener=person, cohort=c, mailing=mailing, kind="cohort", subject=mailing.subject, body="М")
    group = StudyGroup.objects.create(cohort=c, name=f"Топ {tag}")
    gone = listener(last_name=m.get("expelled", f"Шығарылған{tag}"), iin=m.get("expelled_iin"), email="gone@example.kz")
    left = enrol(c, listener_=gone, test=None)
    movement = Movement(enrolment=left, kind="interruption", on=c.starts_on, reason="Ауру", by=registrar)
    movement.document.save("movement.pdf", ContentFile(FILE))
    expulsion = Expulsion.objects.create(
        enrolment=left,
        reason="Шарт бұзылды",
        commission_decision="№ 1",
        order_number=f"E-{tag}",
        order_date=c.starts_on,
        by=director,
    )
    partner = Partner.objects.create(name=f"Мектеп {tag}", kind="school")
    representative = UserFactory(last_name=f"Өкіл{tag}", first_name="Бақыт")
    Representative.objects.create(user=representative, partner=partner)
    request = TeacherRequest.objects.create(partner=partner, cohort=c, created_by=representative)
    teacher = RequestedTeacher.objects.create(
        request=request,
        row=1,
        iin=m.get("teacher_iin", make_iin(datetime.date(1984, 4, 16), 7100 + len(tag))),
        last_name=m.get("teacher", f"Мұғалім{tag}"),
        first_name="Гүлнар",
        birth_date=datetime.date(1983, 3, 15),
        email=m.get("teacher_email", ""),
    )
    # The support year with its follow-up questionnaires, and the finished cohort's NOBD deadline.
    support_period_open(e)
    follow_up = FollowUp.objects.filter(enrolment=e).order_by("months").first()
    # Answered, with an example from practice and a request for more support that nobody has handled (001 §34).
    FollowUp.objects.filter(pk=follow_up.pk).update(
        answered_at=timezone.now(),
        applying="sometimes",
        example=m.get("follow_up_example", f"Мысал {tag}"),
        wants_support=True,
    )
    nobd = NobdDeadline.objects.create(cohort=c, due_on=nobd_due_on(c.ends_on))
    if markers:
        _sent_and_observed(c, e, person, partner, representative)
    # A background job of the cohort's trainer (an export), named after the listener it concerns.
    job = Job.objects.create(kind="export", title=f"{person.user.last_name} {person.user.first_name}", owner=trainer)
    job.file.save("export.xlsx", ContentFile(FILE))
    # The reading of an NOBD export by the same trainer, its rows naming the listener.
    nobd_read = Job.objects.create(
        kind="enrolment.nobd_read",
        title="NOBD",
        owner=trainer,
        status=Job.Status.DONE,
        finished_at=timezone.now(),
        total=1,
        done=1,
        result={"rows": [{"row": 2, "iin": person.iin, "last_name": person.user.last_name}], "errors": []},
    )
    # Post-course support: the listener's year, the cohort's plan, a consultation, a draft and an event.
    support_period_open(e)
    support_activity = SupportActivity.objects.create(
        cohort=c,
        form="consulting",
        title=f"Іс-шара {tag}",
        planned_on=c.ends_on,
        responsible=trainer,
        created_by=director,
    )
    consultation = Consultation.objects.create(enrolment=e, kind="meeting", subject=f"Кеңес {tag}")
    ConsultationMessage.objects.create(consultation=consultation, author=person.user, text="Сұрақ")
    publication = Publication(enrolment=e, title=f"Мақала {tag}", venue="Журнал")
    publication.file.save("draft.pdf", ContentFile(FILE))
    PublicationComment.objects.create(publication=publication, author=trainer, text="Пікір")
    support_event = SupportEvent.objects.create(
        kind="seminar",
        title_kk=f"Семинар {tag}",
        title_ru=f"Семинар {tag}",
        starts_at=timezone.now() - datetime.timedelta(days=1),
        gives_certificate=True,
        is_published=True,
        created_by=director,
    )
    event_registration = EventRegistration.objects.create(
        event=support_event,
        enrolment=e,
        attended=True,
        certificate_number=f"ZIAT-E{support_event.pk}-{tag}",
        certificate_token=new_token(),
    )
    review = EffectivenessReview.objects.create(
        program=c.program,
        period_from=c.starts_on,
        period_to=c.ends_on,
        components=components_of(c.program, c.starts_on, c.ends_on, by=director),
        created_by=director,
    )
    return {
        "support_activity": support_activity,
        "consultation": consultation,
        "publication": publication,
        "support_event": support_event,
        "event_registration": event_registration,
        "review": review,
        "job": job,
        "nobd_read": nobd_read,
        "cohort": c,
        "program": c.program,
        "trainer": trainer,
        "trainer_profile": trainer.trainer,
        "listener": person,
        "enrolment": e,
        "certificate": certificate,
        "duplicate": duplicate,
        "internship_certificate": internship_certificate,
        "test": test,
        "attempt": attempt,
        "work": work,
        "application": application,
        "contract": contract,
        "invoice": invoice,
        "order": order,
        "group": group,
        "session": c.sessions.order_by("date").first(),
        "movement": movement,
        "expulsion": expulsion,
        "partner": partner,
        "representative": representative,
        "request": request,
        "teacher": teacher,
        "bank": bank,
        "follow_up": follow_up,
        "nobd": nobd,
    }


def _sent_and_observed(c, e, person, partner, representative):
    """The school had sent the listener by an accepted request, and observes them in their support year
    (side A only: side B's school, the outsider, has no accepted request and no teacher of its own)."""
    sent = TeacherRequest.objects.create(partner=partner, cohort=c, created_by=representative, status="accepted")
    RequestedTeacher.objects.create(
        request=sent,
        row=1,
        iin=person.iin,
        last_name=person.user.last_name,
        first_name=person.user.first_name,
        birth_date=person.birth_date,
        listener=person,
    )
    SchoolObservation.objects.create(
        enrolment=e, partner=partner, author=representative, observed_on=c.ends_on, applying="sometimes", text="."
    )


def _represented(name, kind, parent=None):
    partner = Partner.objects.create(name=name, kind=kind, parent=parent)
    user = UserFactory(last_name=f"Өкіл {name}", first_name="Бақыт")
    Representative.objects.create(user=user, partner=partner)
    return partner, user


def _planning(side, tag, registrar, *, markers=None):
    """The side's school under a district of a region (with a sibling district), and the planning chain's
    records: the teacher's application, the school's plan, the course's agreement with the region, the
    region's list with a referral order (001 §§10-18)."""
    m = markers or {}
    region, region_rep = _represented(f"Облыс {tag}", "regional")
    district, district_rep = _represented(f"Аудан {tag}", "district", region)
    _sibling, sibling_rep = _represented(f"Көрші аудан {tag}", "district", region)
    school = side["partner"]
    school.parent = district
    school.save(update_fields=["parent"])
    person = {
        "iin": m.get("teacher_iin", make_iin(datetime.date(1984, 4, 16), 7200 + len(tag))),
        "last_name": m.get("teacher", f"Мұғалім{tag}"),
        "first_name": "Гүлнар",
        "birth_date": datetime.date(1983, 3, 15),
    }
    application = PlanApplication.objects.create(
        organisation=school, applicant=side["listener"].user, year=2027, position="Мұғалім", language="kk", **person
    )
    plan = Plan.objects.create(partner=school, year=2027, created_by=side["representative"])
    PlanLine.objects.create(plan=plan, row=1, organisation=school, application=application, **person)
    agreement = ScheduleAgreement(
        cohort=side["cohort"],
        partner=region,
        places=5,
        agreed_by_name="Басшы",
        agreed_on=side["cohort"].starts_on,
        recorded_by=registrar,
    )
    agreement.document.save("agreement.pdf", ContentFile(FILE))
    region_list = TeacherRequest.objects.create(
        partner=region, cohort=side["cohort"], created_by=region_rep, status="submitted"
    )
    RequestedTeacher.objects.create(request=region_list, row=1, **person)
    referral = ReferralOrder(
        request=region_list,
        issued_by=school,
        number=f"R-{tag}",
        issued_on=side["cohort"].starts_on,
        added_by=region_rep,
    )
    referral.file.save("referral.pdf", ContentFile(FILE))
    side.update(
        {
            "plan_application": application,
            "plan": plan,
            "agreement": agreement,
            "region_list": region_list,
            "referral": referral,
            "region_rep": region_rep,
            "district_rep": district_rep,
            "sibling_rep": sibling_rep,
        }
    )


@pytest.fixture
def world(db, org, director, registrar):
    a = _side("A", director, registrar, markers=MARKERS_A)
    b = _side("B", director, registrar)
    _planning(a, "A", registrar, markers=MARKERS_A)
    _planning(b, "B", registrar)
    return {"A": a, "B": b, "director": director, "registrar": registrar}


# ------------------------------------------------------------------------------------------ the routes


def _routes(patterns=None, prefix="", namespace=""):
    """(path pattern, route name, callback) of every URL, depth first, the admin's included."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else f"{namespace}<{p.callback.__name__}>"
            yield prefix + str(p.pattern), name, p.callback


# The object a route's ``pk`` names, by the route's name; side A's. A new route with ``pk`` must be added here.
PK_OF = {
    "programs:card": "program",
    "programs:staff_detail": "program",
    "programs:publish": "program",
    "programs:submit": "program",
    "programs:conclude": "program",
    "programs:answer_remark": "program",
    "programs:approve": "program",
    "programs:new_version": "program",
    "programs:archive": "program",
    "programs:complex": "program",
    "programs:discussion_comments": "program",
    "programs:version_detail": "program",
    "calendar_withdraw": None,
    "programs:version_edit": "program",
    "programs:plan_edit": "program",
    "programs:compare": "program",
    "programs:version_docx": "program",
    "programs:version_pdf": "program",
    "programs:public_docx": "program",
    "programs:public_pdf": "program",
    "monitoring:program_diagnostics": "program",
    "monitoring:program": "program",
    "monitoring:cohort": "cohort",
    "monitoring:review_assemble": "program",
    "monitoring:review": "review",
    "monitoring:review_conclude": "review",
    "monitoring:review_approve": "review",
    "monitoring:review_export": "review",
    "enrolment:partner_request_detail": "request",
    "enrolment:partner_request_edit": "request",
    "enrolment:partner_teacher_add": "request",
    "enrolment:partner_teacher_remove": "request",
    "enrolment:partner_request_upload": "request",
    "enrolment:partner_request_upload_confirm": "request",
    "enrolment:partner_request_submit": "request",
    "enrolment:request_detail": "request",
    "enrolment:request_accept": "request",
    "enrolment:request_return": "request",
    "enrolment:request_export": "request",
    "enrolment:request_invoice": "request",
    "enrolment:partner_application_decide": "plan_application",
    **dict.fromkeys(
        [
            "enrolment:partner_plan",
            "enrolment:partner_plan_build",
            "enrolment:partner_plan_perspective",
            "enrolment:partner_plan_submit",
            "enrolment:partner_plan_return",
            "enrolment:partner_plan_assign",
            "enrolment:partner_plan_upload",
            "enrolment:partner_plan_export",
            "enrolment:partner_list_create",
            "enrolment:staff_plan",
            "enrolment:staff_plan_late",
        ],
        "plan",
    ),
    **dict.fromkeys(
        [
            "enrolment:partner_list",
            "enrolment:partner_referral_attach",
            "enrolment:partner_list_submit",
            "enrolment:staff_list",
            "enrolment:staff_list_late",
            "enrolment:staff_list_order",
        ],
        "region_list",
    ),
    "enrolment:referral_file": "referral",
    "enrolment:cohort_agreements": "cohort",
    "enrolment:agreement_document": "agreement",
    "enrolment:my_application": "application",
    "enrolment:my_application_withdraw": "application",
    "enrolment:my_application_document": "application",
    "enrolment:application_detail": "application",
    "enrolment:application_return": "application",
    "enrolment:application_admit": "application",
    "enrolment:application_document": "application",
    "enrolment:contract": "contract",
    "enrolment:contract_pdf": "contract",
    "enrolment:contract_staff_pdf": "contract",
    "enrolment:invoice": "invoice",
    "enrolment:admission_order": "order",
    "enrolment:admission_order_edit": "order",
    "enrolment:admission_order_sign": "order",
    "enrolment:admission_order_pdf": "order",
    "enrolment:cohort_detail": "cohort",
    "enrolment:cohort_edit": "cohort",
    "enrolment:cohort_publish": "cohort",
    "enrolment:group_create": "cohort",
    "enrolment:group_assign": "cohort",
    "enrolment:group_delete": "cohort",
    "enrolment:enrolment_detail": "enrolment",
    "enrolment:enrolment_transfer": "enrolment",
    "enrolment:enrolment_interrupt": "enrolment",
    "enrolment:enrolment_resume": "enrolment",
    "enrolment:enrolment_expel": "enrolment",
    "enrolment:movement_document": "movement",
    "enrolment:expulsion_order": "expulsion",
    "enrolment:expulsion_letter": "expulsion",
    "enrolment:trainer_edit": "trainer_profile",
    "enrolment:trainer_document": "trainer_profile",
    "enrolment:timetable_edit": "session",
    "enrolment:timetable_delete": "session",
    "certificates:certificate_pdf": "certificate",
    "certificates:appendix_pdf": "certificate",
    "certificates:duplicate_certificate_pdf": "duplicate",
    "certificates:duplicate_appendix_pdf": "duplicate",
    "certificates:internship_certificate_pdf": "internship_certificate",
    "certificates:badge": "certificate",
    "assessment:cohort_test_results": "test",
    "assessment:cohort_test_edit": "test",
    "assessment:cohort_test_export": "test",
    "assessment:cohort_test_attempt": "attempt",
    "programs:staff_history": "program",
    "programs:staff_edit": "program",
    "programs:complex_file": "program",
    "programs:conclusion_letter": "program",
    "enrolment:cohort_history": "cohort",
    "enrolment:enrolment_history": "enrolment",
    "certificates:certificate_staff": "certificate",
    "certificates:certificate_history": "certificate",
    "certificates:certificate_revoke": "certificate",
    "certificates:certificate_duplicate": "certificate",
    "certificates:certificate_reissue": "certificate",
    "job": "job",
    "job_file": "job",
    "enrolment:nobd_preview": "nobd_read",
    "postcourse:support_plan": "cohort",
    "postcourse:support_activity_edit": "support_activity",
    "postcourse:support_activity_held": "support_activity",
    "postcourse:support_activity_cancel": "support_activity",
    **dict.fromkeys(
        [
            "postcourse:my_consultation",
            "postcourse:my_consultation_close",
            "postcourse:consultation_staff",
            "postcourse:consultation_schedule",
            "postcourse:consultation_held",
            "postcourse:consultation_close",
        ],
        "consultation",
    ),
    **dict.fromkeys(
        [
            "postcourse:my_publication",
            "postcourse:my_publication_file",
            "postcourse:publication_staff",
            "postcourse:publication_file_staff",
        ],
        "publication",
    ),
    "postcourse:event_staff": "support_event",
    "postcourse:event_edit": "support_event",
    "postcourse:my_event_certificate": "event_registration",
    "postcourse:event_certificate_staff": "event_registration",
    "postcourse:follow_up": "follow_up",
    "postcourse:cohort_follow_up_answers": "cohort",
    "postcourse:follow_up_support_handled": "follow_up",
    "monitoring:nobd_confirm": "nobd",
    # The needs analysis and the public discussion: program-stage records of the centre, not per-person.
    **dict.fromkeys(
        [
            "programs:discussion",
            "programs:survey_detail",
            "programs:survey_edit",
            "programs:survey_open",
            "programs:survey_close",
            "programs:question_add",
            "programs:question_edit",
            "programs:question_remove",
            "programs:survey_results",
            "programs:survey_export",
            "programs:review_edit",
            "programs:minutes_detail",
            "programs:minutes_edit",
            "programs:order_pdf",
        ]
    ),
}
# Parameters that name the same kind of object on every route.
PARAM_OF = {
    "cohort_pk": "cohort",
    "enrolment_pk": "enrolment",
    "test_pk": "test",
    "attempt_pk": "attempt",
    "work_pk": "work",
    "session_pk": "session",
    "group_pk": "group",
    "teacher_pk": "teacher",
    "program_pk": "program",
}
# Program-stage records are not per-person; a route naming one that the data set lacks gets an id that
# does not exist (it must answer 404 or a refusal, never 500).
ABSENT = "999999"


def _owned(model):
    """Whether a record of ``model`` belongs to a cohort, a person or an organisation (not the centre's own)."""
    rule = access.rule_of(model)
    return rule is not None and not rule.centre


def _victim_of_model(model, side):
    """A row of ``model`` on side A (through the access rules' lookups), or None."""
    rule = access.rule_of(model)
    if model is apps.get_model("ziat", "User"):
        return side["listener"].user
    if not _owned(model):
        return model._default_manager.order_by("pk").first()
    for lookup, target in (
        (rule.cohort, side["cohort"]),
        (rule.person, side["listener"].user),
        (rule.partner, side["partner"]),
    ):
        if lookup:
            row = model._default_manager.filter(**{lookup: target.pk}).order_by("pk").first()
            if row is not None:
                return row
    return None


def _fill(pattern, name, callback, side, requester):
    """The path with its parameters filled from side A's objects, and whether it names a per-person record."""
    personal = False

    def value(param):
        nonlocal personal
        key = None
        if param == "pk":
            if name not in PK_OF:
                raise AssertionError(f"route {name} ({pattern}): say in PK_OF which object its pk names")
            key = PK_OF[name]
            if key is None:
                return ABSENT
        elif param in PARAM_OF:
            key = PARAM_OF[param]
        if key is not None:
            obj = side[key]
            personal = personal or _owned(type(obj))
            return str(obj.pk)
        if param in ("object_id", "id"):
            model = getattr(callback, "model_admin", None)
            model = model.model if model is not None else apps.get_model("ziat", "User")
            obj = _victim_of_model(model, side)
            if obj is None:
                return ABSENT
            personal = personal or _owned(model) or model is apps.get_model("ziat", "User")
            return str(obj.pk)
        if param == "token":
            if name == "certificates:verify":
                return side["certificate"].token
            if name == "certificates:verify_internship":
                return side["internship_certificate"].token
            if name == "postcourse:event_certificate_verify":
                return side["event_registration"].certificate_token
            if name == "enrolment:calendar_feed":
                if requester is None or not requester.pk:
                    return "bad-token"
                return feed_token_create(requester, by=requester)  # their own, made if not yet
            return "no-such-token"
        if param == "number":
            return "1"
        if param == "lang":
            return "ru"
        if param == "kind":
            return "diploma"
        if param == "name":
            return "certificate"
        if param == "code":
            return "000000"
        if param in ("uidb64",):
            return "MQ"
        if param == "content_type_id":
            return "1"
        return ABSENT

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda mt: value(mt.group(1)), pattern)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "enrolment", path)
    path = re.sub(r"\(\?P<url>\.\*\)", "no-such-page/", path)
    path = path.replace("^", "").replace("$", "")
    return "/" + path, personal


def _walk(side, requester):
    for pattern, name, callback in _routes():
        if name in NOT_REQUESTED or name == "bench_bare" or pattern.startswith("bench/"):
            continue
        path, personal = _fill(pattern, name, callback, side, requester)
        yield name, path, personal


# ------------------------------------------------------------------------------------------ reading answers


def _text(response):
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
        # Closing sends request_finished, which would close the test's connection.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    else:
        body = response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        try:
            doc = pdfium.PdfDocument(body)
        except pdfium.PdfiumError:
            return ""
        return " ".join(page.get_textpage().get_text_range() for page in doc)
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    return body.decode("utf-8", errors="replace")


def _leaks(answer):
    return sorted(key for key, marker in MARKERS_A.items() if marker in answer.text)


@dataclass
class Answer:
    status_code: int
    text: str
    location: str


def _ask(client, path, *, post=False):
    """Request ``path``; the answer's text read whole (files closed), documents and sheets as their text."""
    response = client.post(path, {}) if post else client.get(path)
    return Answer(response.status_code, _text(response), response.get("Location", ""))


# Bookkeeping of the requests themselves, not records: the rate limits' counters, and the verification pages
# rendered ahead (what a certificate shows, kept when a scan finds none prepared; certificates.verification).
NOT_RECORDS = {"ziat.RateCounter", "certificates.VerificationPage"}


def _snapshot():
    """Every row of the project's tables (users without their last login), to tell that nothing changed."""
    rows = {}
    for model in apps.get_models():
        if model._meta.label in NOT_RECORDS:
            continue
        if model._meta.app_label not in {"ziat", "programs", "enrolment", "assessment", "certificates"} | {
            "postcourse",
            "monitoring",
            "auth",
        }:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return rows


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _refusal_problems(answer, *, anonymous):
    """What is wrong with a refusal: a bare 403 outside the base layout, a redirect elsewhere than login."""
    if answer.status_code == 403 and 'class="site-header"' not in answer.text:
        return "403 outside the base layout"
    if anonymous and answer.status_code == 302 and "login" not in answer.location:
        return f"redirect of an anonymous user to {answer.location}"
    return None


# ------------------------------------------------------------------------------------------ the walks


OUTSIDERS = [
    "trainer of another cohort",
    "listener of another cohort",
    "representative of another organisation",
    "representative of a sibling department",
    "representative of another region",
]


def _outsider(world, who):
    b = world["B"]
    return {
        "trainer of another cohort": b["trainer"],
        "listener of another cohort": b["listener"].user,
        "representative of another organisation": b["representative"],
        # The department beside side A's in the same region: it sees its own level and below, not its sibling's.
        "representative of a sibling department": world["A"]["sibling_rep"],
        "representative of another region": b["region_rep"],
    }[who]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_an_outsider_reads_nothing_of_another_cohort_or_organisation_on_any_url(world, who):
    user = _outsider(world, who)
    client = _client(user)
    problems = []
    for name, path, personal in _walk(world["A"], user):
        response = _ask(client, path)
        status = response.status_code
        if status >= 500:
            problems.append((name, path, status, "server error"))
            continue
        if name in PUBLIC:
            continue
        if status == 200 and personal:
            problems.append((name, path, status, "another's record answered"))
        elif status == 200 and (leaks := _leaks(response)):
            problems.append((name, path, status, f"shows {leaks}"))
        elif problem := _refusal_problems(response, anonymous=False):
            problems.append((name, path, status, problem))
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_an_outsiders_post_to_any_url_changes_nothing(world, who):
    user = _outsider(world, who)
    client = _client(user)
    feed_token_create(user, by=user)  # the walk fills the feed's address with the requester's own
    before = _snapshot()
    problems = []
    for name, path, _personal in _walk(world["A"], user):
        if name in PUBLIC:
            continue
        response = _ask(client, path, post=True)
        if response.status_code >= 500:
            problems.append((name, path, response.status_code))
        after = _snapshot()
        if name in OWN_RECORD:
            before = after
        elif after != before:
            changed = sorted(label for label in before if before[label] != after[label])
            problems.append((name, path, response.status_code, changed))
            before = after
    assert problems == [], "\n".join(map(str, problems))


def test_an_anonymous_visitor_is_sent_to_login_on_every_page_that_is_not_public(world):
    client = _client(None)
    before = _snapshot()
    problems = []
    for name, path, _personal in _walk(world["A"], None):
        response = _ask(client, path)
        status = response.status_code
        if status >= 500:
            problems.append((name, path, status, "server error"))
        elif name in PUBLIC:
            continue
        elif status == 200:
            problems.append((name, path, status, "answered"))
        elif problem := _refusal_problems(response, anonymous=True):
            problems.append((name, path, status, problem))
        if name not in PUBLIC and _ask(client, path, post=True).status_code >= 500:
            problems.append((name, path, "POST", "server error"))
    assert _snapshot() == before
    assert problems == [], "\n".join(map(str, problems))


# The project's own apps: their permissions are what the staff's pages ask for.
PROJECT_APPS = ["ziat", "programs", "enrolment", "assessment", "certificates", "postcourse", "monitoring"]


def _trainer_holding_every_permission(world):
    """Side B's trainer granted every permission of the project's apps, so that no page's permission gate
    refuses them first: only the records' rules (``ziat.access``) stand between them and side A's records.
    The accounts' own permissions are left out: managing users is the back-office's, over every account."""
    trainer = world["B"]["trainer"]
    granted = Permission.objects.filter(content_type__app_label__in=PROJECT_APPS).exclude(content_type__model="user")
    trainer.user_permissions.set(granted)
    assert trainer.has_perm("enrolment.change_cohort") and not access.centre_wide(trainer)
    return trainer


def test_a_trainer_of_another_cohort_holding_every_permission_is_refused_every_record_named_in_an_address(world):
    """SPEC "People": each role sees only what its job needs. A page that names a cohort's or a person's record
    in its address checks that record against ``ziat.access`` as soon as it loads it, not only the permission
    of the page: a trainer of cohort B holding every permission gets the refusal page or 404 on every such page
    of cohort A."""
    trainer = _trainer_holding_every_permission(world)
    client = _client(trainer)
    problems, asked = [], 0
    for name, path, personal in _walk(world["A"], trainer):
        if name in PUBLIC or not personal:
            continue
        asked += 1
        response = _ask(client, path)
        status = response.status_code
        if status >= 500:
            problems.append((name, path, status, "server error"))
        elif status == 200:
            problems.append((name, path, status, f"another cohort's record answered {_leaks(response)}"))
        elif problem := _refusal_problems(response, anonymous=False):
            problems.append((name, path, status, problem))
    assert asked > 100  # the walk reached the pages that name a record of another cohort
    assert problems == [], "\n".join(map(str, problems))


def test_a_trainer_of_another_cohort_holding_every_permission_changes_no_record_of_it_by_a_post(world):
    """The same trainer's POST to every address that names a record of cohort A changes nothing."""
    trainer = _trainer_holding_every_permission(world)
    client = _client(trainer)
    feed_token_create(trainer, by=trainer)  # the feed's address is the requester's own
    before = _snapshot()
    problems = []
    for name, path, personal in _walk(world["A"], trainer):
        if name in PUBLIC or name in OWN_RECORD or not personal:
            continue
        response = _ask(client, path, post=True)
        if response.status_code >= 500:
            problems.append((name, path, response.status_code))
        after = _snapshot()
        if after != before:
            changed = sorted(label for label in before if before[label] != after[label])
            problems.append((name, path, response.status_code, changed))
            before = after
    assert problems == [], "\n".join(map(str, problems))


STAFF_ROLES = [roles.DIRECTOR, roles.METHODIST, roles.REGISTRAR, roles.TRAINER, roles.ACCOUNTANT, roles.MONITORING]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_staff_role_walks_every_url_without_a_server_error_and_is_refused_in_the_base_layout(world, role):
    """A trainer here is the trainer of side A: they read their cohort; each other role what its permissions
    allow (their reach is every cohort)."""
    user = world["A"]["trainer"] if role == roles.TRAINER else staff_user(role)
    client = _client(user)
    problems = []
    for name, path, _personal in _walk(world["A"], user):
        response = _ask(client, path)
        if response.status_code >= 500:
            problems.append((name, path, response.status_code, "server error"))
        elif problem := _refusal_problems(response, anonymous=False):
            problems.append((name, path, response.status_code, problem))
    assert problems == [], "\n".join(map(str, problems))


# What a GET may write: its own bookkeeping, not a record (the session, the rate limits' counters, the login
# throttle's log, the verification pages rendered ahead when none was prepared).
GET_BOOKKEEPING = ("django_session", "ziat_ratecounter", "axes_", "certificates_verificationpage")


def _reader(world, who):
    a = world["A"]
    return {
        "listener": a["listener"].user,
        "representative": a["representative"],
        "trainer": a["trainer"],
    }.get(who) or staff_user(who)


@pytest.mark.parametrize("who", [*STAFF_ROLES, "listener", "representative"])
def test_a_get_of_any_url_changes_no_record_whoever_asks(world, who):
    """Reading a page, a file or a list writes nothing: every change is a POST to a service, so a link that a
    browser, a crawler or a preview follows never changes a record (a document to prepare, a message read, an
    export to start are asked for by the page's POST)."""
    user = _reader(world, who)
    client = _client(user)
    problems = []
    for name, path, _personal in _walk(world["A"], user):
        with CaptureQueriesContext(connection) as reading:
            _ask(client, path)
        writes = [sql for sql in write_statements(reading) if not any(table in sql for table in GET_BOOKKEEPING)]
        if writes:
            problems.append((name, path, writes[:2]))
    assert problems == [], "\n".join(map(str, problems))


def test_the_walk_sees_the_markers_where_the_cohorts_trainer_may_read_them(world):
    """The markers are found when they are shown: the walk's check can fail."""
    a = world["A"]
    client = _client(a["trainer"])
    page = _ask(client, f"/staff/assessment/cohorts/{a['cohort'].pk}/module-grades/")
    assert page.status_code == 200 and "listener" in _leaks(page)
    listing = _ask(client, "/admin/assessment/finalresult/")
    assert listing.status_code == 200 and "listener" in _leaks(listing)
    other = _ask(_client(world["B"]["trainer"]), "/admin/assessment/finalresult/")
    assert other.status_code == 200 and _leaks(other) == []


def test_the_walk_sees_the_markers_where_the_cohorts_trainer_reads_the_follow_up_answers_001_34(world):
    """The follow-up answers show the listener and their example to the cohort's trainer, so the outsiders' walk
    over the same pages can fail; another cohort's trainer finds none of them in the list of every cohort."""
    a = world["A"]
    client = _client(a["trainer"])
    for path in (f"/staff/support/cohort/{a['cohort'].pk}/follow-ups/", "/staff/support/follow-ups/"):
        page = _ask(client, path)
        assert page.status_code == 200 and {"listener", "follow_up_example"} <= set(_leaks(page)), path
    other = _ask(_client(world["B"]["trainer"]), "/staff/support/follow-ups/?support=waiting")
    assert other.status_code == 200 and _leaks(other) == []


def test_the_walk_sees_the_markers_where_the_school_may_read_its_teacher_001_35(world):
    """The school's pages show its own teacher, so the outsiders' walk over them can fail."""
    a = world["A"]
    client = _client(a["representative"])
    for path in ("/partner/teachers/", f"/partner/teachers/{a['enrolment'].pk}/observation/"):
        page = _ask(client, path)
        assert page.status_code == 200 and "listener" in _leaks(page), path
    other = _ask(_client(world["B"]["representative"]), "/partner/teachers/")
    assert other.status_code == 200 and _leaks(other) == []


def test_the_walk_sees_the_markers_where_the_levels_above_the_school_may_read_its_plan_001_12(world):
    """The school's plan shows its teacher to the school, its department and its region, so the walk of the
    sibling department and of another region over the same pages can fail."""
    a = world["A"]
    path = f"/partner/planning/plans/{a['plan'].pk}/"
    for user in (a["representative"], a["district_rep"], a["region_rep"]):
        page = _ask(_client(user), path)
        assert page.status_code == 200 and "teacher" in _leaks(page), user
    listing = _ask(_client(a["region_rep"]), f"/partner/planning/lists/{a['region_list'].pk}/")
    assert listing.status_code == 200 and "teacher" in _leaks(listing)
    assert _ask(_client(a["sibling_rep"]), path).status_code == 404
