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
DURATION=${BENCH_DURATION:-10s}
# Rounds: every page (ours, the yardstick's and the peer's) once per round, in the same order; the report
# takes each page's median round. Absolute figures move between runs; ratios within a round much less.
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
export GUNICORN_THREADS=${GUNICORN_THREADS:-4}
# gunicorn.conf.py's cap (4 × threads per worker), or more when wrk opens more connections than that allows in
# all: a connection left in the listen backlog waits out wrk's 2 s timeout and drops out of the latencies.
per_worker=$(( (CONNECTIONS + WEB_CONCURRENCY - 1) / WEB_CONCURRENCY ))
export GUNICORN_WORKER_CONNECTIONS=${GUNICORN_WORKER_CONNECTIONS:-$(( 4 * GUNICORN_THREADS > per_worker ? 4 * GUNICORN_THREADS : per_worker ))}
if (( GUNICORN_WORKER_CONNECTIONS * WEB_CONCURRENCY < CONNECTIONS )); then
    echo "bench: $CONNECTIONS connections do not fit in $WEB_CONCURRENCY × GUNICORN_WORKER_CONNECTIONS=$GUNICORN_WORKER_CONNECTIONS" >&2
    exit 2
fi
export DB_POOL_MAX_SIZE=${DB_POOL_MAX_SIZE:-20}
OUT=${BENCH_OUT:-test-artifacts/bench}
PAGES=${BENCH_PAGES:-"bare floor dashboard chapter_map chapter question answering leaderboard parent_child content_analytics class_grid"}
# The yardstick (a bare Django project outside ours, bench/bare_site) and the peer (bench/peer), on servers
# of their own in the same gunicorn shape; BENCH_PEER=0 leaves the peer out.
PEER=${BENCH_PEER:-1}

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

if [ "$PEER" = 1 ]; then
    echo "== preparing the peer (bench/peer)"
    bash bench/peer/prepare.sh "$OUT" > "$OUT/peer-prepare.log" 2>&1 || { tail -20 "$OUT/peer-prepare.log" >&2; exit 1; }
fi

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SERVERS=()
stop_servers() { for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done; SERVERS=(); }
trap stop_servers EXIT
wait_for() {  # URL LOG
    for _ in $(seq 1 50); do curl -fs "$1" >/dev/null && return 0; sleep 0.2; done
    echo "bench: $1 did not answer:" >&2; tail -20 "$2" >&2; exit 1
}

PORT=$(free_port)
export PORT
.venv/bin/gunicorn -c gunicorn.conf.py --bind "127.0.0.1:$PORT" --access-logfile /dev/null \
    edtech.wsgi:application > "$OUT/gunicorn.log" 2>&1 &
SERVERS+=($!)
BARE_PORT=$(free_port)
DJANGO_SETTINGS_MODULE=bench.bare_site.settings .venv/bin/gunicorn -c gunicorn.conf.py --bind "127.0.0.1:$BARE_PORT" \
    --access-logfile /dev/null bench.bare_site.wsgi:application > "$OUT/gunicorn-bare-site.log" 2>&1 &
SERVERS+=($!)
wait_for "http://127.0.0.1:$PORT/healthz" "$OUT/gunicorn.log"
wait_for "http://127.0.0.1:$BARE_PORT/" "$OUT/gunicorn-bare-site.log"
ALL_PAGES="bare_site $PAGES"
if [ "$PEER" = 1 ]; then
    PEER_PORT=$(free_port)
    bash bench/peer/serve.sh "$PEER_PORT" > "$OUT/gunicorn-peer.log" 2>&1 &
    SERVERS+=($!)
    wait_for "http://127.0.0.1:$PEER_PORT/" "$OUT/gunicorn-peer.log"
    ALL_PAGES="$ALL_PAGES peer_question peer_answering"
fi
printf '[{"path": "/", "cookie": ""}]' > "$OUT/bare_site.json"
"$PY" - "$OUT" <<'LUA'
import sys
from pathlib import Path
out = Path(sys.argv[1])
# The yardstick's script: our bare view's, aimed at the bare site's one page.
(out / "bare_site.lua").write_text(
    (out / "bare.lua").read_text().replace('"/bench/bare/"', '"/"').replace('"page": "bare"', '"page": "bare_site"')
)
LUA

port_of() { case "$1" in bare_site) echo "$BARE_PORT" ;; peer_*) echo "$PEER_PORT" ;; *) echo "$PORT" ;; esac; }
rm -f "$OUT/wrk.jsonl"
for round in $(seq 1 "$ROUNDS"); do
    for page in $ALL_PAGES; do
        # Warm the page's caches the way a day of use would (every view of it once), in every round: the
        # answers of the round before changed the students' versions, so their entries are cold again.
        case "$page" in answering | peer_answering) ;; *) "$PY" bench/warm.py "$OUT" "$page" "$(port_of "$page")" ;; esac
        echo "== round $round: $page"
        # The round goes to the script (each round answers with form tokens of its own).
        wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$OUT/$page.lua" "http://127.0.0.1:$(port_of "$page")" \
            -- "$round" | grep '^{"page"' | sed "s/^{/{\"round\": $round, /" | tee -a "$OUT/wrk.jsonl"
    done
done
stop_servers

if [ "${BENCH_SKIP_MEASURE:-0}" != 1 ]; then
    "$PY" bench/report.py "$OUT" > BENCHMARKS.md
    cat BENCHMARKS.md
fi
