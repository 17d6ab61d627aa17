"""The follow-up questionnaires at 3, 6 and 12 months after the course (001 §34, SPEC 6.2).

When a listener's support year opens, the three questionnaires are planned, each due the given number of
months after the course's end. A daily task sends each one when it is due and reminds once a week later if
it is still unanswered. The listener answers each once, in the cabinet: how often they apply what they
learned, which of the program's expected results, an example, what gets in the way and whether they want
more support.

The staff who reach the cohort read the answers (``postcourse.followup_views``). A listener who asks for more
support waits on the staff home of those who handle consultations (the methodist, the cohort's trainers)
until one of them marks the request handled, saying in a line what was done (a call, a consultation, an
invitation to an event): ``follow_up_support_handle``. Marking it is the one act that counts, whatever form
the help took, so that the home's count never depends on guessing which later consultation or event answered
which request.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.cabinet import Panel, register
from enrolment.models import Message
from enrolment.notifications import listener_language
from programs.models import VersionText
from ziat import access
from ziat.activity import log_action, register_actions
from ziat.dates import add_months
from ziat.errors import DomainError

from .enums import Applying
from .mail import cohort_staff, mail_users
from .models import FOLLOW_UP_MONTHS, FollowUp

log = logging.getLogger(__name__)

# An unanswered questionnaire is reminded of once, this long after it was sent.
REMIND_AFTER = datetime.timedelta(days=7)

register_actions(
    (
        "postcourse.follow_up.planned",
        gettext_lazy("Follow-up questionnaires planned"),
        {"fields": {f"{m}": format_lazy(gettext_lazy("after {months} months"), months=m) for m in FOLLOW_UP_MONTHS}},
    ),
    ("postcourse.follow_up.sent", gettext_lazy("Follow-up questionnaire sent")),
    ("postcourse.follow_up.reminded", gettext_lazy("Reminded of the follow-up questionnaire")),
    (
        "postcourse.follow_up.answered",
        gettext_lazy("Follow-up questionnaire answered"),
        {"choices": {"applying": Applying}, "fields": {"applying": gettext_lazy("applies it")}},
    ),
    (
        "postcourse.follow_up.support_handled",
        gettext_lazy("Request for more support handled"),
        {"fields": {"support_note": gettext_lazy("what was done")}},
    ),
)

SUBJECTS = {
    "follow_up_due": gettext_lazy("How do you apply what you learned? A short questionnaire"),
    "follow_up_reminder": gettext_lazy("Reminder: the questionnaire on applying what you learned"),
}


# ------------------------------------------------------------------------------------------ services


def follow_ups_plan(period):
    """The three questionnaires of a support year, due 3, 6 and 12 months after the course (idempotent)."""
    enrolment = period.enrolment
    ends = enrolment.cohort.ends_on
    existing = set(FollowUp.objects.filter(enrolment=enrolment).values_list("months", flat=True))
    missing = [m for m in FOLLOW_UP_MONTHS if m not in existing]
    if not missing:
        return []
    created = FollowUp.objects.bulk_create(
        [FollowUp(enrolment=enrolment, months=m, due_on=add_months(ends, m)) for m in missing],
        ignore_conflicts=True,
    )
    log_action(
        enrolment,
        "postcourse.follow_up.planned",
        by=None,
        after={f"{m}": add_months(ends, m) for m in missing},
    )
    return created


def _mail(follow_up, kind):
    """Leave the message in the listener's cabinet and e-mail it once the transaction commits."""
    enrolment = follow_up.enrolment
    listener = enrolment.listener
    with translation.override(listener_language(listener)):
        subject = str(SUBJECTS[kind])
        body = render_to_string(
            f"postcourse/followup/mail/{kind}.txt",
            {"listener": listener, "follow_up": follow_up, "cohort": enrolment.cohort, "site_url": settings.SITE_URL},
        ).strip()
    message = Message.objects.create(listener=listener, kind=kind, cohort=enrolment.cohort, subject=subject, body=body)
    address = listener.user.email
    if address:
        transaction.on_commit(lambda: _send(message.pk, subject, body, address))
    return message


def _send(message_pk, subject, body, address):
    try:
        send_mail(subject, body, None, [address])
    except OSError:
        log.exception("A follow-up mail failed; the message stays in the cabinet")
        return
    Message.objects.filter(pk=message_pk).update(emailed=True)


