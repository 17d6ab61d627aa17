"""A cohort's certificates issued in the background, and ZIP files of issued certificates (000 §3.7, 003 §7.6,
SPEC 5.1-5.4).

Issuing: the director's request starts a ``Job`` (``cohort_issue_start``); its task (``cohort_issue_run``)
writes down the plan — the cohort's listeners without a certificate — and enqueues one task per listener
(``enrolment_issue_for_job``), so that several workers issue side by side. Each listener is settled in a
transaction of its own: the certificate is issued whole (its number, snapshot, appendix and log entry) or, when
the listener is not eligible, the refusal is logged with its reasons. A worker killed half-way loses only its
open transaction; the task run again finds the listener with or without a certificate and settles it once. The
progress is counted from the database (certificates and refusals of the plan's listeners), so a task run twice
never counts twice; the last one to settle writes the outcome: how many were issued, who was left without one
and why.

ZIP files: ``certificates_zip_start`` starts a job that packs the stored PDF files of the certificates and
appendices a user may download — a cohort's for staff who read certificates, the teachers of a partner's
accepted requests for its representative — rendering any file still being made, so that the ZIP holds the same
bytes as the files served one by one.
"""

import datetime
import io
import json
import logging
import re
import zipfile

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from assessment.outcomes import outcomes_for
from enrolment.enums import RequestStatus
from enrolment.models import Cohort, Enrolment, RequestedTeacher
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.jobs import job_attach_file, job_create, job_done, job_run
from ziat.models import ActivityLog, Job, StoredDocument
from ziat.stored_documents import document_render
from ziat.tasking import enqueue_on_commit

from .documents import issue_documents, stored_document
from .models import Certificate
from .services import _check_may_issue, _issue_record, as_of

logger = logging.getLogger(__name__)

ISSUE_KIND = "certificates.issue"
ZIP_KIND = "certificates.zip"
WITHHELD = "certificates.certificate.withheld"
# A job still pending or running after this long is taken to be lost (its tasks failed for good): the director
# may start another one; the listeners it settled keep their certificates and are not issued again.
ISSUE_JOB_LOST_AFTER = datetime.timedelta(hours=6)
PARTS = ("certificate", "appendix")


# ------------------------------------------------------------------------------------------ issuing a cohort


def _issue_kind(cohort_id):
    return f"{ISSUE_KIND}:{cohort_id}"


def cohort_issue_job(cohort):
    """The cohort's issuing job still at work, or None."""
    return (
        Job.objects.filter(
            kind=_issue_kind(cohort.pk),
            status__in=[Job.Status.PENDING, Job.Status.RUNNING],
            created_at__gte=timezone.now() - ISSUE_JOB_LOST_AFTER,
        )
        .order_by("-pk")
        .first()
    )


def cohort_issue_start(cohort, *, by, on=None):
    """Start issuing the certificates of ``cohort``'s listeners who have none (000 §3.7).

    Returns (job, started): while an earlier job of the cohort is at work, that job and False — nothing is
    started twice.
    """
    _check_may_issue(by, cohort)
    on = on or timezone.localdate()
    with transaction.atomic():
        # Two requests at once: the second waits here and then finds the first one's job.
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        running = cohort_issue_job(cohort)
        if running is not None:
            return running, False
        job = job_create(
            kind=_issue_kind(cohort.pk),
            title=_("Certificates of %(code)s") % {"code": cohort.code},
            owner=by,
            next_url=reverse("certificates:cohort_certificates", kwargs={"cohort_pk": cohort.pk}),
        )
        plan = {"cohort": cohort.pk, "by": by.pk, "on": on.isoformat(), "enrolments": []}
        job.input_file.save("plan.json", ContentFile(json.dumps(plan).encode()), save=False)
        job.save(update_fields=["input_file"])
        from .tasks import issue_cohort_certificates

        enqueue_on_commit(issue_cohort_certificates, job.pk)
    return job, True


def _plan(job):
    with job.input_file.open("rb") as handle:
        return json.loads(handle.read())


