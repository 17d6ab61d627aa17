"""gunicorn's settings, read from the environment (gunicorn loads this file from the working directory).

    gunicorn            # serves ziat.wsgi on GUNICORN_BIND with GUNICORN_WORKERS processes

Every process is alike and keeps nothing another one needs (sessions, caches, rate and login counters and
tasks are in PostgreSQL), so any number of them, on any number of machines, may serve the same database.
Options given on the command line win over these.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name) or default)


wsgi_app = "ziat.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)  # a PDF or an export beyond that belongs to the task worker
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart a worker after this many requests (0: never), with some jitter so they do not restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# The proxies whose X-Forwarded-* headers gunicorn believes (the address of the reverse proxy).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for standard output
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
