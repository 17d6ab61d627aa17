"""The activity log: every change through a service records who, when, what, from which value to which;
staff read it on the pages of a listener, a cohort, a program and a certificate."""

import ast
import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessment.services.results import final_result_record, module_grades_save
from certificates.services import certificate_revoke
from enrolment.enums import AttendanceStatus, EnrolmentStatus, Funding
from enrolment.models import Session
from enrolment.services.admission import contract_draw_up
from enrolment.services.core import attendance_save, enrolment_admit
from enrolment.services.movements import enrolment_interrupt
from enrolment.services.payments import payment_record
from programs.models import Module, ProgramStatusChange
from programs.services.workflow import program_start_revision
from tests.certificates.helpers import course, issued
from tests.factories import cohort, enrolment, listener, page_queries, program, sessions, staff_user
from ziat.activity import describe, history, log_action
from ziat.errors import DomainError
from ziat.models import ActivityLog

pytestmark = pytest.mark.django_db

END_OF_COURSE = timezone.make_aware(datetime.datetime(2026, 3, 10, 18))


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _taught(c, *trainers):
    """Each of ``trainers`` teaches a session of the cohort (a trainer marks and grades only those cohorts)."""
    for trainer in trainers:
        (extra,) = sessions(c, ["1"])
        Session.objects.filter(pk=extra.pk).update(trainer=trainer)
    return trainers[0] if len(trainers) == 1 else trainers


def _grid(n_listeners, n_sessions=2, teachers=()):
    c = cohort(program())
    ss = sessions(c, ["2"] * n_sessions)
    es = [enrolment(c) for _ in range(n_listeners)]
    if teachers:
        _taught(c, *teachers)
    return c, ss, es


def _marks(ss, es, status):
    return {(s.pk, e.pk): status for s in ss for e in es}


# ---------------------------------------------------------------------------------------------- attendance


def test_each_changed_mark_is_logged_with_its_actor_and_values(org, trainer):
    c, (s1, s2), (e1, e2) = _grid(2, teachers=[trainer])
    attendance_save(cohort=c, marks=_marks([s1, s2], [e1, e2], "late"), by=trainer, now=END_OF_COURSE, warn=False)
    entries = ActivityLog.objects.filter(action="enrolment.attendance.marked")
    assert entries.count() == 4
    entry = entries.get(object_id=e1.attendance.get(session=s1).pk)
    assert entry.actor == trainer
    assert (entry.before, entry.after) == ({}, {"status": "late"})
    assert (entry.cohort_id, entry.listener_id, entry.program_id) == (c.pk, e1.listener_id, c.program_id)
    assert e1.listener.user.last_name in entry.object_label


def test_a_corrected_mark_keeps_the_earlier_value_in_the_history(org, trainer):
    c, (s1, _s2), (e1,) = _grid(1, teachers=[trainer])
    attendance_save(cohort=c, marks={(s1.pk, e1.pk): "late"}, by=trainer, now=END_OF_COURSE, warn=False)
    other = _taught(c, staff_user("trainer"))
    attendance_save(cohort=c, marks={(s1.pk, e1.pk): "present"}, by=other, now=END_OF_COURSE, warn=False)
    mark = e1.attendance.get(session=s1)
    assert mark.status == AttendanceStatus.PRESENT
    first, second = history(obj=mark).order_by("at", "pk")
    assert (first.actor, first.after) == (trainer, {"status": "late"})
    assert (second.actor, second.before, second.after) == (other, {"status": "late"}, {"status": "present"})
    assert describe(second) == "Attendance marked: Late → Present"


def test_an_unchanged_mark_writes_no_entry(org, trainer):
    c, (s1, _s2), (e1,) = _grid(1, teachers=[trainer])
    attendance_save(cohort=c, marks={(s1.pk, e1.pk): "absent"}, by=trainer, now=END_OF_COURSE, warn=False)
    attendance_save(cohort=c, marks={(s1.pk, e1.pk): "absent"}, by=trainer, now=END_OF_COURSE, warn=False)
    assert ActivityLog.objects.count() == 1


def test_a_refused_grid_writes_no_entry(org, trainer):
    c, (s1, _s2), (e1,) = _grid(1, teachers=[trainer])
    with pytest.raises(DomainError):  # the session has not started at this moment
        attendance_save(cohort=c, marks={(s1.pk, e1.pk): "present"}, by=trainer, now=END_OF_COURSE.replace(year=2025))
    with pytest.raises(DomainError):  # an accountant does not mark attendance
        attendance_save(cohort=c, marks={(s1.pk, e1.pk): "present"}, by=staff_user("accountant"), now=END_OF_COURSE)
    assert not ActivityLog.objects.exists()


