"""A teacher's own application through HTTP: account, questionnaire, documents, submission and the
registrar's decision (SPEC 2.3, 001 App. 1, 003 App. 1-2, §6.2)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from enrolment.enums import ApplicationStatus, EnrolmentStatus, Funding
from enrolment.iin import make_iin
from enrolment.models import Application, ApplicationDocument, Enrolment, Listener, Message
from enrolment.notifications import SUBJECTS, listener_language
from tests import factories

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PASSWORD = "Kurs-2026-secret"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def open_cohort(*, funding=Funding.STATE, capacity=30, **kwargs):
    today = timezone.localdate()
    extra = {"price": Decimal("45000")} if funding != Funding.STATE else {}
    extra.update(kwargs)
    return factories.cohort(
        factories.program(),
        is_published=True,
        funding=funding,
        capacity=capacity,
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=34),
        **extra,
    )


def pdf(name="scan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def questionnaire(**overrides):
    data = {
        "language": "kk",
        "funding": "state",
        "position": "Мұғалім",
        "education": "Жоғары, ҚазҰПУ, 2008",
        "category": "педагог-модератор",
        "category_valid_until": "2028-05-31",
        "workplace": "№ 7 мектеп-гимназиясы",
        "region": "astana",
        "experience_total": "15",
        "experience_teaching": "12",
        "address": "Астана, Абай даңғылы 1",
        "phone": "+7 701 111 2233",
        "email": "aigerim@example.kz",
        "additional": "",
    }
    data.update(overrides)
    return data


def full_application(client, application, *, referral=True, **overrides):
    """Fill everything in and send; returns the response."""
    files = {"id_copy": pdf("id.pdf"), "diploma": SimpleUploadedFile("diploma.jpg", JPEG)}
    if referral:
        files["referral"] = SimpleUploadedFile("order.png", PNG)
    return client.post(
        f"/cabinet/applications/{application.pk}/", {**questionnaire(**overrides), **files, "action": "submit"}
    )


def draft_for(listener, cohort, **kwargs):
    return Application.objects.create(listener=listener, cohort=cohort, language="kk", funding=cohort.funding, **kwargs)


def submitted_application(client, cohort=None, listener=None):
    """A listener's application sent through the pages; the client stays logged in as the listener."""
    cohort = cohort or open_cohort()
    listener = listener or factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    funding = "state" if cohort.funding == Funding.STATE else "own"
    response = full_application(client, application, funding=funding)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED, application.status
    return application


# --- The account on the application page -------------------------------------------------------------


