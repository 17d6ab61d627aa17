"""The production run end to end: gunicorn with several workers and DEBUG off, the task worker beside it, both
on the production settings and one PostgreSQL database. The director logs in and issues a cohort's
certificates on the staff page; the worker makes the PDF; its QR code opens the public verification page
(000 §3.8, 001 §33, SPEC 5.3)."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from certificates.models import Certificate
from tests.certificates.helpers import course, enrol
from tests.pdfs import qr_texts

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://kurs.example.kz"
PASSWORD = "production-run-password"

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(tmp_path, port):
    """The production settings as a deployment behind a TLS proxy would have them, on the test database."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    database = urllib.parse.urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "production-run-" + "k" * 50,
            "SITE_URL": SITE_URL,
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
            "DATABASE_URL": database,
            "CONN_MAX_AGE": "0",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "EMAIL_URL": "consolemail://",
            # TLS ends at the proxy; this test speaks plain HTTP to the application server itself.
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
        }
    )
    return env


def _start(command, env, log):
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class _Browser:
    """A client with cookies that sends the CSRF token as a browser's form would."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        return self.opener.open(self.base + path, timeout=60)  # noqa: S310

    def post(self, path, data):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})  # noqa: S310
        return self.opener.open(request, timeout=60)


def _wait_until_up(browser, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with browser.get("/health/") as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the production server did not answer its health check")


def _pdf_when_ready(browser, path, seconds=120):
    """The PDF once the worker has made it: the page answers 202 while it is being prepared."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with browser.get(path) as response:
            if response.status == 200 and response.headers["Content-Type"] == "application/pdf":
                return response.read(), response.headers.get("ETag")
            assert response.status == 202, response.status
        time.sleep(0.5)
    raise AssertionError(f"{path} was not made by the worker in time")


def test_gunicorn_and_the_worker_issue_a_certificate_that_its_qr_code_verifies_000_3_8(tmp_path, org, director):
    cohort = course()
    passed = enrol(cohort, last_name="Сейітова", first_name="Әлия")
    # The production settings hash passwords with PBKDF2 (the tests' own settings with a fast hasher).
    hasher = PBKDF2PasswordHasher()
    director.password = hasher.encode(PASSWORD, hasher.salt())
    director.save(update_fields=["password"])
    port = _free_port()
    env = _environment(tmp_path, port)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603

    server_log = (tmp_path / "gunicorn.log").open("w")
    worker_log = (tmp_path / "worker.log").open("w")
    server = _start([sys.executable, "-m", "gunicorn"], env, server_log)
    worker = _start(
        [*manage, "db_worker", "--no-reload", "--interval", "0.2", "--worker-id", "production"], env, worker_log
    )
    try:
        browser = _Browser(f"http://127.0.0.1:{port}")
        _wait_until_up(browser)

        # The director logs in and issues the cohort's certificates on the staff page.
        browser.get("/accounts/login/").close()
        with browser.post("/accounts/login/", {"username": director.username, "password": PASSWORD}) as r:
            assert not r.url.endswith("/accounts/login/"), "the login was refused"
        page = f"/staff/certificates/cohorts/{cohort.pk}/"
        browser.get(page).close()
        with browser.post(page, {}) as r:
            assert r.status == 200
        # The certificates are issued by the worker too, in the background (the page shows the job's progress).
        deadline = time.monotonic() + 120
        while not Certificate.objects.filter(enrolment=passed).exists() and time.monotonic() < deadline:
            time.sleep(0.3)
        certificate = Certificate.objects.get(enrolment=passed)

        # The worker makes the PDF; it is the same file every time it is asked for.
        pdf, etag = _pdf_when_ready(browser, f"/cabinet/certificates/{certificate.pk}/certificate.pdf")
        again, etag_again = _pdf_when_ready(browser, f"/cabinet/certificates/{certificate.pk}/certificate.pdf")
        assert pdf == again and etag == etag_again
        document = pdfium.PdfDocument(pdf)
        text = re.sub(r"\s+", " ", document[0].get_textpage().get_text_range())
        assert certificate.registration_number in text and "Сейітова" in text
        codes = qr_texts(document[0])
        # The QR code carries the page's address, then the certificate's signed essentials after "#".
        assert [code.split("#")[0] for code in codes] == [f"{SITE_URL}/verify/{certificate.token}/"]

        # The QR code's address, asked of the production server, says the certificate is valid.
        with browser.get(urllib.parse.urlsplit(codes[0]).path) as r:
            html = r.read().decode()
        assert r.status == 200
        assert certificate.registration_number in html
        assert 'data-state="valid"' in html
        # The page shows the SHA-256 of the file the worker made, so that a printed or e-mailed PDF can be checked.
        certificate.refresh_from_db()
        assert certificate.certificate_document.sha256 in html
        assert passed.listener.iin not in html
    finally:
        _stop(worker)
        _stop(server)
        server_log.close()
        worker_log.close()
        # Shown by pytest when the test fails: what the server and the worker said.
        print("gunicorn:", (tmp_path / "gunicorn.log").read_text(), sep="\n")
        print("worker:", (tmp_path / "worker.log").read_text(), sep="\n")
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in (tmp_path / "worker.log").read_text()
