"""Manual product links (`catalog_product_link`, position in `catalog_product_link_attribute_int`),
as Magento Open Source keeps them: per product and link type (related, up-sell, cross-sell) an
ordered list of other products. An admin write replaces a product's whole list of one type, as
Magento's product save does (`ProductLinkRepository`/`Link\\Saver`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from engine.errors import Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from models import (
    CatalogProductEntity,
    CatalogProductLink,
    CatalogProductLinkAttribute,
    CatalogProductLinkAttributeInt,
)
from models.targetrule import LinkType

PRODUCT_NOT_FOUND = (
    "The product that was requested doesn't exist. Verify the product and try again."
)
LINK_TO_ITSELF = "The product can't be linked to itself."
DUPLICATE_LINK = 'The product "%s" is linked twice.'


@dataclass(frozen=True)
class LinkedItem:
    sku: str
    position: int | None = None


@dataclass(frozen=True)
class LinkList:
    """One product's whole list of one link type, by SKU (an empty list removes every link)."""

    sku: str
    link_type: LinkType
    items: tuple[LinkedItem, ...]


@dataclass(frozen=True)
class Link:
    product_id: int
    linked_product_id: int
    link_type: LinkType
    position: int


async def _position_attributes() -> dict[int, int]:
    rows = await CatalogProductLinkAttribute.filter(product_link_attribute_code="position")
    return {int(r.link_type_id): r.product_link_attribute_id for r in rows}  # type: ignore[attr-defined]


async def set_links(lists: Sequence[LinkList], path: str = "input") -> list[Link]:
    """Replace each product's list of the given type; every list is checked first (problems at
    `input.2.items.0.sku`), and nothing is written unless all are good. One transaction."""
    skus = {entry.sku for entry in lists} | {i.sku for entry in lists for i in entry.items}
    async with in_transaction():
        found = {
            p.sku: p.entity_id for p in await CatalogProductEntity.filter(sku__in=sorted(skus))
        }
        problems = Problems()
        seen_lists: set[tuple[str, LinkType]] = set()
        for index, entry in enumerate(lists):
            at = f"{path}.{index}"
            if entry.sku not in found:
                problems.add(ProblemCode.NOT_FOUND, PRODUCT_NOT_FOUND, f"{at}.sku")
            if (entry.sku, entry.link_type) in seen_lists:
                problems.add(
                    ProblemCode.INVALID,
                    f'The {entry.link_type.name.lower()} list of "{entry.sku}" is given twice.',
                    f"{at}.link_type",
                )
            seen_lists.add((entry.sku, entry.link_type))
            seen: set[str] = set()
            for item_index, item in enumerate(entry.items):
                item_at = f"{at}.items.{item_index}"
                if item.sku not in found:
                    problems.add(ProblemCode.NOT_FOUND, PRODUCT_NOT_FOUND, f"{item_at}.sku")
                elif item.sku == entry.sku:
                    problems.add(ProblemCode.INVALID, LINK_TO_ITSELF, f"{item_at}.sku")
                if item.sku in seen:
                    problems.add(ProblemCode.INVALID, DUPLICATE_LINK % item.sku, f"{item_at}.sku")
                seen.add(item.sku)
                if item.position is not None and item.position < 0:
                    problems.add(
                        ProblemCode.INVALID,
                        "A position must be 0 or more.",
                        f"{item_at}.position",
                    )
        problems.raise_if_any()
        attributes = await _position_attributes()
        written: list[Link] = []
        for entry in lists:
            product_id = found[entry.sku]
            await CatalogProductLink.filter(
                product_id=product_id, link_type_id=entry.link_type.value
            ).delete()
            for order, item in enumerate(entry.items, 1):
                position = item.position if item.position is not None else order
                link = await CatalogProductLink.create(
                    product_id=product_id,
                    linked_product_id=found[item.sku],
                    link_type_id=entry.link_type.value,
                )
                await CatalogProductLinkAttributeInt.create(
                    product_link_attribute_id=attributes[entry.link_type.value],
                    link_id=link.link_id,
                    value=position,
                )
                written.append(Link(product_id, found[item.sku], entry.link_type, position))
        touch(Topic.RELATIONS)
    return written


_LINKS_SQL = """
SELECT l.product_id, l.link_type_id, l.linked_product_id, COALESCE(v.value, 0) AS position,
       l.link_id
FROM catalog_product_link l
LEFT JOIN catalog_product_link_attribute a
  ON a.link_type_id = l.link_type_id AND a.product_link_attribute_code = 'position'
LEFT JOIN catalog_product_link_attribute_int v
  ON v.link_id = l.link_id AND v.product_link_attribute_id = a.product_link_attribute_id
WHERE l.product_id IN ({products}) AND l.link_type_id IN ({types})
ORDER BY l.product_id, l.link_type_id, position, l.link_id
"""


async def load_links(keys: Sequence[tuple[int, LinkType]]) -> list[list[Link]]:
    """DataLoader batch: each (product, type)'s links ordered by position, then link id. One
    query for any number of keys."""
    if not keys:
        return []
    products = ", ".join(str(int(p)) for p in sorted({p for p, _ in keys}))
    types = ", ".join(str(t.value) for t in sorted({t for _, t in keys}))
    rows = await CatalogProductLink._meta.db.execute_query_dict(
        _LINKS_SQL.format(products=products, types=types)
    )
    by_key: dict[tuple[int, int], list[Link]] = defaultdict(list)
    for row in rows:
        link_type = LinkType(int(row["link_type_id"]))
        by_key[(int(row["product_id"]), link_type.value)].append(
            Link(
                int(row["product_id"]),
                int(row["linked_product_id"]),
                link_type,
                int(row["position"]),
            )
        )
    return [by_key.get((p, t.value), []) for p, t in keys]


def not_found(path: str) -> Problem:
    return Problem(ProblemCode.NOT_FOUND, PRODUCT_NOT_FOUND, path)
