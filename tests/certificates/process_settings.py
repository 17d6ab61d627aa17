"""Settings of the worker and issuer processes that tests start against the test database: the tests' settings,
with tasks kept in the database (a document's rendering waits in its queue instead of running inside the issue)
and the media directory of the test that started them."""

import os

from ziat.settings.test import *  # noqa: F403

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
if os.environ.get("MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["MEDIA_ROOT"]
