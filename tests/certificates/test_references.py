"""The register of references of attendance (000 §3.9, 001 §31): a number and a date given once, the same file
served ever after, the listener's own only, the eligibility of assessment.outcomes unchanged."""

import datetime
import re

import pypdfium2 as pdfium
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from certificates.models import Reference, RegisterSequence
from certificates.references import reference_register
from tests.certificates.helpers import assert_in_order, course, enrol
from tests.factories import listener, staff_user
from ziat.activity import history
from ziat.errors import DomainError
from ziat.models import Organisation


def _text(content):
    pdf = pdfium.PdfDocument(content)
    text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    # pdfium reads a hyphen where a line may break as U+FFFE.
    return re.sub(r"\s+", " ", text.replace("\ufffe", "-"))


def _failed(cohort_=None, **listener_kwargs):
    """A listener of an ended course who attended 6 of 10 hours and has no final test: not passed."""
    return enrol(cohort_ or course(), hours=6, test=None, **listener_kwargs)


def _number(sequence, year=None):
    return f"ZIAT-С-{year or timezone.localdate().year}-{sequence:05d}"


def test_the_first_request_registers_the_reference_and_the_file_is_served_the_same_ever_after_000_3_9(client, org):
    e = _failed(last_name="Жұмабаева", first_name="Әсем")
    client.force_login(e.listener.user)
    first = client.post(f"/cabinet/references/{e.pk}/request/", follow=True)
    second = client.get(f"/cabinet/references/{e.pk}.pdf")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    reference = Reference.objects.get()
    assert reference.enrolment == e
    assert reference.registration_number == _number(1)
    assert reference.issued_on == timezone.localdate()
    assert reference.issued_by is None  # asked for by the listener in the cabinet
    assert RegisterSequence.objects.get(register="reference").last == 1
    # Staff asking later get the same registered reference and the same file.
    client.force_login(staff_user("registrar"))
    assert client.post(f"/staff/assessment/references/{e.pk}/request/", follow=True).content == first.content
    assert client.get(f"/staff/assessment/references/{e.pk}.pdf").content == first.content
    assert Reference.objects.count() == 1


def test_the_reference_prints_its_registered_number_and_date_001_31(client, org):
    e = _failed(last_name="Жұмабаева", first_name="Әсем")
    client.force_login(staff_user("registrar"))
    text = _text(client.post(f"/staff/assessment/references/{e.pk}/request/", follow=True).content)
    reference = Reference.objects.get()
    assert f"№ {reference.registration_number}" in text
    assert f"Дата выдачи: {reference.issued_on:%d.%m.%Y}" in text
    assert "Жұмабаева Әсем" in text
    assert "Посещено занятий: 6 академических часов (60.00%)" in text


def test_the_reference_is_the_seeds_reference_of_attendance_in_kazakh_and_russian_000_3_9_001_31(client, org):
    """000 §3.9 and 001 §31 give the reference a free form and name it: "біліктілікті арттыру курсын
    тыңдағаны туралы анықтама", "справка о прослушивании курса повышения квалификации". Each language's part
    names it so under the letterhead, then the holder, the course and the attendance; the head signs."""
    e = _failed(last_name="Жұмабаева", first_name="Әсем")
    client.force_login(staff_user("registrar"))
    text = _text(client.post(f"/staff/assessment/references/{e.pk}/request/", follow=True).content)
    number = Reference.objects.get().registration_number
    program = e.cohort.program
    assert_in_order(
        text,
        [
            "«ZIAT» ғылыми-әдістемелік орталығы",
            "АНЫҚТАМА",
            "Берілген күні",
            f"Тіркеу нөмірі / Регистрационный номер: № {number}",
            "Біліктілікті арттыру курсын тыңдағаны туралы",
            "Осы анықтама Жұмабаева Әсем",
            f"«{program.title_kk}» біліктілікті арттыру бағдарламасы (10 академиялық сағат) бойынша курсты "
            "тыңдағанын растайды.",
            "Сабаққа қатысқаны: 6 академиялық сағат",
            "(қолы",
            "С. Мұратова",
        ],
    )
    assert_in_order(
        text,
        [
            "Научно-методический центр «ZIAT»",
            "СПРАВКА",
            "Дата выдачи",
            f"№ {number}",
            "О прослушивании курса повышения квалификации",
            "Настоящая справка выдана Жұмабаева Әсем",
            f"прослушал(а) курс повышения квалификации по программе «{program.title_ru}» (10 академических часов)",
            "Посещено занятий: 6 академических часов",
            "подпись)",
            "С. Мұратова",
        ],
    )


