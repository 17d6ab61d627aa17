"""Delete now what the daily ``prune`` task deletes (ziat.pruning): finished jobs with their files, old task
results and the scheduler's old slots, drafts never sent. Issued documents are never deleted."""

from django.core.management.base import BaseCommand

from ziat.pruning import prune


class Command(BaseCommand):
    help = "Delete the finished jobs and their files, old task results and abandoned drafts past their retention."

    def handle(self, *args, **options):
        for kind, count in prune().items():
            self.stdout.write(f"{kind}: {count}")
