from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessment.outcomes import outcomes_for
from enrolment.enums import RequestStatus
from enrolment.models import Enrolment, RequestedTeacher, Session
from ziat.documents import pdf_response, qr_data_uri, render_pdf
from ziat.models import Organisation
from ziat.ratelimit import rate_limited

from .enums import CertificateState
from .selectors import certificate_for_document, certificate_for_verification


def _may_see(user, certificate):
    """The holder sees their own certificate; staff need the permission to view certificates.

    A partner's representative sees the certificates of the teachers of its accepted requests.
    """
    if user.has_perm("certificates.view_certificate"):
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


def _document(request, pk, template, filename):
    certificate = certificate_for_document(pk)
    if certificate is None or not _may_see(request.user, certificate):
        raise Http404
    context = {
        "certificate": certificate,
        "org": Organisation.current(),
        "qr": qr_data_uri(certificate.verification_url),
    }
    pdf = render_pdf(template, context)
    return pdf_response(pdf, f"{filename}-{certificate.registration_number}.pdf")


@login_required
@require_GET
def certificate_pdf(request, pk):
    return _document(request, pk, "certificates/documents/certificate.html", "certificate")


@login_required
@require_GET
def appendix_pdf(request, pk):
    return _document(request, pk, "certificates/documents/appendix.html", "appendix")


@rate_limited("verify")
@require_GET
@never_cache
def verify(request, token):
    """The public page a QR code opens: validity and what the certificate says, no personal data."""
    certificate = certificate_for_verification(token)
    if certificate is None:
        return render(request, "certificates/verify.html", {"certificate": None}, status=404)
    state = certificate.state_on(timezone.localdate())
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "state": state,
            "states": CertificateState,
            "lines": list(certificate.lines.all()),
        },
    )


@login_required
@require_GET
def cabinet(request):
    """The listener's cabinet: applications, courses with contract and timetable, attendance, results,
    certificates and the centre's messages."""
    listener = getattr(request.user, "listener", None)
    if listener is None:
        return render(request, "certificates/cabinet.html", {"outcomes": [], "not_listener": True})
    enrolments = (
        Enrolment.objects.filter(listener=listener)
        .select_related("cohort__program", "certificate", "support_period", "contract", "group")
        .prefetch_related(Prefetch("cohort__sessions", queryset=Session.objects.select_related("topic")))
        .order_by("-cohort__starts_on")
    )
    # The outcomes carry the enrolments as read above, with their certificate, contract and sessions.
    outcomes = outcomes_for(enrolments)
    for outcome in outcomes:
        outcome.details = outcome.enrolment
    context = {
        "outcomes": outcomes,
        "applications": listener.applications.exclude(status="withdrawn").count(),
        "unread": listener.messages.filter(read_at__isnull=True).count(),
        "today": timezone.localdate(),
    }
    return render(request, "certificates/cabinet.html", context)
