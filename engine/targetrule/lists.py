"""The related, up-sell and cross-sell lists of one product for one shopper, as Adobe Commerce
2.4.9's GraphQL resolvers build them (`TargetRuleGraphQl`), with Magento's matching algorithm
(`TargetRule\\Model\\ResourceModel\\Index::getProductIds`, `Model\\Rotation`).

Rule-based products, per segment pass: pass 0 takes the rules with "All" segments, then one pass
per segment the shopper is in (live, as `customerSegments` computes it) takes the rules
specifying it. In a pass, the active rules of the list's type whose "products to match" index
holds the product and whose dates hold on the website's local day run in priority order (lower
`sort_order` first); each adds up to its result limit of candidates its "products to display"
select, skipping products already chosen and the product itself; a pass stops once it holds 40
products (20 plus Magento's overfill of 20). Across passes a product keeps the larger
`sort_order` value (Magento's code). Candidates are the website's enabled products visible in
the catalog (and in stock unless out-of-stock products are shown), in id order.

The rule-based products are then rotated (`*_rotation_mode`: 0 shuffle, 1 by id, 2 weighted
random; always grouped by priority ascending) and cut to the list's `*_position_limit` (at most
20). `*_position_behavior` 0 shows both, rule-based first and then the manual links by position
(as Magento's GraphQL), 1 only the manual links, 2 only the rule-based products. Unlike Magento,
a product linked manually is not repeated among the rule-based ones.

Cache: the rule-based products (before rotation, which is random per read as in Magento) are
cached per list type, product, store view, customer group and segment set, stored with the
versions of `RELATIONS` (rules, links, index), `SEGMENTS` (catalogue), `PROMOTIONS` (prices) and
the stores snapshot, and with the website's local day, so a rule's dates are checked at every
read and not only when the cache was filled (a Magento bug). Membership changes change the
segment set, so they change the key."""

from __future__ import annotations

import math
import random
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any, cast
from zoneinfo import ZoneInfo

from engine.cache import Cache, Family, family_scope
from engine.config import ConfigPath
from engine.invalidation import Topic, current_cache, expires, record
from engine.pricing.final import final_prices
from engine.rules.evaluate import RuleFailure
from engine.rules.facts import load_product_facts
from engine.rules.tree import ProductCombine, ProductFacts
from engine.segments.compare import day_start
from engine.segments.eligibility import current_segment_ids
from engine.segments.tree import Aggregator, Operator
from engine.stores import StoresSnapshot
from engine.targetrule import rules as rule_admin
from engine.targetrule.conditions import parse_display, parse_match
from engine.targetrule.evaluate import (
    Candidate,
    Source,
    bound_categories,
    displays,
    first_match_failure,
)
from engine.targetrule.index import rules_of
from engine.targetrule.links import load_links
from engine.targetrule.tree import DisplayAttribute, DisplayCombine, ValueType
from models import (
    CatalogCategoryEntity,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductWebsite,
    MagentoTargetrule,
)
from models.catalog import ProductStatus, Visibility
from models.targetrule import ApplyTo, LinkType

MAX_LIST = 20
OVERFILL = 20


class ListType(StrEnum):
    RELATED = "related"
    UPSELL = "upsell"
    CROSSSELL = "crosssell"

    @property
    def apply_to(self) -> ApplyTo:
        return {
            ListType.RELATED: ApplyTo.RELATED,
            ListType.UPSELL: ApplyTo.UP_SELLS,
            ListType.CROSSSELL: ApplyTo.CROSS_SELLS,
        }[self]

    @property
    def link_type(self) -> LinkType:
        return {
            ListType.RELATED: LinkType.RELATED,
            ListType.UPSELL: LinkType.UP_SELL,
            ListType.CROSSSELL: LinkType.CROSS_SELL,
        }[self]


class Behavior(IntEnum):
    """`TargetRule\\Model\\Source\\Position`."""

    BOTH = 0
    SELECTED_ONLY = 1
    RULE_BASED_ONLY = 2


class Rotation(IntEnum):
    """`TargetRule\\Model\\Source\\Rotation`."""

    SHUFFLE = 0
    BY_ID = 1
    WEIGHTED_RANDOM = 2


