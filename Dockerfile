# Learning Quest: the production image (gunicorn + whitenoise). docker-compose.yml
# runs it twice: once as the one-shot `migrate` service, once as `web`.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# The unprivileged user the server runs as. The code and the collected static
# files stay owned by root: the running process can read them, not change them.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
# psycopg[binary] ships its own libpq: the slim image needs no system packages.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# Static files are collected at build time, with the same storage as at run
# time (DEBUG=False selects whitenoise's compressed manifest storage). Settings
# refuse DEBUG=False without a SECRET_KEY, so this one step gets a throwaway key
# inline; it is not in the image's environment and signs nothing.
RUN DEBUG=False SECRET_KEY=collectstatic-build-step-only-not-a-secret \
    python manage.py collectstatic --noinput

# Uploaded question pictures: the one directory the server writes (docker-compose.yml mounts the
# `media` volume here; a new volume takes this directory's owner).
ENV MEDIA_ROOT=/srv/media
RUN mkdir -p /srv/media && chown app:app /srv/media

# gunicorn listens on the container's own network, which only nginx's container joins (docker-compose.yml).
ENV HOST=0.0.0.0

USER app

EXPOSE 8000

# Bind address, workers, threads and timeouts are in gunicorn.conf.py
# (PORT, WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_WORKER_CONNECTIONS).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "edtech.wsgi:application"]
