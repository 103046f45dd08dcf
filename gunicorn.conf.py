"""gunicorn settings (the Dockerfile's CMD, and the production recipe without Docker). Tuned by environment variables.

HOST              the address to listen on (default 127.0.0.1: only nginx, on the same machine, reaches it;
                  the container sets 0.0.0.0, its internal network, which only nginx's container joins)
PORT              the port to listen on (default 8000)
WEB_CONCURRENCY   worker processes (default 2; 2 × 4 threads measured best on 2 cores: BENCHMARKS.md)
GUNICORN_THREADS  threads per worker (default 4)
GUNICORN_WORKER_CONNECTIONS  connections one worker holds at once (default 4 × GUNICORN_THREADS)
LOG_LEVEL         gunicorn's own log level, as for Django (default INFO)
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A worker that holds this many connections accepts no more until one closes; the next waits in the listen
# backlog for the first worker with room. Without a cap, whichever worker wakes first takes each new
# connection, and one may hold twice the other's: its requests wait twice as long. Idle connections never
# fill a worker: from worker_connections − threads kept-alive ones on, gunicorn closes each connection after
# its response (gthread's max_keepalived). Measured with bench/run.sh (one round of the class page, 32
# connections, 2 × 4), gunicorn's default cap (1,000) against this one: p95 237 → 139 ms and 253 → 185 ms in
# two pairs of runs.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(4 * threads)))

# Each worker imports the application itself, so each opens its own database
# pool after the fork: psycopg pools (connections and their threads) must never
# be shared across processes. Do not turn preload_app on.
preload_app = False

# A worker whose main loop is silent this long is killed; a shutdown waits this
# long for requests in flight (keep it under the orchestrator's stop grace
# period: docker-compose.yml gives 30 s).
timeout = 30
graceful_timeout = 20
keepalive = 5

# A database outage must become a 503 page within seconds, not hold every
# thread for as long as gunicorn waits: the pool timeout (DB_POOL_TIMEOUT, read
# by the settings, default 3 s) has to stay well under the worker timeout.
_db_pool_timeout = float(os.environ.get("DB_POOL_TIMEOUT", "3"))
if _db_pool_timeout * 3 > timeout:
    raise RuntimeError(
        f"DB_POOL_TIMEOUT={_db_pool_timeout:g} s is too close to gunicorn's {timeout} s timeout; "
        f"keep it at {timeout // 3} s or less."
    )

# Logs: the access log on stdout, gunicorn's own log on stderr.
accesslog = "-"
# Method, path without the query string (reset links carry tokens), status, size, duration and the
# request id: no client address, browser or referrer (children's data stays out of the logs).
access_log_format = (
    'time=%(t)s method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s seconds=%(L)s request_id=%({x-request-id}o)s'
)
# Paths with control characters cannot forge a line, reset links are logged without their token.
logger_class = "edtech.logs.SafeAccessLogger"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Worker heartbeats in memory, not on the container's overlay file system.
if os.path.isdir("/dev/shm"):  # noqa: S108 - gunicorn's documented heartbeat location in containers
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# No runtime control socket (gunicornc) in the container: nothing uses it, and
# the unprivileged user has no writable home to put it in.
control_socket_disable = True
