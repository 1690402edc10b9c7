"""Magento's `uid`: plain base64 of the id, decoded strictly (`Query\\Uid`)."""

from __future__ import annotations

import base64
import binascii

from engine.errors import InputInvalid, Problem, ProblemCode

# Ids are 64-bit signed integers in every table (PostgreSQL `bigint`).
MAX_ID = 2**63 - 1


def parse_id(text: str) -> int | None:
    """The id a decimal string names, or None when it is not one (not ASCII digits, or past
    64 bits: no row has it, and PostgreSQL would refuse to compare with it)."""
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def encode_uid(entity_id: int | str) -> str:
    return base64.b64encode(str(entity_id).encode()).decode()


def decode_uid(uid: str, path: str = "uid") -> int:
    """The integer id behind `uid`; anything that is not strict, round-tripping base64 of an
    integer is Magento's "Value of uid ... is incorrect." input error."""
    try:
        raw = base64.b64decode(uid, validate=True)
        if base64.b64encode(raw).decode() != uid:
            raise ValueError(uid)
        value = parse_id(raw.decode("ascii"))
        if value is None:
            raise ValueError(uid)
        return value
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InputInvalid(
            Problem(ProblemCode.INVALID_UID, f'Value of uid "{uid}" is incorrect.', path)
        ) from None
