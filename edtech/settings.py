"""Settings for the edtech project: one module, driven by environment variables.

Every variable is optional; the defaults give a safe development setup (an
SQLite file and a local-memory cache). The README has the table of variables.
"""

from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105 - refused below

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: DEBUG is off and the development key is public.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    # The project's apps, each importing only from those above it in this list (pyproject.toml's
    # import-linter contract checks it): jobs, accounts, curriculum, analytics, classes, then the pages on top.
    "jobs",
    "accounts",
    "curriculum",
    "analytics",
    "classes",
    "learning",
    "family",
]

MIDDLEWARE = [
    "edtech.middleware.RequestIdMiddleware",
    "edtech.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "edtech.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Request bodies: refused (413) above these before a byte is read (edtech.middleware); nginx, in
# front, refuses above 6 MB too (client_max_body_size 6m). The question import takes files of up to
# 5 MB (curriculum.admin_transfer.MAX_UPLOAD_BYTES), in memory. MB here are 2**20 bytes, as nginx's.
MAX_REQUEST_BYTES = 1 * 1024 * 1024
MAX_UPLOAD_REQUEST_BYTES = 6 * 1024 * 1024
# Paths (full matches) that take files: the question import, and a question's form with its picture
# (curriculum.pictures.MAX_PICTURE_BYTES, 2 MB) on add, change and "preview my unsaved edits".
UPLOAD_PATHS = [
    r"/admin/curriculum/question/import/",
    r"/admin/curriculum/question/add/",
    r"/admin/curriculum/question/\d+/(change|as-student)/",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_REQUEST_BYTES

ROOT_URLCONF = "edtech.urls"
WSGI_APPLICATION = "edtech.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# The embedded default is an SQLite file, so `make run` works with nothing
# installed; production and the tests use PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from edtech.db_pool import check_connection as _pooled_connection_check

    # Django's built-in psycopg 3 pool carries the seed's 20-connection pool.
    # The timeout is short (well under gunicorn's worker timeout) so that a
    # database outage becomes a 503 page instead of killed workers.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool owns connection reuse
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
        "timeout": env.float("DB_POOL_TIMEOUT", default=3.0),
        # After an outage, give up a reconnection attempt after a few seconds so the next
        # request starts a fresh one, instead of waiting out the pool's growing back-off.
        "reconnect_timeout": env.float("DB_POOL_RECONNECT_TIMEOUT", default=5.0),
        # Check a pooled connection before handing it out: connections broken by a database restart
        # would otherwise fail one request each after the database is back. The round trip only for a
        # connection with something to read, the server's goodbye (edtech.db_pool).
        "check": _pooled_connection_check,
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A dead server must fail fast too, not hang on connect.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
    # Parameters bound by the server, so that psycopg prepares a statement on a connection after its 5th
    # run and PostgreSQL plans it once, not on every request (the class page's query takes 1.4 ms to plan
    # and 2 ms to run on the bench's data). Measured on `make bench`'s pages, 2 rounds each: +4 to +17%
    # requests/s on the pages that query (bench/ANALYSIS.md). No pooler in transaction mode may sit between
    # (Django's own pool keeps each connection, with its prepared statements, to one process).
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)

# accounts.User's e-mail is unique ignoring case: a unique index on lower(email), which this check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    # The covering indexes' extra columns are a PostgreSQL speed-up; SQLite (development) ignores them.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
# Redis when REDIS_URL is set; a Redis outage becomes cache misses (logged),
# never an error page. Without REDIS_URL, a local-memory cache.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="edtech")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
                "SOCKET_TIMEOUT": env.float("REDIS_SOCKET_TIMEOUT", default=0.5),
                "IGNORE_EXCEPTIONS": True,
                # JSON, never pickle: whoever can write to Redis must not run code here (edtech/cache.py).
                "SERIALIZER": "edtech.cache.JSONSerializer",
                # After a failure, skip Redis for a few seconds instead of waiting on it again.
                "REDIS_CLIENT_CLASS": "edtech.redis_breaker.BreakerRedis",
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "edtech.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Sessions live in the database (a logout deletes the row); accounts.sessions reads them, and the signed-in
# account (accounts.backends), from trusted copies in Redis: edtech.auth_cache explains why a logout during
# a Redis outage never comes back when Redis does.
SESSION_ENGINE = "accounts.sessions"

# --- Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Behind a reverse proxy that sets X-Forwarded-For, take the client's address from it
# (for the login and sign-up limits); never when clients can reach the app directly.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Time -----------------------------------------------------------------------
# TIME_ZONE is the day boundary for streaks and daily analytics of students who
# have not set a time zone of their own.
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Children's consent and data ------------------------------------------------------
# Below this age a child cannot sign up alone: a parent makes the account (COPPA: 13; GDPR Art. 8:
# 13 to 16 by country). Above it, a student's own sign-up is their consent.
PARENTAL_CONSENT_AGE = env.int("PARENTAL_CONSENT_AGE", default=13)
# A child account a parent (or a school) made, unused this long, is erased; the parents hear 30 days ahead.
CHILD_ACCOUNT_RETENTION_DAYS = env.int("CHILD_ACCOUNT_RETENTION_DAYS", default=730)

# At most this many questions a day in a student's review (FSRS decides which are due).
REVIEW_DAILY_CAP = env.int("REVIEW_DAILY_CAP", default=15)

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded question pictures (curriculum.pictures) go to STORAGES["default"]: files under MEDIA_ROOT,
# served at MEDIA_URL by nginx in production (deploy/nginx) and by edtech.urls when DEBUG. Several
# servers share one bucket instead: README, "Pictures".
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail (Django 6.1 MAILERS; console unless EMAIL_URL names an SMTP server) ---
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Learning Quest <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
MAILERS: dict[str, dict[str, Any]]
if EMAIL_URL.startswith("consolemail:"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
elif not EMAIL_URL.startswith(("smtp:", "smtp+tls:", "smtp+ssl:", "smtps:")):
    raise ImproperlyConfigured("EMAIL_URL must be consolemail:// or smtp://, smtp+tls://, smtp+ssl:// (smtps://).")
else:
    _email = env.email_url_config(EMAIL_URL)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email["EMAIL_HOST"],
                "port": _email["EMAIL_PORT"],
                "username": _email.get("EMAIL_HOST_USER") or None,
                "password": _email.get("EMAIL_HOST_PASSWORD") or None,
                "use_tls": bool(_email.get("EMAIL_USE_TLS")),
                "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
                "timeout": 10,
            },
        }
    }

