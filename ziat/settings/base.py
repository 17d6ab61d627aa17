"""Settings read from the environment (see README for the variables).

Defaults are safe for production: DEBUG is off, cookies are secure and HTTPS is enforced
unless the environment says otherwise.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def _is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "insecure-development-key-" + "x" * 40)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY in the environment.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
# The public address of the site, printed in QR codes and mails: required in production, and never a
# local address there (a certificate's QR code would point at the reader's own machine) unless
# ALLOW_LOCAL_SITE_URL says that this is a benchmark or a test run on one machine.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise environ.ImproperlyConfigured("Set SITE_URL (e.g. https://kurs.example.kz) in the environment.")
_site_host = (urlsplit(SITE_URL).hostname or "").lower()
if not _site_host or urlsplit(SITE_URL).scheme not in ("http", "https"):
    raise environ.ImproperlyConfigured("SITE_URL must be an http(s) address, e.g. https://kurs.example.kz.")
if (
    not DEBUG
    and not env.bool("ALLOW_LOCAL_SITE_URL", default=False)
    and (_site_host == "localhost" or _site_host.endswith(".localhost") or _is_loopback(_site_host))
):
    raise environ.ImproperlyConfigured(
        f"SITE_URL points at this machine ({_site_host}); QR codes would be useless. Set the public address, "
        "or ALLOW_LOCAL_SITE_URL=true for a benchmark or a test on one machine."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Prepared statements. Django's own cursors bind parameters on the client and are never prepared; the one cursor
# that binds on the server is the read of the public verification page (certificates/verification.py), whose plan
# PostgreSQL then keeps per connection: it halves what the read costs the database. Turn them off behind a pooler
# that does not keep prepared statements (PgBouncer before 1.21 in transaction mode).
if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's widget templates, found by the project's form renderer (ziat.forms.FormRenderer).
    "django.forms",
    "axes",
    "ziat",
    # After ziat: ziat's db_worker (the same worker with a lease) takes the place of the package's.
    "django_tasks_db",
    "programs",
    "enrolment",
    "assessment",
    "certificates",
    "postcourse",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The verification page a QR code opens is answered here, before the middleware of the visitor's session,
    # which it does not read; it does what the locale, common and clickjacking middleware do for it itself
    # (certificates/middleware.py).
    "certificates.middleware.VerificationPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ziat.urls"
WSGI_APPLICATION = "ziat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ziat.context_processors.organisation",
            ],
        },
    },
]

# Every form renders through the project's templates (templates/ziat/forms/): label, input, help, own errors.
FORM_RENDERER = "ziat.forms.FormRenderer"

AUTH_USER_MODEL = "ziat.User"
AUTHENTICATION_BACKENDS = ["ziat.auth.LoginThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Kazakh number and date formats (Django ships none): ziat/formats/kk/formats.py.
FORMAT_MODULE_PATH = ["ziat.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# Uploaded documents are never served under a public URL: every one goes through a view that checks who
# may read it. On the file system (MEDIA_ROOT) or, with MEDIA_S3_BUCKET, in an S3-compatible bucket.
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
_media_bucket = env.str("MEDIA_S3_BUCKET", default="")
_media_storage = {"BACKEND": "ziat.storage.SignedLinkStorage"}
# How long a link to an uploaded file, written into a page its reader may open, stays valid (ziat/storage.py).
MEDIA_LINK_MAX_AGE = env.int("MEDIA_LINK_MAX_AGE", default=60 * 60)
if _media_bucket:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _media_bucket,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest document a user may upload (program files, scans, lists).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# A discussion comment sent sooner than this after the form was shown is taken for a robot.
DISCUSSION_COMMENT_MIN_SECONDS = env.int("DISCUSSION_COMMENT_MIN_SECONDS", default=3)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

# Background work (README, "Background work"): tasks are kept in PostgreSQL and run by
# `manage.py db_worker`; `manage.py run_scheduler` enqueues the periodic ones.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task whose worker died is run again at most this many times in all, then marked failed.
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=3)
# The periodic tasks: daily at a local time (TIME_ZONE) or every few minutes.
PERIODIC_TASKS = {
    "remind_course_start": {"task": "enrolment.tasks.remind_course_start", "daily_at": "08:00"},
    "attendance_warnings": {"task": "enrolment.tasks.attendance_warnings", "daily_at": "20:00"},
    "planning_reminders": {"task": "enrolment.tasks.planning_reminders", "daily_at": "08:30"},
    "close_expired_attempts": {"task": "assessment.tasks.close_expired_attempts", "every_minutes": 5},
    "send_follow_ups": {"task": "postcourse.tasks.send_follow_ups", "daily_at": "09:00"},
    "remind_consultations": {"task": "postcourse.tasks.remind_consultations", "daily_at": "09:10"},
    "nobd_deadlines": {"task": "monitoring.tasks.nobd_deadlines", "daily_at": "07:00"},
    # Rows derived from others, which pages read and never write: the NOBD deadlines of the cohorts just finished
    # and the monitoring dashboard's kept figures of finished cohorts changed since.
    "nobd_deadlines_ensure": {"task": "monitoring.tasks.nobd_deadlines_ensure", "every_minutes": 15},
    "cohort_figures": {"task": "monitoring.tasks.cohort_figures", "every_minutes": 10},
    "prune": {"task": "ziat.tasks.prune", "daily_at": "03:30"},
}
# Retention (ziat.pruning, README "Production"), in days: what the daily ``prune`` deletes once it is this old.
# Issued documents, registers, the activity log and what the regulation keeps are never deleted.
# Finished background jobs with their files (exports, uploaded workbooks); unfinished ones started as long ago.
RETENTION_JOBS_DAYS = env.int("RETENTION_JOBS_DAYS", default=14)
# Results of finished tasks (django-tasks-db) and the scheduler's record of its slots.
RETENTION_TASK_RESULTS_DAYS = env.int("RETENTION_TASK_RESULTS_DAYS", default=30)
# Drafts never sent (applications, requests for places), counted from the start of their course.
RETENTION_DRAFTS_DAYS = env.int("RETENTION_DRAFTS_DAYS", default=90)

# E-mail: one URL, e.g. smtp+tls://user:password@smtp.example.kz:587 or consolemail:// in development.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
_smtp = _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _email_options.items() if v not in (None, "")} if _smtp else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Caches: one shared by every process (gunicorn workers, the task worker): the database's (a table made by
# ziat's migration). Anything that processes share lives there or in its own table, never in memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ziat_cache",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10},
    }
}

# Behind reverse proxies: how many of them stand in front of the application (each appends to
# X-Forwarded-For). 0: none, the client's address is REMOTE_ADDR and forwarded headers are not trusted.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

# The login throttle (django-axes, see ziat/auth.py).
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=50)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_HANDLER = "ziat.auth.LoginThrottleHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURES_PER_ACCOUNT
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_COOLOFF_TIME = LOGIN_COOLOFF_MINUTES / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ziat.client.client_ip"
AXES_LOCKOUT_CALLABLE = "ziat.auth.lockout_response"
AXES_VERBOSE = False
# The lockouts are read in the back-office (ziat/admin.py); an account is unlocked with
# `manage.py axes_reset_username <login>`.
AXES_ENABLE_ADMIN = False

# Rate limits of the public pages, per client address: "<requests>/<s|m|h|d>". The counters are rows of
# one table shared by every process (ziat.ratelimit), increased by one atomic statement per request.
RATE_LIMITS = {
    "verify": env.str("RATE_LIMIT_VERIFY", default="60/m"),
    # The lookup of a certificate by its number and its holder's surname (each try, not the form itself).
    "verify_lookup": env.str("RATE_LIMIT_VERIFY_LOOKUP", default="20/h"),
    "discussion": env.str("RATE_LIMIT_DISCUSSION", default="20/h"),
    "survey": env.str("RATE_LIMIT_SURVEY", default="20/h"),
    "apply": env.str("RATE_LIMIT_APPLY", default="10/h"),
}

# The organisation's Ed25519 key signing the certificates' QR codes and Open Badges credentials: a PEM private
# key (line breaks may be written as \n) or the base64 of its 32-byte seed. Empty: one key is made on first use
# and kept in the database (certificates.signing). Its public key is published at /verify/key/.
CERTIFICATE_SIGNING_KEY = env.str("CERTIFICATE_SIGNING_KEY", default="")
# The organisation's private key and X.509 certificate (PEM, line breaks may be written as \n) for the PAdES
# signature of issued certificates' PDF files. Both empty: a key and a self-signed certificate in the
# organisation's name are made on first use and kept in the database (certificates.pdf_signature).
PDF_SIGNING_KEY = env.str("PDF_SIGNING_KEY", default="")
PDF_SIGNING_CERTIFICATE = env.str("PDF_SIGNING_CERTIFICATE", default="")

# Content-Security-Policy (Django's own): scripts and styles from our static files, or inline with the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Security: strict unless DEBUG, overridable for a deployment behind a TLS proxy.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the proxy's health probe may come over plain HTTP
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
