"""What a certificate's QR code carries: the address of its verification page."""


def qr_content(document):
    """The QR text of a certificate or a duplicate."""
    return document.verification_url
