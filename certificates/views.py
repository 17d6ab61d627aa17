import datetime
import logging

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enrolment.enums import RequestStatus
from enrolment.models import RequestedTeacher
from ziat import access
from ziat.activity import history, history_panel, render_history_page
from ziat.models import StoredDocument
from ziat.refusals import staff_required

from .documents import document_page
from .enums import CertificateState
from .forms import DuplicateForm, ReissueForm
from .models import Certificate, CertificateDuplicate
from .selectors import certificate_for_document

logger = logging.getLogger(__name__)


def _may_see(user, certificate):
    """The holder sees their own certificate; staff need the permission to view certificates and the reach of its
    cohort (a trainer: the cohorts they teach).

    A partner's representative sees the certificates of the teachers of its accepted requests.
    """
    if access.may(user, "certificates.view_certificate", certificate):
        return True
    listener = getattr(user, "listener", None)
    if listener is not None and certificate.enrolment.listener_id == listener.pk:
        return True
    representative = getattr(user, "representative", None)
    return (
        representative is not None
        and RequestedTeacher.objects.filter(
            request__partner_id=representative.partner_id,
            request__status=RequestStatus.ACCEPTED,
            request__cohort_id=certificate.enrolment.cohort_id,
            listener_id=certificate.enrolment.listener_id,
        ).exists()
    )


def _not_prepared(request, certificate, part):
    """A certificate recorded before snapshots were kept and not yet prepared: its printed fields are never
    taken by a download (a GET only reads), but by ``manage.py prepare_legacy_documents`` (certificates.legacy)."""
    logger.error(
        "Certificate %s has no snapshot: run manage.py prepare_legacy_documents", certificate.registration_number
    )
    filename = f"{part}-{certificate.registration_number}.pdf"
    document = StoredDocument(filename=filename, status=StoredDocument.Status.FAILED)
    context = {"document": document, "failed": True, "title": _("The document could not be prepared")}
    response = render(request, "ziat/document_pending.html", context, status=503)
    response["Cache-Control"] = "no-store"
    return response


def _document(request, pk, part):
    certificate = certificate_for_document(pk)
    if certificate is None or not _may_see(request.user, certificate):
        raise Http404
    if not certificate.snapshot:
        return _not_prepared(request, certificate, part)
    # The file made when the certificate was issued: the same bytes whatever is edited afterwards.
    return document_page(request, certificate, part)


def _duplicate_document(request, pk, part):
    duplicate = (
        CertificateDuplicate.objects.select_related(
            "certificate__enrolment", "certificate_document", "appendix_document"
        )
        .filter(pk=pk)
        .first()
    )
    if duplicate is None or not _may_see(request.user, duplicate.certificate):
        raise Http404
    if not duplicate.certificate.snapshot:
        return _not_prepared(request, duplicate.certificate, part)
    return document_page(request, duplicate.certificate, part, duplicate=duplicate)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_pdf(request, pk):
    return _document(request, pk, "certificate")


@login_required
@require_http_methods(["GET", "POST"])
def appendix_pdf(request, pk):
    return _document(request, pk, "appendix")


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_certificate_pdf(request, pk):
    return _duplicate_document(request, pk, "certificate")


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_appendix_pdf(request, pk):
    return _duplicate_document(request, pk, "appendix")


def _staff_certificate(request, pk, perm):
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__cohort", "enrolment__listener__user", "issued_by", "revoked_by"),
        pk=pk,
    )
    access.check(request.user, perm, certificate)
    return certificate


def _day(text):
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@require_GET
@staff_required("certificates.view_certificate")
def certificate_staff(request, pk):
    """The staff's page of a certificate: every field it prints as frozen at issue, its stored files with their
    SHA-256, its state (replaced by or replacing another), its duplicates, what was done to it, and the
    director's actions (revoke, duplicate, corrected reissue)."""
    duplicates = Prefetch(
        "duplicates",
        queryset=CertificateDuplicate.objects.select_related(
            "issued_by", "certificate_document", "appendix_document"
        ).order_by("issued_on", "pk"),
    )
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "enrolment__cohort",
            "enrolment__listener__user",
            "issued_by",
            "revoked_by",
            "replaces",
            "replaced_by",
            "certificate_document",
            "appendix_document",
        ).prefetch_related(duplicates),
        pk=pk,
    )
    access.check(request.user, "certificates.view_certificate", certificate)
    printed = certificate.snapshot or {}
    state = certificate.state_on(timezone.localdate())
    current = not (certificate.revoked_at or certificate.replaced_at)
    may_issue = request.user.has_perm("certificates.issue_certificate")
    context = {
        "certificate": certificate,
        "state": state,
        "states": CertificateState,
        "printed": printed,
        "printed_issued_on": _day(printed.get("issued_on")),
        "printed_valid_until": _day(printed.get("valid_until")),
        "files": [
            (_("Certificate"), certificate.certificate_document, reverse("certificates:certificate_pdf", args=[pk])),
            (_("Appendix"), certificate.appendix_document, reverse("certificates:appendix_pdf", args=[pk])),
        ],
        "duplicates": list(certificate.duplicates.all()),
        "replaced_by": getattr(certificate, "replaced_by", None),
        "can_revoke": current and request.user.has_perm("certificates.revoke_certificate"),
        "duplicate_form": DuplicateForm() if current and may_issue else None,
        "reissue_form": ReissueForm() if current and may_issue and state != CertificateState.EXPIRED else None,
        "activity": history_panel(
            history(obj=certificate, user=request.user),
            more_url=reverse("certificates:certificate_history", kwargs={"pk": certificate.pk}),
        ),
    }
    return render(request, "certificates/certificate/staff.html", context)


@require_GET
@staff_required("certificates.view_certificate")
def certificate_history(request, pk):
    certificate = _staff_certificate(request, pk, "certificates.view_certificate")
    back = reverse("certificates:certificate_staff", kwargs={"pk": certificate.pk})
    return render_history_page(
        request, history(obj=certificate, user=request.user), subject=certificate.registration_number, back_url=back
    )