_PATHS = {
    ListType.RELATED: (
        ConfigPath.TARGETRULE_RELATED_LIMIT,
        ConfigPath.TARGETRULE_RELATED_BEHAVIOR,
        ConfigPath.TARGETRULE_RELATED_ROTATION,
    ),
    ListType.UPSELL: (
        ConfigPath.TARGETRULE_UPSELL_LIMIT,
        ConfigPath.TARGETRULE_UPSELL_BEHAVIOR,
        ConfigPath.TARGETRULE_UPSELL_ROTATION,
    ),
    ListType.CROSSSELL: (
        ConfigPath.TARGETRULE_CROSSSELL_LIMIT,
        ConfigPath.TARGETRULE_CROSSSELL_BEHAVIOR,
        ConfigPath.TARGETRULE_CROSSSELL_ROTATION,
    ),
}


@dataclass(frozen=True)
class ListSettings:
    limit: int
    behavior: Behavior
    rotation: Rotation


def settings(stores: StoresSnapshot, list_type: ListType) -> ListSettings:
    """The list's configuration (default scope only, as Magento); a limit of 0 is 20, and any
    limit is capped at 20 (`Helper\\Data::getMaxProductsListResult`)."""
    limit_path, behavior_path, rotation_path = _PATHS[list_type]

    def number(path: ConfigPath, default: int) -> int:
        try:
            return int(stores.config_value(path).strip() or default)
        except ValueError:
            return default

    limit = number(limit_path, 0)
    limit = MAX_LIST if limit <= 0 else min(limit, MAX_LIST)
    try:
        behavior = Behavior(number(behavior_path, 0))
    except ValueError:
        behavior = Behavior.BOTH
    try:
        rotation = Rotation(number(rotation_path, 0))
    except ValueError:
        rotation = Rotation.SHUFFLE
    return ListSettings(limit, behavior, rotation)


@dataclass(frozen=True)
class Shopper:
    """Who asks, and where (a guest's visitor, if known, is `visitor_id`)."""

    store_id: int
    website_id: int
    timezone: str
    group_id: int
    customer_id: int | None
    visitor_id: int | None
    now: datetime


# --- rules, memoized per process ----------------------------------------------------------------


@dataclass(frozen=True)
class StoredRule:
    rule_id: int
    name: str
    apply_to: ApplyTo
    is_active: bool
    from_date: date | None
    to_date: date | None
    sort_order: int
    positions: int
    segment_ids: frozenset[int]
    match: ProductCombine
    display: DisplayCombine

    def in_force(self, day: date) -> bool:
        """Active, and the day within its dates (either end open, both inclusive)."""
        return (
            self.is_active
            and (self.from_date is None or self.from_date <= day)
            and (self.to_date is None or day <= self.to_date)
        )


async def load_rules() -> tuple[StoredRule, ...]:
    rows = await MagentoTargetrule.all().order_by("sort_order", "rule_id")
    segments = await rule_admin.segment_ids_of([r.rule_id for r in rows])
    return tuple(
        StoredRule(
            rule_id=r.rule_id,
            name=r.name or "",
            apply_to=ApplyTo(r.apply_to),
            is_active=bool(r.is_active),
            from_date=r.from_date,
            to_date=r.to_date,
            sort_order=r.sort_order or 0,
            positions=rule_admin.positions(r),
            segment_ids=frozenset(segments.get(r.rule_id, ())),
            match=parse_match(r.conditions_serialized),
            display=parse_display(r.actions_serialized),
        )
        for r in rows
    )


_rules_memo: weakref.WeakKeyDictionary[Cache, tuple[tuple[int, ...], tuple[StoredRule, ...]]] = (
    weakref.WeakKeyDictionary()
)


async def stored_rules() -> tuple[StoredRule, ...]:
    """Every rule, parsed, memoized per process by the `RELATIONS` version (read first)."""
    cache = current_cache()
    if cache is None:
        return await load_rules()
    versions = await cache.versions([(Topic.RELATIONS.value, "")])
    found = _rules_memo.get(cache)
    if found is not None and found[0] == versions and min(versions) > 0:
        return found[1]
    loaded = await load_rules()
    _rules_memo[cache] = (versions, loaded)
    return loaded


