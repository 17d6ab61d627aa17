"""Run daily: tell enrolled listeners that their course starts in a few days (once per course)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from enrolment.notifications import course_start_reminders


class Command(BaseCommand):
    help = "Tell enrolled listeners that their course starts within the given number of days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, days, **options):
        with transaction.atomic():
            sent = course_start_reminders(timezone.localdate(), days_ahead=days)
        self.stdout.write(f"{sent}")
