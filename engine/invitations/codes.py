"""The invitation code and URL (`Model/Invitation.php::getInvitationCode`,
`Helper/Data.php::getInvitationUrl`).

The code is `"{invitation_id}:{protection_code}"`, the protection code 32 hexadecimal
characters (`Math\\Random::getUniqueHash`). In a URL it is encoded by Magento's
`Url\\Encoder::encode`: base64 with `+/=` turned into `-_~`, e.g. `7:0123...` →
`NzowMTIz...` → `.../invitation/customer_account/create/invitation/NzowMTIz.../`."""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

from engine.uids import parse_id

URL_ROUTE = "invitation/customer_account/create/invitation"
_TO_URL = str.maketrans("+/=", "-_~")
_FROM_URL = str.maketrans("-_~", "+/=")


def new_protection_code() -> str:
    return secrets.token_hex(16)


def invitation_code(invitation_id: int, protection_code: str) -> str:
    return f"{invitation_id}:{protection_code}"


def url_encode(text: str) -> str:
    """Magento's `Url\\Encoder::encode`: `strtr(base64_encode($s), '+/=', '-_~')`."""
    return base64.b64encode(text.encode()).decode("ascii").translate(_TO_URL)


def url_decode(text: str) -> str | None:
    """Magento's `Url\\Decoder::decode`; None when the text is not such an encoding."""
    try:
        return base64.b64decode(text.translate(_FROM_URL), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def invitation_url(base_url: str, invitation_id: int, protection_code: str) -> str:
    base = base_url if base_url.endswith("/") else base_url + "/"
    return f"{base}{URL_ROUTE}/{url_encode(invitation_code(invitation_id, protection_code))}/"


@dataclass(frozen=True)
class ParsedCode:
    invitation_id: int
    protection_code: str


def parse_code(code: str) -> ParsedCode | None:
    """`loadByInvitationCode`: split on the first `:`. The code is accepted as is or in its URL
    encoding (what the e-mail's link carries), so a signup page may pass either. None when it
    has neither shape."""
    for candidate in (code, url_decode(code)):
        if candidate is None or ":" not in candidate:
            continue
        raw_id, protection = candidate.split(":", 1)
        invitation_id = parse_id(raw_id)
        if invitation_id is not None and protection:
            return ParsedCode(invitation_id, protection)
    return None
