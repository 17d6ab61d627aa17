"""The production settings refuse to load without what a deployment needs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 60,
    "SITE_URL": "https://kurs.example.kz",
    "ALLOWED_HOSTS": "kurs.example.kz",
    "DATABASE_URL": "postgres://ziat@localhost/ziat",
}


def _load(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in BASE and k != "ALLOW_LOCAL_SITE_URL"}
    env.update(BASE)
    env.update(DJANGO_SETTINGS_MODULE="ziat.settings.base")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_production_settings_load_with_what_they_need():
    result = _load()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://kurs.example.kz"


def test_no_secret_key_is_refused():
    result = _load(SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_no_site_url_is_refused_without_debug():
    result = _load(SITE_URL=None)
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8000", "http://127.0.0.1:8000", "https://127.0.0.2", "http://[::1]:8000", "http://0.0.0.0"],
)
def test_a_local_site_url_is_refused_without_debug_qr_codes_must_not_point_at_localhost(url):
    result = _load(SITE_URL=url)
    assert result.returncode != 0
    assert "SITE_URL points at this machine" in result.stderr


def test_a_local_site_url_is_allowed_with_the_explicit_override():
    result = _load(SITE_URL="http://127.0.0.1:8000", ALLOW_LOCAL_SITE_URL="true")
    assert result.returncode == 0, result.stderr


def test_a_local_site_url_is_fine_in_development():
    result = _load(SITE_URL=None, SECRET_KEY=None, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000"


def test_a_site_url_that_is_not_an_address_is_refused():
    result = _load(SITE_URL="kurs.example.kz")
    assert result.returncode != 0


def test_the_shared_cache_is_the_database_and_not_process_memory():
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    env = {**os.environ, **BASE, "DJANGO_SETTINGS_MODULE": "ziat.settings.base"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


def test_s3_media_is_chosen_by_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; print(s.STORAGES['default']['BACKEND'])"
    )
    env = {**os.environ, **BASE, "DJANGO_SETTINGS_MODULE": "ziat.settings.base", "MEDIA_S3_BUCKET": "ziat-media"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "storages.backends.s3.S3Storage"


def test_the_shared_cache_table_exists(db):
    from django.core.cache import cache

    cache.set("shared", 41)
    assert cache.get("shared") == 41
