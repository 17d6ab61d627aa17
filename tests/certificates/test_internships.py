"""TVET internships (SPEC 5.5; 001 §30, App. 5, App. 6): the enterprise's reference recorded by staff and the
internship certificate issued on its basis, with its own number, its QR code and its public page."""

import datetime
import re
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.conf import settings

from certificates.internships import internship_certificate_issue, internship_record
from certificates.models import Internship, InternshipCertificate, RegisterSequence
from programs.models import Program
from tests.certificates.helpers import assert_in_order, course, enrol
from tests.factories import listener, many_cohorts, page_queries, pdf_response, staff_user
from tests.factories import program as factories_program
from tests.pdfs import qr_texts
from ziat.activity import history
from ziat.errors import DomainError

VALID = {
    "starts_on": "2026-03-02",
    "ends_on": "2026-03-13",
    "speciality": "Электр жабдықтарын жөндеу / Ремонт электрооборудования",
    "enterprise": "«Қарағанды Энерго» ЖШС",
    "hours": "72",
    "functions": "электромонтер",
    "skills": "релелік қорғанысты баптау",
    "head_name": "Б. Оспанов",
}
ON = datetime.date(2026, 3, 20)


def _text(content):
    pdf = pdfium.PdfDocument(content)
    text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    return re.sub(r"\s+", " ", text.replace("\ufffe", "-"))


def _internship_course(**kwargs):
    c = course(**kwargs)
    Program.objects.filter(pk=c.program_id).update(is_internship=True)
    c.program.refresh_from_db()
    return c


@pytest.fixture
def teacher(db, org):
    """A TVET teacher enrolled in an internship course."""
    return enrol(_internship_course(), test=None, last_name="Тұрсынова", first_name="Гүлжан", email="g@example.kz")


def _record(enrolment, by, **changes):
    values = {
        **VALID,
        **changes,
    }
    values["starts_on"] = datetime.date.fromisoformat(values["starts_on"])
    values["ends_on"] = datetime.date.fromisoformat(values["ends_on"])
    values["hours"] = Decimal(values["hours"])
    return internship_record(enrolment, by=by, **values)


# --- the enterprise's reference (001 App. 5) ---------------------------------------------------------------


