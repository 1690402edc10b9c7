"""The catalog: products, categories and their links."""

from __future__ import annotations

from collections.abc import Sequence

from models import CatalogProductEntity


async def load_products(product_ids: Sequence[int]) -> list[CatalogProductEntity | None]:
    """DataLoader batch: products in the order asked, `None` where missing."""
    rows = {
        p.entity_id: p for p in await CatalogProductEntity.filter(entity_id__in=list(product_ids))
    }
    return [rows.get(product_id) for product_id in product_ids]
