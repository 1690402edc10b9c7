"""Gallery rows and image roles of products (Magento's `Gallery\\ReadHandler` and
`CreateHandler`).

An entry's label, position and disabled flag are read for the store view, falling back to
store 0. The roles `image`, `small_image` and `thumbnail` are the varchar attribute values
holding an entry's file; an entry's `types` are the roles pointing at its file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from tortoise.transactions import in_transaction

from engine.errors import InputInvalid, NoSuchEntity, Problem, ProblemCode
from engine.invalidation import Topic, touch
from engine.media.storage import MediaStorage
from models import (
    CatalogProductEntity,
    CatalogProductEntityMediaGallery,
    CatalogProductEntityMediaGalleryValue,
    CatalogProductEntityMediaGalleryValueToEntity,
    CatalogProductEntityVarchar,
    EavAttribute,
    EntityType,
)
from models.media import IMAGE_ROLES, MEDIA_GALLERY_ATTRIBUTE

ENTRY_NOT_FOUND = "The media gallery entry that was requested doesn't exist."
UNKNOWN_ROLE = "An image type must be image, small_image or thumbnail."


@dataclass(frozen=True)
class GalleryEntry:
    value_id: int
    file: str
    media_type: str
    label: str | None
    position: int | None
    disabled: bool
    types: tuple[str, ...]


@dataclass(frozen=True)
class ProductMedia:
    """A product's gallery, by position, and its role files (`{"image": "/s/h/shirt.png"}`)."""

    entries: tuple[GalleryEntry, ...]
    roles: dict[str, str]

    def entry_of(self, file: str) -> GalleryEntry | None:
        return next((e for e in self.entries if e.file == file), None)


EMPTY = ProductMedia(entries=(), roles={})


async def _attribute_ids() -> dict[str, int]:
    rows = await EavAttribute.filter(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code__in=[*IMAGE_ROLES, MEDIA_GALLERY_ATTRIBUTE],
    ).values_list("attribute_code", "attribute_id")
    return {str(code): int(attribute_id) for code, attribute_id in rows}


async def load_media(product_ids: Sequence[int], store_id: int = 0) -> list[ProductMedia]:
    """DataLoader batch: each product's media for a store view (three queries)."""
    ids = list(product_ids)
    attribute_ids = await _attribute_ids()
    code_of = {attribute_id: code for code, attribute_id in attribute_ids.items()}
    roles: dict[int, dict[str, str]] = defaultdict(dict)
    for entity_id, attribute_id, value in await CatalogProductEntityVarchar.filter(
        entity_id__in=ids,
        store_id=0,
        attribute_id__in=[attribute_ids[c] for c in IMAGE_ROLES if c in attribute_ids],
    ).values_list("entity_id", "attribute_id", "value"):
        if value and value != "no_selection":
            roles[int(entity_id)][code_of[int(attribute_id)]] = str(value)
    values = await CatalogProductEntityMediaGalleryValue.filter(
        entity_id__in=ids, store_id__in=sorted({0, store_id})
    ).select_related("value")
    chosen: dict[tuple[int, int], CatalogProductEntityMediaGalleryValue] = {}
    for row in sorted(values, key=lambda r: r.store_id):  # the store view's row wins
        chosen[(row.entity_id, row.value_id)] = row  # type: ignore[attr-defined]
    by_product: dict[int, list[GalleryEntry]] = defaultdict(list)
    for (entity_id, _), row in chosen.items():
        file = row.value.value or ""
        by_product[entity_id].append(
            GalleryEntry(
                value_id=row.value.value_id,
                file=file,
                media_type=row.value.media_type,
                label=row.label,
                position=row.position,
                disabled=row.disabled or row.value.disabled,
                types=tuple(r for r in IMAGE_ROLES if roles[entity_id].get(r) == file),
            )
        )
    return [
        ProductMedia(
            entries=tuple(
                sorted(
                    by_product.get(i, []),
                    key=lambda e: (e.position is None, e.position or 0, e.value_id),
                )
            ),
            roles=dict(roles.get(i, {})),
        )
        for i in ids
    ]


