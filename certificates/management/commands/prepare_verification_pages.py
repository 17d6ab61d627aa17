"""Render the public verification pages of every certificate and duplicate ahead (certificates.verification).

Issuing, revoking, replacing and duplicating keep them up to date by themselves; run this after a deploy that
changed the page or its translations, or with ``--missing`` to fill in what the cache lost.
"""

from django.core.management.base import BaseCommand

from certificates.verification import languages, prepare_all


class Command(BaseCommand):
    help = "Render the verification pages of all certificates ahead, in every language (or --language)."

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", choices=languages(), help="only these languages")
        parser.add_argument("--missing", action="store_true", help="only the pages not in the cache")

    def handle(self, *args, language=None, missing=False, **options):
        done = prepare_all(languages_=language, missing_only=missing)
        self.stdout.write(f"{done}")
