"""A cohort's messages on a staff page: the registrar, the director or the cohort's own trainer writes to all
its current listeners or to chosen ones; each sending is listed with its author, recipients and readers; the
message reaches the listener's cabinet and e-mail. Bad input is refused beside its field, nothing saved."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment, Mailing, Message
from enrolment.services.messages import MessageError, message_send, messages_mark_read
from tests.factories import (
    cohort,
    enrolment,
    listener,
    many_listeners,
    page_queries,
    staff_user,
    teach,
    write_statements,
)
from ziat import roles
from ziat.access import AccessDenied
from ziat.models import ActivityLog


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _url(c):
    return f"/staff/enrolment/cohorts/{c.pk}/messages/"


@pytest.fixture
def group(org):
    c = cohort()
    first = enrolment(c, listener(email="first@example.kz", last_name="Әбенова"))
    second = enrolment(c, listener(email="", last_name="Бекова"))
    gone = enrolment(c, listener(email="gone@example.kz", last_name="Ғалиева"))
    Enrolment.objects.filter(pk=second.pk).update(status=EnrolmentStatus.ENROLLED)
    Enrolment.objects.filter(pk=gone.pk).update(status=EnrolmentStatus.EXPELLED)
    return c, first.listener, second.listener, gone.listener


def test_the_registrar_writes_to_every_current_listener_and_sees_the_sending(client, group):
    c, first, second, gone = group
    registrar = staff_user(roles.REGISTRAR, last_name="Жанова", first_name="Ләззат")
    client.force_login(registrar)
    response = client.post(_url(c), {"to": "all", "subject": "Ертеңгі сабақ", "body": "Сабақ 10:00-де басталады."})
    assert response.status_code == 302
    mailing = Mailing.objects.get()
    assert mailing.sent_by == registrar and mailing.cohort == c
    assert sorted(m.listener_id for m in mailing.messages.all()) == sorted([first.pk, second.pk])
    assert [m.to for m in mail.outbox] == [["first@example.kz"]]
    assert mail.outbox[0].subject == "Ертеңгі сабақ"
    assert mailing.messages.get(listener=first).emailed
    log = ActivityLog.objects.get(action="enrolment.message.sent")
    assert log.cohort_id == c.pk and log.actor_id == registrar.pk

    page = client.get(_url(c)).content.decode()
    assert "Ертеңгі сабақ" in page and "Жанова" in page
    assert '<td data-label="recipients" class="recipients">2</td>' in page
    assert '<td data-label="have read" class="readers">0</td>' in page
    assert "yes, to 1" in page


def test_the_message_reaches_the_listeners_cabinet_and_its_reading_is_counted(client, group):
    c, first, second, _gone = group
    message_send(c, by=staff_user(roles.DIRECTOR), subject="Кесте өзгерді", body="Жаңа кесте қоса беріледі.")
    client.force_login(first.user)
    cabinet = client.get("/cabinet/messages/").content.decode()
    assert "Кесте өзгерді" in cabinet and "Жаңа кесте қоса беріледі." in cabinet
    shown = Message.objects.get(listener=first)
    # The page marks what it showed as new as read by a POST (its script sends it at once).
    assert client.post("/cabinet/messages/", {"message": [shown.pk]}).status_code == 302
    client.force_login(staff_user(roles.REGISTRAR))
    page = client.get(_url(c)).content.decode()
    assert '<td data-label="have read" class="readers">1</td>' in page
    assert not Message.objects.get(listener=second).read_at


def test_chosen_listeners_only_get_the_message(client, group):
    c, first, second, _gone = group
    client.force_login(staff_user(roles.REGISTRAR))
    data = {"to": "chosen", "listeners": [second.pk], "subject": "Келісімшарт", "body": "Қол қойыңыз."}
    assert client.post(_url(c), data).status_code == 302
    assert list(Message.objects.values_list("listener_id", flat=True)) == [second.pk]
    assert mail.outbox == []  # the chosen listener has no address: the message waits in the cabinet


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"to": "chosen", "listeners": []}, "listeners"),
        ({"to": "chosen", "listeners": ["gone"]}, "listeners"),
        ({"to": "chosen", "listeners": ["stranger"]}, "listeners"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(client, group, change, field):
    c, first, _second, gone = group
    stranger = enrolment(cohort(), listener(last_name="Бөтен")).listener
    picked = {"gone": gone.pk, "stranger": stranger.pk}
    change = {k: [picked.get(v, v) for v in value] if isinstance(value, list) else value for k, value in change.items()}
    client.force_login(staff_user(roles.REGISTRAR))
    data = {"to": "all", "subject": "Тақырып", "body": "Мәтін", **change}
    response = client.post(_url(c), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Mailing.objects.count() == Message.objects.count() == 0
    assert not ActivityLog.objects.filter(action="enrolment.message.sent").exists()
    assert mail.outbox == []


def test_the_errors_follow_the_interface_language(client, group):
    c, _first, _second, gone = group
    client.force_login(staff_user(roles.REGISTRAR))
    data = {"to": "chosen", "listeners": [gone.pk], "subject": "", "body": "Мәтін"}
    with translation.override("kk"):
        response = client.post(_url(c), data, HTTP_ACCEPT_LANGUAGE="kk")
        errors = response.context["form"].errors
        assert errors["subject"] == [translation.gettext("This field is required.")] != ["This field is required."]
        assert errors["listeners"] == [
            translation.gettext(
                "Only current listeners of this cohort may be chosen; expelled or transferred ones may not."
            )
        ]


def test_the_service_refuses_an_expelled_listener_or_one_of_another_cohort(group):
    c, first, _second, gone = group
    stranger = enrolment(cohort(), listener()).listener
    for outsider in (gone, stranger):
        with pytest.raises(MessageError) as refused:
            message_send(c, by=staff_user(roles.REGISTRAR), subject="S", body="B", listeners=[first, outsider])
        assert refused.value.field == "listeners"
    assert Message.objects.count() == 0


def test_the_cohorts_trainer_writes_and_a_trainer_of_another_cohort_is_refused(client, group):
    c, first, _second, _gone = group
    own = teach(c, staff_user(roles.TRAINER))
    other = teach(cohort(), staff_user(roles.TRAINER))
    message_send(c, by=own, subject="Үй тапсырмасы", body="2-модуль.")
    with pytest.raises(AccessDenied):
        message_send(c, by=other, subject="Бөтен", body="Бөтен")
    client.force_login(other)
    for response in (client.get(_url(c)), client.post(_url(c), {"to": "all", "subject": "S", "body": "B"})):
        assert response.status_code == 403
        assert 'class="site-header"' in response.content.decode()
    assert Mailing.objects.count() == 1
    client.force_login(own)
    assert "Үй тапсырмасы" in client.get(_url(c)).content.decode()


def test_roles_without_the_messages_are_refused(client, group):
    c = group[0]
    for role in (roles.ACCOUNTANT, roles.MONITORING, roles.METHODIST):
        user = staff_user(role)
        client.force_login(user)
        response = client.get(_url(c))
        assert response.status_code == 403 and 'class="site-header"' in response.content.decode()
        with pytest.raises(AccessDenied):
            message_send(c, by=user, subject="S", body="B")


def test_the_hub_leads_to_the_messages(client, group):
    c = group[0]
    client.force_login(staff_user(roles.DIRECTOR))
    html = client.get(f"/staff/enrolment/schedule/{c.pk}/").content.decode()
    assert 'id="messages-link"' in html and _url(c) in html


def test_the_page_reads_few_and_many_sendings_in_the_same_queries_and_pages_them(client, org):
    c = cohort()
    people = many_listeners(12)
    Enrolment.objects.bulk_create(Enrolment(cohort=c, listener=person) for person in people)
    director = staff_user(roles.DIRECTOR)
    client.force_login(director)

    def sendings(count):
        for n in range(count):
            mailing = Mailing.objects.create(cohort=c, subject=f"Хат {n}", body="…", sent_by=director)
            Message.objects.bulk_create(
                Message(listener=p, cohort=c, kind="cohort", mailing=mailing, subject=mailing.subject, body="…")
                for p in people
            )

    sendings(10)
    few = page_queries(client, _url(c))
    sendings(190)
    many = page_queries(client, _url(c))
    assert few == many
    page = client.get(_url(c)).content.decode()
    assert page.count("data-mailing=") == 20 and 'id="pages"' in page
    assert client.get(_url(c) + "?page=10").content.decode().count("data-mailing=") == 20


def test_reading_the_messages_page_changes_nothing_the_pages_post_marks_what_it_showed(client, group):
    c, first, second, _gone = group
    message_send(c, by=staff_user(roles.DIRECTOR), subject="Кесте өзгерді", body="Жаңа кесте.")
    mine, theirs = Message.objects.get(listener=first), Message.objects.get(listener=second)
    client.force_login(first.user)
    with CaptureQueriesContext(connection) as reading:
        page = client.get("/cabinet/messages/").content.decode()
    assert write_statements(reading) == []
    assert f'name="message" value="{mine.pk}"' in page and "mark-read.js" in page
    # A message that arrives after the page was shown stays new; another listener's id is ignored.
    message_send(c, by=staff_user(roles.DIRECTOR), subject="Тағы бір хабар", body="Ертең.")
    later = Message.objects.filter(listener=first).exclude(pk=mine.pk).get()
    assert client.post("/cabinet/messages/", {"message": [mine.pk, theirs.pk, "x"]}).status_code == 302
    mine.refresh_from_db(), theirs.refresh_from_db(), later.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None and later.read_at is None
    assert messages_mark_read(first, by=first.user, ids=[later.pk]) == 1


def test_only_the_listener_marks_their_messages_as_read(group):
    c, first, second, _gone = group
    message_send(c, by=staff_user(roles.DIRECTOR), subject="Кесте өзгерді", body="Жаңа кесте.")
    mine = Message.objects.get(listener=first)
    for someone in (second.user, staff_user(roles.DIRECTOR)):
        with pytest.raises(AccessDenied):
            messages_mark_read(first, by=someone, ids=[mine.pk])
    mine.refresh_from_db()
    assert mine.read_at is None
