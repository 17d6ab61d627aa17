"""Public verification of certificates (SPEC 5.3, 5.6; 000 §3.8, 001 §33): the page a QR code opens, its
JSON for employers' systems, the lookup by number and surname, the organisation's public key; and the
holder's Open Badges credential. None of them shows an IIN, a phone, an address or an e-mail."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ziat import access
from ziat.client import client_ip
from ziat.ratelimit import hit, rate_limited

from . import badges, signing
from .enums import CertificateState, RevocationCategory
from .lookup import LookupForm, certificate_by_number_and_surname
from .models import Certificate
from .verification import TEMPLATE, languages, page_html, record_for, site_name, state_of


def _language(request):
    language = getattr(request, "LANGUAGE_CODE", None) or get_language()
    return language if language in languages() else languages()[0]


# The headers ``never_cache`` sets, set at once: the decorator parses and rebuilds Cache-Control twice, which
# took a tenth of this page's time.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def _never_cached(response):
    response.headers["Expires"] = http_date()
    response.headers["Cache-Control"] = NEVER_CACHE
    return response


@rate_limited("verify")
@require_GET
def verify(request, token):
    """The page a QR code opens: prepared ahead (see ``certificates.verification``), the state by today's date.
    Served by ``certificates.middleware.VerificationPageMiddleware`` before the middleware of sessions."""
    html = page_html(token, _language(request))
    if html is None:
        context = {"rec": None, "site_name": site_name(), "here": request.path}
        return _never_cached(render(request, TEMPLATE, context, status=404))
    return _never_cached(HttpResponse(html))


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data, read by employers' systems from anywhere
    return response


def _labels(label):
    out = {}
    for code in languages():
        with translation.override(code):
            out[code] = str(label)
    return out


def verification_json(rec, day=None):
    """The JSON answer: what the paper says and the state on ``day`` (today)."""
    state = state_of(rec, day)
    data = {
        "status": state.value,
        "status_label": _labels(CertificateState(state).label),
        "checked_on": (day or timezone.localdate()).isoformat(),
        "verification_url": rec["verification_url"],
        "registration_number": rec["registration_number"],
        "holder": rec["holder"],
        "program_title": rec["program_title"],
        "hours": rec["hours"],
        "issued_on": rec["issued_on"].isoformat(),
        "valid_until": rec["valid_until"].isoformat(),
        "issuer": rec["issuer"],
        "modules": rec["modules"],
        "revoked": None,
        "replaced": None,
        "duplicate": None,
        "sha256": {k: v or None for k, v in rec["sha256"].items()},
        "public_key": {
            "fingerprint_sha256": signing.fingerprint(),
            "url": settings.SITE_URL + reverse("certificates:public_key_pem"),
        },
    }
    if rec["revoked_on"]:
        category = rec["revoked_category"]
        data["revoked"] = {
            "on": rec["revoked_on"].isoformat(),
            "category": category,
            "category_label": _labels(RevocationCategory(category).label) if category else None,
        }
    if rec["replaced_on"]:
        data["replaced"] = {"on": rec["replaced_on"].isoformat(), "by": rec["replaced_by"]}
        if rec["replaced_by"]:
            data["replaced"]["by"] = {
                "registration_number": rec["replaced_by"]["registration_number"],
                "verification_url": rec["replaced_by"]["verification_url"],
            }
    if rec["duplicate"]:
        data["duplicate"] = {
            "of_registration_number": rec["registration_number"],
            "issued_on": rec["duplicate"]["issued_on"].isoformat(),
        }
    return data


@require_GET
@never_cache
def verify_json(request, token):
    if not hit("verify", client_ip(request)):
        return _json({"error": "rate_limited", "message": _("Too many requests. Try again in a minute.")}, 429)
    rec = record_for(token)
    if rec is None:
        message = _("No certificate with this code was issued by the centre.")
        return _json({"error": "not_found", "message": message}, 404)
    return _json(verification_json(rec))


@rate_limited("verify_lookup", methods=("POST",))
@require_http_methods(["GET", "POST"])
@never_cache
def lookup(request):
    """Find a certificate by its registration number and its holder's surname; both must match."""
    form = LookupForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "site_name": site_name(), "here": request.path, "not_found": False}
    if request.method == "POST":
        if not form.is_valid():
            return TemplateResponse(request, "certificates/verify/lookup.html", context, status=400)
        certificate = certificate_by_number_and_surname(form.cleaned_data["number"], form.cleaned_data["surname"])
        if certificate is None:
            context["not_found"] = True
            return TemplateResponse(request, "certificates/verify/lookup.html", context, status=404)
        return redirect(certificate.verification_path)
    return TemplateResponse(request, "certificates/verify/lookup.html", context)


@require_GET
def public_key(request):
    context = {
        "pem": signing.public_key_pem(),
        "fingerprint": signing.fingerprint_groups(),
        "site_name": site_name(),
        "here": request.path,
    }
    return render(request, "certificates/verify/key.html", context)


@require_GET
def public_key_pem(request):
    response = HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="certificates-public-key.pem"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def public_key_json(request):
    return _json(badges.multikey())


def may_download_badge(user, certificate):
    """The holder, and staff who may view certificates (within their reach)."""
    if not (user.is_authenticated and user.is_active):
        return False
    listener = getattr(user, "listener", None)
    if listener is not None and certificate.enrolment.listener_id == listener.pk:
        return True
    return user.is_staff and access.may(user, "certificates.view_certificate", certificate)


@login_required
@require_GET
def badge(request, pk):
    """The certificate as a signed Open Badges 3.0 credential (JSON-LD), for the holder's wallet."""
    certificate = Certificate.objects.select_related("enrolment", "replaced_by").filter(pk=pk).first()
    if certificate is None or not may_download_badge(request.user, certificate):
        raise Http404
    response = _json(badges.badge(certificate))
    response["Content-Type"] = "application/ld+json"
    response["Content-Disposition"] = f'attachment; filename="badge-{certificate.registration_number}.json"'
    del response["Access-Control-Allow-Origin"]
    return response
