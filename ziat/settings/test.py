"""Settings for the test suite: the real PostgreSQL of DATABASE_URL, fast hashing, mail kept in memory."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "t" * 48)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SITE_URL", "https://kurs.example.kz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The robot check of discussion comments is tested on its own, with its real delay.
os.environ.setdefault("DISCUSSION_COMMENT_MIN_SECONDS", "0")

from .base import *  # noqa: E402,F403
from .base import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "ziat.storage.SignedLinkStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# A cache of the test process itself, emptied before every test (tests/conftest.py), so that query counts do not
# depend on what an earlier test left in it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ziat-tests"}}
# Static files come from the apps' folders in tests (the live server serves them); no collected tree.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# Tasks run at once, inside the request or service that enqueues them (and inside its transaction:
# see ziat.tasking.enqueue_on_commit), so a page answers with the finished document or job. The tests of
# the worker itself enqueue on "database" and start real `db_worker` processes against the test database.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
