"""The files of a certificate's duplicates (SPEC 5.6), for their holder and for staff who read the register."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from ziat import access
from ziat.stored_documents import document_response

from .documents import stored_document
from .models import CertificateDuplicate


def _duplicate_document(request, pk, part):
    duplicate = (
        CertificateDuplicate.objects.select_related(
            "certificate__enrolment", "certificate_document", "appendix_document"
        )
        .filter(pk=pk)
        .first()
    )
    if duplicate is None or not access.may(request.user, None, duplicate):
        raise Http404
    listener = getattr(request.user, "listener", None)
    own = listener is not None and listener.pk == duplicate.certificate.enrolment.listener_id
    if not own and not (request.user.is_staff and request.user.has_perm("certificates.view_certificate")):
        raise Http404
    return document_response(request, stored_document(duplicate.certificate, part, duplicate=duplicate))


@login_required
@require_GET
def duplicate_certificate_pdf(request, pk):
    return _duplicate_document(request, pk, "certificate")


@login_required
@require_GET
def duplicate_appendix_pdf(request, pk):
    return _duplicate_document(request, pk, "appendix")
