"""The WSGI application for gunicorn --preload: Django and the whole URLconf (with its views) are
imported once in the master, so the forked workers answer at once instead of each importing them."""

import os

from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from ziat.wsgi import application  # noqa: E402

get_resolver().url_patterns  # noqa: B018  (imports every view module)

__all__ = ["application"]
