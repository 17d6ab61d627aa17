"""The reference of attendance for a listener who did not pass (000 §3.9, 001 §31)."""

import datetime
import re

import pypdfium2 as pdfium
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Reference
from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment
from tests.certificates.helpers import course, enrol
from tests.factories import listener, staff_user, write_statements


def _text(content):
    pdf = pdfium.PdfDocument(content)
    return re.sub(r"\s+", " ", " ".join(page.get_textpage().get_text_range() for page in pdf))


def _failed(**course_kwargs):
    """A listener of an ended course who attended 6 of 10 hours and has no final test: not passed."""
    return enrol(course(**course_kwargs), hours=6, test=None, last_name="Жұмабаева", first_name="Әсем")


def test_listener_downloads_a_bilingual_reference_of_attendance_000_3_9_001_31(client, org):
    e = _failed()
    client.force_login(e.listener.user)
    response = client.post(f"/cabinet/references/{e.pk}/request/", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert org.name_kk in text and org.name_ru in text
    assert "О прослушивании курса повышения квалификации" in text
    assert "Жұмабаева Әсем" in text
    program = e.cohort.program
    assert program.title_ru in text and (program.title_kk or program.title_ru) in text
    assert "02.03.2026" in text and "06.03.2026" in text
    assert "(10 академических часов)" in text
    assert "Посещено занятий: 6 академических часов (60.00%)" in text
    assert "Справка выдана для предъявления по месту требования." in text
    assert "Анықтама талап етілген жеріне ұсыну үшін берілді." in text
    # Signed by the head under the organisation's seal.
    assert text.index(org.head_name) < text.index("М.О. / М.П.")


def test_cabinet_offers_the_reference_when_the_course_ended_without_passing_001_31(client, org):
    e = _failed()
    client.force_login(e.listener.user)
    html = client.get("/cabinet/").content.decode()
    # Asking for it registers it: a form that posts, not a link.
    assert f'method="post" class="reference" action="/cabinet/references/{e.pk}/request/"' in html


def test_another_listeners_reference_is_not_found_001_31(client, org):
    e = _failed()
    client.force_login(listener().user)
    assert client.get(f"/cabinet/references/{e.pk}.pdf").status_code == 404
    assert client.post(f"/cabinet/references/{e.pk}/request/").status_code == 404


def test_a_listener_who_passed_gets_no_reference_000_3_9(client, org):
    e = enrol(course())
    client.force_login(e.listener.user)
    assert client.get(f"/cabinet/references/{e.pk}.pdf").status_code == 404
    refused = client.post(f"/cabinet/references/{e.pk}/request/", follow=True)
    assert "A reference of attendance is given to a listener who did not pass" in refused.content.decode()
    assert "/cabinet/references/" not in client.get("/cabinet/").content.decode()
    assert not Reference.objects.exists()


def test_no_reference_before_the_course_ends_000_3_9(client, org):
    starts = timezone.localdate() + datetime.timedelta(days=3)
    e = _failed(starts_on=starts, ends_on=starts + datetime.timedelta(days=4))
    client.force_login(e.listener.user)
    assert client.post(f"/cabinet/references/{e.pk}/request/").status_code == 302
    assert client.get(f"/cabinet/references/{e.pk}.pdf").status_code == 404
    assert not Reference.objects.exists()


def test_an_expelled_listener_gets_a_reference_before_the_course_ends_001_31(client, org):
    starts = timezone.localdate() - datetime.timedelta(days=1)
    e = _failed(starts_on=starts, ends_on=starts + datetime.timedelta(days=10))
    # The expulsion itself (order, commission) is the enrolment app's; only its result matters here.
    Enrolment.objects.filter(pk=e.pk).update(status=EnrolmentStatus.EXPELLED)
    client.force_login(e.listener.user)
    assert client.post(f"/cabinet/references/{e.pk}/request/", follow=True).status_code == 200


def test_staff_with_the_permission_download_the_reference_001_31(client, org):
    e = _failed()
    client.force_login(staff_user("registrar"))
    response = client.post(f"/staff/assessment/references/{e.pk}/request/", follow=True)
    assert response.status_code == 200
    assert "Жұмабаева Әсем" in _text(response.content)


def test_staff_without_the_permission_are_refused_the_reference(client, org):
    e = _failed()
    client.force_login(staff_user("methodist"))
    assert client.get(f"/staff/assessment/references/{e.pk}.pdf").status_code == 403
    assert client.post(f"/staff/assessment/references/{e.pk}/request/").status_code == 403
    assert not Reference.objects.exists()


@pytest.mark.parametrize("role", ["registrar"])
def test_staff_get_no_reference_for_a_listener_who_passed_000_3_9(client, org, role):
    e = enrol(course())
    client.force_login(staff_user(role))
    response = client.post(f"/staff/assessment/references/{e.pk}/request/")
    assert response.status_code == 302 and response["Location"] == f"/staff/assessment/cohorts/{e.cohort_id}/results/"
    assert client.get(f"/staff/assessment/references/{e.pk}.pdf").status_code == 404
    assert not Reference.objects.exists()


def test_downloading_a_registered_reference_writes_nothing_001_31(client, org):
    """The reference is registered when it is asked for (a POST); its download (a GET) only reads."""
    e = _failed()
    client.force_login(e.listener.user)
    with CaptureQueriesContext(connection) as before_asking:
        assert client.get(f"/cabinet/references/{e.pk}.pdf").status_code == 404
    assert write_statements(before_asking) == [] and not Reference.objects.exists()
    client.post(f"/cabinet/references/{e.pk}/request/")
    reference = Reference.objects.get()
    with CaptureQueriesContext(connection) as downloading:
        response = client.get(f"/cabinet/references/{e.pk}.pdf")
    assert response.status_code == 200 and "Жұмабаева Әсем" in _text(response.content)
    assert write_statements(downloading) == []
    client.force_login(staff_user("registrar"))
    with CaptureQueriesContext(connection) as staff_downloading:
        assert client.get(f"/staff/assessment/references/{e.pk}.pdf").content == response.content
    assert write_statements(staff_downloading) == []
    assert Reference.objects.get() == reference


def test_staff_hand_out_the_reference_from_the_cohorts_results_001_31(client, org):
    e = _failed()
    passed = enrol(e.cohort)
    client.force_login(staff_user("registrar"))
    html = client.get(f"/staff/assessment/cohorts/{e.cohort_id}/results/").content.decode()
    assert f'action="/staff/assessment/references/{e.pk}/request/"' in html
    assert f"/staff/assessment/references/{passed.pk}/request/" not in html
    response = client.post(f"/staff/assessment/references/{e.pk}/request/")
    assert response["Location"] == f"/staff/assessment/references/{e.pk}.pdf"
    assert Reference.objects.get().enrolment == e
