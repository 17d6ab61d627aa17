"""A teacher's own application: account, questionnaire, documents, submission and the registrar's decision.

001 App. 1 and 003 App. 1 (the application: program and language of instruction), 003 App. 2 (the
questionnaire), 003 §6.2 (the documents: ID copy, diploma copy, and for budget funding the school's referral
order). An application moves along ``MOVES``; every move is one function here.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.enums import Language
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.uploads import SCAN_TYPES, check_document

from ..enums import ApplicationStatus, DocumentKind, Funding, Sex
from ..iin import InvalidIIN, iin_birth_date
from ..models import Application, ApplicationDocument, Cohort, Listener
from ..notifications import notify
from .admission import contract_draw_up
from .core import enrolment_admit, listener_create, seats_taken

S = ApplicationStatus

# The allowed moves of an application: action -> states it may start from.
MOVES = {
    "save": (S.DRAFT, S.RETURNED),
    "submit": (S.DRAFT, S.RETURNED),
    "withdraw": (S.DRAFT, S.SUBMITTED, S.RETURNED),
    "return": (S.SUBMITTED,),
    "admit": (S.SUBMITTED,),
}
# The states in which the listener may still change the application.
EDITABLE = MOVES["save"]

# The questionnaire of 003 App. 2 kept on the listener (e-mail is on the user).
QUESTIONNAIRE_FIELDS = (
    "position",
    "education",
    "category",
    "category_valid_until",
    "workplace",
    "region",
    "experience_total",
    "experience_teaching",
    "address",
    "phone",
    "additional",
)
REQUIRED_FIELDS = ("position", "education", "workplace", "region", "experience_total", "experience_teaching", "phone")


def _check_move(application, action):
    if application.status not in MOVES[action]:
        raise DomainError(
            _("This cannot be done with an application in the state “%(status)s”.")
            % {"status": application.get_status_display()}
        )


def _check_own(application, by):
    if by is None or application.listener.user_id != by.pk:
        raise DomainError(_("This is not your application."))


def _check_registrar(by, application):
    access.require(by, "enrolment.change_application", application, _("You may not decide on applications."))


def _locked(application):
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("listener__user", "cohort__program")
        .get(pk=application.pk)
    )


# --- Rules -------------------------------------------------------------------------------------------


def iin_sex(iin):
    """The sex an IIN encodes in its 7th digit: odd for men, even for women (raises InvalidIIN)."""
    iin_birth_date(iin)
    return Sex.MALE if int(iin[6]) % 2 else Sex.FEMALE


def _sex_or_blank(iin):
    try:
        return iin_sex(iin)
    except InvalidIIN:
        return ""


def cohort_languages(cohort):
    """The languages a listener may choose for a cohort (a bilingual cohort offers both)."""
    if cohort.language == Language.KK_RU:
        return [Language.KK, Language.RU]
    return [Language(cohort.language)]


def cohort_fundings(cohort):
    """A state-funded cohort is studied on the state order; a paid one on own funds or the employer's."""
    if cohort.funding == Funding.STATE:
        return [Funding.STATE]
    return [Funding.OWN, Funding.EMPLOYER]


def cohort_closed_reason(cohort, *, today=None):
    """Why a cohort takes no applications now, or None when it does."""
    today = today or timezone.localdate()
    if not cohort.is_published:
        return _("This cohort is not open for applications.")
    if cohort.starts_on <= today:
        return _("This cohort has already started; applications are closed.")
    if seats_taken(cohort) >= cohort.capacity:
        return _("All seats of this cohort are taken.")
    return None


def required_documents(funding):
    """The documents of 003 §6.2: the referral order only for budget funding."""
    kinds = [DocumentKind.ID_COPY, DocumentKind.DIPLOMA]
    if funding == Funding.STATE:
        kinds.append(DocumentKind.REFERRAL)
    return kinds