@dataclass(frozen=True)
class NewImage:
    name: str
    content: bytes
    label: str | None = None
    position: int | None = None
    disabled: bool = False
    types: tuple[str, ...] = ()


async def _set_roles(product_id: int, file: str, roles: Sequence[str], ids: dict[str, int]) -> None:
    for role in roles:
        updated = await CatalogProductEntityVarchar.filter(
            entity_id=product_id, attribute_id=ids[role], store_id=0
        ).update(value=file)
        if not updated:
            await CatalogProductEntityVarchar.create(
                entity_id=product_id, attribute_id=ids[role], store_id=0, value=file
            )


async def add_image(
    storage: MediaStorage, product_id: int, image: NewImage, path: str = "input"
) -> GalleryEntry:
    """Validate and store an image, add it to the product's gallery (last when no position is
    given) and give it the roles named in `types`, in one transaction. The file is written
    before the rows and removed again if they cannot be."""
    problems = [
        Problem(ProblemCode.INVALID, UNKNOWN_ROLE, f"{path}.types.{i}")
        for i, role in enumerate(image.types)
        if role not in IMAGE_ROLES
    ]
    try:
        clean = storage.check(image.name, image.content, path)
    except InputInvalid as error:
        problems = list(error.problems) + problems
    if problems:
        raise InputInvalid(problems)
    if not await CatalogProductEntity.exists(entity_id=product_id):
        raise NoSuchEntity(
            Problem(
                ProblemCode.NOT_FOUND,
                "The product that was requested doesn't exist. Verify the product and try again.",
                f"{path}.product_uid",
            )
        )
    file = storage.reserve(clean)
    storage.write(file, image.content)
    try:
        async with in_transaction():
            ids = await _attribute_ids()
            position = image.position
            if position is None:
                positions = await CatalogProductEntityMediaGalleryValue.filter(
                    entity_id=product_id, store_id=0
                ).values_list("position", flat=True)
                position = (
                    max((int(p) for p in cast(list[Any], positions) if p is not None), default=0)
                    + 1
                )
            gallery = await CatalogProductEntityMediaGallery.create(
                attribute_id=ids[MEDIA_GALLERY_ATTRIBUTE], value=file, media_type="image"
            )
            await CatalogProductEntityMediaGalleryValue.create(
                value=gallery,
                store_id=0,
                entity_id=product_id,
                label=image.label,
                position=position,
                disabled=image.disabled,
            )
            await CatalogProductEntityMediaGalleryValueToEntity.create(
                value=gallery, entity_id=product_id
            )
            await _set_roles(product_id, file, image.types, ids)
            touch(Topic.SEGMENTS)
    except BaseException:
        storage.remove(file)
        raise
    return GalleryEntry(
        value_id=gallery.value_id,
        file=file,
        media_type="image",
        label=image.label,
        position=position,
        disabled=image.disabled,
        types=tuple(r for r in IMAGE_ROLES if r in image.types),
    )


async def remove_image(storage: MediaStorage, value_id: int, path: str = "uid") -> int:
    """Remove a gallery entry, the roles pointing at its file and the file; the product id."""
    async with in_transaction():
        link = await CatalogProductEntityMediaGalleryValueToEntity.get_or_none(value_id=value_id)
        gallery = await CatalogProductEntityMediaGallery.get_or_none(value_id=value_id)
        if link is None or gallery is None:
            raise NoSuchEntity(Problem(ProblemCode.NOT_FOUND, ENTRY_NOT_FOUND, path))
        file = gallery.value
        product_id = int(link.entity_id)  # type: ignore[attr-defined]
        ids = await _attribute_ids()
        await CatalogProductEntityVarchar.filter(
            entity_id=product_id,
            attribute_id__in=[ids[r] for r in IMAGE_ROLES],
            value=file,
        ).delete()
        await CatalogProductEntityMediaGallery.filter(value_id=value_id).delete()
        touch(Topic.SEGMENTS)
    if file:
        storage.remove(file)
    return product_id
