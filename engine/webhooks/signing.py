"""Webhook signatures: HMAC-SHA256 of `<timestamp>.<body>` with the webhook's secret.

Receivers recompute it over the raw body and the `X-Mageseg-Timestamp` header, compare it with
`X-Mageseg-Signature` in constant time, refuse old timestamps, and de-duplicate by
`X-Mageseg-Delivery` (a redelivery or a retry after a lost answer carries the same id)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Mageseg-Signature"
TIMESTAMP_HEADER = "X-Mageseg-Timestamp"
DELIVERY_HEADER = "X-Mageseg-Delivery"
EVENT_HEADER = "X-Mageseg-Event"
SCHEME = "sha256="
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh random secret (64 hex characters)."""
    return secrets.token_hex(SECRET_BYTES)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<body>`)."""
    message = str(timestamp).encode() + b"." + body
    return SCHEME + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """Whether `header` is the signature of `body` at `timestamp` (constant-time compare)."""
    if not timestamp.isdigit():
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), header)


def headers(secret: str, timestamp: int, body: bytes, delivery: str, event: str) -> dict[str, str]:
    """Every header of one delivery request."""
    return {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        TIMESTAMP_HEADER: str(timestamp),
        DELIVERY_HEADER: delivery,
        EVENT_HEADER: event,
    }
