"""Uploaded documents have no public address in any mode; each is served by a view that checks access."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from programs.enums import ComplexPart, Conclusion
from programs.services import program_publish_for_discussion, program_submit, submission_conclude
from programs.services.workflow import complex_item_add
from tests.factories import draft_program, listener, staff_user

LONG_AGO = timezone.localdate() - datetime.timedelta(days=60)


def _pdf(name="letter.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n0000000000", content_type="application/pdf")


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


@pytest.fixture
def program_with_files(methodist, director):
    program = draft_program(by=methodist)
    program_publish_for_discussion(program, by=methodist, on=LONG_AGO)
    submission = program_submit(program, by=methodist, letter_number="1", on=LONG_AGO + datetime.timedelta(20))
    submission_conclude(
        submission, by=methodist, conclusion=Conclusion.AGREED, on=LONG_AGO + datetime.timedelta(25), letter=_pdf()
    )
    submission.refresh_from_db()
    program.refresh_from_db()
    item = complex_item_add(program, by=methodist, part=ComplexPart.TEXTBOOKS, title="Пособие", file=_pdf("book.pdf"))
    return program, submission, item


def _urls(program, submission, item):
    return [
        reverse("programs:conclusion_letter", args=[program.pk, submission.pk]),
        reverse("programs:complex_file", args=[program.pk, item.pk]),
    ]


@pytest.mark.parametrize("debug", [False, True])
def test_media_has_no_public_address_even_in_debug(client, program_with_files, debug):
    _program, submission, item = program_with_files
    with override_settings(DEBUG=debug):
        for name in (submission.conclusion_letter.name, item.file.name):
            assert client.get(f"/media/{name}").status_code == 404


def test_the_pages_link_the_checking_views_not_the_files(client, methodist, program_with_files):
    program, submission, item = program_with_files
    client.force_login(methodist)
    detail = client.get(reverse("programs:staff_detail", args=[program.pk])).content.decode()
    complex_page = client.get(reverse("programs:complex", args=[program.pk])).content.decode()
    assert reverse("programs:conclusion_letter", args=[program.pk, submission.pk]) in detail
    assert reverse("programs:complex_file", args=[program.pk, item.pk]) in complex_page
    assert "/media/" not in detail + complex_page


def test_program_documents_are_served_to_the_staff_whose_role_reads_them(client, methodist, program_with_files):
    client.force_login(methodist)
    for url in _urls(*program_with_files):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("outsider", ["listener", "anonymous"])
def test_program_documents_are_refused_to_an_outsider_with_a_page_in_the_base_layout(db, program_with_files, outsider):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if outsider == "listener":
        client.force_login(listener().user)
    for url in _urls(*program_with_files):
        response = client.get(url)
        if outsider == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403
            assert 'class="site-header"' in response.content.decode()


def test_a_document_of_another_program_is_not_found(client, methodist, program_with_files):
    program, submission, item = program_with_files
    client.force_login(methodist)
    other = draft_program(by=methodist)
    assert client.get(reverse("programs:complex_file", args=[other.pk, item.pk])).status_code == 404
    assert client.get(reverse("programs:conclusion_letter", args=[other.pk, submission.pk])).status_code == 404
