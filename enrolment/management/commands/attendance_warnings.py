"""Warn listeners whose attendance is at risk or out of reach (SPEC 3.3, 001 §24); run daily (cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from enrolment.services.attendance_warnings import attendance_warn_all


class Command(BaseCommand):
    help = "Warn listeners (and the registrar) whose 80% attendance is at risk or can no longer be reached."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Count the sessions held before this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options):
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD") from None
        else:
            today = timezone.now()
        warned = attendance_warn_all(today=today)
        self.stdout.write(f"{len(warned)} attendance warning(s) sent.")
