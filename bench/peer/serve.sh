#!/usr/bin/env bash
# Serve the peer quiz app (prepared by bench/peer/prepare.sh) in the foreground, the shape of ours
# (gunicorn.conf.py): gthread workers × threads, keep-alive 5 s, no access log, DEBUG off.
#   bash bench/peer/serve.sh PORT
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${1:?usage: bash bench/peer/serve.sh PORT}
export PEER_WORK=${PEER_WORK:-$PWD/.bench-peer}
export PEER_DB_NAME=${PEER_DB_NAME:-edtech_bench_peer} PEER_DB_HOST=${PEER_DB_HOST:-127.0.0.1}
export PEER_DB_PORT=${PEER_DB_PORT:-5432} PEER_DB_USER=${PEER_DB_USER:-postgres}
export PYTHONPATH="$PEER_WORK/src:$PWD/bench/peer" DJANGO_SETTINGS_MODULE=peer_settings PYTHONDONTWRITEBYTECODE=1
# From the peer's source tree, so gunicorn does not pick up our ./gunicorn.conf.py (it reads one from the
# working directory by default); the shape below is that file's, by flags, but for its connection cap
# (GUNICORN_WORKER_CONNECTIONS): the peer's gunicorn (23.0) stalls with it, its gthread worker left every
# connection waiting out wrk's timeout (65 requests and 32 errors in 10 s, against 1,497 and none without).
cd "$PEER_WORK/src"
tmp=()
[ -d /dev/shm ] && tmp=(--worker-tmp-dir /dev/shm)
exec "$PEER_WORK/venv/bin/python" -W ignore "$PEER_WORK/venv/bin/gunicorn" \
    --bind "127.0.0.1:$PORT" --workers "${WEB_CONCURRENCY:-2}" --threads "${GUNICORN_THREADS:-4}" \
    --worker-class gthread --keep-alive 5 --timeout 30 --graceful-timeout 20 "${tmp[@]}" \
    --error-logfile - --log-level "${LOG_LEVEL:-warning}" \
    django.core.wsgi:get_wsgi_application\(\)
