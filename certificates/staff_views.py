"""The director's certificate pages: issuing a cohort's certificates (000 §3.7, 001 §29) and revoking one with
its reason (000 §3.8, 001 §33); staff who may read the register see the cohort's page without its button."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment.outcomes import cohort_outcomes
from enrolment.models import Cohort
from ziat.errors import DomainError
from ziat.refusals import refused, staff_required

from .bulk import cohort_issue_job, cohort_issue_start
from .forms import RevokeForm
from .models import Certificate
from .services import certificate_revoke


def _cohort_context(request, cohort):
    certificates = {c.enrolment_id: c for c in Certificate.objects.filter(enrolment__cohort=cohort)}
    rows = [(o, certificates.get(o.enrolment.pk)) for o in cohort_outcomes(cohort)]
    return {
        "cohort": cohort,
        "rows": rows,
        "can_issue": request.user.has_perm("certificates.issue_certificate"),
        "can_revoke": request.user.has_perm("certificates.revoke_certificate"),
        "to_issue": sum(1 for o, c in rows if o.eligible and c is None),
        "issue_job": cohort_issue_job(cohort),
        "issued_count": sum(1 for _o, c in rows if c is not None and not c.revoked_at and not c.replaced_at),
    }


@require_http_methods(["GET", "POST"])
@staff_required("certificates.view_certificate")
def cohort_certificates(request, cohort_pk):
    """The cohort's listeners with their outcomes and certificates; the director issues the missing ones."""
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    if request.method == "POST":
        if not request.user.has_perm("certificates.issue_certificate"):
            return refused(request, _("Only the director issues certificates."))
        # The certificates are issued by a background job (one task per listener); its page shows the progress.
        try:
            job, started = cohort_issue_start(cohort, by=request.user)
        except DomainError as e:
            messages.error(request, e.message)
            return render(request, "certificates/cohort/issue.html", _cohort_context(request, cohort), status=400)
        if not started:
            messages.info(request, _("The certificates of this cohort are being issued already."))
            if job.owner_id != request.user.pk:
                return redirect("certificates:cohort_certificates", cohort_pk=cohort.pk)
        return redirect("job", pk=job.pk)
    return render(request, "certificates/cohort/issue.html", _cohort_context(request, cohort))


@require_http_methods(["GET", "POST"])
@staff_required("certificates.revoke_certificate")
def certificate_revoke_form(request, pk):
    """Revoke one certificate with the reason; a revoked certificate is shown as such, with no form."""
    certificate = get_object_or_404(Certificate.objects.select_related("enrolment__cohort", "revoked_by"), pk=pk)
    form = None if certificate.revoked_at else RevokeForm(request.POST or None)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            certificate_revoke(
                certificate, by=request.user, category=form.cleaned_data["category"], note=form.cleaned_data["note"]
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("certificates:certificate_staff", pk=certificate.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "certificates/certificate/revoke.html", {"certificate": certificate, "form": form}, status=status
    )
