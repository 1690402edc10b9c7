"""Load what product conditions read (`ProductFacts`) for many products at once: the flat rows,
the category links and the store-0 values of the custom attributes flagged "Use for Promo Rule
Conditions". One query per source (products, category links, flagged attributes, and one per value
table that holds a flagged attribute).

Custom values are typed so the evaluator can compare them without the catalogue: multiselects are
a frozenset of option ids, int/boolean/select values ints, decimals Decimal, `date` attributes a
`date`, `datetime` attributes an aware UTC datetime, text a str."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from engine.rules.tree import ProductFacts
from engine.segments.compare import as_utc
from models import CatalogCategoryProduct, CatalogProductEntity, EavAttribute

_FLAGGED_SQL = """
SELECT a.attribute_id, a.attribute_code, a.backend_type, a.frontend_input
FROM eav_attribute a JOIN catalog_eav_attribute c ON c.attribute_id = a.attribute_id
WHERE a.entity_type_id = 4 AND c.is_used_for_promo_rules = TRUE
"""

_VALUES_SQL = """
SELECT entity_id, attribute_id, value FROM catalog_product_entity_{backend}
WHERE store_id = 0 AND attribute_id IN ({attributes}) AND entity_id IN ({products})
"""

_TABLES = ("varchar", "text", "int", "decimal", "datetime")
_STATIC_CODES = frozenset(
    {
        "sku",
        "name",
        "price",
        "special_price",
        "weight",
        "type_id",
        "visibility",
        "status",
        "attribute_set_id",
        "category_ids",
    }
)


def _typed(raw: Any, backend: str, frontend: str) -> object:
    if raw is None:
        return None
    if frontend == "multiselect":
        return frozenset(part.strip() for part in str(raw).split(",") if part.strip())
    if backend == "int":
        return int(raw)
    if backend == "decimal":
        return raw if isinstance(raw, Decimal) else Decimal(str(raw))
    if backend == "datetime":
        if isinstance(raw, str):
            raw = datetime.fromisoformat(raw)
        if isinstance(raw, datetime):
            return raw.date() if frontend == "date" else as_utc(raw)
        if isinstance(raw, date):
            return raw
        return None
    return str(raw)


async def _custom_values(product_ids: Sequence[int]) -> dict[int, dict[str, object]]:
    db = EavAttribute._meta.db
    flagged = await db.execute_query_dict(_FLAGGED_SQL)
    by_table: dict[str, dict[int, tuple[str, str]]] = {}
    for row in flagged:
        code = str(row["attribute_code"])
        backend = str(row["backend_type"])
        if code in _STATIC_CODES or backend not in _TABLES:
            continue
        by_table.setdefault(backend, {})[int(row["attribute_id"])] = (
            code,
            str(row["frontend_input"]),
        )
    values: dict[int, dict[str, object]] = {}
    products = ", ".join(str(int(i)) for i in product_ids)
    for backend, attributes in by_table.items():
        rows = await db.execute_query_dict(
            _VALUES_SQL.format(
                backend=backend,
                attributes=", ".join(str(i) for i in sorted(attributes)),
                products=products,
            )
        )
        for row in rows:
            code, frontend = attributes[int(row["attribute_id"])]
            values.setdefault(int(row["entity_id"]), {})[code] = _typed(
                row["value"], backend, frontend
            )
    return values


async def load_product_facts(
    product_ids: Sequence[int], rows: Sequence[CatalogProductEntity] = ()
) -> dict[int, ProductFacts]:
    """The facts of every existing product among `product_ids` (unknown ids are left out).
    `rows`: product rows the caller has read already (whole rows), not read again."""
    ids = sorted({int(i) for i in product_ids})
    if not ids:
        return {}
    wanted = set(ids)
    known = {row.entity_id: row for row in rows if row.entity_id in wanted}
    missing = [i for i in ids if i not in known]
    products = list(known.values())
    if missing:
        products += await CatalogProductEntity.filter(entity_id__in=missing)
    products.sort(key=lambda p: p.entity_id)
    if not products:
        return {}
    found = [p.entity_id for p in products]
    categories: dict[int, set[int]] = {}
    for product_id, category_id in await CatalogCategoryProduct.filter(
        product_id__in=found
    ).values_list("product_id", "category_id"):
        categories.setdefault(int(product_id), set()).add(int(category_id))
    custom = await _custom_values(found)
    return {
        p.entity_id: ProductFacts(
            product=p,
            category_ids=frozenset(categories.get(p.entity_id, ())),
            custom=custom.get(p.entity_id, {}),
        )
        for p in products
    }
