"""The director's certificate pages: issuing a cohort's certificates (000 §3.7, 001 §29), revoking one with
its reason (000 §3.8, 001 §33), a duplicate and a corrected reissue (SPEC 5.6); staff who may read the register
see the cohort's page without its button, and the register itself (003 §7.6)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessment.outcomes import cohort_outcomes
from enrolment.models import Cohort
from ziat import access
from ziat.errors import DomainError
from ziat.exports import export_start
from ziat.listing import listing
from ziat.refusals import refused, staff_required

from .bulk import cohort_issue_job, cohort_issue_start
from .filters import RegisterFilter
from .forms import DuplicateForm, ReissueForm, RevokeForm
from .lifecycle import certificate_reissue, duplicate_issue
from .models import Certificate
from .selectors import register_rows
from .services import certificate_revoke

# The register's rows on a page.
PAGE_SIZE = 50


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
    access.check(request.user, "certificates.view_certificate", cohort)
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
    access.check(request.user, "certificates.revoke_certificate", certificate)
    form = None if certificate.revoked_at else RevokeForm(request.POST if request.method == "POST" else None)
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


def _lifecycle_form(request, pk, *, perm, form_class, template, act, done):
    """A page with one form that posts to a lifecycle service; a revoked or replaced certificate shows why there
    is no form. Refused input answers 400 with the reasons, and nothing is changed."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__cohort", "replaced_by", "revoked_by"), pk=pk
    )
    access.check(request.user, perm, certificate)
    current = not (certificate.revoked_at or certificate.replaced_at)
    form = form_class(request.POST if request.method == "POST" else None) if current else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            shown = act(certificate, form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, done)
            return redirect("certificates:certificate_staff", pk=shown.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"certificate": certificate, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_required("certificates.issue_certificate")
def certificate_duplicate_form(request, pk):
    """Issue a duplicate of a lost or damaged certificate (SPEC 5.6): same number, its own date and QR code."""
    return _lifecycle_form(
        request,
        pk,
        perm="certificates.issue_certificate",
        form_class=DuplicateForm,
        template="certificates/certificate/duplicate.html",
        act=lambda c, data: duplicate_issue(c, by=request.user, reason=data["reason"], note=data["note"]).certificate,
        done=_("The duplicate is issued."),
    )


@require_http_methods(["GET", "POST"])
@staff_required("certificates.issue_certificate")
def certificate_reissue_form(request, pk):
    """Replace a certificate by a corrected one with a new registration number (SPEC 5.6, 000 §3.8)."""
    return _lifecycle_form(
        request,
        pk,
        perm="certificates.issue_certificate",
        form_class=ReissueForm,
        template="certificates/certificate/reissue.html",
        act=lambda c, data: certificate_reissue(c, by=request.user, reason_note=data["note"]),
        done=_("The corrected certificate is issued."),
    )


@require_GET
@staff_required("certificates.view_certificate")
def register(request):
    """The register of issued certificates (003 §7.6): searched, filtered and paged; revoked and replaced too."""
    found = listing(request, RegisterFilter, register_rows(), per_page=PAGE_SIZE)
    return render(request, "certificates/register/list.html", {"list": found}, status=found.status)


@require_http_methods(["GET", "POST"])
@staff_required("certificates.view_certificate")
def register_export(request):
    """The current selection of the register as an Excel workbook, written by a background job (started by a
    POST; a GET shows the button that starts it)."""
    found = listing(request, RegisterFilter, register_rows(), per_page=PAGE_SIZE)
    if found.invalid:
        return render(request, "certificates/register/list.html", {"list": found}, status=found.status)
    return export_start(
        request,
        builder="certificates.register.register_file",
        kwargs={"filters": found.filters.plain(), "language": translation.get_language()},
        filename="certificate-register.xlsx",
        title=_("Register of certificates"),
    )
