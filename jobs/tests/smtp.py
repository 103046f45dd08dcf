"""A real SMTP server for the mail tests (aiosmtpd on a free loopback port), which can refuse for a while."""

import contextlib
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller

from edtech.tests.servers import free_port


@dataclass
class Mailbox:
    """What the server received, and how many more deliveries it answers "451 try again later"."""

    refuse_next: int = 0
    received: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return "451 Requested action aborted: try again later"
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"


@contextlib.contextmanager
def smtp_server(**mailbox_options):
    """(mailbox, MAILERS setting that sends to it): an SMTP server running for the block."""
    mailbox = Mailbox(**mailbox_options)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailers = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        yield mailbox, mailers
    finally:
        controller.stop()
