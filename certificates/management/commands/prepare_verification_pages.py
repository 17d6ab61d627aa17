"""Render the public verification pages of every certificate and duplicate ahead (certificates.verification).

Issuing, revoking, replacing and duplicating keep them up to date by themselves, and a page missing is rendered
on its first request. Run it with ``--missing`` after a deploy (the release step), so that the pages of a
changed template, translation or static file are ready before they are asked for; without it, every page is
rendered again. Prints how many certificates and duplicates had pages rendered.
"""

from django.core.management.base import BaseCommand

from certificates.verification import languages, prepare_all


class Command(BaseCommand):
    help = "Render the verification pages of all certificates ahead, in every language (or --language)."

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", choices=languages(), help="only these languages")
        parser.add_argument(
            "--missing", action="store_true", help="only the pages not kept, or kept by another version of the page"
        )

    def handle(self, *args, language=None, missing=False, **options):
        done = prepare_all(languages_=language, missing_only=missing)
        self.stdout.write(f"{done}")
