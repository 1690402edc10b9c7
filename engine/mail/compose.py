"""A message from one of Magento's templates, for one store view: what engine code calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.config import ConfigPath
from engine.mail import identities
from engine.mail.message import Address, Message
from engine.mail.templates import TEMPLATES, StoreMail
from engine.stores import StoresSnapshot, StoreView


def compose(
    template: str,
    *,
    store: StoreView,
    stores: StoresSnapshot,
    sender: ConfigPath,
    to: Sequence[Address],
    values: Mapping[str, str],
    reply_to: Address | None = None,
) -> Message:
    """`sender` is the identity setting (`customer/password/forgot_email_identity`, ...)."""
    rendered = TEMPLATES[template].render(StoreMail.of(store, stores), values)
    return Message(
        template=template,
        sender=identities.sender(sender, stores, store),
        to=tuple(to),
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        reply_to=reply_to,
    )
