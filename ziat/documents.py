"""Legal documents: HTML templates rendered to PDF by WeasyPrint, with QR codes as inline images."""

import base64
import io
import threading

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

_local = threading.local()


def qr_data_uri(url):
    """A QR code of ``url`` as an SVG data URI, sharp at any print size."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def qr_png_data_uri(text):
    """A QR code of ``text`` as a PNG data URI of one pixel per module (quiet zone included).

    Tiny and cheap to draw; printed with ``image-rendering: pixelated`` it stays sharp at any size, where an
    SVG path of the same code costs WeasyPrint a sixth of a certificate's rendering time.
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    image = Image.new("1", (len(matrix), len(matrix)))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_html(template_name, context, *, language=None):
    """The HTML of a document template, in ``language`` when given."""
    with translation.override(language or translation.get_language()):
        return render_to_string(template_name, context)


def render_pdf(template_name, context, *, language=None):
    """Render a document template to PDF bytes, in ``language`` when given."""
    return html_to_pdf(render_html(template_name, context, language=language))


def html_to_pdf(html):
    """PDF bytes of a document's HTML."""
    # Fonts and images are resolved against the project directory; nothing is fetched from the network.
    base_url = settings.BASE_DIR.as_uri() + "/"
    fetcher, fonts = _renderer()
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(font_config=fonts)


def _renderer():
    """The URL fetcher (local files and data URIs only) and the font configuration, made once per thread.

    Making a fetcher builds a TLS context, which alone took longer than WeasyPrint's layout of an empty page;
    a font configuration loads an ``@font-face`` file once and keeps it, where a new one per document read,
    registered and measured the same font files again for every document. Neither is shared between threads
    (the fetcher keeps per-request state; Fontconfig and Pango objects are not thread-safe).
    """
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        fetcher = URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)
        renderer = _local.renderer = (fetcher, FontConfiguration())
    return renderer


def pdf_response(pdf, filename, *, inline=True):
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