# --- the candidates, memoized per process --------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The website's displayable products for one group and day, in id order, with what display
    conditions read; `by_category` lists the candidates' positions per category."""

    candidates: tuple[Candidate, ...]
    by_category: dict[int, tuple[int, ...]]
    paths: dict[int, str]
    position: dict[int, int] = field(default_factory=dict)


async def _ints(query: Any) -> list[int]:
    return [int(v) for v in cast(list[Any], await query)]


async def load_catalogue(
    website_id: int, group_id: int, day: date, show_out_of_stock: bool
) -> Catalogue:
    query = CatalogProductEntity.filter(
        status=ProductStatus.ENABLED,
        visibility__in=(Visibility.IN_CATALOG, Visibility.BOTH),
        entity_id__in=await _ints(
            CatalogProductWebsite.filter(website_id=website_id).values_list("product_id", flat=True)
        )
        or [0],
    )
    rows = await query.order_by("entity_id")
    if not show_out_of_stock:
        out = set(
            await _ints(
                CataloginventoryStockItem.filter(manage_stock=True, is_in_stock=False).values_list(
                    "product_id", flat=True
                )
            )
        )
        rows = [r for r in rows if r.entity_id not in out]
    facts = await load_product_facts([r.entity_id for r in rows])
    prices = await final_prices(rows, website_id, group_id, day)
    candidates = tuple(
        Candidate(facts[r.entity_id], prices.get(r.entity_id)) for r in rows if r.entity_id in facts
    )
    by_category: dict[int, list[int]] = {}
    for position, candidate in enumerate(candidates):
        for category_id in candidate.facts.category_ids:
            by_category.setdefault(category_id, []).append(position)
    paths = {
        int(i): str(p)
        for i, p in await CatalogCategoryEntity.all().values_list("entity_id", "path")
    }
    return Catalogue(
        candidates,
        {c: tuple(p) for c, p in by_category.items()},
        paths,
        {c.facts.product.entity_id: i for i, c in enumerate(candidates)},
    )


_CATALOGUE_SCOPES = [
    (Topic.SEGMENTS.value, ""),
    (Topic.PROMOTIONS.value, ""),
    family_scope(Family.STORES),
]
_catalogue_memo: weakref.WeakKeyDictionary[
    Cache, dict[tuple[int, int, date, bool], tuple[tuple[int, ...], Catalogue]]
] = weakref.WeakKeyDictionary()


async def catalogue(
    website_id: int, group_id: int, day: date, show_out_of_stock: bool
) -> Catalogue:
    """`load_catalogue`, memoized per process by the catalogue, price and stores versions (read
    first); built only when a list needs rule-based products that are not cached."""
    cache = current_cache()
    if cache is None:
        return await load_catalogue(website_id, group_id, day, show_out_of_stock)
    versions = await cache.versions(_CATALOGUE_SCOPES)
    memo = _catalogue_memo.setdefault(cache, {})
    key = (website_id, group_id, day, show_out_of_stock)
    found = memo.get(key)
    if found is not None and found[0] == versions and min(versions) > 0:
        return found[1]
    loaded = await load_catalogue(website_id, group_id, day, show_out_of_stock)
    for stale in [k for k, v in memo.items() if v[0] != versions]:
        del memo[stale]
    memo[key] = (versions, loaded)
    return loaded


# --- matching -----------------------------------------------------------------------------------


def _category_shortlist(display: DisplayCombine, source: Source) -> frozenset[int] | None:
    """Categories one of which every displayed candidate must be in, when the tree says so (an
    ALL/TRUE root with a positive same-as or constant category leaf); None: no shortcut."""
    if display.aggregator is not Aggregator.ALL or not display.expected:
        return None
    positive = (Operator.IS, Operator.CONTAINS, Operator.ONE_OF)
    for node in display.conditions:
        if not isinstance(node, DisplayAttribute):
            continue
        condition = node.condition
        if condition.attribute != "category_ids" or condition.operator not in positive:
            continue
        if node.value_type is ValueType.SAME_AS:
            return source.bound_categories
        if node.value_type is ValueType.CONSTANT:
            items = condition.value if isinstance(condition.value, tuple) else (condition.value,)
            return frozenset(int(str(i)) for i in items if str(i).isdigit())
    return None


