"""Documents kept as files: requested by a page, made by a task, served as the same bytes every time.

``document_request`` finds or creates the ``StoredDocument`` of a kind and key. A *final* document (a signed
order, an accepted contract, an issued certificate) is keyed by its object alone: once made, its file never
changes, whatever is edited later. A document of a record that can still change (a draft order, a contract
not yet accepted, a reference) is keyed by the fingerprint of the HTML it prints, so each version is its own
file and a changed record is never served stale. The HTML is taken when the document is requested and the
task only turns it into PDF, so the file is exactly what was asked for.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .documents import html_to_pdf, render_html
from .models import StoredDocument
from .tasking import enqueue_on_commit

logger = logging.getLogger(__name__)


_FINISHERS = {}


def register_finisher(kind, finish):
    """Have ``finish(pdf) -> pdf`` applied to the PDF of every document of ``kind`` before its file is kept (an
    app's signature on its issued documents): the file kept, and its SHA-256, are those of the finished PDF."""
    _FINISHERS[kind] = finish


def _sha256(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()


def _found(*, kind, key, template, context, language, final):
    """``(document or None, its key, the HTML or None)``: the stored document of this version of the record, read
    only. The HTML is rendered only when it is part of the key (a record that can still change)."""
    key = f"{key}:{language or '-'}"
    html = None
    if not final:
        html = render_html(template, context(), language=language)
        key = f"{key}:{_sha256(html)[:32]}"
    return StoredDocument.objects.filter(kind=kind, key=key).first(), key, html


def document_request(*, kind, key, filename, template, context, language=None, final):
    """The stored document of ``kind`` and ``key``; a new one is rendered by a task.

    ``context`` is a callable that returns the template's context; it is called only when the HTML is
    needed (always for a changing record, whose fingerprint is the HTML; once for a final one).
    ``language`` is part of the key.
    """
    document, key, html = _found(kind=kind, key=key, template=template, context=context, language=language, final=final)
    if document is not None and document.status != StoredDocument.Status.FAILED:
        return document
    if html is None:
        html = render_html(template, context(), language=language)
    return _create_or_retry(kind=kind, key=key, filename=filename, html=html)


def _create_or_retry(*, kind, key, filename, html):
    try:
        with transaction.atomic():
            document, created = StoredDocument.objects.select_for_update().get_or_create(
                kind=kind, key=key, defaults={"filename": filename, "source": html}
            )
            if not created:
                if document.status != StoredDocument.Status.FAILED:
                    return document
                document.status, document.error, document.source = StoredDocument.Status.PENDING, "", html
                document.save(update_fields=["status", "error", "source"])
    except IntegrityError:  # made at the same moment by another request
        return StoredDocument.objects.get(kind=kind, key=key)
    from .tasks import render_document

    enqueue_on_commit(render_document, document.pk)
    document.refresh_from_db()
    return document


def document_render(document_id):
    """Turn a pending document's HTML into its file; a document already made is left as it is.

    Returns the document's status, or "missing" when the row is gone.
    """
    with transaction.atomic():
        document = StoredDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            logger.warning("Stored document %s no longer exists; nothing to render", document_id)
            return "missing"
        if document.status != StoredDocument.Status.PENDING:
            return document.status
        try:
            pdf = html_to_pdf(document.source)
            if finish := _FINISHERS.get(document.kind):
                pdf = finish(pdf)
        except Exception as e:
            logger.exception("Stored document %s could not be rendered", document_id)
            document.status, document.error = StoredDocument.Status.FAILED, f"{type(e).__name__}: {e}"
            document.finished_at = timezone.now()
            document.save(update_fields=["status", "error", "finished_at"])
            return document.status
        document.file.save(document.filename, ContentFile(pdf), save=False)
        document.sha256, document.size = _sha256(pdf), len(pdf)
        document.status, document.source, document.finished_at = StoredDocument.Status.READY, "", timezone.now()
        document.save(update_fields=["file", "sha256", "size", "status", "source", "finished_at"])
        return document.status


def kept_document(owner, field, request):
    """The stored document an issued record keeps in ``field``; ``request()`` asks for it again (and the record
    keeps the new one) only when it was never made or its making failed."""
    document = getattr(owner, field)
    if document is None or document.status == StoredDocument.Status.FAILED:
        document = request()
        setattr(owner, field, document)
        owner.save(update_fields=[field])
    return document


def kept_document_view(request, owner, field, ask):
    """The page of a document an issued record keeps in ``field``, once the caller has checked that the user may
    see the record. A GET serves the file, or says that it is being prepared or could not be made, and changes
    nothing; a POST (the page's "Try again") asks for a document never made or whose making failed."""
    if request.method == "POST":
        kept_document(owner, field, ask)
        return redirect(request.get_full_path())
    return document_response(request, getattr(owner, field), retry=True)


def document_response(request, document, *, inline=True, retry=False):
    """The document's file with its checksum as ETag, or a page saying it is being prepared (``None``: not asked
    for yet) or could not be made. ``retry``: that page asks again by a POST to the same address
    (``kept_document_view``), else by a link."""
    if document is not None and document.status == StoredDocument.Status.READY:
        etag = f'"{document.sha256}"'
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            # A document is small (a few hundred kilobytes): read whole, so the file is closed at once.
            with document.file.open("rb") as handle:
                response = HttpResponse(handle.read(), content_type="application/pdf")
            disposition = "inline" if inline else "attachment"
            response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        return response
    failed = document is not None and document.status == StoredDocument.Status.FAILED
    context = {
        "document": document,
        "failed": failed,
        "retry": retry,
        "title": _("The document could not be prepared") if failed else _("The document is being prepared"),
    }
    response = render(request, "ziat/document_pending.html", context, status=500 if failed else 202)
    response["Cache-Control"] = "no-store"
    return response


def document_view(request, *, kind, key, filename, template, context, language=None, final, inline=True):
    """A PDF view's answer, once the caller has checked that the user may see the record. A GET only reads: it
    serves the stored document of this version of the record, or the page that waits for it; a version never
    asked for gets a page whose form asks for it (sent by its script at once). A POST asks for the document (a
    new version, or one whose making failed) and comes back to the GET."""
    if request.method == "POST":
        document_request(
            kind=kind, key=key, filename=filename, template=template, context=context, language=language, final=final
        )
        return redirect(request.get_full_path())
    document, _key, _html = _found(
        kind=kind, key=key, template=template, context=context, language=language, final=final
    )
    return document_response(request, document, inline=inline, retry=True)
