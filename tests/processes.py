"""Real OS processes on the test database: task workers and concurrent issuers."""

import os
import signal
import subprocess
import sys
import time
import urllib.parse

from django.conf import settings
from django.db import connection

# The tests' settings with tasks kept in the database: a document's rendering waits in its queue.
QUEUED = "tests.certificates.process_settings"


def environment(settings_module=QUEUED):
    """The environment of a process that works on this test's database and media directory."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    database = urllib.parse.urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database,
        "CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }


def start(command, log, *, settings_module=QUEUED):
    env = environment(settings_module)
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def start_worker(worker_id, log, *, backend="database", settings_module=QUEUED, interval="0.1", verbosity="1"):
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--backend", backend]
    command += ["--no-reload", "--no-startup-delay", "--interval", interval, "--worker-id", worker_id]
    return start([*command, "-v", verbosity], log, settings_module=settings_module)


def wait(condition, what, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
