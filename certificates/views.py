from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from enrolment.enums import RequestStatus
from enrolment.models import RequestedTeacher
from ziat.activity import history, history_panel, render_history_page
from ziat.refusals import staff_required
from ziat.stored_documents import document_response

from .documents import stored_document
from .enums import CertificateState
from .models import Certificate
from .selectors import certificate_for_document


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


def _document(request, pk, part):
    certificate = certificate_for_document(pk)
    if certificate is None or not _may_see(request.user, certificate):
        raise Http404
    # The file made when the certificate was issued: the same bytes whatever is edited afterwards.
    return document_response(request, stored_document(certificate, part))


@login_required
@require_GET
def certificate_pdf(request, pk):
    return _document(request, pk, "certificate")


@login_required
@require_GET
def appendix_pdf(request, pk):
    return _document(request, pk, "appendix")


def _staff_certificate(pk):
    return get_object_or_404(
        Certificate.objects.select_related("enrolment__cohort", "enrolment__listener__user", "issued_by", "revoked_by"),
        pk=pk,
    )


@require_GET
@staff_required("certificates.view_certificate")
def certificate_staff(request, pk):
    """The staff's page of a certificate: what it says, its state and what was done to it."""
    certificate = _staff_certificate(pk)
    context = {
        "certificate": certificate,
        "state": certificate.state_on(timezone.localdate()),
        "states": CertificateState,
        "activity": history_panel(
            history(obj=certificate, user=request.user),
            more_url=reverse("certificates:certificate_history", kwargs={"pk": certificate.pk}),
        ),
    }
    return render(request, "certificates/certificate/staff.html", context)


@require_GET
@staff_required("certificates.view_certificate")
def certificate_history(request, pk):
    certificate = _staff_certificate(pk)
    back = reverse("certificates:certificate_staff", kwargs={"pk": certificate.pk})
    return render_history_page(
        request, history(obj=certificate, user=request.user), subject=certificate.registration_number, back_url=back
    )
