"""Rate counters are kept out of the write-ahead log: counting a request then costs no wait for the disk,
and after a crash of the database server the counters start again from zero, which only forgives a few
requests."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ziat", "0007_rate_counters")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE ziat_ratecounter SET UNLOGGED",
            reverse_sql="ALTER TABLE ziat_ratecounter SET LOGGED",
        )
    ]
