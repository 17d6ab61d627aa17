"""Give the certificates recorded before snapshots were kept their printed fields, and ask for the files of the
issued records that have none (certificates.legacy). Run it after a release; it is idempotent."""

from django.core.management.base import BaseCommand

from certificates.legacy import legacy_documents_prepare


class Command(BaseCommand):
    help = "Prepare the snapshots and files of issued certificates, duplicates and references that lack them."

    def handle(self, *args, **options):
        for kind, count in legacy_documents_prepare().items():
            self.stdout.write(f"{kind}: {count}")
