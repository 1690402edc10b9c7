"""Small PNG images made at seed time with the standard library (no binary files in git): a
square in one colour with a lighter band, enough for a storefront to show something."""

from __future__ import annotations

import hashlib
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width: int, height: int, rgb: tuple[int, int, int], band: int = 0) -> bytes:
    """An RGB PNG: `rgb` everywhere but a lighter horizontal band `band` rows high, centred."""
    light = tuple(min(255, c + (255 - c) // 2) for c in rgb)
    top = (height - band) // 2
    rows = []
    for y in range(height):
        colour = light if top <= y < top + band else rgb
        rows.append(b"\x00" + bytes(colour) * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def colour_of(text: str) -> tuple[int, int, int]:
    """A stable, not too light colour for a name."""
    digest = hashlib.sha256(text.encode()).digest()
    return digest[0] % 192, digest[1] % 192, digest[2] % 192