def test_staff_record_the_enterprises_reference_001_app5(client, teacher, registrar):
    client.force_login(registrar)
    response = client.post(f"/staff/certificates/internships/{teacher.pk}/", VALID)
    assert response.status_code == 302
    internship = Internship.objects.get(enrolment=teacher)
    assert internship.hours == Decimal("72")
    assert internship.enterprise == "«Қарағанды Энерго» ЖШС"
    assert internship.ends_on == datetime.date(2026, 3, 13)
    assert history(obj=internship).get().action == "certificates.internship.recorded"
    page = client.get(f"/staff/certificates/internships/{teacher.pk}/").content.decode()
    assert "релелік қорғанысты баптау" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_on": "2026-03-13", "ends_on": "2026-03-02"}, "The internship ends before it starts."),
        ({"hours": "0"}, "The internship&#x27;s volume must be more than zero academic hours."),
        ({"hours": "-8"}, "The internship&#x27;s volume must be more than zero academic hours."),
        ({"enterprise": ""}, "This field is required."),
        ({"skills": "   "}, "This field is required."),
        ({"ends_on": "not a date"}, "Enter a valid date."),
    ],
)
def test_a_bad_reference_is_refused_with_a_message_and_nothing_is_saved_001_app5(
    client, teacher, registrar, changes, message
):
    client.force_login(registrar)
    response = client.post(
        f"/staff/certificates/internships/{teacher.pk}/", {**VALID, **changes}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Internship.objects.exists()
    assert not history(obj=teacher).filter(action="certificates.internship.recorded").exists()


def test_the_refusal_is_in_the_readers_language_001_app5(client, teacher, registrar):
    client.force_login(registrar)
    response = client.post(
        f"/staff/certificates/internships/{teacher.pk}/", {**VALID, "enterprise": ""}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    assert "Обязательное поле." in response.content.decode()


def test_the_service_refuses_reversed_dates_and_hours_not_above_zero_001_app5(teacher, registrar):
    with pytest.raises(DomainError):
        _record(teacher, registrar, starts_on="2026-03-13", ends_on="2026-03-02")
    with pytest.raises(DomainError):
        _record(teacher, registrar, hours="0")
    with pytest.raises(DomainError):
        _record(teacher, registrar, functions="")
    assert not Internship.objects.exists()


def test_a_course_that_is_not_an_internship_gets_no_reference_5_5(client, org, registrar):
    e = enrol(course(), test=None)
    client.force_login(registrar)
    response = client.post(f"/staff/certificates/internships/{e.pk}/", VALID)
    assert response.status_code == 400
    assert not Internship.objects.exists()


def test_a_role_that_does_not_record_internships_is_refused(client, teacher):
    client.force_login(staff_user("monitoring"))
    assert client.post(f"/staff/certificates/internships/{teacher.pk}/", VALID).status_code == 403
    assert not Internship.objects.exists()
    with pytest.raises(DomainError):
        _record(teacher, staff_user("monitoring"))


def _reference_text(client, teacher, registrar):
    _record(teacher, registrar)
    client.force_login(registrar)
    response = pdf_response(client, f"/staff/certificates/internships/{teacher.pk}/reference.pdf")
    assert response.status_code == 200
    return _text(response.content)


def test_the_reference_prints_the_kazakh_form_of_001_app5_blank_by_blank(client, teacher, registrar):
    """001 App. 5: the heading, each blank filled in the form's order with the form's label under it, the
    enterprise head's name and signature and the place of the seal."""
    text = _reference_text(client, teacher, registrar)
    assert_in_order(
        text,
        [
            "«Қарағанды Энерго» ЖШС",  # Ұйымның ресми атауы: the enterprise that issues the reference
            "Педагогтің кәсіпорын (ұйым) базасында тағылымдамадан өткені туралы анықтама",
            "Тұрсынова Гүлжан",
            "(Тегі, аты, әкесінің аты (болған жағдайда))",
            "берілді.",
            'Ол 2026 жылғы "02" наурыз бастап 2026 жылғы "13" наурыз дейін аралығында',
            "Электр жабдықтарын жөндеу / Ремонт электрооборудования",
            "(мамандықтың және біліктіліктің атауы) бойынша",
            "«Қарағанды Энерго» ЖШС",
            "(кәсіпорынның (ұйымның) атауы) базасында",
            "72 академиялық сағат көлемінде тағылымдамадан өтті",
            "электромонтер",
            "(қызметтің атауы) бойынша функционалдық міндеттерін атқарды",
            "релелік қорғанысты баптау кәсіби дағдыларға ие болды.",
            "Кәсіпорын (ұйым) басшысы",
            "Б. Оспанов",
            "(Тегі, аты, әкесінің аты (бар болған жағдайда))",
            "(қолы)",
            "Мөр орны (бар болған жағдайда)",
        ],
    )
    # The enterprise's paper, not the centre's: no other letterhead.
    assert text.startswith("«Қарағанды Энерго» ЖШС")
    assert teacher.cohort.program.title_kk not in text


def test_the_reference_prints_the_russian_form_of_001_app5_blank_by_blank(client, teacher, registrar):
    """001 App. 5 in Russian: the same blanks in the same order, each with its label."""
    text = _reference_text(client, teacher, registrar)
    assert_in_order(
        text,
        [
            "«Қарағанды Энерго» ЖШС",
            "Справка о прохождении стажировки педагога на базе предприятия (организации)",
            "Выдана Тұрсынова Гүлжан",
            "(фамилия, имя, отчество (при его наличии))",
            'в том, что он (она) в период с "02" марта 2026 года по "13" марта 2026 года прошел (прошла) стажировку по',
            "Электр жабдықтарын жөндеу / Ремонт электрооборудования",
            "(наименование специальности и квалификации)",
            "на базе «Қарағанды Энерго» ЖШС",
            "(наименование предприятия (организации))",
            "в объеме 72 академических часов, выполнял (выполняла) функциональные обязанности по электромонтер",
            "(наименование должности)",
            ", приобрел (приобрела) профессиональные навыки релелік қорғанысты баптау.",
            "Руководитель предприятия (организации)",
            "Б. Оспанов",
            "(фамилия, имя, отчество (при его наличии))",
            "(подпись)",
            "Место печати (при наличии)",
        ],
    )


# --- the internship certificate (001 App. 6) ---------------------------------------------------------------


def test_the_director_issues_a_numbered_certificate_read_back_from_its_pdf_001_app6(
    client, teacher, registrar, director
):
    _record(teacher, registrar)
    certificate = internship_certificate_issue(teacher.internship, by=director, on=ON)
    assert certificate.registration_number == "ZIAT-Т-2026-00001"
    assert RegisterSequence.objects.get(register="internship").last == 1
    client.force_login(director)
    response = client.get(f"/staff/certificates/internships/{teacher.pk}/certificate.pdf")
    assert response.status_code == 200
    text = _text(response.content)
    assert "СЕРТИФИКАТ" in text.replace(" ", "") and "Тұрсынова Гүлжан" in text
    program = teacher.cohort.program
    assert program.title_kk in text and program.title_ru in text
    assert "72 академиялық сағат көлемінде" in text and "72 академических часов" in text
    assert "№ ZIAT-Т-2026-00001" in text and 'Дата выдачи: "20" марта 2026 года' in text
    assert "С. Мұратова" in text and "Место печати" in text
    pdf = pdfium.PdfDocument(response.content)
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 portrait
    assert qr_texts(response.content) == [settings.SITE_URL + f"/verify/internship/{certificate.token}/"]
    # The file made at issue is the one served.
    assert client.get(f"/staff/certificates/internships/{teacher.pk}/certificate.pdf").content == response.content


def _certificate_text(client, teacher, registrar, director):
    _record(teacher, registrar)
    internship_certificate_issue(teacher.internship, by=director, on=ON)
    client.force_login(director)
    response = client.get(f"/staff/certificates/internships/{teacher.pk}/certificate.pdf")
    assert response.status_code == 200
    return _text(response.content)


def test_the_certificate_prints_the_kazakh_form_of_001_app6_in_its_order(client, teacher, registrar, director):
    """001 App. 6: the official name in Kazakh (then the Russian one), "СЕРТИФИКАТ", the holder with the form's
    label, the topic and the hours in the form's words, the head, the number, the date of issue, the seal."""
    text = _certificate_text(client, teacher, registrar, director)
    assert_in_order(
        text,
        [
            "«ZIAT» ғылыми-әдістемелік орталығы",
            "Научно-методический центр «ZIAT»",
            "СЕРТИФИКАТ",
            "Тұрсынова Гүлжан",
            "(Тегі, аты, әкесінің аты (бар болған жағдайда))",
            f"«{teacher.cohort.program.title_kk}» тақырыбы бойынша курс аясында 72 академиялық сағат көлемінде "
            "практика базасы ретінде айқындалған ұйымнан тағылымдамадан өткендігін растайды.",
            "Ұйым басшысы",
            "С. Мұратова",
            "(қолы)",
            "Тіркеу нөмірі № ZIAT-Т-2026-00001",
            'Берілген күні: 2026 жылғы "20" наурыз',
            "Мөр орны (бар болған жағдайда)",
        ],
    )


def test_the_certificate_prints_the_russian_form_of_001_app6_in_its_order(client, teacher, registrar, director):
    """001 App. 6 in Russian: the same fields in the same order."""
    text = _certificate_text(client, teacher, registrar, director)
    assert_in_order(
        text,
        [
            "Научно-методический центр «ZIAT»",
            "СЕРТИФИКАТ",
            "Настоящим подтверждается, что Тұрсынова Гүлжан",
            "(фамилия, имя, отчество (при его наличии))",
            f"прошел (прошла) стажировку в рамках курса по теме «{teacher.cohort.program.title_ru}» в объеме "
            "72 академических часов в организации, определенной в качестве базы практики.",
            "Руководитель организации",
            "С. Мұратова",
            "(подпись)",
            "Регистрационный номер № ZIAT-Т-2026-00001",
            'Дата выдачи: "20" марта 2026 года',
            "Место печати (при наличии)",
        ],
    )


def test_the_certificate_is_issued_through_the_staff_page_and_logged_001_30(client, teacher, registrar, director):
    _record(teacher, registrar)
    client.force_login(director)
    response = client.post(f"/staff/certificates/internships/{teacher.pk}/issue/")
    assert response.status_code == 302
    certificate = InternshipCertificate.objects.get()
    assert certificate.internship.enrolment == teacher
    assert history(obj=certificate).get().action == "certificates.internship_certificate.issued"


def test_a_second_certificate_is_refused_001_30(client, teacher, registrar, director):
    _record(teacher, registrar)
    internship_certificate_issue(teacher.internship, by=director, on=ON)
    with pytest.raises(DomainError):
        internship_certificate_issue(teacher.internship, by=director, on=ON)
    client.force_login(director)
    assert client.post(f"/staff/certificates/internships/{teacher.pk}/issue/").status_code == 400
    assert InternshipCertificate.objects.count() == 1
    assert RegisterSequence.objects.get(register="internship").last == 1


def test_only_the_director_issues_the_certificate_001_30(client, teacher, registrar):
    _record(teacher, registrar)
    with pytest.raises(DomainError):
        internship_certificate_issue(teacher.internship, by=registrar, on=ON)
    client.force_login(registrar)
    assert client.post(f"/staff/certificates/internships/{teacher.pk}/issue/").status_code == 403
    assert not InternshipCertificate.objects.exists()
    assert not RegisterSequence.objects.filter(register="internship").exists()


def test_no_certificate_without_the_reference_or_before_the_internship_ends_001_30(
    client, teacher, registrar, director
):
    client.force_login(director)
    assert client.post(f"/staff/certificates/internships/{teacher.pk}/issue/").status_code == 400
    _record(teacher, registrar)
    with pytest.raises(DomainError):
        internship_certificate_issue(teacher.internship, by=director, on=datetime.date(2026, 3, 12))
    assert not InternshipCertificate.objects.exists()


def test_the_reference_is_frozen_once_the_certificate_is_issued_001_30(client, teacher, registrar, director):
    _record(teacher, registrar)
    internship_certificate_issue(teacher.internship, by=director, on=ON)
    client.force_login(registrar)
    response = client.post(f"/staff/certificates/internships/{teacher.pk}/", {**VALID, "hours": "80"})
    assert response.status_code == 400
    assert Internship.objects.get().hours == Decimal("72")


# --- the public verification page ---------------------------------------------------------------------------


def test_the_verification_page_is_public_and_shows_no_personal_data_001_30(client, teacher, registrar, director):
    _record(teacher, registrar)
    certificate = internship_certificate_issue(teacher.internship, by=director, on=ON)
    response = client.get(certificate.verification_path, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-state="issued"' in html
    assert "Тұрсынова Гүлжан" in html and "ZIAT-Т-2026-00001" in html and "20.03.2026" in html
    assert "«Қарағанды Энерго» ЖШС" in html and teacher.cohort.program.title_kk in html
    person = teacher.listener
    for private in (person.iin, person.phone, person.user.email):
        assert private not in html


def test_an_unknown_internship_token_is_not_found(client, org):
    response = client.get("/verify/internship/no-such-token/")
    assert response.status_code == 404
    assert 'data-state="not-found"' in response.content.decode()


# --- the holder's file ----------------------------------------------------------------------------------------


def test_the_holder_downloads_their_certificate_and_another_listener_gets_404_001_app6(
    client, teacher, registrar, director
):
    _record(teacher, registrar)
    certificate = internship_certificate_issue(teacher.internship, by=director, on=ON)
    url = f"/cabinet/internships/{certificate.pk}/certificate.pdf"
    client.force_login(teacher.listener.user)
    response = client.get(url)
    assert response.status_code == 200 and "Тұрсынова Гүлжан" in _text(response.content)
    client.force_login(listener().user)
    assert client.get(url).status_code == 404


def test_the_list_shows_internship_listeners_with_their_state_5_5(client, teacher, registrar, director):
    _record(teacher, registrar)
    internship_certificate_issue(teacher.internship, by=director, on=ON)
    client.force_login(registrar)
    html = client.get("/staff/certificates/internships/").content.decode()
    assert "Тұрсынова Гүлжан" in html and "ZIAT-Т-2026-00001" in html
    assert f"/staff/certificates/internships/{teacher.pk}/" in html


def test_the_internship_list_finds_listeners_by_name_iin_cohort_and_certificate_5_5(
    client, teacher, registrar, director
):
    _record(teacher, registrar)
    internship_certificate_issue(teacher.internship, by=director, on=ON)
    client.force_login(registrar)
    url = "/staff/certificates/internships/"

    def shown(query):
        return client.get(url + query).content.decode().split('id="found"')[1]

    assert "Тұрсынова Гүлжан" in shown("?q=тұрсынова")
    assert "Тұрсынова Гүлжан" in shown(f"?q={teacher.listener.iin}&cohort={teacher.cohort.code}&issued=yes")
    assert "Тұрсынова Гүлжан" not in shown("?issued=no")
    assert "Тұрсынова Гүлжан" not in shown("?q=Басқаев")
    bad = client.get(url + "?issued=maybe")
    assert bad.status_code == 400


@pytest.mark.parametrize("count", [10, 200])
def test_the_internship_list_makes_the_same_queries_for_few_and_many(client, registrar, count):
    prog = factories_program()
    Program.objects.filter(pk=prog.pk).update(is_internship=True)
    prog.refresh_from_db()
    many_cohorts(prog, count)
    client.force_login(registrar)
    # The page's fixed queries (session, user, permissions, roles, the layout's), the count, and one page of rows
    # with their references and certificates.
    assert page_queries(client, "/staff/certificates/internships/") == 9
    assert page_queries(client, "/staff/certificates/internships/?q=Тізім&issued=no") == 9