# --- Background tasks (Django's Tasks framework) ------------------------------------
# Pages never wait for a mail server or a periodic job: they enqueue a task, stored in the
# database (django-tasks-db), and `manage.py db_worker` runs it. TASKS_IMMEDIATE=True runs
# tasks in the request instead: for development without a worker (`make run` sets it).
TASKS_IMMEDIATE = env.bool("TASKS_IMMEDIATE", default=False)
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend" if TASKS_IMMEDIATE else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# The periodic jobs `manage.py run_scheduler` enqueues, each at most once per period (jobs/scheduler.py).
PERIODIC_TASKS = [
    # In the small hours of the site's day: sessions, rate-limit records, stale requests and tasks.
    {"task": "accounts.tasks.purge_expired", "every": "day", "at": "03:00"},
    # Co-teacher invitations after 7 days, teachers' actions on children's accounts after 365 days.
    {"task": "classes.tasks.purge_class_records", "every": "day", "at": "03:00"},
    # Each parent's summary of last week, on their Monday morning (it checks every hour).
    {"task": "analytics.tasks.queue_weekly_summaries", "every": "hour"},
    # Each class's week for its teachers, on the class's Monday morning.
    {"task": "classes.tasks.queue_weekly_class_summaries", "every": "hour"},
    # The leaderboard's ranking in Redis rebuilt from the database: a lost write is wrong for an hour at most.
    {"task": "accounts.tasks.rebuild_ranks", "every": "hour"},
]

# --- Security headers -------------------------------------------------------------
# With DEBUG off, HTTPS is assumed unless HTTPS=False (plain HTTP on loopback or
# a private network, e.g. a load test or a school server without a certificate).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Opt-in: only behind a proxy that sets X-Forwarded-Proto itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes speak plain HTTP inside the network
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Question images may come from any HTTPS host staff name in image_url.
    "img-src": [CSP.SELF, "data:", "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# `make bench` measures every page against a bare view (a small template, no database), served at
# /bench/bare/ only when this is on; it also installs the bench app (bench/: generate_dataset).
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)
if BENCH_BARE_VIEW:
    INSTALLED_APPS.append("bench")

# --- Logging: one line per event on stdout ------------------------------------------
# Structured key=value lines with the request id; children's data never goes into a log
# line (ids only), so the messages themselves must not carry names or e-mails.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "edtech.middleware.RequestIdFilter"},
        # No forged lines, no reset tokens (edtech/logs.py).
        "safe": {"()": "edtech.logs.SafeLogFilter"},
    },
    "formatters": {
        "line": {
            "format": 'time=%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s msg="%(message)s"'
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id", "safe"],
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
}
