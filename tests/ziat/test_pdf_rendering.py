"""The shared PDF rendering (ziat.documents): style sheets kept between documents and the QR codes' images.

A document's head styles are parsed once per thread and reused; every document must still be printed with its
own styles, cascaded as WeasyPrint cascades a document's ``<style>`` elements.
"""

import base64
import io
import threading

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from ziat.documents import html_to_pdf, qr_png_data_uri

A5 = (419.53, 595.28)  # points
A6 = (297.64, 419.53)


def _page_sizes(pdf):
    return [tuple(round(x, 2) for x in page.get_size()) for page in pdfium.PdfDocument(pdf)]


def _document(head_style, body="<p>Сертификат</p>"):
    return (
        f'<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8"><style>{head_style}</style></head>'
        f"<body>{body}</body></html>"
    )


def test_each_document_is_printed_with_its_own_head_styles_one_after_another():
    assert _page_sizes(html_to_pdf(_document("@page { size: A5 }"))) == [A5]
    assert _page_sizes(html_to_pdf(_document("@page { size: A6 }"))) == [A6]
    assert _page_sizes(html_to_pdf(_document("@page { size: A5 }"))) == [A5]


def test_head_styles_keep_their_specificity_against_a_style_in_the_body():
    """A ``<style>`` in the body is cascaded with the head's as the document's own sheets: the head's more specific
    rule for the first page wins over the body's rule for every page."""
    html = _document("@page :first { size: A5 } @page { size: A6 }", body='<p>1</p><p style="break-before: page">2</p>')
    assert _page_sizes(html_to_pdf(html)) == [A5, A6]
    with_body_style = _document(
        "@page :first { size: A5 }", body='<style>@page { size: A6 }</style><p>1</p><p style="break-before: page">2</p>'
    )
    assert _page_sizes(html_to_pdf(with_body_style)) == [A5, A6]


def test_several_head_styles_cascade_in_their_order():
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page { size: A5 }</style>'
        "<style>@page { size: A6 }</style></head><body><p>1</p></body></html>"
    )
    assert _page_sizes(html_to_pdf(html)) == [A6]


def test_documents_rendered_in_several_threads_at_once_keep_their_styles():
    results = {}

    def render(name, size):
        results[name] = [_page_sizes(html_to_pdf(_document(f"@page {{ size: {size} }}"))) for _ in range(3)]

    threads = [threading.Thread(target=render, args=(n, s)) for n, s in (("a5", "A5"), ("a6", "A6"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"a5": [[A5]] * 3, "a6": [[A6]] * 3}


@pytest.mark.parametrize(
    "text",
    [
        "https://kurs.example.kz/verify/" + "b" * 43 + "/#K" + "x" * 150 + "." + "y" * 86,
        "https://kurs.example.kz/events/verify/abc/",
    ],
)
def test_qr_png_is_one_pixel_per_module_with_a_quiet_zone_and_reads_back(text):
    uri = qr_png_data_uri(text)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.partition(",")[2])))
    assert image.width == image.height and (image.width - 8 - 21) % 4 == 0  # versions grow by 4 modules
    assert image.getpixel((0, 0)) == image.getpixel((3, 3)) == 255  # the quiet zone of 4 modules
    assert image.getpixel((4, 4)) == 0  # the finder pattern's corner
    big = image.resize((image.width * 8, image.height * 8), Image.Resampling.NEAREST)
    assert [b.text for b in zxingcpp.read_barcodes(big)] == [text]
