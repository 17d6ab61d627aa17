"""The listener's documents in the cabinet (SPEC 5; 000 §3.7-3.9, 001 §29-31, 001 App. 6): certificates, a
replaced one pointing to its successor, duplicates, references and internship certificates with working links,
a share link to the verification page, and nobody else's documents."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.documents import issue_duplicate_documents
from certificates.internships import internship_certificate_issue, internship_record
from certificates.models import Certificate, CertificateDuplicate
from certificates.panels import badge_url
from certificates.references import reference_register
from certificates.services import certificate_issue, new_token
from programs.models import Program
from tests.certificates.helpers import course, enrol, issued
from tests.factories import listener, staff_user
from ziat.models import Organisation

ON = datetime.date(2026, 3, 10)


@pytest.fixture
def documents(db, org, director, registrar):
    """One listener with: a certificate replaced by a corrected one with a duplicate; a reference of attendance
    from a course not passed; an internship certificate."""
    person = listener(last_name="Құжатова", first_name="Айым", email="ayim@example.kz")
    old = issued(director, listener_=person, on=ON)
    Certificate.objects.filter(pk=old.pk).update(replaced_at=timezone.now())
    new = certificate_issue(old.enrolment, by=director, on=datetime.date(2026, 3, 12))
    Certificate.objects.filter(pk=new.pk).update(replaces=old)
    duplicate = CertificateDuplicate.objects.create(
        certificate=new, issued_on=datetime.date(2026, 4, 1), reason="lost", token=new_token(), issued_by=director
    )
    issue_duplicate_documents(duplicate)  # as issuing a duplicate asks for its files
    failed = enrol(course(), hours=6, test=None, listener_=person)
    reference = reference_register(failed, by=person.user)
    tvet = course()
    Program.objects.filter(pk=tvet.program_id).update(is_internship=True)
    practice = enrol(tvet, test=None, listener_=person)
    internship = internship_record(
        practice,
        by=registrar,
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 13),
        speciality="Ремонт электрооборудования",
        enterprise="«Қарағанды Энерго» ЖШС",
        hours=Decimal("72"),
        functions="электромонтер",
        skills="релелік қорғаныс",
        head_name="Б. Оспанов",
    )
    internship_certificate = internship_certificate_issue(internship, by=director, on=datetime.date(2026, 3, 20))
    return {
        "listener": person,
        "old": old,
        "new": Certificate.objects.get(pk=new.pk),
        "duplicate": duplicate,
        "reference": reference,
        "internship_certificate": internship_certificate,
    }


def _links(documents):
    old, new, duplicate = documents["old"], documents["new"], documents["duplicate"]
    return [
        f"/cabinet/certificates/{old.pk}/certificate.pdf",
        f"/cabinet/certificates/{old.pk}/appendix.pdf",
        f"/cabinet/certificates/{new.pk}/certificate.pdf",
        f"/cabinet/certificates/{new.pk}/appendix.pdf",
        f"/cabinet/certificates/duplicates/{duplicate.pk}/certificate.pdf",
        f"/cabinet/certificates/duplicates/{duplicate.pk}/appendix.pdf",
        f"/cabinet/references/{documents['reference'].enrolment_id}.pdf",
        f"/cabinet/internships/{documents['internship_certificate'].pk}/certificate.pdf",
    ]


def test_the_cabinet_lists_every_document_with_working_links_5_1_000_3_9_001_app6(client, documents):
    client.force_login(documents["listener"].user)
    html = client.get("/cabinet/").content.decode()
    for number in (
        documents["old"].registration_number,
        documents["new"].registration_number,
        documents["reference"].registration_number,
        documents["internship_certificate"].registration_number,
    ):
        assert number in html
    for link in _links(documents):
        assert link in html, link
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.content.startswith(b"%PDF"), link


def test_a_replaced_certificate_is_shown_as_replaced_with_the_way_to_the_new_one_5_6(client, documents):
    client.force_login(documents["listener"].user)
    html = client.get("/cabinet/").content.decode()
    old, new = documents["old"], documents["new"]
    block = re.search(rf'id="certificate-{old.pk}".*?</div>', html, re.S).group(0)
    assert 'data-state="replaced"' in block
    assert f'href="#certificate-{new.pk}"' in block and new.registration_number in block
    current = re.search(rf'id="certificate-{new.pk}".*?</div>', html, re.S).group(0)
    assert 'data-state="valid"' in current


def test_the_share_link_is_a_readonly_field_with_the_verification_address_5_3(client, documents):
    client.force_login(documents["listener"].user)
    html = client.get("/cabinet/").content.decode()
    new, internship = documents["new"], documents["internship_certificate"]
    assert re.search(
        rf'<input type="text" readonly id="share-{new.pk}" value="{re.escape(new.verification_url)}">', html
    )
    assert f'value="{internship.verification_url}"' in html
    # A replaced certificate is not offered for sharing.
    assert f'id="share-{documents["old"].pk}"' not in html
    assert "<script>" not in html


def test_the_badge_link_is_offered_only_when_the_site_has_the_badge_file(client, documents):
    client.force_login(documents["listener"].user)
    html = client.get("/cabinet/").content.decode()
    url = badge_url(documents["new"])
    if url:
        assert url in html
    else:
        assert "Open Badge" not in html


def test_another_listener_gets_404_for_every_document(client, documents):
    client.force_login(listener().user)
    for link in _links(documents):
        assert client.get(link).status_code == 404, link
    assert documents["new"].registration_number not in client.get("/cabinet/").content.decode()


def test_staff_who_read_the_register_open_the_duplicate_and_a_trainer_elsewhere_does_not(client, documents):
    link = f"/cabinet/certificates/duplicates/{documents['duplicate'].pk}/certificate.pdf"
    client.force_login(staff_user("registrar"))
    assert client.get(link).status_code == 200
    client.force_login(staff_user("trainer"))
    assert client.get(link).status_code == 404


def _cabinet_queries(client):
    Organisation.current()
    client.get("/cabinet/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cabinet/").status_code == 200
    return len(queries)


def test_the_cabinet_reads_the_same_number_of_queries_with_one_course_or_three(client, org, director):
    person = listener()
    issued(director, listener_=person)
    client.force_login(person.user)
    one = _cabinet_queries(client)
    for _ in range(2):
        certificate = issued(director, listener_=person)
        CertificateDuplicate.objects.create(
            certificate=certificate, issued_on=ON, reason="lost", token=new_token(), issued_by=director
        )
    assert _cabinet_queries(client) == one