def follow_ups_mail_due(*, today=None, now=None):
    """Send every questionnaire that is due and not yet sent, and remind once of those sent a week ago and
    still unanswered. Each row is locked and marked in the same transaction as its message, so that a
    second run (or two at once) sends nothing twice. Returns (sent, reminded)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    sent = reminded = 0
    related = ("enrolment__listener__user", "enrolment__cohort__program")
    with transaction.atomic():
        due = (
            FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(due_on__lte=today, sent_at__isnull=True, answered_at__isnull=True)
            .select_related(*related)
        )
        for follow_up in due:
            _mail(follow_up, "follow_up_due")
            follow_up.sent_at = now
            follow_up.save(update_fields=["sent_at"])
            log_action(follow_up, "postcourse.follow_up.sent", by=None, after={"sent_at": now})
            sent += 1
        late = (
            FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__lte=now - REMIND_AFTER, reminded_at__isnull=True, answered_at__isnull=True)
            .select_related(*related)
        )
        for follow_up in late:
            _mail(follow_up, "follow_up_reminder")
            follow_up.reminded_at = now
            follow_up.save(update_fields=["reminded_at"])
            log_action(follow_up, "postcourse.follow_up.reminded", by=None, after={"reminded_at": now})
            reminded += 1
    return sent, reminded


def follow_up_answer(
    follow_up, *, by, applying, results_applied=(), example="", obstacles="", wants_support=False, today=None
):
    """The listener's answer to their questionnaire: once, from its due day on, by its listener only. A request
    for more support is e-mailed to the cohort's trainers (else the methodists), as a question would be."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("enrolment__listener__user", "enrolment__cohort")
            .get(pk=follow_up.pk)
        )
        if not by.is_authenticated or locked.enrolment.listener.user_id != by.pk:
            raise DomainError(_("This questionnaire is another listener's."))
        if locked.answered_at is not None:
            raise DomainError(_("You have already answered this questionnaire."))
        if locked.due_on > today:
            raise DomainError(_("This questionnaire opens on %(date)s.") % {"date": locked.due_on.strftime("%d.%m.%Y")})
        if applying not in Applying.values:
            raise DomainError(_("Choose how often you apply what you learned."))
        allowed = set(expected_results_of(locked.enrolment.cohort_id, both=True))
        chosen = [r for r in dict.fromkeys(results_applied) if r]
        if any(r not in allowed for r in chosen):
            raise DomainError(_("Choose the expected results from the program's list."))
        locked.applying = applying
        locked.results_applied = chosen
        locked.example = example.strip()
        locked.obstacles = obstacles.strip()
        locked.wants_support = bool(wants_support)
        locked.answered_at = timezone.now()
        locked.save(
            update_fields=["applying", "results_applied", "example", "obstacles", "wants_support", "answered_at"]
        )
        log_action(
            locked,
            "postcourse.follow_up.answered",
            by=by,
            after={"applying": applying, "wants_support": locked.wants_support},
        )
        if locked.wants_support:
            cohort = locked.enrolment.cohort
            mail_users(
                cohort_staff(cohort.pk),
                "follow_up_support_asked",
                language="ru" if cohort.language == "ru" else "kk",
                follow_up=locked,
            )
    follow_up.refresh_from_db()
    return follow_up


def follow_up_support_handle(follow_up, *, by, note="", now=None):
    """Mark a listener's request for more support (an answered questionnaire with ``wants_support``) handled by
    ``by``, with a line on what was done; by the staff who may change the cohort's follow-ups (the methodist;
    a trainer: the cohorts they teach). Idempotent: a request already handled stays as its first handler left
    it, and nothing more is logged. Returns (follow_up, whether this call marked it)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("enrolment__cohort", "enrolment__listener__user")
            .get(pk=follow_up.pk)
        )
        refusal = _("This listener's follow-ups are not yours to handle.")
        access.require(by, "postcourse.change_followup", locked, refusal)
        if locked.answered_at is None or not locked.wants_support:
            raise DomainError(_("This listener did not ask for more support in this questionnaire."))
        if locked.support_handled_at is not None:
            return locked, False
        locked.support_handled_at = now
        locked.support_handled_by = by
        locked.support_note = (note or "").strip()
        locked.save(update_fields=["support_handled_at", "support_handled_by", "support_note"])
        log_action(
            locked,
            "postcourse.follow_up.support_handled",
            by=by,
            after={"support_handled_at": now, "support_note": locked.support_note},
        )
    return locked, True


# ------------------------------------------------------------------------------ what an answer may hold, and when


def expected_results_of(cohort_id, *, language=None, both=False):
    """The expected results of the program version the cohort was taught by (000 §4.2), in ``language``
    (the other language when that one has none); ``both``: of both languages (what an answer may hold)."""
    from enrolment.models import Cohort

    version_id = Cohort.objects.filter(pk=cohort_id).values_list("version_id", flat=True).first()
    texts = dict(VersionText.objects.filter(version_id=version_id).values_list("language", "expected_results"))
    if both:
        return [r for results in texts.values() for r in (results or [])]
    language = language or translation.get_language() or "kk"
    language = "ru" if language.startswith("ru") else "kk"
    other = "kk" if language == "ru" else "ru"
    return list(texts.get(language) or texts.get(other) or [])


def follow_up_is_open(follow_up, today):
    return follow_up.answered_at is None and follow_up.due_on <= today


# ------------------------------------------------------------------------------------------ the cabinet


def _follow_ups_panel(enrolments, *, today):
    """For each course in its support year: the questionnaires due (to answer) and answered."""
    rows = FollowUp.objects.filter(enrolment_id__in=[e.pk for e in enrolments]).filter(
        Q(due_on__lte=today) | Q(answered_at__isnull=False)
    )
    contexts = {}
    for f in rows.order_by("months"):
        entry = contexts.setdefault(f.enrolment_id, {"due": [], "answered": []})
        entry["answered" if f.answered_at else "due"].append(f)
    return contexts


register(Panel("follow_ups", "postcourse/followup/panel.html", 65, _follow_ups_panel))
