"""Where messages go, chosen by one URL (`MAGESEG_MAIL_URL`):

- `folder://PATH` (the default, `var/mail`): each message is written to PATH as an `.eml` file
  that any mail program opens; nothing leaves the machine.
- `smtp://[user:password@]host[:port]`: an SMTP server (port 25 by default), upgraded with
  STARTTLS when the server offers it; `?starttls=require` refuses to send in clear text,
  `?starttls=off` never upgrades.
- `smtps://[user:password@]host[:port]`: SMTP over TLS from the first byte (port 465).

User names and passwords are percent-decoded (`%40` for `@`)."""

from __future__ import annotations

import asyncio
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

STARTTLS_MODES = {"auto": None, "require": True, "off": False}


class MailUrlInvalid(ValueError):
    """A mail URL that names no transport mageseg has."""


class Transport(Protocol):
    async def deliver(self, message: EmailMessage, name: str) -> None:
        """Send `message` (`name`: a short label for it, such as its template); raises on
        failure."""
        ...

    def describe(self) -> str:
        """Where messages go, without credentials (for logs)."""
        ...


@dataclass(frozen=True)
class FolderMailbox:
    folder: Path

    async def deliver(self, message: EmailMessage, name: str) -> None:
        await asyncio.to_thread(self._write, message.as_bytes(), name)

    def _write(self, data: bytes, name: str) -> Path:
        """Written under a temporary name then renamed, so a reader never sees half a file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        final = self.folder / f"{stamp}-{name}-{secrets.token_hex(4)}.eml"
        partial = final.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, final)
        return final

    def describe(self) -> str:
        return f"folder {self.folder}"


@dataclass(frozen=True)
class SmtpTransport:
    hostname: str
    port: int | None
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool | None
    timeout: float

    async def deliver(self, message: EmailMessage, name: str) -> None:
        await aiosmtplib.send(
            message,
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            start_tls=self.start_tls,
            timeout=self.timeout,
        )

    def describe(self) -> str:
        scheme = "smtps" if self.use_tls else "smtp"
        return f"{scheme}://{self.hostname}:{self.port or (465 if self.use_tls else 25)}"


def transport_from_url(url: str, default_folder: Path, timeout: float = 10.0) -> Transport:
    """The transport a mail URL names; an empty URL is the folder mailbox in `default_folder`."""
    if not url.strip():
        return FolderMailbox(default_folder)
    if url.startswith("folder://"):
        path = url.removeprefix("folder://")
        if not path:
            raise MailUrlInvalid("A folder:// mail URL needs a path (folder://var/mail).")
        return FolderMailbox(Path(path))
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise MailUrlInvalid(
            f"Unknown mail URL {parts.scheme}://...: use folder://PATH, smtp://host:port or "
            "smtps://host:port."
        )
    query = parse_qs(parts.query)
    mode = (query.get("starttls") or ["auto"])[0]
    if mode not in STARTTLS_MODES:
        raise MailUrlInvalid(f'starttls takes auto, require or off, not "{mode}".')
    use_tls = parts.scheme == "smtps"
    try:
        port = parts.port
    except ValueError:
        raise MailUrlInvalid("The mail URL's port is not a number.") from None
    return SmtpTransport(
        hostname=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
        start_tls=False if use_tls else STARTTLS_MODES[mode],
        timeout=timeout,
    )
