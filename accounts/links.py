"""Links that stand for a row (an invitation, a child's request): a signed id with a lifetime, nothing stored."""

import datetime

from django.core import signing


class LinkExpired(Exception):
    """The link's signature is good but older than its lifetime."""


def token_for(pk: int, *, salt: str) -> str:
    return signing.dumps(pk, salt=salt)


def pk_of(token: str, *, salt: str, days: int) -> int | None:
    """The id the link names, None for a link we did not sign (or one tampered with); LinkExpired when
    it is older than `days`."""
    try:
        return signing.loads(token, salt=salt, max_age=datetime.timedelta(days=days))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        return None
