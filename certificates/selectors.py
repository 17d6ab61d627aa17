import re

from django.db.models import Prefetch

from .models import AppendixLine, Certificate

# Tokens are URL-safe base64 (``secrets.token_urlsafe``) and fit the 64-character column.
_TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,64}")


def certificate_for_verification(token):
    """The certificate with its appendix lines, in two queries; None when the token is unknown or malformed."""
    if not _TOKEN_FORMAT.fullmatch(token or ""):
        return None  # e.g. a NUL byte, which PostgreSQL refuses with an error instead of finding nothing
    lines = Prefetch("lines", queryset=AppendixLine.objects.order_by("position"))
    return Certificate.objects.prefetch_related(lines).filter(token=token).first()


def certificate_for_document(pk):
    lines = Prefetch("lines", queryset=AppendixLine.objects.order_by("position"))
    return (
        Certificate.objects.select_related("enrolment__listener", "certificate_document", "appendix_document")
        .prefetch_related(lines)
        .filter(pk=pk)
        .first()
    )
