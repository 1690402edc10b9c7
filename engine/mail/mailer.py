"""The one place messages are sent from: the configured transport, with logging and metrics."""

from __future__ import annotations

import logging

from engine.mail.message import Message
from engine.mail.transports import Transport
from engine.metrics import metrics

log = logging.getLogger("mageseg.mail")


class Mailer:
    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    async def send(self, message: Message) -> bool:
        """Deliver `message`; False when the transport failed (logged and counted, never
        raised: the write that asked for the e-mail has committed and stays). Call it after the
        transaction, never inside one."""
        try:
            await self.transport.deliver(message.to_email(), message.template)
        except Exception:  # any transport failure: SMTP refusal, network, full disk
            log.exception(
                "could not send %s to %s through %s",
                message.template,
                ", ".join(a.email for a in message.to),
                self.transport.describe(),
            )
            metrics().mail_messages.labels(message.template, "failed").inc()
            return False
        metrics().mail_messages.labels(message.template, "sent").inc()
        return True