def cohort_issue_run(job_id, *, enqueue):
    """The plan of the job: every listener of the cohort without a certificate, each handed to ``enqueue``
    (called with the job's and the enrolment's ids) in the same transaction as the plan is written, so a run
    killed half-way leaves no plan and a run after the plan is written does nothing."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.PENDING:
            return "started before"
        with translation.override(job.language or None):
            plan = _plan(job)
            by = get_user_model().objects.get(pk=plan["by"])
            try:
                _check_may_issue(by, Cohort.objects.get(pk=plan["cohort"]))
            except DomainError as e:
                _end(job, status=Job.Status.FAILED, message=e.message)
                return "refused"
            enrolments = list(
                Enrolment.objects.filter(cohort_id=plan["cohort"], certificates__isnull=True)
                .order_by("listener__user__last_name", "listener__user__first_name", "pk")
                .values_list("pk", flat=True)
            )
            plan["enrolments"] = enrolments
            job.input_file.save("plan.json", ContentFile(json.dumps(plan).encode()), save=False)
            job.status, job.started_at, job.total, job.done = Job.Status.RUNNING, timezone.now(), len(enrolments), 0
            job.message = _("Issuing certificates")
            job.save(update_fields=["input_file", "status", "started_at", "total", "done", "message"])
            if not enrolments:
                _end(job, status=Job.Status.DONE, message=_("Nobody is waiting for a certificate."))
                return "nothing to do"
        for enrolment_id in enrolments:
            enqueue(job_id, enrolment_id)
    return f"planned {len(enrolments)}"


def enrolment_issue_for_job(job_id, enrolment_id):
    """Settle one listener of the job in one transaction: the certificate issued whole, or the refusal logged
    with its reasons; a listener already holding a certificate is left as is. Then count the job's progress."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return "no job"
    plan = _plan(job)
    by = get_user_model().objects.get(pk=plan["by"])
    on = parse_date(plan["on"])
    with translation.override(job.language or None):
        with transaction.atomic():
            # Only the enrolment's row is locked (the default ordering would join and lock the cohort's row,
            # which every listener of the cohort shares, and issuers would wait for each other).
            enrolment = Enrolment.objects.select_for_update(of=("self",)).filter(pk=enrolment_id).order_by().first()
            certificate = Certificate.objects.filter(enrolment_id=enrolment_id, replaced_at__isnull=True).first()
            if enrolment is None:
                result = "gone"
            elif certificate is not None:
                result = "had one"
            else:
                (outcome,) = outcomes_for(Enrolment.objects.filter(pk=enrolment_id), now=as_of(on))
                if outcome.eligible:
                    certificate = _issue_record(outcome, by=by, on=on)
                    result = "issued"
                else:
                    log_action(
                        enrolment,
                        WITHHELD,
                        by=by,
                        note=" ".join(str(r) for r in outcome.reasons),
                        data={"job": job_id},
                        label=str(enrolment.listener),
                    )
                    result = "withheld"
        if certificate is not None and not (certificate.certificate_document_id and certificate.appendix_document_id):
            # The documents' HTML is taken from the snapshot after the number's lock is let go; a run killed
            # before this point leaves a certificate whose files are requested by the run again (or on demand).
            with transaction.atomic():
                issue_documents(certificate)
        _count(job_id, plan)
    return result


def _settled(job_id, plan):
    """(enrolment ids holding a certificate, ids refused in this job) among the plan's."""
    ids = plan["enrolments"]
    issued = set(
        Certificate.objects.filter(enrolment_id__in=ids, replaced_at__isnull=True).values_list(
            "enrolment_id", flat=True
        )
    )
    withheld = set(
        ActivityLog.objects.filter(action=WITHHELD, cohort_id=plan["cohort"], data__job=job_id).values_list(
            "object_id", flat=True
        )
    )
    return issued, withheld - issued


def _count(job_id, plan):
    issued, withheld = _settled(job_id, plan)
    done = len(issued) + len(withheld)
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, done__lt=done).update(done=done)
    if done >= len(plan["enrolments"]):
        _finish(job_id)


def _end(job, *, status, message):
    job.status, job.message, job.finished_at = status, str(message), timezone.now()
    job.done = job.total
    job.save(update_fields=["status", "message", "finished_at", "done"])