def _grid_queries(n, trainer):
    c, ss, es = _grid(n, n_sessions=3, teachers=[trainer])
    with CaptureQueriesContext(connection) as queries:
        attendance_save(cohort=c, marks=_marks(ss, es, "present"), by=trainer, now=END_OF_COURSE, warn=False)
    assert ActivityLog.objects.filter(cohort_id=c.pk).count() == 3 * n
    with CaptureQueriesContext(connection) as corrections:
        attendance_save(cohort=c, marks=_marks(ss, es, "late"), by=trainer, now=END_OF_COURSE, warn=False)
    return len(queries), len(corrections)


def test_logging_a_grid_costs_the_same_queries_for_few_and_many_marks(org, trainer):
    _grid_queries(1, trainer)  # the trainer's permissions and the content type are read once, then cached
    assert _grid_queries(1, trainer) == _grid_queries(12, trainer)


# ------------------------------------------------------------------------------------ results and grades


def test_a_corrected_final_result_keeps_the_earlier_score(org):
    c = course()
    e = enrolment(c)
    first, second = _taught(c, staff_user("trainer"), staff_user("trainer"))
    final_result_record(enrolment=e, score="15", by=first)
    final_result_record(enrolment=e, score="18,5", by=second)
    entries = list(history(listener=e.listener_id).filter(action="assessment.final_result.recorded").order_by("pk"))
    assert [(x.actor, x.before, x.after) for x in entries] == [
        (first, {}, {"score": "15"}),
        (second, {"score": "15"}, {"score": "18.5"}),
    ]
    assert describe(entries[1]) == "Final result recorded: score 15 → 18.5"


def test_a_refused_score_writes_no_entry(org, trainer):
    e = enrolment(course())
    with pytest.raises(DomainError):
        final_result_record(enrolment=e, score="99", by=trainer)
    assert not ActivityLog.objects.exists()


def test_module_grades_are_logged_on_the_listeners_enrolment_with_their_earlier_value(org):
    c = course()
    e = enrolment(c)
    m1, _m2 = Module.objects.filter(version=c.version).order_by("position")
    methodist_or_trainer = _taught(c, staff_user("trainer"))
    module_grades_save(cohort=c, grades={(e.pk, m1.pk): "5"}, by=methodist_or_trainer)
    module_grades_save(cohort=c, grades={(e.pk, m1.pk): "4"}, by=methodist_or_trainer)
    module_grades_save(cohort=c, grades={(e.pk, m1.pk): ""}, by=methodist_or_trainer)
    entries = list(history(obj=e).filter(action="assessment.module_grade.saved").order_by("pk"))
    assert [(x.before, x.after) for x in entries] == [
        ({}, {"grade": "5"}),
        ({"grade": "5"}, {"grade": "4"}),
        ({"grade": "4"}, {"grade": None}),
    ]
    assert all(x.data["module_id"] == m1.pk and x.cohort_id == c.pk for x in entries)


def test_a_refused_grade_sheet_writes_no_entry(org, trainer):
    c = course()
    e = enrolment(c)
    (m1, _m2) = Module.objects.filter(version=c.version).order_by("position")
    with pytest.raises(DomainError):
        module_grades_save(cohort=c, grades={(e.pk, m1.pk): "4", (e.pk, 999999): "5"}, by=trainer)
    assert not ActivityLog.objects.exists()


# ------------------------------------------------------------------------------------------------ payments


def test_a_payment_is_logged_with_the_balance_before_and_after(org, registrar):
    c = cohort(program(), funding=Funding.OWN, price=Decimal("150000"), language="ru")
    e = enrolment_admit(cohort=c, listener=listener(), by=registrar)
    contract = contract_draw_up(e, by=registrar)
    accountant = staff_user("accountant")
    payment = payment_record(
        contract.invoice, by=accountant, number="17", paid_on=datetime.date(2026, 2, 20), amount="50000", payer="X"
    )
    entry = history(obj=payment).get()
    assert entry.actor == accountant
    assert entry.before == {"balance": "150000"}
    assert entry.after["balance"] == "100000" and entry.after["amount"] == "50000"
    assert (entry.cohort_id, entry.listener_id) == (c.pk, e.listener_id)
    assert history(obj=contract.invoice).filter(action="enrolment.invoice.created").exists()
    with pytest.raises(DomainError):  # more than the balance
        payment_record(
            contract.invoice, by=accountant, number="18", paid_on=datetime.date(2026, 2, 20), amount="999999", payer="X"
        )
    assert ActivityLog.objects.filter(action="enrolment.payment.recorded").count() == 1


