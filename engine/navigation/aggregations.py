"""The buckets of a product search (`Products.aggregations`), over every matched product.

- `category_uid`: the active categories below the store's root (all levels, or only the direct
  children of the searched category with `direct_children_only`) holding matched products,
  themselves or in a subcategory (Magento's anchor categories), the searched ones excluded;
- `price`: Magento's automatic ranges (`Dynamic\\Algorithm\\Auto`): the step is the power of
  ten below the highest final price (`10^(digits - 1)`), divided by ten while it gives fewer
  than two ranges and stays above 10; a range `a_b` holds prices from a up to below b;
- each select attribute with `is_filterable` set: its options held by matched products (store 0
  values), by option order; a configurable holds its buyable children's options and counts once
  (parents are counted, not children).

Empty buckets and options are left out, as Magento's."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from engine.catalog import salable_children
from engine.uids import encode_uid
from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CatalogEavAttribute,
    CatalogProductEntity,
    CatalogProductEntityInt,
    CatalogProductSuperLink,
    EavAttributeOption,
    EavAttributeOptionValue,
)

MIN_RANGE_POWER = 10


@dataclass(frozen=True)
class Bucket:
    label: str
    value: str
    count: int


@dataclass(frozen=True)
class Aggregation:
    attribute_code: str
    label: str
    position: int | None
    options: tuple[Bucket, ...]


def _money(amount: Decimal) -> str:
    return format(amount.normalize(), "f") if amount == amount.to_integral() else str(amount)


def price_buckets(prices: Sequence[Decimal]) -> tuple[Bucket, ...]:
    if not prices:
        return ()
    highest = max(prices)
    digits = len(str(math.floor(highest))) if highest >= 1 else 1
    power = digits - 1
    while True:
        step = Decimal(10) ** power
        counts = Counter(int(p // step) for p in prices)
        if len(counts) >= 2 or step <= MIN_RANGE_POWER:
            break
        power -= 1
    return tuple(
        Bucket(
            label=f"{_money(k * step)}-{_money((k + 1) * step)}",
            value=f"{_money(k * step)}_{_money((k + 1) * step)}",
            count=counts[k],
        )
        for k in sorted(counts)
    )


async def category_buckets(
    product_ids: Sequence[int],
    root: CatalogCategoryEntity,
    searched: Sequence[int],
    direct_children_only: bool,
) -> tuple[Bucket, ...]:
    links = await CatalogCategoryProduct.filter(product_id__in=list(product_ids)).values_list(
        "category_id", "product_id"
    )
    categories = {
        c.entity_id: c
        for c in await CatalogCategoryEntity.filter(
            path__startswith=f"{root.path}/", is_active=True
        )
    }
    holders: dict[int, set[int]] = defaultdict(set)
    for category_id, product_id in cast(list[Any], links):
        category = categories.get(int(category_id))
        if category is None:
            continue
        for ancestor in category.path.split("/"):
            if int(ancestor) in categories:
                holders[int(ancestor)].add(int(product_id))
    parents = set(searched) if searched else {root.entity_id}
    chosen = [
        c
        for c in categories.values()
        if c.entity_id in holders
        and c.entity_id not in searched
        and (not direct_children_only or c.parent_id in parents)
    ]
    chosen.sort(key=lambda c: (c.level, c.position, c.entity_id))
    return tuple(
        Bucket(label=c.name, value=encode_uid(c.entity_id), count=len(holders[c.entity_id]))
        for c in chosen
    )


async def attribute_aggregations(product_ids: Sequence[int], website_id: int) -> list[Aggregation]:
    """Each filterable select attribute's options with how many of the products hold them; a
    configurable holds its salable children's values and counts once per option."""
    settings = await CatalogEavAttribute.filter(
        is_filterable=True, attribute__frontend_input="select"
    ).select_related("attribute")
    if not settings:
        return []
    listed = set(product_ids)
    # A configurable product is found by its children's values too (Magento indexes a parent
    # with its variants' attributes): its color and size are those of the children a shopper
    # can buy (`catalog.salable_children`, as the filter reads them).
    links = await CatalogProductSuperLink.filter(
        parent_id__in=list(listed),
        product_id__in=Subquery(salable_children(website_id).values("entity_id")),
    ).values_list("product_id", "parent_id")
    parents_of: dict[int, set[int]] = {}
    for child, parent in cast(list[Any], links):
        parents_of.setdefault(int(child), set()).add(int(parent))
    values = await CatalogProductEntityInt.filter(
        entity_id__in=[*listed, *parents_of],
        store_id=0,
        attribute_id__in=[s.attribute.attribute_id for s in settings],
    ).values_list("entity_id", "attribute_id", "value")
    holders: dict[tuple[int, int], set[int]] = {}
    for entity_id, attribute_id, value in cast(list[Any], values):
        if value is None:
            continue
        products = parents_of.get(int(entity_id), set())
        if int(entity_id) in listed:
            products = products | {int(entity_id)}
        holders.setdefault((int(attribute_id), int(value)), set()).update(products)
    counts: Counter[tuple[int, int]] = Counter(
        {key: len(products) for key, products in holders.items()}
    )
    options = await EavAttributeOption.filter(
        attribute_id__in=[s.attribute.attribute_id for s in settings]
    ).order_by("sort_order", "option_id")
    labels = {
        int(option_id): str(label)
        for option_id, label in cast(
            list[Any],
            await EavAttributeOptionValue.filter(
                option_id__in=[o.option_id for o in options], store_id=0
            ).values_list("option_id", "value"),
        )
    }
    result = []
    for setting in sorted(settings, key=lambda s: (s.position, s.attribute.attribute_id)):
        attribute_id = setting.attribute.attribute_id
        buckets = tuple(
            Bucket(
                label=labels.get(o.option_id, ""),
                value=str(o.option_id),
                count=counts[(attribute_id, o.option_id)],
            )
            for o in options
            if o.attribute_id == attribute_id  # type: ignore[attr-defined]
            and counts[(attribute_id, o.option_id)]
        )
        if buckets:
            result.append(
                Aggregation(
                    attribute_code=setting.attribute.attribute_code,
                    label=setting.attribute.frontend_label,
                    position=setting.position,
                    options=buckets,
                )
            )
    return result


async def aggregate(
    query: QuerySet[CatalogProductEntity],
    root: CatalogCategoryEntity,
    searched: Sequence[int],
    direct_children_only: bool,
    website_id: int,
) -> list[Aggregation]:
    """Every bucket of the products `query` matches (annotated with `final_price`)."""
    rows = cast(list[Any], await query.values_list("entity_id", "final_price"))
    ids = [int(r[0]) for r in rows]
    prices = [Decimal(str(r[1])).quantize(Decimal("0.01")) for r in rows if r[1] is not None]
    result = []
    categories = await category_buckets(ids, root, searched, direct_children_only)
    if categories:
        result.append(Aggregation("category_uid", "Category", None, categories))
    buckets = price_buckets(prices)
    if buckets:
        result.append(Aggregation("price", "Price", None, buckets))
    result.extend(await attribute_aggregations(ids, website_id))
    return result
