"""Sending an e-mail from a task: a failed send is tried again later, with a growing delay, and never lost.

Pages never send mail: they enqueue a task (the worker runs it), so a slow or failing mail
server costs a page nothing. A task that sends calls `send` with a way to enqueue itself again.
"""

import datetime
import logging
import smtplib
from collections.abc import Callable

from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

logger = logging.getLogger(__name__)

# A child without an e-mail address: students.email (NOT NULL UNIQUE in the design document) and the
# account's e-mail hold an address on this reserved domain (RFC 2606: ".invalid" is never delivered),
# made from the account's public id. Nothing shows, mails or exports it: all ask is_reserved_email.
RESERVED_EMAIL_DOMAIN = "no-email.learning-quest.invalid"


def reserved_email(public_id: str) -> str:
    """The never-deliverable address of an account without an e-mail."""
    return f"{public_id}@{RESERVED_EMAIL_DOMAIN}"


def is_reserved_email(address: str | None) -> bool:
    return (address or "").strip().lower().endswith("@" + RESERVED_EMAIL_DOMAIN)


# Tries, and the wait before each next one: 1, 2, 4 … 64 minutes (about two hours in all). A send
# that still fails stays in the task table as failed, with everything needed to send it again.
MAX_ATTEMPTS = 8


def retry_delay(attempt: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=2 ** (attempt - 1))


def send(messages: list[EmailMessage], *, attempt: int, again: Callable[[datetime.datetime], object]) -> int:
    """Send the messages over one connection; on a mail server's failure, enqueue the task again (through
    `again`, given when) and raise, so that this attempt is recorded as failed. Returns how many were sent.

    A reserved address (of a child's account without an e-mail) is never written to: it is taken off
    every message, and a message left with no recipient is not sent."""
    for message in messages:
        for field in ("to", "cc", "bcc"):
            setattr(message, field, [a for a in getattr(message, field) if not is_reserved_email(a)])
    messages = [message for message in messages if message.recipients()]
    if not messages:
        return 0
    try:
        return mail.mailers.default.send_messages(messages) or 0
    except (smtplib.SMTPException, OSError) as error:
        if attempt < MAX_ATTEMPTS:
            again(timezone.now() + retry_delay(attempt))
            delay = retry_delay(attempt)
            logger.warning("mail not sent attempt=%s retry_in=%s error=%s", attempt, delay, type(error).__name__)
        else:
            logger.error("mail not sent after %s attempts error=%s", attempt, type(error).__name__)
        raise
