"""Check the text scanned from a certificate's QR code with no server and no database.

    manage.py verify_certificate_payload "<scanned text>" --public-key certificates-public-key.pem

prints what the code carries (number, holder, hours, dates, course, duplicate) and one of OK (signed by the
organisation's key exactly so), TAMPERED (the text was changed, or signed by another key) or UNSIGNED (only an
address, nothing signed); the exit status is 0 only for OK. Without ``--public-key`` the key of this
installation's settings (or its database) is used.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates import offline

EXIT = {offline.OK: 0, offline.TAMPERED: 1, offline.UNSIGNED: 2}


class Command(BaseCommand):
    help = "Check a certificate's scanned QR text against the organisation's public key (offline)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("payload", help="the text read from the QR code")
        parser.add_argument("--public-key", help="the organisation's public key (PEM), as published at /verify/key/")

    def handle(self, *args, payload, public_key=None, **options):
        if public_key:
            try:
                key = offline.load_public_key(Path(public_key).read_bytes())
            except (OSError, ValueError) as error:
                raise CommandError(_("Cannot read the public key: %(error)s") % {"error": error}) from error
        else:
            from certificates import signing

            key = signing.public_key()
        result = offline.check(payload, key)
        self.stdout.write(_("Address: %(url)s") % {"url": result.url})
        e = result.essentials
        if e is not None:
            rows = [
                (_("Registration number"), e.registration_number),
                (_("Holder"), e.holder),
                (_("Course"), e.program_title),
                (_("Volume, academic hours"), e.hours),
                (_("Date of issue"), f"{e.issued_on:%d.%m.%Y}" if e.issued_on else ""),
                (_("Valid until"), f"{e.valid_until:%d.%m.%Y}" if e.valid_until else ""),
            ]
            if e.is_duplicate:
                rows.append((_("Duplicate issued on"), f"{e.duplicate_issued_on:%d.%m.%Y}"))
            for label, value in rows:
                self.stdout.write(f"{label}: {value}")
        explanation = {
            offline.OK: _("signed by the organisation's key; the state today is on the page at the address"),
            offline.TAMPERED: _("the text was changed or signed by another key: do not trust it"),
            offline.UNSIGNED: _("the code carries no signed data: open the address to check"),
        }[result.status]
        self.stdout.write(f"{result.status}: {explanation}")
        if not result.ok:
            raise SystemExit(EXIT[result.status])