def questionnaire_missing(listener):
    """The labels of the questionnaire's required answers still missing."""
    missing = [
        str(Listener._meta.get_field(name).verbose_name)
        for name in REQUIRED_FIELDS
        if getattr(listener, name) in (None, "")
    ]
    if not listener.user.email:
        missing.append(_("e-mail"))
    return missing


def questionnaire_snapshot(listener, application):
    """The questionnaire of 003 App. 2 as submitted, kept with the application."""
    data = {
        "full_name": listener.full_name,
        "last_name": listener.user.last_name,
        "first_name": listener.user.first_name,
        "middle_name": listener.user.middle_name,
        "iin": listener.iin,
        "birth_date": listener.birth_date.isoformat() if listener.birth_date else "",
        "sex": listener.sex or _sex_or_blank(listener.iin),
        "language": application.language,
        "email": listener.user.email,
    }
    for name in QUESTIONNAIRE_FIELDS:
        value = getattr(listener, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


# --- The teacher -------------------------------------------------------------------------------------


@transaction.atomic
def listener_register(*, by=None, iin, birth_date, sex, last_name, first_name, middle_name="", email, password):
    """A teacher creates their own account (``by`` is None: nobody is logged in yet).

    The date of birth and the sex must agree with what the IIN encodes.
    """
    try:
        born = iin_birth_date(iin)
    except InvalidIIN as e:
        raise DomainError(str(e)) from None
    if birth_date != born:
        raise DomainError(_("The date of birth does not agree with the IIN."))
    if sex != iin_sex(iin):
        raise DomainError(_("The sex does not agree with the 7th digit of the IIN."))
    listener = listener_create(
        by=by,
        iin=iin,
        birth_date=birth_date,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        email=email,
        password=password,
    )
    listener.sex = sex
    listener.save(update_fields=["sex"])
    return listener


@transaction.atomic
def application_start(*, cohort, listener, by):
    """Open a draft application for a cohort, or return the listener's open one."""
    if by is None or listener.user_id != by.pk:
        raise DomainError(_("Only the teacher may apply for themselves."))
    existing = Application.objects.filter(listener=listener, cohort=cohort).exclude(status=S.WITHDRAWN).first()
    if existing:
        return existing
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    reason = cohort_closed_reason(cohort)
    if reason:
        raise DomainError(reason)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                listener=listener,
                cohort=cohort,
                language=cohort_languages(cohort)[0],
                funding=cohort_fundings(cohort)[0],
            )
    except IntegrityError:  # a second click in another tab: the first one's draft is the application
        return Application.objects.filter(listener=listener, cohort=cohort).exclude(status=S.WITHDRAWN).get()
    log_action(application, "enrolment.application.started", by=by, after={"status": application.status})
    return application