def _register(client, cohort, **overrides):
    born = datetime.date(1986, 9, 14)
    data = {
        "iin": make_iin(born, 4321, female=True),
        "birth_date": born.isoformat(),
        "sex": "f",
        "last_name": "Сәрсенова",
        "first_name": "Әйгерім",
        "middle_name": "Болатқызы",
        "email": "aigerim@example.kz",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post(f"/apply/{cohort.pk}/", data)


def test_a_teacher_creates_an_account_on_the_application_page_001_app_1(db, org, client):
    cohort = open_cohort()
    page = client.get(f"/apply/{cohort.pk}/")
    assert page.status_code == 200
    assert "Create your account" in page.content.decode()
    response = _register(client, cohort)
    assert response.status_code == 302
    listener = Listener.objects.get()
    assert listener.user.username == listener.iin
    assert listener.sex == "f" and listener.birth_date == datetime.date(1986, 9, 14)
    assert listener.user.check_password(PASSWORD)
    application = Application.objects.get()
    assert response["Location"] == f"/cabinet/applications/{application.pk}/"
    assert (application.listener, application.cohort, application.status) == (listener, cohort, "draft")
    # The new account is logged in.
    assert client.get(response["Location"]).status_code == 200


def test_iin_birth_date_must_agree_with_the_questionnaire_003_app_2(db, org, client):
    cohort = open_cohort()
    response = _register(client, cohort, birth_date="1986-09-15")
    assert response.status_code == 200
    assert "The date of birth does not agree with the IIN." in response.content.decode()
    assert not Listener.objects.exists()


def test_the_sex_must_agree_with_the_7th_digit_of_the_iin_003_app_2(db, org, client):
    cohort = open_cohort()
    response = _register(client, cohort, sex="m")
    assert "The sex does not agree with the 7th digit of the IIN." in response.content.decode()
    assert not Listener.objects.exists()


@pytest.mark.parametrize(
    ("iin", "message"),
    [
        ("86091440043", "12"),  # 11 digits
        ("860914400439", "check digit"),
        ("860231400436", "date of birth"),
        ("860914900431", "7th digit"),
    ],
)
def test_a_bad_iin_is_refused_with_its_reason(db, org, client, iin, message):
    cohort = open_cohort()
    response = _register(client, cohort, iin=iin)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Listener.objects.exists()


def test_passwords_must_match(db, org, client):
    response = _register(client, open_cohort(), password2=PASSWORD + "x")
    assert "The two passwords differ." in response.content.decode()
    assert not Listener.objects.exists()


def test_an_iin_already_registered_is_told_to_log_in_instead(db, org, client):
    cohort = open_cohort()
    born = datetime.date(1986, 9, 14)
    factories.listener(iin=make_iin(born, 4321, female=True), born=born)
    response = _register(client, cohort)
    page = response.content.decode()
    assert response.status_code == 200
    assert "log in instead" in page.lower()
    assert f'href="/accounts/login/?next=/apply/{cohort.pk}/"' in page
    assert Listener.objects.count() == 1


def test_a_logged_in_listener_starts_an_application_with_one_click(db, org, client):
    cohort = open_cohort()
    listener = factories.listener()
    client.force_login(listener.user)
    assert "Start the application" in client.get(f"/apply/{cohort.pk}/").content.decode()
    response = client.post(f"/apply/{cohort.pk}/")
    application = Application.objects.get()
    assert response["Location"] == f"/cabinet/applications/{application.pk}/"
    # Coming back to the cohort's page leads to the same application, not a second one.
    assert client.get(f"/apply/{cohort.pk}/")["Location"] == response["Location"]
    client.post(f"/apply/{cohort.pk}/")
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"is_published": False}, "not open for applications"),
        ({"starts_on": datetime.date(2020, 1, 1), "ends_on": datetime.date(2020, 1, 5)}, "already started"),
        ({"capacity": 1}, "All seats of this cohort are taken"),
    ],
)
def test_a_closed_cohort_shows_a_clear_page(db, org, client, change, message):
    cohort = open_cohort()
    for name, value in change.items():
        setattr(cohort, name, value)
    cohort.save()
    if change.get("capacity"):
        Enrolment.objects.create(cohort=cohort, listener=factories.listener(), status=EnrolmentStatus.ADMITTED)
    before = Listener.objects.count()
    page = client.get(f"/apply/{cohort.pk}/")
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "Create your account" not in page.content.decode()
    assert _register(client, cohort).status_code == 200
    assert Listener.objects.count() == before


def test_an_unknown_cohort_is_404(db, client):
    assert client.get("/apply/999999/").status_code == 404


# --- Draft, submission, documents --------------------------------------------------------------------


