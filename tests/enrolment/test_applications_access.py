"""Who reaches an application and its documents: the listener their own only, the registrar all; and
password reset for teachers whose accounts were created from lists (SPEC 2.3, 003 §6.2)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from enrolment.iin import make_iin
from enrolment.models import Application, ApplicationDocument
from enrolment.services.core import listener_create
from tests import factories
from tests.enrolment.test_applications import JPEG, PDF, draft_for, open_cohort, questionnaire


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def two(db, org):
    """Two listeners, each with an application that has a document."""
    cohort = open_cohort()
    result = []
    for name in ("Бірінші", "Екінші"):
        listener = factories.listener(last_name=name)
        application = draft_for(listener, cohort)
        document = ApplicationDocument(application=application, kind="id_copy")
        document.file.save("id.pdf", ContentFile(PDF), save=True)
        result.append(application)
    return result


def _urls(application):
    pk = application.pk
    return {
        "detail": f"/cabinet/applications/{pk}/",
        "withdraw": f"/cabinet/applications/{pk}/withdraw/",
        "document": f"/cabinet/applications/{pk}/documents/id_copy/",
    }


def test_a_listener_sees_only_their_own_applications(two, client):
    mine, theirs = two
    client.force_login(mine.listener.user)
    page = client.get("/cabinet/applications/").content.decode()
    assert f"/cabinet/applications/{mine.pk}/" in page
    assert f"/cabinet/applications/{theirs.pk}/" not in page


@pytest.mark.parametrize("url_name", ["detail", "withdraw", "document"])
def test_another_listeners_ids_are_404_on_every_url(two, client, url_name):
    mine, theirs = two
    client.force_login(mine.listener.user)
    url = _urls(theirs)[url_name]
    # 405 only where the method itself is wrong (a GET of withdraw, a POST to a download): nothing is revealed.
    assert client.get(url).status_code == (405 if url_name == "withdraw" else 404)
    posted = client.post(url, {**questionnaire(position="Hacker"), "action": "submit"})
    assert posted.status_code == (405 if url_name == "document" else 404)
    theirs.refresh_from_db()
    assert theirs.status == "draft"
    assert theirs.listener.position == ""
    # Another listener's document by the staff URL: not staff, so refused.
    assert client.get(f"/staff/enrolment/applications/{theirs.pk}/documents/id_copy/").status_code == 403


def test_an_own_document_is_served_to_its_listener(two, client):
    mine, _theirs = two
    client.force_login(mine.listener.user)
    response = client.get(_urls(mine)["document"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_documents_are_not_under_a_public_media_url(two, client):
    mine, _theirs = two
    client.force_login(mine.listener.user)
    page = client.get(_urls(mine)["detail"]).content.decode()
    assert "/media/" not in page
    assert _urls(mine)["document"] in page


@pytest.mark.parametrize("url_name", ["detail", "document"])
def test_anonymous_visitors_are_sent_to_log_in(two, client, url_name):
    response = client.get(_urls(two[0])[url_name])
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/cabinet/applications/").status_code == 302


def test_staff_without_a_listener_profile_have_no_cabinet_applications(two, client, registrar):
    client.force_login(registrar)
    assert client.get("/cabinet/applications/").status_code == 404
    assert client.get(_urls(two[0])["detail"]).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/staff/enrolment/applications/",
        "/staff/enrolment/applications/{pk}/",
        "/staff/enrolment/applications/{pk}/documents/id_copy/",
    ],
)
def test_staff_pages_need_the_registrars_permission(two, client, url):
    url = url.format(pk=two[0].pk)
    client.force_login(factories.staff_user("accountant"))
    assert client.get(url).status_code == 403
    client.force_login(two[0].listener.user)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("action", ["return", "admit"])
def test_listeners_and_other_staff_cannot_decide(two, client, action):
    application = two[0]
    Application.objects.filter(pk=application.pk).update(status="submitted")
    for user in (two[1].listener.user, application.listener.user, factories.staff_user("trainer")):
        client.force_login(user)
        response = client.post(f"/staff/enrolment/applications/{application.pk}/{action}/", {"reason": "x"})
        assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


def test_registrar_downloads_any_listeners_document(two, client, registrar):
    client.force_login(registrar)
    for application in two:
        response = client.get(f"/staff/enrolment/applications/{application.pk}/documents/id_copy/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    assert client.get(f"/staff/enrolment/applications/{two[0].pk}/documents/diploma/").status_code == 404


def test_a_withdrawn_or_decided_application_cannot_be_withdrawn_again(two, client):
    mine, _theirs = two
    Application.objects.filter(pk=mine.pk).update(status="admitted")
    client.force_login(mine.listener.user)
    response = client.post(_urls(mine)["withdraw"], follow=True)
    assert "cannot be done" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "admitted"


# --- Password reset ----------------------------------------------------------------------------------


def test_a_teacher_created_from_a_list_sets_a_password_by_iin(db, org, client, registrar):
    listener = listener_create(
        by=registrar,
        last_name="Ким",
        first_name="Елена",
        iin=make_iin(datetime.date(1979, 3, 8), 77, female=True),
        email="kim@example.kz",
    )
    assert not listener.user.has_usable_password()
    assert "/accounts/password-reset/" in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/password-reset/", {"email": listener.iin})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/done/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kim@example.kz"]
    link = re.search(r"https://kurs\.example\.kz(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    assert "Set the password" in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": "Jana-Kupia-2026", "new_password2": "Jana-Kupia-2026"})
    assert response["Location"] == "/accounts/password-reset/complete/"
    assert client.get(response["Location"]).status_code == 200
    assert client.login(username=listener.iin, password="Jana-Kupia-2026")


def test_password_reset_by_email_and_unknown_addresses_reveal_nothing(db, org, client):
    listener = factories.listener(email="sarsenova@example.kz")
    assert client.post("/accounts/password-reset/", {"email": "SARSENOVA@example.kz"}).status_code == 302
    assert len(mail.outbox) == 1 and listener.iin in mail.outbox[0].body
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.kz"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/done/"
    assert len(mail.outbox) == 1


def test_a_bad_reset_link_is_refused(db, org, client):
    page = client.get("/accounts/password-reset/MQ/bad-token/").content.decode()
    assert "The link is not valid" in page


def test_documents_of_a_submitted_application_stay_with_it(db, org, client):
    # A listener cannot replace a document once the application is sent.
    cohort = open_cohort()
    listener = factories.listener()
    application = draft_for(listener, cohort, status="submitted")
    client.force_login(listener.user)
    client.post(
        f"/cabinet/applications/{application.pk}/",
        {**questionnaire(), "diploma": SimpleUploadedFile("d.jpg", JPEG), "action": "save"},
    )
    assert not ApplicationDocument.objects.filter(application=application).exists()


def test_another_listeners_document_is_refused_with_a_page_in_the_base_layout_and_no_media_url(two, client, settings):
    mine, theirs = two
    client.force_login(mine.listener.user)
    response = client.get(_urls(theirs)["document"])
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()
    settings.DEBUG = True  # not even in development is the file under /media/
    name = theirs.documents.first().file.name
    assert client.get(f"/media/{name}").status_code == 404
