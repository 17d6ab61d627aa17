from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION ziat_activitylog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The activity log is append-only: its entries are never changed or deleted.';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ziat_activitylog_append_only
    BEFORE UPDATE OR DELETE ON ziat_activitylog
    FOR EACH ROW EXECUTE FUNCTION ziat_activitylog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS ziat_activitylog_append_only ON ziat_activitylog;
DROP FUNCTION IF EXISTS ziat_activitylog_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("ziat", "0003_activity_log")]

    operations = [migrations.RunSQL(APPEND_ONLY, DROP)]
