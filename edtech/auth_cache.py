"""Who is signed in, from Redis instead of two SELECTs a request, without ever trusting what a lost
invalidation could have left there.

Two kinds of entry: a session's data ("session", by session key) and an account with the names of its
profiles ("user", by id), stored by accounts.sessions and accounts.backends. The database stays the truth:
an entry is only a copy, read from the database after a miss, and every committed change of what it copies
(a logout, a password, a deactivation, an erasure, a new profile) calls forget().

Keys, under the cache prefix:  auth:<generation>:<kind>:<id>:<version>

- version (auth:<generation>:<kind>v:<id>) is a random token, replaced by forget(). A reader gets it
  *before* it reads the database and stores what it read under it: a change committed in between has
  replaced the token, so the stale copy lands where nobody looks. A token that expires or is evicted is
  replaced by a new one, never reused, so no old copy becomes reachable again.
- generation (auth:generation) is a random token too, replaced whenever the lease (auth:lease) is missing.
  Every read refreshes the lease for LEASE_SECONDS in the same script; only a Redis nobody could reach for
  that long (down, frozen, cut off, restarted from its disk) lets it lapse, and then everything stored
  before is of an old generation.
- forget() that cannot reach Redis keeps trying for LEASE_SECONDS + a margin: either it lands, or the lease
  has lapsed in Redis meanwhile (nobody could refresh it), so the copy it failed to drop is out of reach
  when Redis comes back. Either way the change has taken effect when the request that made it answers.
  (The one case this does not cover is a Redis that this process cannot reach while others still can,
  for longer than that: other processes would keep the lease alive. With everything on one machine,
  there is no such partition.)

A signed-in request reads both copies in one round trip (a Lua script reads the session's copy, then the
account's copy that it names); a write is one round trip too. With Redis down a read is a miss
(the database answers) and costs nothing more: the circuit breaker (edtech.redis_breaker) skips Redis for
a few seconds after a failure. Without Redis (the local-memory cache of development) nothing is cached.
"""

import contextvars
import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError

from edtech import cache

logger = logging.getLogger("edtech.cache")

LEASE_SECONDS = 3
FORGET_MARGIN_SECONDS = 1.0
# Version tokens outlive every entry stored under them (so an entry is never orphaned onto a new token).
VERSION_SECONDS = 2 * cache.TTL["student_profile"]

_READ = """
local gen = redis.call('GET', KEYS[2])
if (not gen) or redis.call('EXISTS', KEYS[1]) == 0 then
  gen = ARGV[5]
  redis.call('SET', KEYS[2], gen)
end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
local base = ARGV[2] .. gen .. ':' .. ARGV[3]
local version = redis.call('GET', base .. 'v:' .. ARGV[4])
if not version then
  version = ARGV[5]
  redis.call('SET', base .. 'v:' .. ARGV[4], version, 'EX', ARGV[6])
end
return {gen, version, redis.call('GET', base .. ':' .. ARGV[4] .. ':' .. version)}
"""

# The session's read, and in the same round trip the account's its copy names ("uid"): a signed-in request
# costs one Redis call for both. The account's version is read here, before any database read of it.
_READ_SESSION = (
    _READ.rsplit("return", 1)[0]
    + """
local value = redis.call('GET', base .. ':' .. ARGV[4] .. ':' .. version)
if not value then return {gen, version, value} end
local ok, copy = pcall(cjson.decode, value)
if not ok or type(copy) ~= 'table' or type(copy['uid']) ~= 'string' then return {gen, version, value} end
local uid = copy['uid']
local ubase = ARGV[2] .. gen .. ':user'
local uversion = redis.call('GET', ubase .. 'v:' .. uid)
if not uversion then
  uversion = ARGV[7]
  redis.call('SET', ubase .. 'v:' .. uid, uversion, 'EX', ARGV[6])
end
return {gen, version, value, uid, uversion, redis.call('GET', ubase .. ':' .. uid .. ':' .. uversion)}
"""
)

_FORGET = """
local gen = redis.call('GET', KEYS[1])
if gen then
  redis.call('SET', ARGV[1] .. gen .. ':' .. ARGV[2] .. 'v:' .. ARGV[3], ARGV[4], 'EX', ARGV[5])
end
return 1
"""


def _client():
    """The Redis connection of the default cache (with its circuit breaker), or None without Redis."""
    if not settings.REDIS_URL:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def _prefix() -> str:
    return cache.auth_key_prefix()


