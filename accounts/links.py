"""Links that stand for a row (an invitation, a child's request): a signed id with a lifetime, nothing stored."""

import datetime
from typing import Any

from django.core import signing
from django.db.models import Model, QuerySet


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


class LinkGone(Exception):
    """A single-use link that has expired or was used."""


def unused_row[M: Model](queryset: QuerySet[M, Any], token: str, *, salt: str, days: int) -> M | None:
    """The row (with `used_at`) that a single-use link names: None for a link we did not sign, LinkGone once
    it has expired or the row was used."""
    try:
        pk = pk_of(token, salt=salt, days=days)
    except LinkExpired:
        raise LinkGone from None
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None or getattr(row, "used_at") is not None:  # noqa: B009 - any model with used_at
        raise LinkGone
    return row
