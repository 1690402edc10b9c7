"""Where media files live and under which URL they are served.

A file is named as Magento names it: lowercase, `[a-z0-9_.-]` only, in a two-level dispersion
folder of its first two characters (`/s/h/shirt.png`); a name already taken gets `_1`, `_2`, ...
Only images whose content is JPEG, PNG, GIF or WebP are accepted, whatever their extension says."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputInvalid, Problem, ProblemCode

PRODUCT_FOLDER = "catalog/product"
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

# Content signatures (the first bytes) and the extension Magento keeps for each.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
EXTENSIONS = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
NOT_AN_IMAGE = "The image content must be a JPEG, PNG, GIF or WebP image."
WRONG_EXTENSION = "The file name's extension must be jpg, jpeg, png, gif or webp."


def image_type(content: bytes) -> str | None:
    """The image type the content is (`png`, `jpg`, `gif`, `webp`), None when it is none."""
    for signature, kind in SIGNATURES:
        if content.startswith(signature):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    return None


def file_name(name: str) -> str:
    """Magento's `Uploader::getCorrectFileName`: lowercase, other characters become `_`."""
    cleaned = re.sub(r"[^a-z0-9_.\-]", "_", name.strip().lower())
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    stem = stem.strip("._") or "image"
    return f"{stem}.{extension}" if extension else stem


def dispersion(name: str) -> str:
    """`/s/h/` for `shirt.png` (`_` stands in for a missing second character)."""
    first = name[0]
    second = name[1] if len(name) > 1 and name[1] != "." else "_"
    return f"/{first}/{second}/"


@dataclass(frozen=True)
class MediaStorage:
    """The media folder on disk and the base URL clients fetch it from (`/media/` served by
    mageseg, or a CDN's `https://cdn.example.com/media/`)."""

    root: Path
    base_url: str = "/media/"
    max_bytes: int = DEFAULT_MAX_BYTES

    def url(self, file: str) -> str:
        """The URL of a product image path as stored (`/s/h/shirt.png`)."""
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return f"{base}{PRODUCT_FOLDER}{file}"

    def check(self, name: str, content: bytes, path: str) -> str:
        """The file's clean name once its content and name are acceptable; every problem is
        raised at once under `path`."""
        problems: list[Problem] = []
        kind = image_type(content)
        if kind is None:
            problems.append(Problem(ProblemCode.INVALID, NOT_AN_IMAGE, f"{path}.base64_content"))
        if len(content) > self.max_bytes:
            problems.append(
                Problem(
                    ProblemCode.INVALID,
                    f"The file is {len(content)} bytes, more than the {self.max_bytes} allowed.",
                    f"{path}.base64_content",
                )
            )
        clean = file_name(name)
        extension = clean.rpartition(".")[2] if "." in clean else ""
        if EXTENSIONS.get(extension) is None:
            problems.append(Problem(ProblemCode.INVALID, WRONG_EXTENSION, f"{path}.name"))
        if problems:
            raise InputInvalid(problems)
        return clean

    def reserve(self, clean_name: str) -> str:
        """A free stored path for the name (`/s/h/shirt_1.png` when `shirt.png` is taken)."""
        folder = dispersion(clean_name)
        stem, _, extension = clean_name.rpartition(".")
        candidate, counter = clean_name, 0
        while (self.root / PRODUCT_FOLDER / folder.strip("/") / candidate).exists():
            counter += 1
            candidate = f"{stem}_{counter}.{extension}"
        return f"{folder}{candidate}"

    def write(self, file: str, content: bytes) -> None:
        target = self.root / PRODUCT_FOLDER / file.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def remove(self, file: str) -> None:
        (self.root / PRODUCT_FOLDER / file.lstrip("/")).unlink(missing_ok=True)
