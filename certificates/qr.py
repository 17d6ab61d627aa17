"""What a certificate's QR code carries: the address of its verification page, with the certificate's
essentials signed by the organisation's Ed25519 key in the address's fragment (see ``certificates.signing``),
so that the printed form can be checked offline too."""

from .signing import signed_qr_text


def qr_content(document):
    """The QR text of a certificate or a duplicate."""
    return signed_qr_text(document)