def select(
    rule: StoredRule, source: Source, shop: Catalogue, exclude: set[int], limit: int
) -> list[int]:
    """Up to `limit` candidates the rule's display tree holds for, in id order, skipping
    `exclude`."""
    shortlist = _category_shortlist(rule.display, source)
    if shortlist is None:
        positions: Sequence[int] = range(len(shop.candidates))
    else:
        positions = sorted({p for c in shortlist for p in shop.by_category.get(c, ())})
    chosen: list[int] = []
    for position in positions:
        candidate = shop.candidates[position]
        product_id = candidate.facts.product.entity_id
        if product_id in exclude:
            continue
        if displays(rule.display, candidate, source, shop.paths):
            chosen.append(product_id)
            if len(chosen) >= limit:
                break
    return chosen


@dataclass
class RuleTrace:
    """What one rule did for one list (explain)."""

    rule: StoredRule
    segment_pass: int
    outcome: str
    failure: RuleFailure | None = None
    contributed: tuple[int, ...] = ()


@dataclass
class Trace:
    rules: list[RuleTrace] = field(default_factory=list)


async def _source(
    product_id: int, website_id: int, group_id: int, day: date
) -> tuple[ProductFacts | None, Decimal | None]:
    facts = (await load_product_facts([product_id])).get(product_id)
    if facts is None:
        return None, None
    prices = await final_prices([facts.product], website_id, group_id, day)
    return facts, prices.get(product_id)


async def match_products(
    product_id: int,
    list_type: ListType,
    shopper: Shopper,
    segment_ids: frozenset[int],
    day: date,
    show_out_of_stock: bool,
    trace: Trace | None = None,
) -> dict[int, int]:
    """The rule-based products (product id -> the priority that chose it), before rotation."""
    rules = [r for r in await stored_rules() if r.apply_to is list_type.apply_to]
    if not rules:
        return {}
    indexed = set(await rules_of(product_id))
    facts, price = await _source(product_id, shopper.website_id, shopper.group_id, day)
    if facts is None:
        return {}
    shop: Catalogue | None = None
    by_priority: dict[int, int] = {}
    for segment in (0, *sorted(segment_ids)):
        out: dict[int, int] = {}
        for rule in rules:
            if (segment == 0 and rule.segment_ids) or (
                segment != 0 and segment not in rule.segment_ids
            ):
                continue
            step = RuleTrace(rule, segment, "applied")
            if trace is not None:
                trace.rules.append(step)
            if not rule.is_active:
                step.outcome = "inactive"
                continue
            if not rule.in_force(day):
                step.outcome = "outside_dates"
                continue
            if rule.rule_id not in indexed:
                step.outcome = "not_matched"
                if trace is not None:
                    step.failure = first_match_failure(rule.match, facts)
                continue
            if len(out) >= MAX_LIST + OVERFILL:
                step.outcome = "list_full"
                continue
            if shop is None:
                shop = await catalogue(shopper.website_id, shopper.group_id, day, show_out_of_stock)
            source = Source(facts, price, bound_categories(rule.match, facts))
            chosen = select(rule, source, shop, set(out) | {product_id}, rule.positions)
            for chosen_id in chosen:
                out.setdefault(chosen_id, rule.sort_order)
            step.contributed = tuple(chosen)
            if not chosen:
                step.outcome = "nothing_displayed"
        for chosen_id, priority in out.items():
            if chosen_id not in by_priority or by_priority[chosen_id] < priority:
                by_priority[chosen_id] = priority
    return by_priority


