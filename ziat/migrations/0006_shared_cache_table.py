"""The table of the cache shared by every process (settings.CACHES, ziat.cache.DatabaseCache)."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# The LOCATION of the database cache in settings.CACHES; made whatever cache the settings of the migrating
# process name (the test settings keep a cache in memory, but the production processes of a test share it).
TABLE = "ziat_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


class Migration(migrations.Migration):
    dependencies = [("ziat", "0005_stored_documents_jobs_schedule")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
