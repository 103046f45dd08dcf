"""Log lines that cannot be forged and hold no secret: one home for both, for the app's logs and
gunicorn's access log.

A path like /x%0Atime=... level=ERROR decodes to a newline, which would start a second, forged
line; every control character (and a double quote, which ends a quoted field) is written as an
escape instead. A password-reset (or sign-up) link carries a token that opens the account: its path is
logged as /accounts/reset/[redacted]/ (/accounts/signup/confirm/[redacted]/, /family/invitations/[redacted]/).
"""

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

_RESET_LINK = re.compile(r"/accounts/(reset|signup/confirm)/[^/\s]+/[^/\s]+/")
_INVITATION_LINK = re.compile(r"/family/invitations/[^/\s]+/")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\\u2028\u2029]')


def safe(text: str) -> str:
    """The text with reset tokens redacted and control characters escaped: always one line."""
    text = _RESET_LINK.sub(lambda match: f"/accounts/{match[1]}/[redacted]/", text)
    text = _INVITATION_LINK.sub("/family/invitations/[redacted]/", text)
    return _UNSAFE.sub(lambda match: f"\\x{ord(match[0]):02x}" if ord(match[0]) < 0x100 else "\\u2028", text)


class SafeLogFilter(logging.Filter):
    """Formats the record's message once, safely: a filter on the handlers, so every logger goes through it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = safe(record.getMessage())
        record.args = ()
        return True


class SafeAccessLogger(Logger):
    """gunicorn's logger, with the access log's request fields made safe (gunicorn.conf.py's logger_class)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for name in ("U", "r", "q"):
            if isinstance(atoms.get(name), str):
                atoms[name] = safe(atoms[name])
        return atoms
