"""Legal documents: HTML templates rendered to PDF by WeasyPrint, with QR codes as inline SVG."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def qr_data_uri(url):
    """A QR code of ``url`` as an SVG data URI, sharp at any print size."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


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
    fetcher = URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def pdf_response(pdf, filename, *, inline=True):
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