# -------------------------------------------------------------------------------------------- certificates


def test_issue_and_revocation_of_a_certificate_are_logged(org, director):
    certificate = issued(director)
    certificate_revoke(certificate, by=director, category="false_data", note="Forged documents")
    issue, revoke = history(obj=certificate).order_by("pk")
    assert (issue.action, issue.actor, issue.after["registration_number"]) == (
        "certificates.certificate.issued",
        director,
        certificate.registration_number,
    )
    assert issue.listener_id == certificate.enrolment.listener_id
    assert (revoke.before, revoke.after, revoke.note) == (
        {"revoked": False},
        {"revoked": True, "category": "false_data"},
        "Forged documents",
    )
    with pytest.raises(DomainError):
        certificate_revoke(certificate, by=director, category="false_data", note="again")
    assert history(obj=certificate).count() == 2


# ------------------------------------------------------------------------------------------ status changes


def scan():
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def test_an_interruption_is_logged_with_the_status_before_and_after(org, registrar):
    e = enrolment(cohort(program()))
    enrolment_interrupt(e, by=registrar, reason="Illness", document=scan(), on=datetime.date(2026, 3, 3))
    entry = history(obj=e).get(action="enrolment.enrolment.interrupted")
    assert (entry.actor, entry.before, entry.after, entry.note) == (
        registrar,
        {"status": EnrolmentStatus.ENROLLED},
        {"status": EnrolmentStatus.INTERRUPTED},
        "Illness",
    )
    assert describe(entry) == "Course interrupted: Enrolled → Interrupted"


def test_a_refused_move_writes_no_entry(org, registrar):
    e = enrolment(cohort(program()))
    with pytest.raises(DomainError):  # no supporting document
        enrolment_interrupt(e, by=registrar, reason="Illness", document=None)
    assert not ActivityLog.objects.exists()


def test_a_programs_status_change_is_logged_beside_its_status_history(org):
    methodist = staff_user("methodist")
    prog = program()
    program_start_revision(prog, by=methodist)
    entry = history(program=prog).get(action="programs.program.status")
    assert (entry.actor, entry.before, entry.after) == (methodist, {"status": "approved"}, {"status": "draft"})
    assert ProgramStatusChange.objects.filter(program=prog, to_status="draft").exists()


def test_the_system_is_the_actor_when_nobody_is(org):
    c = cohort(program())
    entry = log_action(c, "enrolment.cohort.published", by=None)
    assert entry.actor is None and entry.cohort_id == c.pk and entry.program_id == c.program_id


# -------------------------------------------------------------------------- no bulk write escapes the log

# Every statement of the application that writes attendance, module grades or final results in bulk (or
# creates, updates or deletes them by query), with the test above that proves its path is logged.
LOGGED_WRITERS = {
    ("enrolment/services/core.py", "attendance_save"): "test_a_corrected_mark_keeps_the_earlier_value_in_the_history",
    ("enrolment/services/checkin.py", "checkin_record"): "test_a_check_in_is_logged",
    ("assessment/services/results.py", "final_result_record"): "test_a_corrected_final_result_keeps_the_earlier_score",
    ("assessment/services/results.py", "final_results_record"): "test_a_result_sheet_logs_each_changed_score",
    ("assessment/services/results.py", "module_grades_save"): (
        "test_module_grades_are_logged_on_the_listeners_enrolment_with_their_earlier_value"
    ),
    ("assessment/services/module_rules.py", "module_grades_fill"): "test_grades_filled_by_the_rule_are_logged",
    ("assessment/services/testing.py", "_score_and_close"): "test_an_online_score_is_logged_by_the_system",
}
WRITE = re.compile(
    r"\b(Attendance|ModuleGrade|FinalResult)\.objects\b.*\.(update|bulk_update|bulk_create|update_or_create|"
    r"get_or_create|create|delete|raw)\("
    r"|\.(attendance|module_grades|final_result)\b[^=\n]*\.(update|bulk_update|delete|create|update_or_create)\("
)
ROOT = Path(__file__).resolve().parents[2]
APPS = ("ziat", "programs", "enrolment", "assessment", "certificates", "postcourse", "monitoring")