@dataclass
class Hit:
    """What a read found: the entry's value (None on a miss), and where to store a value read from the database."""

    kind: str
    ident: str
    value: Any = None
    key: str | None = None  # None: Redis did not answer, store nothing

    def store(self, value: Any, timeout: int | None = None) -> None:
        if self.key is None:
            return
        client = _client()
        try:
            client.set(self.key, json.dumps(value), ex=max(1, timeout or cache.TTL["student_profile"]))
        except RedisError:
            logger.warning("auth cache: could not store a %s entry", self.kind)


# The account's read that a session's read made in the same round trip, for the account's own read
# (accounts.backends) in the same request; each session read replaces it.
_prefetched: contextvars.ContextVar[Hit | None] = contextvars.ContextVar("auth_cache_prefetched", default=None)


def read(kind: str, ident: object) -> Hit:
    prefetched = _prefetched.get()
    if prefetched is not None and (prefetched.kind, prefetched.ident) == (kind, str(ident)):
        _prefetched.set(None)
        return prefetched
    return _read(kind, str(ident), _READ)[0]


def read_session(session_key: str) -> Hit:
    """The session's copy; the account it names is read in the same round trip, for read("user", id)."""
    hit, account = _read("session", session_key, _READ_SESSION)
    _prefetched.set(account)
    return hit


def _read(kind: str, ident: str, script: str) -> tuple[Hit, Hit | None]:
    client = _client()
    hit = Hit(kind, ident)
    if client is None:
        return hit, None
    prefix = _prefix()
    try:
        found = _script(client, script)(
            keys=[prefix + "lease", prefix + "generation"],
            args=[LEASE_SECONDS, prefix, kind, ident, secrets.token_hex(8), VERSION_SECONDS, secrets.token_hex(8)],
        )
    except RedisError:
        return hit, None
    generation = found[0].decode()
    hit.key, hit.value = _entry(prefix, generation, kind, ident, found[1], found[2])
    if len(found) < 6:
        return hit, None
    account = Hit("user", found[3].decode())
    account.key, account.value = _entry(prefix, generation, "user", account.ident, found[4], found[5])
    return hit, account


def _entry(prefix: str, generation: str, kind: str, ident: str, version: bytes, raw: bytes | None) -> tuple[str, Any]:
    key = f"{prefix}{generation}:{kind}:{ident}:{version.decode()}"
    try:
        return key, json.loads(raw) if raw is not None else None
    except ValueError:
        return key, None


def forget(kind: str, ident: object) -> None:
    """Make the cached copy of this session or account unreachable, now and once the current transaction
    commits (a reader between the two would have read the uncommitted, old row)."""
    if _client() is None:
        return
    if transaction.get_connection().in_atomic_block:
        _forget(kind, str(ident), wait=False)
        transaction.on_commit(lambda: _forget(kind, str(ident), wait=True))
    else:
        _forget(kind, str(ident), wait=True)


def _forget(kind: str, ident: str, *, wait: bool) -> None:
    deadline = time.monotonic() + LEASE_SECONDS + FORGET_MARGIN_SECONDS
    client = _client()
    while True:
        try:
            # The breaker's client refuses at once after a failure: retries go straight to Redis.
            target = client if client is not None and not _breaker_open() else _direct_client()
            _script(target, _FORGET)(
                keys=[_prefix() + "generation"], args=[_prefix(), kind, ident, secrets.token_hex(8), VERSION_SECONDS]
            )
            return
        except RedisError:
            if not wait or time.monotonic() >= deadline:
                if wait:
                    logger.warning(
                        "auth cache: Redis unreachable; the lease has lapsed, so a %s copy is unreachable", kind
                    )
                return
            time.sleep(0.05)


_scripts: dict[tuple[int, str], Any] = {}


def _script(client, text: str):
    """The script, run by its digest (EVALSHA; loaded into Redis again when Redis has lost it)."""
    key = (id(client), text)
    if key not in _scripts:
        _scripts[key] = client.register_script(text)
    return _scripts[key]


def _breaker_open() -> bool:
    from edtech import redis_breaker

    return redis_breaker.is_open()


_direct: dict[str, Any] = {}


def _direct_client():
    """A plain client on the same Redis, without the breaker, for forget()'s retries."""
    url = settings.REDIS_URL
    if url not in _direct:
        import redis

        options = settings.CACHES["default"].get("OPTIONS", {})
        _direct[url] = redis.Redis.from_url(
            url,
            socket_connect_timeout=options.get("SOCKET_CONNECT_TIMEOUT", 0.5),
            socket_timeout=options.get("SOCKET_TIMEOUT", 0.5),
        )
    return _direct[url]
