"""Settings for the benchmark: the production settings plus a URLconf with a bare baseline view.

The environment is set by bench/run.py (its own database, DEBUG off, a random SECRET_KEY).
"""

import os

from ziat.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# collectstatic goes to a throw-away directory chosen by bench/run.py, not to the shared var/static.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

# Hashed names from a manifest as in production, without WhiteNoise's compression step
# (which takes ~20 s); pages look up static URLs the same way.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
