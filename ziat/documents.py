"""Legal documents: HTML templates rendered to PDF by WeasyPrint, with QR codes as inline images."""

import base64
import collections
import functools
import io
import logging
import re
import threading

import qrcode
import qrcode.image.svg
import zxingcpp
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from . import pdf_forms

_local = threading.local()
logger = logging.getLogger(__name__)


def qr_data_uri(url):
    """A QR code of ``url`` as an SVG data URI, sharp at any print size."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@functools.lru_cache(maxsize=64)
def qr_png_data_uri(text):
    """A QR code of ``text`` (error correction M) as a PNG data URI of one pixel per module, quiet zone included.

    Tiny and cheap to draw; printed with ``image-rendering: pixelated`` it stays sharp at any size, where an
    SVG path of the same code costs WeasyPrint a sixth of a certificate's rendering time. The code is made
    by zxing-cpp (compiled; qrcode's pure-Python choice of the mask took 20 ms), in 8-bit grey, which
    WeasyPrint embeds as it is. The certificate and its appendix print the same code: it is made once.
    """
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = barcode.to_image(scale=1, add_quiet_zones=True)
    height, width = pixels.shape
    image = Image.frombuffer("L", (width, height), bytes(pixels), "raw", "L", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_html(template_name, context, *, language=None):
    """The HTML of a document template, in ``language`` when given."""
    with translation.override(language or translation.get_language()):
        return render_to_string(template_name, context)


def render_pdf(template_name, context, *, language=None):
    """Render a document template to PDF bytes, in ``language`` when given."""
    return html_to_pdf(render_html(template_name, context, language=language))


def html_to_pdf(html):
    """PDF bytes of a document's HTML: printed on its form when the template marks fields (``ziat.pdf_forms``),
    otherwise, or when a field does not fit the form, rendered whole."""
    if pdf_forms.has_fields(html):
        try:
            pdf = pdf_forms.print_on_form(html, layout)
        except Exception:
            # The forms read WeasyPrint's layout: should a new version change it, the document is still made whole.
            logger.exception("The document could not be printed on its form; it is rendered whole")
            pdf = None
        if pdf is not None:
            return pdf
    return layout(html).write_pdf()


def layout(html, extra_head=""):
    """WeasyPrint's laid-out document of ``html``, with ``extra_head`` (style elements) added to its head."""
    # Fonts and images are resolved against the project directory; nothing is fetched from the network.
    base_url = settings.BASE_DIR.as_uri() + "/"
    renderer = _renderer()
    if extra_head:
        html = html.replace("</head>", extra_head + "</head>", 1)
    html, stylesheets = renderer.stylesheets(html, base_url)
    document = HTML(string=html, base_url=base_url, url_fetcher=renderer.fetcher)
    return document.render(font_config=renderer.fonts, stylesheets=stylesheets)


class _Renderer:
    """What WeasyPrint can reuse from one document to the next in a thread: the URL fetcher (local files and
    data URIs only), the font configuration and the parsed style sheets of the documents' heads.

    Making a fetcher builds a TLS context, which alone took longer than WeasyPrint's layout of an empty page;
    a font configuration loads an ``@font-face`` file once and keeps it, where a new one per document read,
    registered and measured the same font files again for every document. A document's ``<style>`` elements
    are the same text for every certificate (or order, or sheet) printed from one template: parsed once, they
    are kept by their text and given to WeasyPrint already parsed, which saved a tenth of a certificate's
    rendering. None of it is shared between threads (the fetcher keeps per-request state; Fontconfig and
    Pango objects are not thread-safe).
    """

    KEPT_STYLE_SHEETS = 32

    def __init__(self):
        self.fetcher = URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.fonts = FontConfiguration()
        self._sheets = collections.OrderedDict()

    def stylesheets(self, html, base_url):
        """The HTML without the ``<style>`` elements of its head, and those style sheets parsed.

        The sheets are given to WeasyPrint as user style sheets, after its own and in the same order, which
        cascades the same as author sheets while the document has no other style sheet: a document with a
        ``<style>`` in its body, a ``<style>`` with attributes or a ``<link>`` is left as it is.
        """
        head, end, body = html.partition("</head>")
        if not end or "<style" in body or "<link" in head:
            return html, []
        texts = _STYLE.findall(head)
        if len(texts) != head.count("<style"):
            return html, []
        sheets = [self._sheet(text, base_url) for text in texts]
        return _STYLE.sub("", head) + end + body, sheets

    def _sheet(self, text, base_url):
        key = (text, base_url)
        sheet = self._sheets.get(key)
        if sheet is None:
            sheet = CSS(string=text, base_url=base_url, url_fetcher=self.fetcher, font_config=self.fonts)
            self._sheets[key] = sheet
            if len(self._sheets) > self.KEPT_STYLE_SHEETS:
                self._sheets.popitem(last=False)
        else:
            self._sheets.move_to_end(key)
        return sheet


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def _renderer():
    """This thread's ``_Renderer``."""
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer


def pdf_response(pdf, filename, *, inline=True):
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
