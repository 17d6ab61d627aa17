"""Help with publications in the support year (000 §4.3 2), 001 §37 2)): a draft reviewed by a trainer of the
cohort until it is published; the file reaches only its listener and the staff who reach it."""

import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from postcourse import publications as services
from postcourse.enums import PublicationStatus
from postcourse.models import Publication
from tests.factories import page_queries, staff_user
from tests.postcourse.helpers import EXPIRED_END, certified_cohort
from ziat import roles
from ziat.errors import DomainError
from ziat.models import ActivityLog

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name="draft.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="revision.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def download(client, url):
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response.status_code, content


def _submit(e, **kwargs):
    values = {"title": "Формативное оценивание в 5 классе", "venue": "Педагогика Казахстана", "upload": pdf()}
    values.update(kwargs)
    return services.publication_submit(e, by=e.listener.user, **values)


def test_listener_submits_a_draft_which_the_trainer_reviews_until_it_is_published_000_4_3(
    client, org, director, trainer, django_capture_on_commit_callbacks
):
    trainer.email = "trainer@example.kz"
    trainer.save(update_fields=["email"])
    _c, (e,) = certified_cohort(director, trainer=trainer)
    client.force_login(e.listener.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("postcourse:my_publications", args=[e.pk]),
            {"title": "Мой опыт", "venue": "Журнал", "file": pdf()},
        )
    assert response.status_code == 302
    publication = Publication.objects.get(enrolment=e)
    assert publication.status == PublicationStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [["trainer@example.kz"]]
    client.force_login(trainer)
    url = reverse("postcourse:publication_staff", args=[publication.pk])
    assert client.post(url, {"action": "take"}).status_code == 302
    assert client.post(url, {"action": "changes", "text": "Добавьте список литературы."}).status_code == 302
    publication.refresh_from_db()
    assert (publication.status, publication.reviewer) == (PublicationStatus.CHANGES_REQUESTED, trainer)
    client.force_login(e.listener.user)
    response = client.post(
        reverse("postcourse:my_publication", args=[publication.pk]),
        {"action": "revise", "file": docx(), "text": "Добавила литературу."},
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.IN_REVIEW
    assert publication.file.name.endswith(".docx")
    assert list(publication.comments.values_list("text", flat=True)) == [
        "Добавьте список литературы.",
        "Добавила литературу.",
    ]  # the thread is kept across the revision
    services.publication_accept(publication, by=trainer)
    services.publication_publish(
        publication,
        by=e.listener.user,
        journal="Педагогика Казахстана",
        year=2026,
        link="https://journal.example.kz/12",
    )
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.reference == "Педагогика Казахстана, 2026, https://journal.example.kz/12"
    actions = set(
        ActivityLog.objects.filter(object_id=publication.pk, action__startswith="postcourse.publication").values_list(
            "action", flat=True
        )
    )
    assert {
        "postcourse.publication.submitted",
        "postcourse.publication.revised",
        "postcourse.publication.published",
    } <= actions


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("draft.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        SimpleUploadedFile("draft.pdf", b"not a pdf at all"),
    ],
)
def test_a_draft_that_is_not_pdf_or_docx_is_refused_000_4_3(org, director, upload):
    _c, (e,) = certified_cohort(director)
    with pytest.raises(DomainError):
        _submit(e, upload=upload)
    assert not Publication.objects.exists()


def test_outside_the_support_year_no_draft_is_taken_001_36(client, org, director):
    _c, (e,) = certified_cohort(director, ended=EXPIRED_END)
    client.force_login(e.listener.user)
    response = client.post(reverse("postcourse:my_publications", args=[e.pk]), {"title": "Поздно", "file": pdf()})
    assert response.status_code == 400
    assert not Publication.objects.exists()


def test_only_an_accepted_draft_is_published_and_only_the_reviewer_accepts_000_4_3(org, director, trainer):
    _c, (e,) = certified_cohort(director, trainer=trainer)
    publication = _submit(e)
    with pytest.raises(DomainError):
        services.publication_publish(publication, by=e.listener.user, journal="Ж", year=2026)
    with pytest.raises(DomainError):  # a listener does not review
        services.publication_take(publication, by=e.listener.user)
    with pytest.raises(DomainError):  # not in review yet
        services.publication_accept(publication, by=trainer)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.SUBMITTED


def test_the_draft_is_downloaded_only_by_its_listener_and_the_staff_who_reach_it_001_37(client, org, director, trainer):
    _c, (e, other) = certified_cohort(director, listeners=2, trainer=trainer)
    publication = _submit(e)
    client.force_login(e.listener.user)
    assert download(client, reverse("postcourse:my_publication_file", args=[publication.pk])) == (200, PDF)
    client.force_login(other.listener.user)
    assert download(client, reverse("postcourse:my_publication_file", args=[publication.pk]))[0] == 404
    assert download(client, reverse("postcourse:publication_file_staff", args=[publication.pk]))[0] in (302, 403)
    client.force_login(trainer)
    assert download(client, reverse("postcourse:publication_file_staff", args=[publication.pk])) == (200, PDF)
    client.force_login(staff_user(roles.TRAINER))
    assert download(client, reverse("postcourse:publication_file_staff", args=[publication.pk]))[0] == 403


@pytest.mark.parametrize("n", [1, 5])
def test_staff_list_of_publications_reads_in_constant_queries_000_4_3(client, org, director, trainer, n):
    for _ in range(n):
        _c, (e,) = certified_cohort(director, trainer=trainer)
        _submit(e)
    client.force_login(trainer)
    assert page_queries(client, reverse("postcourse:publications_staff")) <= 8
