"""Enqueue the periodic tasks on time (settings.PERIODIC_TASKS); safe to run in several copies."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ziat.scheduler import scheduler_tick


class Command(BaseCommand):
    help = "Enqueue the periodic tasks when they are due; several copies enqueue each slot once."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30, help="Seconds between two looks (default 30).")
        parser.add_argument("--once", action="store_true", help="Look once, then exit.")
        parser.add_argument("--backend", default=None, help="The task backend to enqueue on (default: default).")

    def handle(self, *args, interval, once, backend, **options):
        while True:
            close_old_connections()
            for name, slot in scheduler_tick(backend=backend):
                self.stdout.write(f"{slot:%Y-%m-%d %H:%M} {name}")
            if once:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
