"""TVET internships' pages (SPEC 5.5; 001 §30, App. 5, App. 6): staff record the enterprise's reference and
the director issues the internship certificate; the listener downloads it; anyone verifies it by its QR."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enrolment.models import Enrolment
from ziat import access
from ziat.errors import DomainError
from ziat.listing import listing
from ziat.ratelimit import rate_limited
from ziat.refusals import refused, staff_required

from .filters import InternshipFilter
from .forms import InternshipForm
from .internships import (
    FIELDS,
    ISSUE_PERMISSION,
    RECORD_PERMISSION,
    internship_certificate_for_verification,
    internship_certificate_issue,
    internship_certificate_page,
    internship_record,
    internship_reference_page,
    is_internship_enrolment,
)
from .models import Internship, InternshipCertificate

VIEW_PERMISSION = "certificates.view_certificate"
PER_PAGE = 100


def _enrolment(enrolment_pk, user):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort__program", "listener__user"), pk=enrolment_pk
    )
    access.check(user, VIEW_PERMISSION, enrolment)
    return enrolment


def _internship(enrolment):
    return (
        Internship.objects.select_related("recorded_by", "certificate__issued_by").filter(enrolment=enrolment).first()
    )


def _certificate_of(internship):
    return getattr(internship, "certificate", None) if internship is not None else None


@require_GET
@staff_required(VIEW_PERMISSION)
def internship_list(request):
    """The listeners of TVET internship courses, with their recorded references and certificates."""
    found = access.scope(
        request.user,
        Enrolment.objects.filter(cohort__program__is_internship=True)
        .select_related("cohort", "listener__user", "internship__certificate")
        .order_by("-cohort__starts_on", "cohort__code", "listener__user__last_name", "pk"),
    )
    listed = listing(request, InternshipFilter, found, per_page=PER_PAGE)
    rows = []
    for e in listed.rows:
        internship = getattr(e, "internship", None)
        rows.append((e, internship, _certificate_of(internship)))
    context = {"list": listed, "rows": rows}
    return render(request, "certificates/internship/list.html", context, status=listed.status)


def _detail_context(request, enrolment, internship, form):
    certificate = _certificate_of(internship)
    return {
        "enrolment": enrolment,
        "internship": internship,
        "certificate": certificate,
        "form": form,
        "is_internship": is_internship_enrolment(enrolment),
        "may_record": request.user.has_perm(RECORD_PERMISSION) and certificate is None,
        "may_issue": request.user.has_perm(ISSUE_PERMISSION) and internship is not None and certificate is None,
    }


@require_http_methods(["GET", "POST"])
@staff_required(VIEW_PERMISSION)
def internship_detail(request, enrolment_pk):
    """The enterprise's reference of one listener: shown, recorded or corrected (before the certificate)."""
    enrolment = _enrolment(enrolment_pk, request.user)
    internship = _internship(enrolment)
    initial = {name: getattr(internship, name) for name in FIELDS} if internship else None
    if request.method == "POST":
        if not request.user.has_perm(RECORD_PERMISSION):
            return refused(request, _("Your role does not record internships."))
        form = InternshipForm(request.POST)
        if form.is_valid():
            try:
                internship_record(enrolment, by=request.user, **form.cleaned_data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The enterprise's reference is recorded."))
                return redirect("certificates:internship_detail", enrolment_pk=enrolment.pk)
        context = _detail_context(request, enrolment, internship, form)
        return render(request, "certificates/internship/detail.html", context, status=400)
    form = InternshipForm(initial=initial)
    return render(request, "certificates/internship/detail.html", _detail_context(request, enrolment, internship, form))


@require_POST
@staff_required(ISSUE_PERMISSION)
def internship_issue(request, enrolment_pk):
    """The director issues the internship certificate on the basis of the recorded reference (001 §30)."""
    enrolment = _enrolment(enrolment_pk, request.user)
    internship = _internship(enrolment)
    if internship is None:
        messages.error(request, _("Record the enterprise's reference first."))
        context = _detail_context(request, enrolment, None, InternshipForm())
        return render(request, "certificates/internship/detail.html", context, status=400)
    try:
        certificate = internship_certificate_issue(internship, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        context = _detail_context(request, enrolment, _internship(enrolment), InternshipForm())
        return render(request, "certificates/internship/detail.html", context, status=400)
    messages.success(
        request, _("Internship certificate № %(number)s issued.") % {"number": certificate.registration_number}
    )
    return redirect("certificates:internship_detail", enrolment_pk=enrolment.pk)


@require_http_methods(["GET", "POST"])
@staff_required(VIEW_PERMISSION)
def internship_reference_pdf(request, enrolment_pk):
    """The recorded reference printed on the form of 001 App. 5."""
    internship = _internship(_enrolment(enrolment_pk, request.user))
    if internship is None:
        raise Http404
    return internship_reference_page(request, internship)


@require_http_methods(["GET", "POST"])
@staff_required(VIEW_PERMISSION)
def internship_certificate_staff_pdf(request, enrolment_pk):
    certificate = _certificate_of(_internship(_enrolment(enrolment_pk, request.user)))
    if certificate is None:
        raise Http404
    return internship_certificate_page(request, certificate)


@login_required
@require_http_methods(["GET", "POST"])
def internship_certificate_pdf(request, pk):
    """The holder's internship certificate (their own only; staff who read the register too)."""
    certificate = (
        InternshipCertificate.objects.select_related("internship__enrolment", "document").filter(pk=pk).first()
    )
    if certificate is None or not access.may(request.user, None, certificate):
        raise Http404
    own = getattr(request.user, "listener", None)
    if not (own is not None and own.pk == certificate.internship.enrolment.listener_id) and not (
        request.user.is_staff and request.user.has_perm(VIEW_PERMISSION)
    ):
        raise Http404
    return internship_certificate_page(request, certificate)


@rate_limited("verify")
@require_GET
@never_cache
def verify_internship(request, token):
    """The public page the internship certificate's QR code opens: what the paper says, no personal data."""
    certificate = internship_certificate_for_verification(token)
    if certificate is None:
        return render(request, "certificates/internship/verify.html", {"certificate": None}, status=404)
    doc = certificate.snapshot
    language = "kk" if translation.get_language() == "kk" else "ru"
    context = {
        "certificate": certificate,
        "doc": doc,
        "program_title": doc["program_title"][language] or doc["program_title"]["kk" if language == "ru" else "ru"],
        "organisation_name": doc["organisation"]["name"][language],
    }
    return render(request, "certificates/internship/verify.html", context)
