"""A Redis client that stops asking a Redis that is down or hanging, for a few seconds.

django-redis already turns connection errors into cache misses, but a Redis that
accepts connections and never answers makes every cache call wait the full socket
timeout, so a page with fourteen cache calls would wait fourteen times. After one
failure this client answers "connection error" at once for BREAK_SECONDS (per
process), then tries Redis again: a request waits at most one socket timeout.
"""

import logging
import threading
import time

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("edtech.cache")

BREAK_SECONDS = 5.0

_lock = threading.Lock()
_open_until = 0.0


def is_open() -> bool:
    return time.monotonic() < _open_until


def _trip() -> None:
    global _open_until
    with _lock:
        if not is_open():
            logger.warning("redis unreachable: skipping the cache for %.0fs", BREAK_SECONDS)
        _open_until = time.monotonic() + BREAK_SECONDS


class BreakerRedis(redis.Redis):
    def execute_command(self, *args, **options):
        if is_open():
            raise RedisConnectionError("redis skipped for a few seconds after a failure")
        try:
            return super().execute_command(*args, **options)
        except (RedisConnectionError, RedisTimeoutError):
            _trip()
            raise
