"""Product attribute values a storefront shows beside the flat columns: the text attributes of
Magento_Catalog (`description`, `short_description`, `meta_title`, `meta_keyword`,
`meta_description`, system attributes in `catalog_product_entity_text` / `_varchar`) and the
user-defined attributes with their metadata, as magento/magento2-pwa's `custom_attributes`.

Values are per store view in Magento: the store view's row wins over store 0 (the default);
admin writes go to store 0."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from engine.attributes import StoredValue, load
from models import (
    BackendType,
    CatalogEavAttribute,
    CatalogProductEntityText,
    CatalogProductEntityVarchar,
    EavAttribute,
    EntityType,
)

TEXT_CODES = ("description", "short_description", "meta_title", "meta_keyword", "meta_description")
# meta_title and meta_description are varchar attributes in Magento (255 characters at most).
VARCHAR_TEXT_CODES = ("meta_title", "meta_description")


async def _text_attribute_ids() -> dict[str, int]:
    rows = await EavAttribute.filter(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code__in=list(TEXT_CODES),
        is_user_defined=False,
    ).values_list("attribute_code", "attribute_id")
    return {str(code): int(attribute_id) for code, attribute_id in cast(list[Any], rows)}


async def load_texts(product_ids: Sequence[int], store_id: int = 0) -> list[dict[str, str]]:
    """DataLoader batch: each product's text attributes (code -> value) for a store view, the
    store view's value over store 0's; absent and empty values left out (two queries)."""
    ids = list(product_ids)
    attribute_ids = await _text_attribute_ids()
    code_of = {attribute_id: code for code, attribute_id in attribute_ids.items()}
    found: dict[int, dict[str, tuple[int, str]]] = defaultdict(dict)
    for table in (CatalogProductEntityText, CatalogProductEntityVarchar):
        rows = await table.filter(
            entity_id__in=ids,
            attribute_id__in=list(code_of),
            store_id__in=sorted({0, store_id}),
        ).values_list("entity_id", "attribute_id", "store_id", "value")
        for entity_id, attribute_id, row_store, value in cast(list[Any], rows):
            code = code_of[int(attribute_id)]
            current = found[int(entity_id)].get(code)
            if current is None or int(row_store) > current[0]:
                found[int(entity_id)][code] = (int(row_store), value)
    return [
        {code: str(value) for code, (_, value) in found.get(i, {}).items() if value} for i in ids
    ]


async def save_texts(product_id: int, values: Mapping[str, str | None]) -> None:
    """Write text attributes at store 0 inside the caller's transaction; None or "" deletes."""
    attribute_ids = await _text_attribute_ids()
    for code, value in values.items():
        table = (
            CatalogProductEntityVarchar if code in VARCHAR_TEXT_CODES else CatalogProductEntityText
        )
        existing = table.filter(entity_id=product_id, attribute_id=attribute_ids[code], store_id=0)
        if not value:
            await existing.delete()
        elif await existing.exists():
            await existing.update(value=value)
        else:
            await table.create(
                entity_id=product_id, attribute_id=attribute_ids[code], store_id=0, value=value
            )


# --- custom attributes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownAttribute:
    """A user-defined attribute with a value on a product, with what the storefront's
    `custom_attributes` tells about it (the catalog flags; None when the attribute has none)."""

    attribute: EavAttribute
    settings: CatalogEavAttribute | None
    value: StoredValue

    @property
    def position(self) -> int:
        return self.settings.position if self.settings else 0


def data_type(attribute: EavAttribute) -> str:
    """magento2-pwa's `data_type`: the GraphQL scalar of the backend type."""
    if attribute.backend_type is BackendType.INT:
        return "INT"
    if attribute.backend_type is BackendType.DECIMAL:
        return "FLOAT"
    return "STRING"


async def load_custom_attributes(product_ids: Sequence[int]) -> list[list[ShownAttribute]]:
    """DataLoader batch: each product's user-defined attributes that hold a value, by position
    then label (magento2-pwa's `CustomAttributes` order)."""
    ids = list(product_ids)
    values = await load(EntityType.CATALOG_PRODUCT, ids)
    codes = {v.code for per in values.values() for v in per}
    attributes = {
        a.attribute_code: a
        for a in await EavAttribute.filter(
            entity_type_id=EntityType.CATALOG_PRODUCT,
            attribute_code__in=sorted(codes),
            is_user_defined=True,
        )
    }
    settings = {
        s.attribute_id: s  # type: ignore[attr-defined]
        for s in await CatalogEavAttribute.filter(
            attribute_id__in=[a.attribute_id for a in attributes.values()]
        )
    }
    result: list[list[ShownAttribute]] = []
    for product_id in ids:
        shown = [
            ShownAttribute(attributes[v.code], settings.get(attributes[v.code].attribute_id), v)
            for v in values.get(product_id, [])
            if v.code in attributes
        ]
        shown.sort(key=lambda s: (s.position, s.attribute.frontend_label))
        result.append(shown)
    return result