def _writers():
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if not WRITE.search(text):
                continue
            functions = [
                node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            for number, line in enumerate(text.splitlines(), start=1):
                if WRITE.search(line):
                    inner = [f for f in functions if f.lineno <= number <= f.end_lineno]
                    name = min(inner, key=lambda f: f.end_lineno - f.lineno).name if inner else "<module>"
                    found.add((str(path.relative_to(ROOT)), name))
    return found


def test_every_bulk_write_of_attendance_grades_and_results_goes_through_a_logged_service():
    assert _writers() == set(LOGGED_WRITERS)
    names = set(globals())
    assert set(LOGGED_WRITERS.values()) <= names


def test_a_check_in_is_logged(org):
    from enrolment.services.checkin import checkin_code, checkin_record

    c = cohort(program())
    (s,) = sessions(c, ["2"])
    e = enrolment(c)
    now = timezone.make_aware(datetime.datetime.combine(s.date, s.starts_at)) + datetime.timedelta(minutes=5)
    checkin_record(s, listener=e.listener, code=checkin_code(s, now=now), now=now)
    entry = history(listener=e.listener_id).get(action="enrolment.attendance.checked_in")
    assert (entry.actor, entry.after, entry.cohort_id) == (e.listener.user, {"status": "present"}, c.pk)


def test_a_result_sheet_logs_each_changed_score(org, trainer):
    from assessment.services.results import final_results_record

    c = course()
    c.sessions.update(trainer=trainer)  # the sheet is the cohort's trainers'
    e1, e2 = enrolment(c), enrolment(c)
    final_results_record(cohort=c, scores={e1.pk: "10", e2.pk: "12"}, by=trainer)
    final_results_record(cohort=c, scores={e1.pk: "10", e2.pk: "20"}, by=trainer)
    entries = ActivityLog.objects.filter(action="assessment.final_result.recorded").order_by("pk")
    assert [(x.listener_id, x.before, x.after) for x in entries] == [
        (e1.listener_id, {}, {"score": "10"}),
        (e2.listener_id, {}, {"score": "12"}),
        (e2.listener_id, {"score": "12"}, {"score": "20"}),
    ]


def test_grades_filled_by_the_rule_are_logged(org):
    from assessment.enums import ModuleGradeRule
    from assessment.models import AssessmentScheme
    from assessment.services.module_rules import module_grades_fill
    from tests.certificates.helpers import enrol

    c = course()
    AssessmentScheme.objects.create(program=c.program, has_project=False, module_grade_rule=ModuleGradeRule.CREDIT)
    e = enrol(c)
    report = module_grades_fill(cohort=c, by=_taught(c, staff_user("trainer")))
    assert report.filled == 2
    entries = history(obj=e).filter(action="assessment.module_grade.filled")
    assert entries.count() == 2 and all(x.after["grade"] for x in entries)


def test_an_online_score_is_logged_by_the_system(org):
    from assessment.services.testing import attempt_start, attempt_submit
    from tests.assessment import taking_factories as tf

    group, version = tf.course()
    test = tf.cohort_test(group, version)
    enrolled = tf.admitted(group)
    final_result_record(enrolment=enrolled, score="3", by=_taught(group, staff_user("trainer")))
    now = timezone.now()
    attempt = attempt_submit(attempt=attempt_start(test=test, enrolment=enrolled, now=now), now=now)
    entry = ActivityLog.objects.get(action="assessment.final_result.scored")
    assert entry.actor is None and entry.data["attempt"] == attempt.pk
    assert (entry.before, entry.after) == ({"score": "3"}, {"score": str(attempt.score.normalize())})


# --------------------------------------------------------------------------------------------- the pages


def _busy_cohort(n, trainer):
    c, ss, es = _grid(n, n_sessions=2, teachers=[trainer])
    attendance_save(cohort=c, marks=_marks(ss, es, "late"), by=trainer, now=END_OF_COURSE, warn=False)
    attendance_save(cohort=c, marks=_marks(ss, es, "present"), by=trainer, now=END_OF_COURSE, warn=False)
    return c, es


@pytest.mark.parametrize(
    ("name", "key"),
    [("enrolment:cohort_detail", "cohort"), ("enrolment:enrolment_detail", "enrolment")],
)
def test_history_panels_cost_the_same_queries_for_few_and_many_entries(client, org, trainer, name, key):
    director = staff_user("director")
    client.force_login(director)
    counts = []
    for n in (1, 8):
        c, es = _busy_cohort(n, trainer)
        target = c if key == "cohort" else es[0]
        counts.append(page_queries(client, reverse(name, kwargs={"pk": target.pk})))
    assert counts[0] == counts[1]


def test_the_cohort_page_shows_who_changed_what_from_what_to_what(client, org, trainer):
    c, (e1, *_rest) = _busy_cohort(6, trainer)
    client.force_login(staff_user("director"))
    html = client.get(reverse("enrolment:cohort_detail", kwargs={"pk": c.pk})).content.decode()
    assert 'id="activity"' in html
    assert "Attendance marked" in html and "Late → Present" in html
    assert str(trainer) in html
    assert html.count('class="history-entry"') == 10
    more = reverse("enrolment:cohort_history", kwargs={"pk": c.pk})
    assert f'href="{more}"' in html
    page = client.get(more).content.decode()
    assert page.count('class="history-entry"') == 24


def test_the_whole_history_is_paged_with_constant_queries(client, org, trainer):
    client.force_login(staff_user("director"))
    counts = []
    for n in (1, 15):
        c, _es = _busy_cohort(n, trainer)
        counts.append(page_queries(client, reverse("enrolment:cohort_history", kwargs={"pk": c.pk}) + "?page=2"))
    assert counts[0] == counts[1]


def test_the_listeners_page_shows_their_history_in_every_cohort(client, org, trainer):
    c, (e1, _e2) = _busy_cohort(2, trainer)  # 4 entries of each listener's marks
    earlier = enrolment(cohort(c.program), e1.listener)
    _taught(earlier.cohort, trainer)
    final_result_record(enrolment=earlier, score="7", by=trainer)
    client.force_login(staff_user("director"))
    html = client.get(reverse("enrolment:enrolment_detail", kwargs={"pk": e1.pk})).content.decode()
    panel = html.split('id="activity"')[1]
    assert "Final result recorded" in panel and earlier.cohort.code in panel
    assert panel.count('class="history-entry"') == 5


def test_the_programs_page_shows_its_history(client, org):
    methodist = staff_user("methodist")
    prog = program()
    program_start_revision(prog, by=methodist)
    client.force_login(staff_user("director"))
    html = client.get(reverse("programs:staff_detail", kwargs={"pk": prog.pk})).content.decode()
    assert "Program status changed" in html and "Approved → Draft" in html


def test_the_certificates_staff_page_shows_its_history(client, org, director):
    certificate = issued(director)
    certificate_revoke(certificate, by=director, category="false_data", note="Forged documents")
    client.force_login(staff_user("monitoring"))
    url = reverse("certificates:certificate_staff", kwargs={"pk": certificate.pk})
    html = client.get(url).content.decode()
    assert certificate.registration_number in html
    assert "Certificate issued" in html and "Certificate revoked" in html and "Forged documents" in html
    enrolment_page = reverse("enrolment:enrolment_detail", kwargs={"pk": certificate.enrolment_id})
    client.force_login(director)
    assert url in client.get(enrolment_page).content.decode()


def test_a_listener_never_sees_the_staff_history(client, org, director, trainer):
    certificate = issued(director)
    c = certificate.enrolment.cohort
    other = enrolment(c, listener(last_name="Бекова", first_name="Дина"))
    final_result_record(enrolment=other, score="3", by=_taught(c, trainer))
    holder = certificate.enrolment.listener.user
    client.force_login(holder)
    urls = [
        reverse("enrolment:cohort_detail", kwargs={"pk": c.pk}),
        reverse("enrolment:cohort_history", kwargs={"pk": c.pk}),
        reverse("enrolment:enrolment_detail", kwargs={"pk": other.pk}),
        reverse("enrolment:enrolment_history", kwargs={"pk": other.pk}),
        reverse("enrolment:enrolment_history", kwargs={"pk": certificate.enrolment_id}),
        reverse("programs:staff_history", kwargs={"pk": c.program_id}),
        reverse("certificates:certificate_staff", kwargs={"pk": certificate.pk}),
        reverse("certificates:certificate_history", kwargs={"pk": certificate.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert other.listener.user.full_name not in response.content.decode(), url
    cabinet = client.get(reverse("enrolment:cabinet")).content.decode()
    assert 'id="activity"' not in cabinet and "Final result recorded" not in cabinet


def test_a_trainer_without_the_permission_does_not_open_the_listeners_history(client, org, trainer):
    e = enrolment(cohort(program()))
    client.force_login(trainer)
    assert client.get(reverse("enrolment:enrolment_history", kwargs={"pk": e.pk})).status_code in (302, 403)


def test_the_back_office_lists_the_log_for_reading_only(client, org, director):
    c = cohort(program())
    log_action(c, "enrolment.cohort.published", by=director)
    client.force_login(director)
    listing = client.get("/admin/ziat/activitylog/")
    assert listing.status_code == 200 and c.code in listing.content.decode()
    assert client.get("/admin/ziat/activitylog/add/").status_code == 403
    entry = ActivityLog.objects.get()
    assert client.post(f"/admin/ziat/activitylog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ActivityLog.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_to_change_or_delete_an_entry(org, director):
    from django.db import DatabaseError, transaction

    entry = log_action(cohort(program()), "enrolment.cohort.published", by=director)
    for change in (
        lambda: ActivityLog.objects.filter(pk=entry.pk).update(note="rewritten"),
        lambda: ActivityLog.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    entry.refresh_from_db()
    assert entry.note == ""


# ---------------------------------------------------------------------------- timetable and assessment rules


def test_a_session_created_changed_and_deleted_is_logged_with_its_values(org, registrar):
    from enrolment.services.timetable import session_delete, session_save
    from programs.enums import ActivityKind
    from programs.models import Topic

    c = cohort(program())
    topic = Topic.objects.filter(module__version=c.version).order_by("module__position", "position").first()
    terms = {
        "date": datetime.date(2026, 3, 2),
        "starts_at": datetime.time(9),
        "ends_at": datetime.time(10, 30),
        "topic": topic,
        "kind": ActivityKind.LECTURE,
        "hours": Decimal("2"),
        "trainer": None,
        "place": "Room 1",
    }
    s = session_save(by=registrar, cohort=c, **terms)
    session_save(by=registrar, cohort=c, session=s, **{**terms, "place": "Room 2"})
    session_delete(s, by=registrar)
    created, changed, deleted = history(cohort=c).order_by("pk")
    assert (created.action, created.after["place"], created.after["date"]) == (
        "enrolment.session.created",
        "Room 1",
        "2026-03-02",
    )
    assert (changed.before["place"], changed.after["place"]) == ("Room 1", "Room 2")
    assert describe(changed) == "Session changed: room or online link Room 1 → Room 2"
    assert (deleted.action, deleted.before["place"], deleted.after) == ("enrolment.session.deleted", "Room 2", {})


def test_an_edit_of_the_assessment_rules_is_logged_with_the_earlier_rules(org):
    from assessment.services.scheme import scheme_save

    methodist = staff_user("methodist")
    prog = program()
    rules = {"has_project": True, "excellent_from": 9, "good_from": 7, "pass_from": 5, "module_grade_rule": "credit"}
    criteria = [{"name_ru": f"Критерий {n}", "name_kk": "", "max_points": 2} for n in range(1, 6)]
    scheme_save(program=prog, by=methodist, criteria=criteria, **rules)
    scheme_save(program=prog, by=methodist, criteria=criteria, **{**rules, "module_grade_rule": "trainer"})
    first, second = history(program=prog).filter(action="assessment.scheme.saved").order_by("pk")
    assert first.before == {} and len(first.after["criteria"]) == 5
    assert (second.before["module_grade_rule"], second.after["module_grade_rule"]) == ("credit", "trainer")


def test_every_value_in_the_demos_log_is_labelled_in_the_readers_language(org):
    """A history panel in Kazakh names each changed value in Kazakh: by its action's own label, a common label
    or the record's field, never by the key the service logged it under ("lines", "late", "number")."""
    import io

    from django.core.management import call_command

    from ziat.activity import changes_of

    call_command("seed_demo", stdout=io.StringIO())
    raw = set()
    with translation.override("kk"):
        for entry in ActivityLog.objects.all():
            keys = {key.replace("_", " ") for key in (*entry.before, *entry.after)}
            raw |= {(entry.action, c.label) for c in changes_of(entry) if c.label in keys}
    assert ActivityLog.objects.count() > 100
    assert raw == set()
