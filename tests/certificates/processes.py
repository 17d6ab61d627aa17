"""Real OS processes on the test database: task workers and concurrent issuers (see tests/ziat/test_worker.py)."""

import os
import signal
import subprocess
import sys
import time
import urllib.parse

from django.conf import settings
from django.db import connection


def environment():
    """The environment of a process that works on this test's database and media directory."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    database = urllib.parse.urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.certificates.process_settings",
        "DATABASE_URL": database,
        "CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }


def start(command, log):
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment(), stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def start_worker(worker_id, log, *, backend="database"):
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--backend", backend]
    command += ["--no-reload", "--no-startup-delay", "--interval", "0.1", "--worker-id", worker_id, "-v", "1"]
    return start(command, log)


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