def test_draft_is_saved_and_resumed_003_app_2(db, org, client):
    cohort = open_cohort()
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    url = f"/cabinet/applications/{application.pk}/"
    response = client.post(
        url, {"language": "kk", "funding": "state", "position": "Химия пәнінің мұғалімі", "action": "save"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "draft" and application.submitted_at is None
    listener.refresh_from_db()
    assert listener.position == "Химия пәнінің мұғалімі"
    # Later: the form shows what was saved.
    assert "Химия пәнінің мұғалімі" in client.get(url).content.decode()
    assert not Message.objects.exists()


def test_an_incomplete_application_is_kept_as_a_draft_with_what_is_missing(db, org, client):
    cohort = open_cohort()
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    response = client.post(
        f"/cabinet/applications/{application.pk}/",
        {"language": "kk", "funding": "state", "position": "Мұғалім", "action": "submit"},
        follow=True,
    )
    page = response.content.decode()
    assert "The draft is saved." in page
    assert "education" in page and "Copy of the diploma" in page
    application.refresh_from_db()
    assert application.status == "draft"
    assert Listener.objects.get().position == "Мұғалім"


def test_teaching_experience_cannot_exceed_total_experience_003_app_2(db, org, client):
    cohort = open_cohort()
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    response = full_application(client, application, experience_total="5", experience_teaching="9")
    assert response.status_code == 200
    assert "cannot be longer than the total experience" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"
    assert not ApplicationDocument.objects.exists()


def test_the_whole_application_is_submitted_with_a_snapshot_and_a_message_003_6_2(
    db, org, client, django_capture_on_commit_callbacks
):
    cohort = open_cohort()
    listener = factories.listener(email="old@example.kz")
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    with django_capture_on_commit_callbacks(execute=True):
        response = full_application(client, application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    q = application.questionnaire
    assert q["iin"] == listener.iin
    assert q["position"] == "Мұғалім" and q["region"] == "astana"
    assert q["experience_total"] == 15 and q["experience_teaching"] == 12
    assert q["category_valid_until"] == "2028-05-31"
    assert q["email"] == "aigerim@example.kz"
    assert q["language"] == "kk"
    assert set(application.documents.values_list("kind", flat=True)) == {"id_copy", "diploma", "referral"}
    message = Message.objects.get(listener=listener)
    assert cohort.code in message.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["aigerim@example.kz"]
    # A submitted application is read-only for the listener.
    page = client.get(f"/cabinet/applications/{application.pk}/").content.decode()
    assert "Send the application" not in page and "Мұғалім" in page
    client.post(f"/cabinet/applications/{application.pk}/", questionnaire(position="Директор", action="save"))
    listener.refresh_from_db()
    assert listener.position == "Мұғалім"


def test_the_language_must_be_one_of_the_cohorts(db, org, client):
    cohort = open_cohort(language="kk_ru")
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    assert full_application(client, application, language="ru").status_code == 302
    application.refresh_from_db()
    assert application.language == "ru" and application.status == "submitted"
    other = draft_for(factories.listener(), open_cohort(language="kk"))
    client.force_login(other.listener.user)
    response = full_application(client, other, language="ru")
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.status == "draft" and other.language == "kk"


def test_referral_is_required_only_for_state_funding_003_6_2_5(db, org, client):
    state = open_cohort()
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, state)
    response = full_application(client, application, referral=False)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "draft"
    assert "Referral order of the school" in client.get(response["Location"]).content.decode()

    paid = open_cohort(funding=Funding.OWN)
    other = factories.listener()
    client.force_login(other.user)
    application = draft_for(other, paid)
    assert full_application(client, application, referral=False, funding="employer").status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted" and application.funding == "employer"


def test_a_paid_cohort_offers_own_funds_or_employer_not_state(db, org, client):
    paid = open_cohort(funding=Funding.EMPLOYER)
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, paid)
    response = full_application(client, application, funding="state")
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "draft"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("id.pdf", PNG),  # a PNG named .pdf
        ("id.jpg", b"just some text, not a photo\n" * 10),  # a text file named .jpg
        ("id.docx", PDF),  # not a scan type at all
        ("id.exe", PDF),
    ],
)
def test_a_document_that_is_not_what_it_claims_is_refused_and_nothing_saved_003_6_2(db, org, client, name, content):
    cohort = open_cohort()
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    response = client.post(
        f"/cabinet/applications/{application.pk}/",
        {
            **questionnaire(position="Директор"),
            "id_copy": SimpleUploadedFile(name, content),
            "diploma": pdf("diploma.pdf"),
            "action": "save",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    listener.refresh_from_db()
    assert listener.position == ""


def test_a_too_large_document_is_refused(db, org, client, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    cohort = open_cohort()
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    response = client.post(
        f"/cabinet/applications/{application.pk}/",
        {**questionnaire(), "id_copy": pdf(content=PDF + b"0" * 2000), "action": "save"},
    )
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_a_document_is_replaced_by_a_new_upload(db, org, client):
    cohort = open_cohort()
    listener = factories.listener()
    client.force_login(listener.user)
    application = draft_for(listener, cohort)
    url = f"/cabinet/applications/{application.pk}/"
    client.post(url, {**questionnaire(), "id_copy": pdf("first.pdf"), "action": "save"})
    client.post(url, {**questionnaire(), "id_copy": SimpleUploadedFile("second.png", PNG), "action": "save"})
    document = ApplicationDocument.objects.get()
    assert document.file.name.endswith("second.png")
    response = client.get(f"{url}documents/id_copy/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert "attachment" in response["Content-Disposition"]


def test_a_listener_withdraws_and_may_apply_again(db, org, client):
    cohort = open_cohort()
    application = submitted_application(client, cohort)
    assert client.post(f"/cabinet/applications/{application.pk}/withdraw/").status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    client.post(f"/apply/{cohort.pk}/")
    assert Application.objects.filter(cohort=cohort).exclude(status="withdrawn").count() == 1
    assert Application.objects.filter(cohort=cohort).count() == 2


# --- The registrar -----------------------------------------------------------------------------------


def test_registrar_returns_an_application_with_a_reason_and_the_listener_resubmits(
    db, org, client, registrar, django_capture_on_commit_callbacks
):
    application = submitted_application(client)
    listener = application.listener
    client.force_login(registrar)
    page = client.get("/staff/enrolment/applications/").content.decode()
    assert listener.user.full_name in page
    detail = client.get(f"/staff/enrolment/applications/{application.pk}/").content.decode()
    assert "педагог-модератор" in detail
    download = client.get(f"/staff/enrolment/applications/{application.pk}/documents/diploma/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == JPEG
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/enrolment/applications/{application.pk}/return/", {"reason": "The diploma scan is unreadable."}
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.decided_by == registrar
    message = Message.objects.filter(listener=listener).latest("pk")
    assert "The diploma scan is unreadable." in message.body
    assert len(mail.outbox) == 1 and "The diploma scan is unreadable." in mail.outbox[0].body

    client.force_login(listener.user)
    mine = client.get("/cabinet/applications/").content.decode()
    assert "Returned for corrections" in mine and "The diploma scan is unreadable." in mine
    response = client.post(
        f"/cabinet/applications/{application.pk}/",
        {**questionnaire(), "diploma": pdf("diploma-new.pdf"), "action": "submit"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_return_needs_a_reason(db, org, client, registrar):
    application = submitted_application(client)
    client.force_login(registrar)
    response = client.post(f"/staff/enrolment/applications/{application.pk}/return/", {"reason": "  "})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Message.objects.filter(subject__icontains="returned").exists()


def test_registrar_admits_an_application_001_18(db, org, client, registrar, django_capture_on_commit_callbacks):
    application = submitted_application(client)
    client.force_login(registrar)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/enrolment/applications/{application.pk}/admit/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED
    enrolment = Enrolment.objects.get(listener=application.listener, cohort=application.cohort)
    assert enrolment.status == EnrolmentStatus.ADMITTED and enrolment.funding == Funding.STATE
    # The messages speak the listener's language (that of the application).
    assert [m.kind for m in Message.objects.filter(listener=application.listener).order_by("pk")] == [
        "application_received",
        "admitted",
        "contract_to_accept",
    ]
    with translation.override(listener_language(application.listener)):
        expected = [str(SUBJECTS["admitted"]), str(SUBJECTS["contract_to_accept"])]
    assert [m.subject for m in mail.outbox] == expected
    assert enrolment.contract.accepted_at is None
    # Decided applications cannot be decided again.
    client.post(f"/staff/enrolment/applications/{application.pk}/return/", {"reason": "late"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED


def test_a_full_cohort_refuses_admission(db, org, client, registrar, django_capture_on_commit_callbacks):
    cohort = open_cohort(capacity=1)
    application = submitted_application(client, cohort)
    Enrolment.objects.create(cohort=cohort, listener=factories.listener(), status=EnrolmentStatus.ADMITTED)
    client.force_login(registrar)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/enrolment/applications/{application.pk}/admit/", follow=True)
    assert "is full" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Enrolment.objects.filter(listener=application.listener).exists()
    assert not Message.objects.filter(kind="admitted").exists()
    assert mail.outbox == []


def test_the_list_filters_by_status(db, org, client, registrar):
    cohort = open_cohort()
    draft = draft_for(factories.listener(last_name="Драфтова"), cohort)
    returned = draft_for(factories.listener(last_name="Қайтарылған"), cohort, status="returned", return_reason="x")
    client.force_login(registrar)
    submitted = client.get("/staff/enrolment/applications/").content.decode()
    assert draft.listener.user.last_name not in submitted and returned.listener.user.last_name not in submitted
    page = client.get("/staff/enrolment/applications/?status=returned").content.decode()
    assert returned.listener.user.last_name in page and draft.listener.user.last_name not in page


@pytest.mark.parametrize("n", [10, 200])
def test_staff_application_list_query_count_is_constant(db, org, client, registrar, n):
    cohort = open_cohort()
    made = Application.objects.bulk_create(
        Application(listener=person, cohort=cohort, language="kk", funding=cohort.funding, status="submitted")
        for person in factories.many_listeners(n)
    )
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(application=application, kind="id_copy", file="x.pdf") for application in made
    )
    application = made[-1]
    client.force_login(registrar)
    url = "/staff/enrolment/applications/"
    assert factories.page_queries(client, url) == QUERIES
    assert factories.page_queries(client, url + "?q=Тізім&program=&funding=state") == QUERIES
    client.force_login(application.listener.user)
    assert factories.page_queries(client, "/cabinet/applications/") == MY_QUERIES


# Session, user, groups' permissions (twice: the view and the menu), the user's roles, the programs offered by
# the filter, status counts, page count, rows (the organisation is read from the cache).
QUERIES = 10
# Session, user, the listener, the rows.
MY_QUERIES = 4


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_pages_render_in_kazakh_and_russian(db, org, client, registrar, settings, language):
    settings.LANGUAGE_CODE = language
    cohort = open_cohort()
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    with translation.override(language):
        assert client.get(f"/apply/{cohort.pk}/", **headers).status_code == 200
        application = submitted_application(client, cohort)
        assert client.get(f"/cabinet/applications/{application.pk}/", **headers).status_code == 200
        assert client.get("/cabinet/applications/", **headers).status_code == 200
        client.force_login(registrar)
        for url in (
            "/staff/enrolment/applications/",
            f"/staff/enrolment/applications/{application.pk}/",
            "/staff/enrolment/nobd/",
            "/accounts/password-reset/",
        ):
            assert client.get(url, **headers).status_code == 200, url
