"""A real SMTP server on loopback (aiosmtpd) that keeps the messages it accepts."""

from __future__ import annotations

import asyncio
import email
import threading
from email.message import Message

from aiosmtpd.controller import Controller

from tests.network import free_port


class MailServer:
    """Answers every message with `answer`, after `delay` seconds.

    A message counts as delivered only when the server gave its "250" to a client still
    there to hear it: a client that vanished during the delay delivered nothing, as with a
    real mail server, which takes a message over only by answering it.
    """

    def __init__(self, answer: str = "250 OK", delay: float = 0.0) -> None:
        self.answer = answer
        self.delay = delay
        self.messages: list[Message] = []
        self.receiving = threading.Event()  # set while a message waits for its answer
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.receiving.set()
        try:
            await asyncio.sleep(self.delay)
            if server.transport is None or server.transport.is_closing():
                return "421 The client left"
            if self.answer.startswith("250"):
                self.messages.append(email.message_from_bytes(envelope.content))
            return self.answer
        finally:
            self.receiving.clear()

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]

    def mailers(self) -> dict:
        """A MAILERS setting that sends here."""
        options = {"host": "127.0.0.1", "port": self.port, "use_tls": False, "timeout": 10}
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": options,
            }
        }

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()
