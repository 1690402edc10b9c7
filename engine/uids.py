"""Magento's `uid`: plain base64 of the id, decoded strictly (`Query\\Uid`)."""

from __future__ import annotations

import base64
import binascii

from engine.errors import InputInvalid, Problem, ProblemCode


def encode_uid(entity_id: int | str) -> str:
    return base64.b64encode(str(entity_id).encode()).decode()


def decode_uid(uid: str, path: str = "uid") -> int:
    """The integer id behind `uid`; anything that is not strict, round-tripping base64 of an
    integer is Magento's "Value of uid ... is incorrect." input error."""
    try:
        raw = base64.b64decode(uid, validate=True)
        if base64.b64encode(raw).decode() != uid:
            raise ValueError(uid)
        text = raw.decode("ascii")
        if not text.isdigit():
            raise ValueError(uid)
        return int(text)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InputInvalid(
            Problem(ProblemCode.INVALID_UID, f'Value of uid "{uid}" is incorrect.', path)
        ) from None
