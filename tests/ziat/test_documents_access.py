"""Uploaded documents have no public address in any mode; each is served by a view that checks access."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from programs.enums import ComplexPart, Conclusion
from programs.services.workflow import (
    complex_item_add,
    program_publish_for_discussion,
    program_submit,
    submission_conclude,
)
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


# --- links that expire, for what the storage itself is asked to link -------------------------------------------


def _link(html, prefix="/files/"):
    import re

    found = re.search(rf'(?:href|src)="({prefix}[^"]+)"', html)
    assert found, "no link to a stored file on the page"
    return found.group(1).replace("&amp;", "&")


def _logo(org):
    import io

    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(image, "PNG")
    org.logo.save("logo.png", ContentFile(image.getvalue()))
    cache.clear()  # the organisation shown on every page is kept in the cache


def test_the_back_office_links_a_file_by_a_link_that_works_and_expires(client, director, org, settings):
    """The back-office shows a stored file as a link that opens it (not a dead /media/ path), and the link
    stops working once it is older than MEDIA_LINK_MAX_AGE."""
    _logo(org)
    client.force_login(director)
    page = client.get(reverse("admin:ziat_organisation_change", args=[org.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "/media/" not in html
    link = _link(html.split('id="content"', 1)[1])
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Content-Disposition"].startswith("inline")
    # The link carries the file's name signed; altered, it opens nothing.
    assert client.get(link[:-3] + "abc/").status_code == 404
    settings.MEDIA_LINK_MAX_AGE = -1
    assert client.get(link).status_code == 404


def test_an_uploaded_page_is_downloaded_never_shown_on_the_site(client, db):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("tests/page.html", ContentFile(b"<script>alert(1)</script>"))
    response = Client().get(default_storage.url(name))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"<script>")  # read whole: the client closes the file
    default_storage.delete(name)


def test_the_organisations_logo_is_shown_on_every_page(client, org):
    """A logo set in the back-office is an image the header can show, to anyone."""
    _logo(org)
    html = Client().get(reverse("programs:catalogue")).content.decode()
    logo = _link(html)
    response = Client().get(logo)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
