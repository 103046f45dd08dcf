"""Rate limits counted in the database: failed logins, sign-ups and password resets.

A whole classroom shares one address, so limits per address alone stay high;
the tight limit is per account *and* address (5 failed logins in 15 minutes
lock that pair out for 15 minutes, then it opens again by itself).
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import ThrottleHit


@dataclass(frozen=True)
class Limit:
    count: int
    window: datetime.timedelta
    cool_off: datetime.timedelta


LIMITS = {
    # Failed logins for one account from one address.
    "login": Limit(5, datetime.timedelta(minutes=15), datetime.timedelta(minutes=15)),
    # Failed logins from one address, any account (a classroom shares an address).
    "login-address": Limit(100, datetime.timedelta(minutes=15), datetime.timedelta(minutes=15)),
    "signup-address": Limit(60, datetime.timedelta(hours=1), datetime.timedelta(hours=1)),
    "password-reset-address": Limit(20, datetime.timedelta(hours=1), datetime.timedelta(hours=1)),
}


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For entry when we sit behind one."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(p.strip().lower() for p in parts).encode()).hexdigest()


def is_blocked(scope: str, *parts: str, now: datetime.datetime | None = None) -> bool:
    """True while the last `count` hits fell within the window and the cool-off since the last one runs."""
    limit = LIMITS[scope]
    now = now or timezone.now()
    recent = list(
        ThrottleHit.objects.filter(scope=scope, key=_key(*parts), at__gt=now - limit.window - limit.cool_off)
        .order_by("-at")
        .values_list("at", flat=True)[: limit.count]
    )
    if len(recent) < limit.count:
        return False
    latest, oldest = recent[0], recent[-1]
    return latest - oldest <= limit.window and now - latest < limit.cool_off


def hit(scope: str, *parts: str) -> None:
    limit = LIMITS[scope]
    key = _key(*parts)
    now = timezone.now()
    # Old hits of this key no longer matter: keep the table small.
    ThrottleHit.objects.filter(scope=scope, key=key, at__lt=now - limit.window - limit.cool_off).delete()
    ThrottleHit.objects.create(scope=scope, key=key, at=now)


def clear(scope: str, *parts: str) -> None:
    ThrottleHit.objects.filter(scope=scope, key=_key(*parts)).delete()
