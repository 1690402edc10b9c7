"""The "products to match" index, `magento_targetrule_product`: which products each rule applies
to, so a product page reads its rules by one indexed lookup and never evaluates conditions over
the catalogue.

Kept current inside the writes that change it (Magento's `targetrule_rule_product` and
`targetrule_product_rule` indexers, run on save): a rule save re-matches that rule
(`reindex_rules`), a product save re-matches that product against every rule
(`reindex_products`); deleting either cascades. Every rule is indexed, active or not (activity
and dates are checked when a list is read). Only enabled products are matched as sources
(Magento's indexer skips disabled ones). `reindex_all` rebuilds the table (the CLI's
`mageseg targetrule-reindex`). All of it runs inside the caller's transaction and calls
`touch(Topic.RELATIONS)`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from engine.invalidation import Topic, touch
from engine.rules.evaluate import product_matches
from engine.rules.facts import load_product_facts
from engine.rules.tree import ProductCombine, ProductCondition
from engine.segments.tree import Aggregator, Operator
from engine.targetrule.conditions import parse_match
from models import CatalogProductEntity, MagentoTargetrule, MagentoTargetruleProduct
from models.catalog import ProductStatus

FACTS_BATCH = 1000
INSERT_BATCH = 1000


@dataclass(frozen=True)
class IndexSummary:
    rules: int
    products: int
    rows: int


async def _rules(rule_ids: Sequence[int] | None = None) -> list[tuple[int, ProductCombine]]:
    query = MagentoTargetrule.all().order_by("rule_id")
    if rule_ids is not None:
        query = query.filter(rule_id__in=list(rule_ids) or [0])
    rows = await query.values_list("rule_id", "conditions_serialized")
    return [(int(rule_id), parse_match(text)) for rule_id, text in rows]


async def _enabled(product_ids: Sequence[int] | None = None) -> list[int]:
    query = CatalogProductEntity.filter(status=ProductStatus.ENABLED)
    if product_ids is not None:
        query = query.filter(entity_id__in=list(product_ids) or [0])
    return sorted(int(i) for i in cast(list[Any], await query.values_list("entity_id", flat=True)))


_POSITIVE = frozenset({Operator.IS, Operator.CONTAINS, Operator.ONE_OF})


def required_categories(tree: ProductCombine) -> frozenset[int] | None:
    """Categories one of which a matching product must be in, when an ALL/TRUE root holds a
    positive `category_ids` leaf; None when the tree does not say."""
    if tree.aggregator is not Aggregator.ALL or not tree.expected:
        return None
    for node in tree.conditions:
        if (
            isinstance(node, ProductCondition)
            and node.attribute == "category_ids"
            and node.operator in _POSITIVE
        ):
            items = node.value if isinstance(node.value, tuple) else (node.value,)
            return frozenset(int(str(i)) for i in items if str(i).isdigit())
    return None


async def _match(
    rules: list[tuple[int, ProductCombine]],
    product_ids: list[int],
    progress: Callable[[int], None] | None = None,
) -> list[tuple[int, int]]:
    """(rule, product) pairs; a rule that requires categories is only tried on products in one
    of them (the same answer, without evaluating it on the rest)."""
    pairs: list[tuple[int, int]] = []
    anywhere: list[tuple[int, ProductCombine]] = []
    by_category: dict[int, list[tuple[int, ProductCombine]]] = {}
    for rule in rules:
        needed = required_categories(rule[1])
        if needed is None:
            anywhere.append(rule)
        else:
            for category_id in needed:
                by_category.setdefault(category_id, []).append(rule)
    for start in range(0, len(product_ids), FACTS_BATCH):
        batch = product_ids[start : start + FACTS_BATCH]
        facts = await load_product_facts(batch)
        for product_id in batch:
            product = facts.get(product_id)
            if product is None:
                continue
            tried = {
                rule[0]: rule
                for category_id in product.category_ids
                for rule in by_category.get(category_id, ())
            }
            candidates = [*anywhere, *tried.values()]
            pairs.extend(
                (rule_id, product_id)
                for rule_id, tree in candidates
                if product_matches(tree, product)
            )
        if progress is not None:
            progress(len(batch))
    return pairs


async def _insert(pairs: list[tuple[int, int]]) -> None:
    for start in range(0, len(pairs), INSERT_BATCH):
        await MagentoTargetruleProduct.bulk_create(
            [
                MagentoTargetruleProduct(rule_id=rule_id, product_id=product_id)
                for rule_id, product_id in pairs[start : start + INSERT_BATCH]
            ]
        )


async def reindex_rules(rule_ids: Sequence[int]) -> IndexSummary:
    """Re-match `rule_ids` over every enabled product."""
    ids = sorted(set(rule_ids))
    await MagentoTargetruleProduct.filter(rule_id__in=ids or [0]).delete()
    rules = await _rules(ids)
    products = await _enabled() if rules else []
    pairs = await _match(rules, products)
    await _insert(pairs)
    touch(Topic.RELATIONS)
    return IndexSummary(len(rules), len(products), len(pairs))


async def reindex_products(product_ids: Sequence[int]) -> IndexSummary:
    """Re-match `product_ids` against every rule (a disabled product loses its rows)."""
    ids = sorted(set(product_ids))
    if not ids:
        return IndexSummary(0, 0, 0)
    await MagentoTargetruleProduct.filter(product_id__in=ids).delete()
    rules = await _rules()
    products = await _enabled(ids) if rules else []
    pairs = await _match(rules, products)
    await _insert(pairs)
    touch(Topic.RELATIONS)
    return IndexSummary(len(rules), len(products), len(pairs))


async def reindex_all(
    progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None
) -> IndexSummary:
    """Rebuild the whole table; `on_total` is told how many products will be matched and
    `progress` how many more were, batch by batch."""
    await MagentoTargetruleProduct.all().delete()
    rules = await _rules()
    products = await _enabled() if rules else []
    if on_total is not None:
        on_total(len(products))
    pairs = await _match(rules, products, progress)
    await _insert(pairs)
    touch(Topic.RELATIONS)
    return IndexSummary(len(rules), len(products), len(pairs))


async def rules_of(product_id: int) -> list[int]:
    """The rules whose "products to match" hold for the product (from the index)."""
    rows = await MagentoTargetruleProduct.filter(product_id=product_id).values_list(
        "rule_id", flat=True
    )
    return sorted(int(r) for r in cast(list[Any], rows))