def rotate(
    items: dict[int, int], mode: Rotation, limit: int, rng: random.Random | None = None
) -> list[int]:
    """`Model\\Rotation::reorder`: order, then group by priority ascending, cut to `limit`."""
    if limit < 0:
        return []
    draw = rng or random.Random()
    ids = sorted(items)
    if mode is Rotation.SHUFFLE:
        draw.shuffle(ids)
    elif mode is Rotation.WEIGHTED_RANDOM:
        priorities = sorted(set(items.values()), reverse=True)
        weight = {p: math.log(2 * (i + 1)) for i, p in enumerate(priorities)}
        keyed = sorted(
            ids,
            key=lambda pid: draw.uniform(0.01, 0.99) ** (1 / weight[items[pid]]),
            reverse=True,
        )
        ids = keyed[:limit]
    ordered = sorted(ids, key=lambda pid: items[pid])  # stable: keeps the order within a priority
    return ordered[:limit]


# --- the cached per-shopper answer --------------------------------------------------------------


async def shopper_segments(shopper: Shopper, list_type: ListType) -> frozenset[int]:
    """The shopper's live segments, computed only when a rule of the list specifies segments."""
    if not any(r.segment_ids for r in await stored_rules() if r.apply_to is list_type.apply_to):
        return frozenset()
    return frozenset(
        await current_segment_ids(
            shopper.website_id,
            customer_id=shopper.customer_id,
            visitor_id=None if shopper.customer_id is not None else shopper.visitor_id,
            now=shopper.now,
        )
    )


def local_day(shopper: Shopper) -> date:
    return shopper.now.astimezone(ZoneInfo(shopper.timezone)).date()


async def rule_based(
    product_id: int, list_type: ListType, shopper: Shopper, stores: StoresSnapshot
) -> dict[int, int]:
    """`match_products` for the shopper, cached (see the module docstring)."""
    day = local_day(shopper)
    show_out_of_stock = stores.config_flag(ConfigPath.SHOW_OUT_OF_STOCK)
    segments = await shopper_segments(shopper, list_type)
    cache = current_cache()
    if cache is None:
        return await match_products(
            product_id, list_type, shopper, segments, day, show_out_of_stock
        )
    scopes = [(Topic.RELATIONS.value, ""), *_CATALOGUE_SCOPES]
    name = (
        f"targetrule:{list_type.value}:{product_id}:{shopper.store_id}:{shopper.group_id}:"
        f"{','.join(str(s) for s in sorted(segments))}"
    )
    found, versions = await cache.get_checked(name, scopes)
    record(scopes, versions)
    expires(day_start(day + timedelta(days=1), shopper.timezone))
    if (
        isinstance(found, tuple)
        and len(found) == 3
        and found[0] == versions
        and found[1] == day
        and min(versions, default=0) > 0
    ):
        return dict(found[2])
    items = await match_products(product_id, list_type, shopper, segments, day, show_out_of_stock)
    await cache.put(name, (versions, day, tuple(sorted(items.items()))))
    return items


@dataclass(frozen=True)
class ProductList:
    """One list as shown, before the storefront's visibility and permission filter: rule-based
    products (rotated and cut), then manual links by position."""

    rule_based: tuple[int, ...]
    manual: tuple[int, ...]
    cut: tuple[int, ...]

    @property
    def product_ids(self) -> tuple[int, ...]:
        return self.rule_based + self.manual


async def product_lists(
    keys: Sequence[tuple[int, ListType]], shopper: Shopper, stores: StoresSnapshot
) -> list[ProductList]:
    """Each (product, list type)'s list; manual links for all keys in one query."""
    manual = await load_links([(p, t.link_type) for p, t in keys])
    out: list[ProductList] = []
    for (product_id, list_type), links in zip(keys, manual, strict=True):
        config = settings(stores, list_type)
        linked = tuple(link.linked_product_id for link in links)
        if config.behavior is Behavior.RULE_BASED_ONLY:
            linked = ()
        chosen: list[int] = []
        cut: list[int] = []
        if config.behavior is not Behavior.SELECTED_ONLY:
            items = await rule_based(product_id, list_type, shopper, stores)
            items = {p: v for p, v in items.items() if p not in linked}
            ordered = rotate(items, config.rotation, len(items))
            chosen, cut = ordered[: config.limit], ordered[config.limit :]
        out.append(ProductList(tuple(chosen), linked, tuple(cut)))
    return out
