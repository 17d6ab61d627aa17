"""Reading the PDFs the system makes back, as a reader or a phone would."""

import pypdfium2 as pdfium
import zxingcpp


def qr_texts(page):
    """The texts of the QR codes on a page (a pypdfium2 page, or PDF bytes for their first page), rendered at
    200 dpi, else at 300 or 400: a code of small modules that one sampling misses, another reads."""
    if isinstance(page, bytes):
        page = pdfium.PdfDocument(page)[0]
    for dpi in (200, 300, 400):
        image = page.render(scale=dpi / 72).to_pil()
        found = [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]
        if found:
            return found
    return []
