"""Submit the online test attempts whose time is over (SPEC 4.2); run every few minutes (cron).

The pages already submit an attempt past its deadline when anyone reads it; this command catches the
attempts of listeners who went away, so that their final results appear without anyone opening them.
"""

from django.core.management.base import BaseCommand

from assessment.services.testing import close_expired_attempts


class Command(BaseCommand):
    help = "Submit and score every unfinished test attempt past its deadline, as of its deadline."

    def handle(self, *args, **options):
        closed = close_expired_attempts()
        self.stdout.write(f"{closed} expired attempt(s) submitted.")
