"""Uploaded documents: the type is checked by content, not by the name, and the size is limited."""

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import DomainError

# Extensions accepted for documents, and the content types they must have.
DOCUMENT_TYPES = {
    "pdf": {"pdf"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
}
SCAN_TYPES = {k: v for k, v in DOCUMENT_TYPES.items() if k in ("pdf", "jpg", "jpeg", "png")}


def check_document(upload, *, types=None, max_bytes=None):
    """Raise a translated DomainError unless ``upload`` is what its extension says and small enough."""
    types = DOCUMENT_TYPES if types is None else types
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in types:
        raise DomainError(
            _("Files of this type are not accepted; send one of: %(types)s.")
            % {"types": ", ".join(sorted({e.upper() for e in types}))}
        )
    if upload.size > max_bytes:
        raise DomainError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in types[extension]:
        raise DomainError(
            _("The file “%(name)s” is not a %(type)s file, whatever its name says.")
            % {"name": name, "type": extension.upper()}
        )
    return upload