def _finish(job_id):
    """The outcome, written once by whichever task settles the last listener."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=Job.Status.RUNNING).first()
        if job is None:
            return
        _end(job, status=Job.Status.DONE, message=issue_outcome(job))


def issue_outcome(job):
    """What a finished job did: the count of certificates issued, and who was left without one and why."""
    plan = _plan(job)
    issued, withheld = _settled(job.pk, plan)
    message = _("Certificates issued: %(n)s.") % {"n": len(issued)}
    if withheld:
        entries = ActivityLog.objects.filter(
            action=WITHHELD, cohort_id=plan["cohort"], data__job=job.pk, object_id__in=withheld
        ).order_by("object_label", "pk")
        reasons = dict((e.object_id, f"{e.object_label} — {e.note}") for e in entries)
        message += " " + _("Left without a certificate: %(n)s.") % {"n": len(withheld)}
        message += " " + "; ".join(reasons.values())
    return message


# ------------------------------------------------------------------------------------------ ZIP files


def certificates_of_cohort(cohort):
    """The current certificates of a cohort (neither revoked nor replaced), in register order."""
    return Certificate.objects.filter(
        enrolment__cohort=cohort, revoked_at__isnull=True, replaced_at__isnull=True
    ).order_by("year", "sequence")


def certificates_of_partner(partner_id, *, teacher_request=None):
    """The current certificates of the teachers of a partner's accepted requests (each in the cohort it was
    accepted for), or of one request's."""
    teachers = RequestedTeacher.objects.filter(
        request__partner_id=partner_id,
        request__status=RequestStatus.ACCEPTED,
        request__cohort_id=OuterRef("enrolment__cohort_id"),
        listener_id=OuterRef("enrolment__listener_id"),
    )
    if teacher_request is not None:
        teachers = teachers.filter(request_id=teacher_request.pk)
    return Certificate.objects.filter(Exists(teachers), revoked_at__isnull=True, replaced_at__isnull=True).order_by(
        "year", "sequence"
    )


def _zip_start(certificates, *, by, title, filename, next_url):
    ids = list(certificates.values_list("pk", flat=True))
    if not ids:
        raise DomainError(_("There are no issued certificates to download."))
    job = job_create(kind=ZIP_KIND, title=title, owner=by, total=len(ids), next_url=next_url)
    from .tasks import build_certificates_zip

    enqueue_on_commit(build_certificates_zip, job.pk, ids, filename)
    return job


def cohort_certificates_zip_start(cohort, *, by):
    """A job that packs the cohort's certificates and appendices into one ZIP, for staff who read certificates."""
    access.require(by, "certificates.view_certificate", cohort)
    return _zip_start(
        certificates_of_cohort(cohort),
        by=by,
        title=_("Certificates of %(code)s") % {"code": cohort.code},
        filename=f"certificates-{cohort.code}.zip",
        next_url=reverse("certificates:cohort_certificates", kwargs={"cohort_pk": cohort.pk}),
    )


def partner_certificates_zip_start(*, by, teacher_request=None):
    """A job that packs the certificates of the teachers of the representative's organisation (of one of its
    accepted requests when given) into one ZIP."""
    partner_id = access.partner_of(by)
    if partner_id is None or (teacher_request is not None and teacher_request.partner_id != partner_id):
        raise access.AccessDenied(_("Only a representative of the organisation downloads its certificates."))
    if teacher_request is None:
        suffix, back = timezone.localdate().isoformat(), reverse("enrolment:partner_home")
    else:
        suffix = teacher_request.cohort.code
        back = reverse("enrolment:partner_request_detail", kwargs={"pk": teacher_request.pk})
    return _zip_start(
        certificates_of_partner(partner_id, teacher_request=teacher_request),
        by=by,
        title=_("Certificates of our teachers"),
        filename=f"certificates-{suffix}.zip",
        next_url=back,
    )


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _folder(certificate):
    holder = " ".join(_UNSAFE.sub(" ", certificate.holder_name).split())
    return f"{certificate.registration_number} {holder}".strip()


def zip_entry_names(certificate):
    """The names of a certificate's two files inside the ZIP: a folder per certificate, its files' own names."""
    folder = _folder(certificate)
    return {part: f"{folder}/{part}-{certificate.registration_number}.pdf" for part in PARTS}


def _ready(certificate, part):
    """The stored document of ``part``, rendered here when it is still waiting for its task."""
    document = stored_document(certificate, part)
    if document.status == StoredDocument.Status.PENDING:
        document_render(document.pk)
        document.refresh_from_db()
    if document.status != StoredDocument.Status.READY:
        raise DomainError(
            _("The file of certificate № %(number)s could not be prepared.")
            % {"number": certificate.registration_number}
        )
    return document


def certificates_zip_build(job_id, certificate_ids, filename):
    """Write the ZIP of the certificates' stored files into the job; a job already finished is left as it is."""
    with job_run(job_id) as progress:
        if progress is None:
            return "finished before"
        certificates = list(
            Certificate.objects.filter(pk__in=certificate_ids)
            .select_related("certificate_document", "appendix_document")
            .order_by("year", "sequence")
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, certificate in enumerate(certificates):
                progress(done, len(certificates), _("Packing the certificates"))
                names = zip_entry_names(certificate)
                for part in PARTS:
                    document = _ready(certificate, part)
                    with document.file.open("rb") as handle:
                        archive.writestr(names[part], handle.read())
        job_attach_file(job_id, content=buffer.getvalue(), filename=filename)
        job_done(job_id, message=_("The file is ready."), total=len(certificates))
        return f"packed {len(certificates)}"