@transaction.atomic
def application_save(application, *, by, language, funding, email, documents=None, **questionnaire):
    """Save the application as a draft: its choices, the questionnaire and any documents given.

    ``documents`` maps a document kind to an uploaded file; each replaces the earlier file of its kind.
    Nothing is saved if any part is refused.
    """
    application = _locked(application)
    _check_own(application, by)
    _check_move(application, "save")
    cohort = application.cohort
    if language not in cohort_languages(cohort):
        raise DomainError(_("This cohort is not taught in the chosen language."))
    if funding not in cohort_fundings(cohort):
        raise DomainError(_("This funding is not possible for this cohort."))
    unknown = set(questionnaire) - set(QUESTIONNAIRE_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    total, teaching = questionnaire.get("experience_total"), questionnaire.get("experience_teaching")
    if total is not None and teaching is not None and teaching > total:
        raise DomainError(_("The teaching experience cannot be longer than the total experience."))
    for kind, upload in (documents or {}).items():
        if kind not in DocumentKind.values:
            raise DomainError(_("Unknown document."))
        check_document(upload, types=SCAN_TYPES)

    listener = application.listener
    for name, value in questionnaire.items():
        setattr(listener, name, "" if value is None and name not in _NULLABLE else value)
    listener.save(update_fields=list(questionnaire))
    user = listener.user
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    application.language, application.funding = language, funding
    application.save(update_fields=["language", "funding"])
    for kind, upload in (documents or {}).items():
        application_document_put(application, kind=kind, upload=upload)
    return application


_NULLABLE = {"category_valid_until", "experience_total", "experience_teaching"}


def application_document_put(application, *, kind, upload):
    """Store a checked document of ``kind``, replacing the earlier one (called inside application_save)."""
    old = ApplicationDocument.objects.filter(application=application, kind=kind).first()
    if old:
        old_file = old.file
        old.delete()
        transaction.on_commit(lambda: old_file.delete(save=False))
    document = ApplicationDocument(application=application, kind=kind)
    document.file.save(upload.name.rsplit("/", 1)[-1], upload, save=False)
    document.save()
    return document


@transaction.atomic
def application_submit(application, *, by):
    """Send the completed application to the centre, keeping the questionnaire as it is now."""
    application = _locked(application)
    _check_own(application, by)
    _check_move(application, "submit")
    cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
    reason = cohort_closed_reason(cohort)
    if reason:
        raise DomainError(reason)
    listener = application.listener
    problems = []
    missing = questionnaire_missing(listener)
    if missing:
        problems.append(_("fill in: %(fields)s") % {"fields": ", ".join(missing)})
    if (
        listener.experience_total is not None
        and listener.experience_teaching is not None
        and listener.experience_teaching > listener.experience_total
    ):
        problems.append(_("the teaching experience cannot be longer than the total experience"))
    present = set(application.documents.values_list("kind", flat=True))
    lacking = [str(kind.label) for kind in required_documents(application.funding) if kind not in present]
    if lacking:
        problems.append(_("attach: %(documents)s") % {"documents": ", ".join(lacking)})
    if problems:
        raise DomainError(_("The application cannot be sent yet: %(problems)s.") % {"problems": "; ".join(problems)})
    application.questionnaire = questionnaire_snapshot(listener, application)
    before, application.status = application.status, S.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["questionnaire", "status", "submitted_at"])
    log_action(
        application,
        "enrolment.application.submitted",
        by=by,
        before={"status": before},
        after={"status": application.status},
    )
    notify(listener, "application_received", cohort=cohort)
    return application


@transaction.atomic
def application_withdraw(application, *, by):
    application = _locked(application)
    _check_own(application, by)
    _check_move(application, "withdraw")
    before, application.status = application.status, S.WITHDRAWN
    application.save(update_fields=["status"])
    log_action(
        application,
        "enrolment.application.withdrawn",
        by=by,
        before={"status": before},
        after={"status": application.status},
    )
    return application


# --- The registrar -----------------------------------------------------------------------------------


@transaction.atomic
def application_return(application, *, by, reason):
    """Return a submitted application to the listener for corrections, with the reason."""
    _check_registrar(by, application)
    application = _locked(application)
    _check_move(application, "return")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the application is returned."))
    before, application.status = application.status, S.RETURNED
    application.return_reason = reason
    application.decided_by, application.decided_at = by, timezone.now()
    application.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    log_action(
        application,
        "enrolment.application.returned",
        by=by,
        before={"status": before},
        after={"status": application.status},
        note=reason,
    )
    notify(application.listener, "application_returned", cohort=application.cohort, reason=reason)
    return application


@transaction.atomic
def application_admit(application, *, by):
    """Admit the listener to the cohort (a seat is taken; refused when the cohort is full)."""
    _check_registrar(by, application)
    application = _locked(application)
    _check_move(application, "admit")
    enrolment = enrolment_admit(
        cohort=application.cohort, listener=application.listener, by=by, funding=application.funding
    )
    before, application.status = application.status, S.ADMITTED
    application.decided_by, application.decided_at = by, timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    log_action(
        application,
        "enrolment.application.admitted",
        by=by,
        before={"status": before},
        after={"status": application.status},
    )
    notify(application.listener, "admitted", cohort=application.cohort)
    contract_draw_up(enrolment, by=by)
    return enrolment
