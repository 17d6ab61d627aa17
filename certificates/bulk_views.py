"""Downloads of many certificates at once: a ZIP of a cohort's for staff, of its teachers' for a partner
(SPEC 5.1-5.2). The ZIP is made by a background job; its page offers the file when it is ready."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from enrolment.models import Cohort, TeacherRequest
from enrolment.views.requests import representative_required
from ziat import access
from ziat.errors import DomainError
from ziat.refusals import refused, staff_required

from .bulk import cohort_certificates_zip_start, partner_certificates_zip_start


@require_POST
@staff_required("certificates.view_certificate")
def cohort_certificates_zip(request, cohort_pk):
    """Start the ZIP of the cohort's certificates and appendices; the job's page offers it when ready."""
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    access.check(request.user, "certificates.view_certificate", cohort)
    try:
        job = cohort_certificates_zip_start(cohort, by=request.user)
    except access.AccessDenied as e:
        return refused(request, e.message)
    except DomainError as e:
        from .staff_views import _cohort_context

        messages.error(request, e.message)
        return render(request, "certificates/cohort/issue.html", _cohort_context(request, cohort), status=400)
    return redirect("job", pk=job.pk)


@require_POST
@representative_required
def partner_certificates_zip(request):
    """Start the ZIP of the certificates of the organisation's teachers (of one of its requests when the form
    names it); the job's page offers it when ready."""
    teacher_request = None
    named = request.POST.get("request", "")
    if named:
        if not named.isdigit():
            raise Http404
        requests = access.scope(request.user, TeacherRequest.objects.select_related("cohort"))
        teacher_request = get_object_or_404(requests, pk=named, partner_id=request.partner_id)
    try:
        job = partner_certificates_zip_start(by=request.user, teacher_request=teacher_request)
    except access.AccessDenied as e:
        return refused(request, e.message)
    except DomainError as e:
        return refused(request, e.message, status=400)
    return redirect("job", pk=job.pk)
