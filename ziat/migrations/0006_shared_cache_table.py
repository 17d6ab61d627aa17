"""The table of the cache shared by every process (settings.CACHES, ziat.cache.DatabaseCache)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("ziat", "0005_stored_documents_jobs_schedule")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
