"""Uploaded files on the file system, reached only through links that expire.

No directory of uploads is served under a public address. The pages that check who may read a document serve
it themselves (``ziat.stored_documents``, the applications', programs' and planning's download views). Where a
file's address is asked of the storage itself (the back-office's link to a record's file, the organisation's
logo), the storage answers with a signed link that names the file and expires after
``settings.MEDIA_LINK_MAX_AGE`` seconds: it is only ever written into a page that its reader was allowed to
open, as an S3-compatible bucket's presigned links are (``querystring_auth``, the other storage of the
settings). ``stored_file`` serves such a link; a link altered, expired or naming a vanished file answers 404.
"""

import mimetypes

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404
from django.urls import reverse
from django.views.decorators.http import require_GET

SALT = "ziat.storage.link"
# Shown in the browser; anything else is downloaded, so that an uploaded page or script never runs on the site.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


class SignedLinkStorage(FileSystemStorage):
    def url(self, name):
        if name is None:
            raise ValueError("This file is not accessible via a URL.")
        return reverse("stored_file", args=[signing.dumps(str(name), salt=SALT, compress=True)])


@require_GET
def stored_file(request, token):
    try:
        name = signing.loads(token, salt=SALT, max_age=settings.MEDIA_LINK_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(name, str) or not default_storage.exists(name):
        raise Http404
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=kind not in INLINE_TYPES,
        filename=name.rsplit("/", 1)[-1],
        content_type=kind,
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
