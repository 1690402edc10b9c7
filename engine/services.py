"""What the engine needs from the process, built once at start-up and passed to engine calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from engine.cache import Cache
from engine.clock import Clock, SystemClock
from engine.mail.mailer import Mailer
from engine.mail.transports import FolderMailbox
from engine.media.storage import MediaStorage
from engine.passwords import PasswordHasher


@dataclass(frozen=True)
class Services:
    cache: Cache
    passwords: PasswordHasher
    customer_token_lifetime: timedelta
    # What time it is for everything that depends on "now" (tests pass a ManualClock).
    clock: Clock = field(default_factory=SystemClock)
    # Where product images are written and the URL they are served under.
    media: MediaStorage = field(default_factory=lambda: MediaStorage(Path("var/media")))
    # Where e-mails go (a folder mailbox unless configured otherwise).
    mail: Mailer = field(default_factory=lambda: Mailer(FolderMailbox(Path("var/mail"))))
