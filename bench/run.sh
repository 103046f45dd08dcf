#!/usr/bin/env bash
# `make bench`: gunicorn with production settings on a generated dataset, driven by wrk.
# Writes BENCHMARKS.md. Sizes, server shape and duration come from the environment (defaults below).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
DB_NAME=${BENCH_DB:-edtech_bench}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
export DATABASE_URL="$PG/$DB_NAME"
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}
STUDENTS=${BENCH_STUDENTS:-100000}
CHAPTERS=${BENCH_CHAPTERS:-200}
QUESTIONS=${BENCH_QUESTIONS_PER_CHAPTER:-20}
DAYS=${BENCH_DAYS:-90}
ANSWERS=${BENCH_ANSWERS_PER_STUDENT:-100}
DURATION=${BENCH_DURATION:-15s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
export GUNICORN_THREADS=${GUNICORN_THREADS:-4}
export DB_POOL_MAX_SIZE=${DB_POOL_MAX_SIZE:-20}
OUT=${BENCH_OUT:-test-artifacts/bench}
PAGES=${BENCH_PAGES:-"bare dashboard chapter_map chapter question answering leaderboard parent_child content_analytics class_grid"}

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$OUT"

# Production settings, plain HTTP on loopback (HTTPS=False: no TLS proxy in front of a local benchmark).
export DJANGO_SETTINGS_MODULE=edtech.settings
export DEBUG=False HTTPS=False ALLOWED_HOSTS=127.0.0.1 BENCH_BARE_VIEW=True LOG_LEVEL=WARNING
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export STATIC_ROOT
STATIC_ROOT=$(realpath -m "$OUT/static")

psql_admin() { psql "$PG/postgres" -qtAc "$1"; }
have=$(psql "$DATABASE_URL" -qtAc "SELECT count(*) FROM students" 2>/dev/null || echo 0)
if [ "${BENCH_REGENERATE:-0}" = 1 ] || [ "$have" != "$STUDENTS" ]; then
    echo "== generating the dataset: $STUDENTS students, $CHAPTERS chapters x $QUESTIONS questions, $DAYS days"
    psql_admin "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
    psql_admin "CREATE DATABASE $DB_NAME"
    "$PY" manage.py migrate --no-input -v 0
    /usr/bin/time -f "generate_dataset: %e s wall, %M KB max RSS" "$PY" manage.py generate_dataset \
        --students "$STUDENTS" --chapters "$CHAPTERS" --questions-per-chapter "$QUESTIONS" --days "$DAYS" \
        --answers-per-student "$ANSWERS" 2>&1 | tee "$OUT/generate.txt"
else
    echo "== reusing the dataset in $DB_NAME ($have students; BENCH_REGENERATE=1 to rebuild it)"
fi
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py collectstatic --no-input -v 0

if [ "${BENCH_SKIP_MEASURE:-0}" != 1 ]; then
    echo "== in-process measurements (queries per page, cold-cache timings)"
    "$PY" bench/measure.py "$OUT" > "$OUT/measure.log"
fi

echo "== preparing sessions and requests"
"$PY" bench/prepare.py "$OUT"

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PORT
GUNICORN_PID=""
stop_server() { [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null || true; }
trap stop_server EXIT
.venv/bin/gunicorn -c gunicorn.conf.py --bind "127.0.0.1:$PORT" --access-logfile /dev/null \
    edtech.wsgi:application > "$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "bench: gunicorn did not start:" >&2; tail -20 "$OUT/gunicorn.log" >&2; exit 1; }

rm -f "$OUT/wrk.jsonl"
for page in $PAGES; do
    # Warm the caches the way a day of use would (every page view once), then measure.
    [ "$page" = answering ] || "$PY" bench/warm.py "$OUT" "$page" "$PORT"
    echo "== $page"
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$OUT/$page.lua" "http://127.0.0.1:$PORT" \
        | grep '^{"page"' | tee -a "$OUT/wrk.jsonl"
done
stop_server
GUNICORN_PID=""

if [ "${BENCH_SKIP_MEASURE:-0}" != 1 ]; then
    "$PY" bench/report.py "$OUT" > BENCHMARKS.md
    cat BENCHMARKS.md
fi
