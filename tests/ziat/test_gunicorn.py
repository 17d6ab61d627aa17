"""The production server: gunicorn with several workers from gunicorn.conf.py, DEBUG off."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url():
    """DATABASE_URL with the test database's name (host, port, user and options kept)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_health_check_with_several_workers_and_debug_off(tmp_path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "DEBUG": "false",
        "SECRET_KEY": "s" * 60,
        "SITE_URL": "https://kurs.example.kz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "STATIC_ROOT": str(tmp_path),
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        body, deadline = None, time.monotonic() + 90
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=20) as response:  # noqa: S310
                    body = response.read()
            except OSError:  # not listening yet, or still loading the application
                time.sleep(0.3)
        assert body == b'{"status": "ok", "database": "ok"}', (tmp_path / "gunicorn.log").read_text()
        # Production settings: plain HTTP is sent to HTTPS (the health check alone is exempt).
        request = urllib.request.Request(f"http://127.0.0.1:{port}/programs/", method="GET")  # noqa: S310
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(request, timeout=5)
        location, code = redirect.value.headers["Location"], redirect.value.code
        redirect.value.close()
        assert code == 301
        assert location.startswith("https://")
        workers = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(workers) == 2
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
