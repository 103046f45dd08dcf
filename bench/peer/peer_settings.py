# mypy: ignore-errors
# (run in the peer's venv, with its Django 2.2 and its test_settings: our type checker cannot see either)
"""Settings for benchmarking the peer quiz app (tomwalker/django_quiz): its own test_settings, overridden.

The peer ships no project of its own, only the settings its tests run with (test_settings.py, with
ROOT_URLCONF = 'quiz.urls'). Overridden here: PostgreSQL instead of SQLite, persistent connections
(Django 2.2 has no pool), DEBUG off, a fixed host list, a secret key made by prepare.sh, and errors
logged to stderr. Kept as they are: sessions in the database, its middleware (no debug toolbar: it has
none), its templates (cached, since DEBUG is off), its local-memory cache.
"""

import os
from pathlib import Path

from test_settings import *  # noqa: F403 - the peer's own settings, from its source tree

DEBUG = False
DEBUG_PROPAGATE_EXCEPTIONS = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = (Path(os.environ["PEER_WORK"]) / "secret_key").read_text().strip()

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PEER_DB_NAME", "edtech_bench_peer"),
        "USER": os.environ.get("PEER_DB_USER", "postgres"),
        "HOST": os.environ.get("PEER_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("PEER_DB_PORT", "5432"),
        "CONN_MAX_AGE": 600,  # one connection per gunicorn thread, kept: the closest Django 2.2 has to our pool
    }
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"  # its default, said out loud

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING"}},
}
