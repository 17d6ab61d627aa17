"""Transfers to another cohort within the current year, interruptions and completion of an interrupted
course later with supporting documents (000 §3.10, 003 §7.4.3-7.4.4)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.enums import EnrolmentStatus, MovementKind
from enrolment.models import Attendance, Enrolment, Message, Movement
from enrolment.selectors import enrolment_chain
from enrolment.services.core import seats_taken
from enrolment.services.movements import enrolment_interrupt, enrolment_resume, enrolment_transfer
from tests.factories import cohort, enrolment, listener, program, sessions
from ziat.errors import DomainError

pytestmark = pytest.mark.django_db

MARCH_3 = datetime.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def scan(name="certificate.pdf"):
    """A medical certificate as a scanned PDF."""
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


@pytest.fixture
def course():
    """Two cohorts of one program in 2026; a listener enrolled in the first."""
    prog = program()
    first = cohort(prog, code="SPRING")
    later = cohort(prog, code="AUTUMN", starts_on=datetime.date(2026, 10, 5), ends_on=datetime.date(2026, 10, 9))
    return first, later, enrolment(first)


def _nothing_changed(old):
    old.refresh_from_db()
    assert old.status == EnrolmentStatus.ENROLLED
    assert Enrolment.objects.count() == Enrolment.objects.filter(continues__isnull=True).count()
    assert not Movement.objects.exists()
    assert not Message.objects.exists()


# ---------------------------------------------------------------------------------------------- transfer


def test_a_transfer_moves_the_listener_to_another_cohort_of_the_program_000_3_10(registrar, course):
    first, later, old = course
    new = enrolment_transfer(old, by=registrar, to_cohort=later, reason="Illness", document=scan(), on=MARCH_3)
    old.refresh_from_db()
    assert old.status == EnrolmentStatus.TRANSFERRED
    assert (new.cohort, new.listener, new.status, new.continues) == (later, old.listener, EnrolmentStatus.ENROLLED, old)
    movement = Movement.objects.get()
    assert (movement.kind, movement.enrolment, movement.to_enrolment) == (MovementKind.TRANSFER, old, new)
    assert (movement.on, movement.reason, movement.by) == (MARCH_3, "Illness", registrar)
    with movement.document.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")
    message = Message.objects.get(listener=old.listener)
    assert "AUTUMN" in message.body


def test_an_admitted_listener_stays_admitted_after_a_transfer(registrar, course):
    first, later, old = course
    Enrolment.objects.filter(pk=old.pk).update(status=EnrolmentStatus.ADMITTED)
    new = enrolment_transfer(old, by=registrar, to_cohort=later, reason="Family", document=scan(), on=MARCH_3)
    assert new.status == EnrolmentStatus.ADMITTED


def test_transfer_only_within_the_same_program_and_year_000_3_10(registrar, course):
    first, later, old = course
    other_program = cohort(program(title_ru="Другая программа"), code="OTHER")
    with pytest.raises(DomainError, match="same program"):
        enrolment_transfer(old, by=registrar, to_cohort=other_program, reason="x", document=scan(), on=MARCH_3)
    next_year = cohort(
        first.program, code="NEXT", starts_on=datetime.date(2027, 2, 1), ends_on=datetime.date(2027, 2, 5)
    )
    with pytest.raises(DomainError, match="within the current year"):
        enrolment_transfer(old, by=registrar, to_cohort=next_year, reason="x", document=scan(), on=MARCH_3)
    _nothing_changed(old)


def test_a_transfer_needs_a_reason_and_a_real_supporting_document_000_3_10(registrar, course):
    first, later, old = course
    with pytest.raises(DomainError, match="supporting document"):
        enrolment_transfer(old, by=registrar, to_cohort=later, reason="Illness", document=None, on=MARCH_3)
    with pytest.raises(DomainError, match="valid reason"):
        enrolment_transfer(old, by=registrar, to_cohort=later, reason="  ", document=scan(), on=MARCH_3)
    fake = SimpleUploadedFile("certificate.pdf", b"just text, not a scan", "application/pdf")
    with pytest.raises(DomainError, match="not a PDF file"):
        enrolment_transfer(old, by=registrar, to_cohort=later, reason="Illness", document=fake, on=MARCH_3)
    _nothing_changed(old)


def test_a_transfer_to_a_full_cohort_is_refused(registrar, course):
    first, later, old = course
    # The one seat of the target is taken.
    type(later).objects.filter(pk=later.pk).update(capacity=1)
    enrolment(later)
    with pytest.raises(DomainError, match="is full"):
        enrolment_transfer(old, by=registrar, to_cohort=later, reason="Illness", document=scan(), on=MARCH_3)
    old.refresh_from_db()
    assert old.status == EnrolmentStatus.ENROLLED
    assert not Movement.objects.exists()
    assert later.enrolments.count() == 1


def test_an_expelled_listener_is_not_transferred(registrar, course):
    first, later, old = course
    Enrolment.objects.filter(pk=old.pk).update(status=EnrolmentStatus.EXPELLED)
    with pytest.raises(DomainError, match="expelled listener cannot be transferred"):
        enrolment_transfer(old, by=registrar, to_cohort=later, reason="x", document=scan(), on=MARCH_3)
    assert not Movement.objects.exists()


def test_only_the_registrar_records_moves(trainer, course):
    first, later, old = course
    with pytest.raises(DomainError, match="may not transfer"):
        enrolment_transfer(old, by=trainer, to_cohort=later, reason="x", document=scan(), on=MARCH_3)
    with pytest.raises(DomainError, match="may not interrupt"):
        enrolment_interrupt(old, by=trainer, reason="x", document=scan(), on=MARCH_3)
    _nothing_changed(old)


def test_attendance_stays_on_the_earlier_enrolment_after_a_transfer_000_3_10(registrar, course):
    first, later, old = course
    day_one, day_two = sessions(first, ["4", "4"])
    Attendance.objects.create(session=day_one, enrolment=old, status="present", marked_by=registrar)
    Attendance.objects.create(session=day_two, enrolment=old, status="absent", marked_by=registrar)
    new = enrolment_transfer(old, by=registrar, to_cohort=later, reason="Illness", document=scan(), on=MARCH_3)
    assert set(Attendance.objects.values_list("enrolment_id", "status")) == {(old.pk, "present"), (old.pk, "absent")}
    chain = enrolment_chain(new)
    assert [e.pk for e in chain] == [old.pk, new.pk]
    assert chain[0].attended_hours == 4


# ---------------------------------------------------------------------------------- interruption


def test_an_interrupted_course_is_completed_later_in_another_year_000_3_10(registrar, course):
    first, later, old = course
    sessions_ = sessions(first, ["2"])
    Attendance.objects.create(session=sessions_[0], enrolment=old, status="present", marked_by=registrar)
    interruption = enrolment_interrupt(old, by=registrar, reason="Maternity leave", document=scan(), on=MARCH_3)
    old.refresh_from_db()
    assert old.status == EnrolmentStatus.INTERRUPTED
    assert (interruption.kind, interruption.to_enrolment) == (MovementKind.INTERRUPTION, None)
    assert seats_taken(first) == 0

    next_year = cohort(
        first.program, code="2027", starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 3, 5)
    )
    png = SimpleUploadedFile("return.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    new = enrolment_resume(
        old, by=registrar, to_cohort=next_year, reason="Back from leave", document=png, on=datetime.date(2027, 2, 1)
    )
    assert (new.cohort, new.status, new.continues) == (next_year, EnrolmentStatus.ENROLLED, old)
    resumption = Movement.objects.get(kind=MovementKind.RESUMPTION)
    assert (resumption.enrolment, resumption.to_enrolment) == (old, new)
    assert Attendance.objects.get().enrolment == old
    # Resumed once: the interrupted enrolment is not resumed again.
    with pytest.raises(DomainError, match="later enrolment"):
        enrolment_resume(old, by=registrar, to_cohort=later, reason="x", document=scan(), on=MARCH_3)


def test_an_interrupted_course_resumes_in_the_same_cohort(registrar, course):
    first, later, old = course
    enrolment_interrupt(old, by=registrar, reason="Illness", document=scan(), on=MARCH_3)
    again = enrolment_resume(
        old, by=registrar, to_cohort=first, reason="Recovered", document=scan(), on=datetime.date(2026, 3, 4)
    )
    assert again.pk == old.pk
    assert Enrolment.objects.get(pk=old.pk).status == EnrolmentStatus.ENROLLED
    assert Enrolment.objects.count() == 1


def test_resumption_only_of_an_interrupted_course_and_of_the_same_program(registrar, course):
    first, later, old = course
    with pytest.raises(DomainError, match="Only an interrupted course"):
        enrolment_resume(old, by=registrar, to_cohort=later, reason="x", document=scan(), on=MARCH_3)
    enrolment_interrupt(old, by=registrar, reason="Illness", document=scan(), on=MARCH_3)
    with pytest.raises(DomainError, match="same program"):
        enrolment_resume(old, by=registrar, to_cohort=cohort(), reason="x", document=scan(), on=MARCH_3)
    with pytest.raises(DomainError, match="supporting document"):
        enrolment_resume(old, by=registrar, to_cohort=later, reason="x", document=None, on=MARCH_3)
    assert Enrolment.objects.get(pk=old.pk).status == EnrolmentStatus.INTERRUPTED


# ---------------------------------------------------------------------------------------------- pages


def _this_year():
    """Two cohorts of one program that run now, whatever the day of the year."""
    today = timezone.localdate()
    prog = program()
    first = cohort(
        prog, code="NOW-1", starts_on=today.replace(month=1, day=10), ends_on=today.replace(month=12, day=31)
    )
    second = cohort(prog, code="NOW-2", starts_on=today, ends_on=today.replace(month=12, day=31))
    return first, second, today


def test_the_registrar_transfers_through_the_listeners_page_and_sees_the_chain(client, registrar):
    first, second, today = _this_year()
    old = enrolment(first)
    client.force_login(registrar)
    page = client.get(reverse("enrolment:enrolment_detail", args=[old.pk]))
    assert page.status_code == 200 and 'id="transfer-form"' in page.content.decode()
    response = client.post(
        reverse("enrolment:enrolment_transfer", args=[old.pk]),
        {"to_cohort": second.pk, "on": today.isoformat(), "reason": "Illness", "document": scan()},
    )
    new = Enrolment.objects.get(cohort=second)
    assert response.status_code == 302
    assert response.url == reverse("enrolment:enrolment_detail", args=[new.pk])
    page = client.get(response.url).content.decode()
    assert "NOW-1" in page and "NOW-2" in page and "Illness" in page
    movement = Movement.objects.get()
    assert reverse("enrolment:movement_document", args=[movement.pk]) in page
    document = client.get(reverse("enrolment:movement_document", args=[movement.pk]))
    assert b"".join(document.streaming_content).startswith(b"%PDF")
    document.close()


def test_a_transfer_without_a_document_shows_the_form_again(client, registrar):
    first, second, today = _this_year()
    old = enrolment(first)
    client.force_login(registrar)
    response = client.post(
        reverse("enrolment:enrolment_transfer", args=[old.pk]),
        {"to_cohort": second.pk, "on": today.isoformat(), "reason": "Illness"},
    )
    assert response.status_code == 400
    assert Enrolment.objects.get(pk=old.pk).status == EnrolmentStatus.ENROLLED
    assert not Movement.objects.exists()


def test_trainers_and_listeners_cannot_move_listeners(client, trainer):
    first, second, today = _this_year()
    old = enrolment(first)
    data = {"to_cohort": second.pk, "on": today.isoformat(), "reason": "Illness", "document": scan()}
    for user in (trainer, listener().user):
        client.force_login(user)
        assert client.get(reverse("enrolment:enrolment_detail", args=[old.pk])).status_code == 403
        assert client.post(reverse("enrolment:enrolment_transfer", args=[old.pk]), data).status_code == 403
    assert not Movement.objects.exists()


def test_interruption_and_resumption_through_the_page(client, registrar):
    first, second, today = _this_year()
    old = enrolment(first)
    client.force_login(registrar)
    response = client.post(
        reverse("enrolment:enrolment_interrupt", args=[old.pk]),
        {"on": today.isoformat(), "reason": "Illness", "document": scan()},
    )
    assert response.status_code == 302
    page = client.get(reverse("enrolment:enrolment_detail", args=[old.pk])).content.decode()
    assert 'id="resume-form"' in page and 'id="transfer-form"' not in page
    response = client.post(
        reverse("enrolment:enrolment_resume", args=[old.pk]),
        {"to_cohort": second.pk, "on": today.isoformat(), "reason": "Recovered", "document": scan()},
    )
    new = Enrolment.objects.get(cohort=second)
    assert response.url == reverse("enrolment:enrolment_detail", args=[new.pk])
    assert new.continues_id == old.pk
    page = client.get(reverse("enrolment:enrolment_detail", args=[old.pk])).content.decode()
    assert 'id="resume-form"' not in page
