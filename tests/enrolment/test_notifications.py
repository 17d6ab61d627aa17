"""Messages from the centre: in the cabinet and by e-mail, in the listener's language, once per event."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from enrolment.enums import EnrolmentStatus
from enrolment.models import Application, Message
from enrolment.notifications import SUBJECTS
from tests.factories import cohort, enrolment, listener

pytestmark = pytest.mark.django_db


def test_the_course_start_reminder_is_sent_once_in_the_listeners_language(org, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    soon = cohort(starts_on=today + datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=6))
    later = cohort(starts_on=today + datetime.timedelta(days=20), ends_on=today + datetime.timedelta(days=25))
    person = listener(email="aigerim@example.kz")
    Application.objects.create(listener=person, cohort=soon, language="ru", funding="state", status="admitted")
    enrolment(soon, person)
    enrolment(later, listener(email="other@example.kz"))
    waiting = enrolment(soon, listener(email="third@example.kz"))
    waiting.status = EnrolmentStatus.ADMITTED
    waiting.save(update_fields=["status"])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_course_start", stdout=io.StringIO())
        call_command("remind_course_start", stdout=io.StringIO())
    messages = Message.objects.filter(kind="course_starts")
    assert [m.listener_id for m in messages] == [person.pk]
    assert [m.to for m in mail.outbox] == [["aigerim@example.kz"]]
    # In Russian, the language of the listener's application.
    with translation.override("ru"):
        russian = str(SUBJECTS["course_starts"])
    assert mail.outbox[0].subject == russian != "Your course starts soon"
    assert soon.starts_on.strftime("%d.%m.%Y") in mail.outbox[0].body