def test_the_registered_reference_does_not_change_when_the_records_do_001_31(client, org):
    e = _failed(last_name="Жұмабаева", first_name="Әсем")
    client.force_login(e.listener.user)
    before = client.post(f"/cabinet/references/{e.pk}/request/", follow=True).content
    user = e.listener.user
    user.last_name = "Өзгертілген"
    user.save(update_fields=["last_name"])
    org.name_ru = "Другое название"
    org.save()
    cache.clear()
    after = client.get(f"/cabinet/references/{e.pk}.pdf").content
    assert after == before
    assert "Жұмабаева Әсем" in _text(after)


def test_numbers_are_gapless_and_a_refused_request_takes_none_000_3_9(client, org):
    c = course()
    first, second = _failed(c), _failed(c)
    passed = enrol(c)
    registrar = staff_user("registrar")
    assert reference_register(first, by=registrar).registration_number == _number(1)
    with pytest.raises(DomainError):
        reference_register(passed, by=registrar)
    assert reference_register(second, by=registrar).registration_number == _number(2)
    # Asked for again: the same entry, no new number.
    assert reference_register(first, by=registrar).registration_number == _number(1)
    assert sorted(Reference.objects.values_list("sequence", flat=True)) == [1, 2]
    assert RegisterSequence.objects.get(register="reference").last == 2


def test_the_register_keeps_who_handed_it_out_and_logs_it_001_31(org):
    e = _failed()
    registrar = staff_user("registrar")
    reference = reference_register(e, by=registrar)
    assert reference.issued_by == registrar
    entry = history(obj=reference).get()
    assert entry.action == "certificates.reference.registered"
    assert entry.actor == registrar


def test_a_listener_gets_only_their_own_reference_and_registers_nothing_else_001_31(client, org):
    e = _failed()
    client.force_login(listener().user)
    assert client.get(f"/cabinet/references/{e.pk}.pdf").status_code == 404
    assert client.post(f"/cabinet/references/{e.pk}/request/").status_code == 404
    with pytest.raises(DomainError):
        reference_register(e, by=listener().user)
    assert not Reference.objects.exists()


def test_a_trainer_of_another_cohort_is_refused_and_nothing_is_registered_001_31(client, org):
    e = _failed()
    client.force_login(staff_user("trainer"))
    assert client.get(f"/staff/assessment/references/{e.pk}.pdf").status_code == 403
    assert client.post(f"/staff/assessment/references/{e.pk}/request/").status_code == 403
    assert not Reference.objects.exists()


def test_the_eligibility_is_unchanged_a_passed_listener_or_a_running_course_gets_no_number_000_3_9(client, org):
    passed = enrol(course())
    starts = timezone.localdate() + datetime.timedelta(days=3)
    running = _failed(course(starts_on=starts, ends_on=starts + datetime.timedelta(days=4)))
    for e in (passed, running):
        client.force_login(e.listener.user)
        assert client.post(f"/cabinet/references/{e.pk}/request/").status_code == 302
        assert client.get(f"/cabinet/references/{e.pk}.pdf").status_code == 404
    assert not Reference.objects.exists()
    assert not RegisterSequence.objects.filter(register="reference").exists()


# --- the staff's register ---------------------------------------------------------------------------------


def test_the_register_lists_number_holder_cohort_and_date_and_filters_by_period_000_3_9(client, org):
    c = course(code="REF-01")
    registrar = staff_user("registrar")
    march = reference_register(_failed(c, last_name="Наурызова"), by=registrar, today=datetime.date(2026, 3, 20))
    april = reference_register(_failed(c, last_name="Сәуірова"), by=registrar, today=datetime.date(2026, 4, 20))
    client.force_login(registrar)
    html = client.get("/staff/certificates/references/").content.decode()
    for r in (march, april):
        assert r.registration_number in html and r.holder_name in html
    assert "REF-01" in html and "20.03.2026" in html and "20.04.2026" in html
    assert f"/staff/assessment/references/{march.enrolment_id}.pdf" in html
    only_april = client.get("/staff/certificates/references/", {"date_from": "2026-04-01", "date_to": "2026-04-30"})
    assert only_april.status_code == 200
    page = only_april.content.decode()
    assert april.registration_number in page and march.registration_number not in page


def test_a_reversed_period_is_refused_with_a_message(client, org):
    client.force_login(staff_user("registrar"))
    response = client.get("/staff/certificates/references/", {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 400
    with translation.override("kk"):  # the interface's default language
        assert str(gettext("The period ends before it starts.")) in response.content.decode()


def test_the_register_is_refused_to_roles_without_the_permission(client, org):
    client.force_login(staff_user("trainer"))
    assert client.get("/staff/certificates/references/").status_code == 403


@pytest.mark.parametrize("rows", [1, 4])
def test_the_register_page_reads_the_same_number_of_queries_whatever_its_rows(client, org, rows):
    c = course()
    registrar = staff_user("registrar")
    for _ in range(rows):
        reference_register(_failed(c), by=registrar)
    client.force_login(registrar)
    Organisation.current()
    client.get("/staff/certificates/references/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/certificates/references/").status_code == 200
    assert len(queries) <= 8
