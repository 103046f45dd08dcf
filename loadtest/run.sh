#!/usr/bin/env bash
# `make loadtest`: a bounded load test of the production-shaped server, on loopback only.
#
# Creates a fresh database edtech_load on the local PostgreSQL (dropped first), migrates it,
# loads the demo curriculum and the load-test accounts, starts gunicorn (gunicorn.conf.py)
# on 127.0.0.1 and a free port with DEBUG off, runs locust headless for a fixed time, prints
# requests/s and latency percentiles per page type, and checks the numbers against the
# answers with `rebuild_progress --check`. Fails on any 5xx, any other failed request, or
# any drift. gunicorn is always stopped at the end. Output goes to test-artifacts/loadtest/.
#
# HTTPS=False: the server speaks plain HTTP on loopback, so this test does not use Secure
# cookies, the HTTPS redirect or HSTS (everything else is as in production).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
OUT=${LOADTEST_OUT:-test-artifacts/loadtest}
USERS=${LOADTEST_USERS:-50}
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-10}
RUN_TIME=${LOADTEST_RUN_TIME:-60s}
DB_NAME=edtech_load
PG_ARGS=(-h 127.0.0.1 -p 5432 -U postgres)

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB_NAME
export REDIS_URL=redis://127.0.0.1:6379/3
export DEBUG=False HTTPS=False ALLOWED_HOSTS=127.0.0.1
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
LOADTEST_PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')
export SECRET_KEY LOADTEST_PASSWORD
export LOADTEST_STUDENTS=${LOADTEST_STUDENTS:-60} LOADTEST_PARENTS=${LOADTEST_PARENTS:-10}
export LOADTEST_RESULTS_FILE=$OUT/results.json

mkdir -p "$OUT"
rm -f "$OUT"/results.json "$OUT"/gunicorn.log "$OUT"/rebuild_progress.txt

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "== load average before the run:$(uptime | sed "s/.*load average://")"
echo "== fresh database $DB_NAME, Redis db 3"
dropdb "${PG_ARGS[@]}" --if-exists --force "$DB_NAME"
createdb "${PG_ARGS[@]}" "$DB_NAME"
redis-cli -h 127.0.0.1 -p 6379 -n 3 flushdb >/dev/null
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py seed_demo
"$PY" manage.py shell --no-imports <loadtest/create_accounts.py
# Its own static folder, so a load test never races another run's collectstatic.
export STATIC_ROOT=$(realpath -m "$OUT/static")
"$PY" manage.py collectstatic --no-input -v 0

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GUNICORN_PID=""
stop_gunicorn() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID"
        wait "$GUNICORN_PID" || true
    fi
    GUNICORN_PID=""
}
trap stop_gunicorn EXIT
trap 'exit 130' INT TERM

echo "== gunicorn on 127.0.0.1:$PORT (log: $OUT/gunicorn.log)"
"$BIN/gunicorn" -c gunicorn.conf.py --bind "127.0.0.1:$PORT" edtech.wsgi:application >"$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; then break; fi
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then
        echo "gunicorn did not start:" >&2
        tail -n 30 "$OUT/gunicorn.log" >&2
        exit 1
    fi
    sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz"

echo "== locust: $USERS users, spawn rate $SPAWN_RATE/s, $RUN_TIME"
set +e
# timeout: a hard bound in case locust itself hangs (run time + stop timeout + a margin).
PYTHONPATH=$ROOT timeout --signal=INT 180 "$BIN/locust" -f loadtest/locustfile.py --headless \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" --stop-timeout 10 \
    --host "http://127.0.0.1:$PORT" --only-summary --loglevel WARNING
LOCUST_STATUS=$?
echo
echo "== per page (locust, response times in ms)"
if [ -f "$LOADTEST_RESULTS_FILE" ]; then
    "$PY" loadtest/report.py "$LOADTEST_RESULTS_FILE"
    REPORT_STATUS=$?
else
    echo "locust wrote no results (exit $LOCUST_STATUS)"
    REPORT_STATUS=2
fi
set -e

stop_gunicorn
ERRORS=$(grep -cE 'level=ERROR|\[(ERROR|CRITICAL)\]' "$OUT/gunicorn.log" || true)
echo "== server log: $ERRORS error line(s)"
if [ "$ERRORS" -gt 0 ]; then grep -E -A 20 'level=ERROR|\[(ERROR|CRITICAL)\]' "$OUT/gunicorn.log" | head -n 60; fi

echo "== rebuild_progress --check"
set +e
"$PY" manage.py rebuild_progress --check >"$OUT/rebuild_progress.txt" 2>&1
DRIFT_STATUS=$?
set -e
head -n 40 "$OUT/rebuild_progress.txt"

echo
FAILED=0
if [ "$REPORT_STATUS" -eq 1 ]; then echo "FAIL: 5xx responses (see above)"; FAILED=1; fi
if [ "$REPORT_STATUS" -gt 1 ]; then echo "FAIL: no load-test results"; FAILED=1; fi
if [ "$LOCUST_STATUS" -ne 0 ]; then echo "FAIL: locust reported failed requests (exit $LOCUST_STATUS)"; FAILED=1; fi
if [ "$DRIFT_STATUS" -ne 0 ]; then echo "FAIL: rebuild_progress --check found drift (exit $DRIFT_STATUS)"; FAILED=1; fi
if [ "$FAILED" -eq 0 ]; then echo "PASS: no 5xx, no failed request, no drift"; fi
exit "$FAILED"
