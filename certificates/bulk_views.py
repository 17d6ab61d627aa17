"""Downloads of many certificates at once: a ZIP of a cohort's for staff, of its teachers' for a partner
(SPEC 5.1-5.2). The ZIP is made by a background job; its page offers the file when it is ready."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enrolment.models import Cohort, TeacherRequest
from enrolment.views.requests import representative_required
from ziat import access
from ziat.errors import DomainError
from ziat.refusals import staff_required

from .bulk import certificates_of_cohort, certificates_of_partner, certificates_zip_start


@require_POST
@staff_required("certificates.view_certificate")
def cohort_certificates_zip(request, cohort_pk):
    """Start the ZIP of the cohort's certificates and appendices; the job's page offers it when ready."""
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    back = reverse("certificates:cohort_certificates", kwargs={"cohort_pk": cohort.pk})
    try:
        job = certificates_zip_start(
            certificates_of_cohort(cohort),
            by=request.user,
            title=_("Certificates of %(code)s") % {"code": cohort.code},
            filename=f"certificates-{cohort.code}.zip",
            next_url=back,
        )
    except DomainError as e:
        from .staff_views import _cohort_context

        messages.error(request, e.message)
        return render(request, "certificates/cohort/issue.html", _cohort_context(request, cohort), status=400)
    return redirect("job", pk=job.pk)


@require_POST
@representative_required
def partner_certificates_zip(request):
    """Start the ZIP of the certificates of the organisation's teachers (of one accepted request when the form
    names it); the job's page offers it when ready."""
    teacher_request = None
    back = reverse("enrolment:partner_home")
    named = request.POST.get("request", "")
    if named:
        if not named.isdigit():
            raise Http404
        requests = access.scope(request.user, TeacherRequest.objects.all()).filter(partner_id=request.partner_id)
        teacher_request = get_object_or_404(requests.select_related("cohort"), pk=named)
        back = reverse("enrolment:partner_request_detail", kwargs={"pk": teacher_request.pk})
    certificates = certificates_of_partner(request.partner_id, teacher_request=teacher_request)
    suffix = teacher_request.cohort.code if teacher_request else timezone.localdate().isoformat()
    try:
        job = certificates_zip_start(
            certificates,
            by=request.user,
            title=_("Certificates of our teachers"),
            filename=f"certificates-{suffix}.zip",
            next_url=back,
        )
    except DomainError as e:
        return render(request, "staff/refused.html", {"message": e.message}, status=400)
    return redirect("job", pk=job.pk)
