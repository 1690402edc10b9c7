"""Catalog price rules, applied: which rule matches which product (`catalogrule_product`) and the
chained rule price per product, website, group and local day (`catalogrule_product_price`).

Arithmetic (`CatalogRule\\Model\\Indexer\\ProductPriceCalculator::calculate`): each rule works on
the price left by the previous one, starting from the product's regular `price`, and the result
of every step is rounded to cents (half up):

    by_percent  price x (1 - amount/100)        by_fixed  max(0, price - amount)
    to_percent  price x amount/100              to_fixed  min(amount, price)

Order (`ReindexRuleProductPrice`): per (product, website, group, day) the rules whose dates hold
that day (`from_date` <= day <= `to_date`, either end open, both in the website's local calendar)
run in `sort_order`, then `rule_id`; a rule with `action_stop` (the rule's "Discard subsequent
rules") ends the chain for that day after it applied.

`catalogrule_product` holds one row per active rule x matching product x website (of the rule and
of the product) x customer group of the rule, except the (group, website) pairs of
`customer_group_excluded_website`, with the rule's dates and action copied. It is the truth:
`rule_prices` and `applied_rule_ids` compute from it (one indexed query), so they are right
whether or not the day's `catalogrule_product_price` rows exist. Those rows (yesterday, today and
tomorrow in each website's timezone, as Magento keeps them) are what SQL listings join to filter
and sort by the final price; `rule_runner` moves the window on at each local midnight.

Every write here runs inside the caller's transaction and calls `touch(Topic.PROMOTIONS)`."""

from __future__ import annotations

import logging
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tortoise.expressions import Q

from engine import clock
from engine.cache import Cache
from engine.errors import DomainError
from engine.invalidation import Topic, current_tracker, read, touch
from engine.prices import round_price
from engine.rules.evaluate import product_matches
from engine.rules.facts import load_product_facts
from engine.rules.magento_json import parse_catalog_conditions
from engine.rules.tree import ProductCombine
from engine.segments import compare
from models import (
    CatalogProductEntity,
    CatalogProductRelation,
    CatalogProductWebsite,
    Catalogrule,
    CatalogruleCustomerGroup,
    CatalogruleProduct,
    CatalogruleProductPrice,
    CatalogruleWebsite,
    CustomerGroupExcludedWebsite,
    StoreWebsite,
)
from models.pricing import CatalogRuleAction
from models.stores import ADMIN_WEBSITE_ID

log = logging.getLogger(__name__)

HUNDRED = Decimal(100)


def apply_action(price: Decimal, operator: CatalogRuleAction, amount: Decimal) -> Decimal:
    """One rule's step on `price`, rounded to cents (`ProductPriceCalculator::calculate`)."""
    if operator is CatalogRuleAction.TO_FIXED:
        result = min(amount, price)
    elif operator is CatalogRuleAction.TO_PERCENT:
        result = price * amount / HUNDRED
    elif operator is CatalogRuleAction.BY_FIXED:
        result = max(Decimal(0), price - amount)
    elif operator is CatalogRuleAction.BY_PERCENT:
        result = price * (1 - amount / HUNDRED)
    else:  # pragma: no cover - the enum has no other member
        result = Decimal(0)
    return round_price(result)


@dataclass(frozen=True)
class RuleStep:
    """One `catalogrule_product` row as the chain reads it."""

    rule_id: int
    operator: CatalogRuleAction
    amount: Decimal
    stop: bool
    sort_order: int
    from_date: date | None
    to_date: date | None

    def holds_on(self, day: date) -> bool:
        return (self.from_date is None or self.from_date <= day) and (
            self.to_date is None or day <= self.to_date
        )

    @property
    def order(self) -> tuple[int, int]:
        return (self.sort_order, self.rule_id)


@dataclass(frozen=True)
class Chained:
    """The chain's result for one key and day: the rule price, the rules that priced it (in the
    order they applied), and the latest start / earliest end of their dates."""

    price: Decimal
    rule_ids: tuple[int, ...]
    latest_start: date | None
    earliest_end: date | None


def chain(base: Decimal, steps: Iterable[RuleStep], day: date) -> Chained | None:
    """Apply the steps that hold on `day` to `base`, in rule order, stopping after a rule that
    discards subsequent rules. None when no rule holds that day."""
    price = base
    applied: list[int] = []
    starts: list[date] = []
    ends: list[date] = []
    for step in sorted(steps, key=lambda s: s.order):
        if not step.holds_on(day):
            continue
        price = apply_action(price, step.operator, step.amount)
        applied.append(step.rule_id)
        if step.from_date is not None:
            starts.append(step.from_date)
        if step.to_date is not None:
            ends.append(step.to_date)
        if step.stop:
            break
    if not applied:
        return None
    return Chained(
        price=price,
        rule_ids=tuple(applied),
        latest_start=max(starts) if starts else None,
        earliest_end=min(ends) if ends else None,
    )


_STEP_COLUMNS = (
    "product_id",
    "rule_id",
    "action_operator",
    "action_amount",
    "action_stop",
    "sort_order",
    "from_date",
    "to_date",
)


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _step(row: Sequence[Any]) -> RuleStep:
    return RuleStep(
        rule_id=int(row[1]),
        operator=CatalogRuleAction(str(row[2])),
        amount=Decimal(str(row[3])),
        stop=bool(row[4]),
        sort_order=int(row[5]),
        from_date=_as_date(row[6]),
        to_date=_as_date(row[7]),
    )


async def _steps_on(
    product_ids: Sequence[int], website_id: int, group_id: int, day: date
) -> dict[int, list[RuleStep]]:
    """The `catalogrule_product` rows of the products for the key whose dates hold on `day`."""
    if not product_ids:
        return {}
    rows: list[Any] = list(
        await CatalogruleProduct.filter(
            product_id__in=sorted(set(product_ids)),
            website_id=website_id,
            customer_group_id=group_id,
        )
        .filter(Q(from_date__isnull=True) | Q(from_date__lte=day))
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=day))
        .values_list(*_STEP_COLUMNS)
    )
    steps: dict[int, list[RuleStep]] = defaultdict(list)
    for row in rows:
        steps[int(row[0])].append(_step(row))
    return steps


@dataclass
class _StepMemo:
    """The `catalogrule_product` steps read under one `Topic.PROMOTIONS` version, per (website,
    group, day) and product (an empty tuple: no rule applies that day)."""

    version: int
    steps: dict[tuple[int, int, date], dict[int, tuple[RuleStep, ...]]] = field(
        default_factory=dict
    )
    size: int = 0


STEPS_KEPT = 200_000
"""Products x keys memoized per process before the memo starts afresh."""

# Per cache (so a test's fresh cache never sees another's memo), as the cart rule set.
_step_memos: weakref.WeakKeyDictionary[Cache, _StepMemo] = weakref.WeakKeyDictionary()


async def _memoized_steps(
    product_ids: Sequence[int], website_id: int, group_id: int, day: date
) -> dict[int, Sequence[RuleStep]]:
    """`_steps_on`, memoized in the process by the `Topic.PROMOTIONS` version (every write of
    `catalogrule_product` touches it): a product's steps are read once per version, website,
    group and day. Read fresh outside a tracking block, after a write of promotions in the same
    block (the bump comes at its end) or when the cache is out."""
    tracker = current_tracker()
    if tracker is None or (Topic.PROMOTIONS, "") in tracker.touched:
        return dict(await _steps_on(product_ids, website_id, group_id, day))
    try:
        (version,) = await read((Topic.PROMOTIONS, ""))
    except Exception:  # a cache outage must not fail the request: read from the database
        log.warning("cache unavailable: catalog rule steps read without memo", exc_info=True)
        return dict(await _steps_on(product_ids, website_id, group_id, day))
    memo = _step_memos.get(tracker.cache)
    if memo is None or memo.version != version or memo.size > STEPS_KEPT:
        memo = _StepMemo(version)
        _step_memos[tracker.cache] = memo
    known = memo.steps.setdefault((website_id, group_id, day), {})
    missing = sorted({int(p) for p in product_ids if p not in known})
    if missing:
        found = await _steps_on(missing, website_id, group_id, day)
        for product_id in missing:
            known[product_id] = tuple(found.get(product_id, ()))
        memo.size += len(missing)
    return {int(p): known[int(p)] for p in product_ids if known[int(p)]}


def forget_steps() -> None:
    """Drop every memo of steps (tests)."""
    _step_memos.clear()


async def rule_prices(
    products: Sequence[CatalogProductEntity], website_id: int, group_id: int, day: date
) -> dict[int, Decimal]:
    """The chained catalog-rule price of each product for the website, customer group and local
    `day` (the website's calendar). A product no rule applies to that day has no key. Computed
    from `catalogrule_product` (one query, none when the rows are memoized for the current
    `Topic.PROMOTIONS` version), so it needs no `catalogrule_product_price` row."""
    steps = await _memoized_steps([p.entity_id for p in products], website_id, group_id, day)
    prices: dict[int, Decimal] = {}
    for product in products:
        found = steps.get(product.entity_id)
        if not found:
            continue
        result = chain(Decimal(product.price), found, day)
        if result is not None:
            prices[product.entity_id] = result.price
    return prices


async def applied_rule_ids(
    product_ids: Sequence[int], website_id: int, group_id: int, day: date
) -> dict[int, tuple[int, ...]]:
    """The rules that priced each product for the website, group and local `day`, in the order
    they applied (a rule after one that discards subsequent rules is left out). A product no rule
    applies to has no key."""
    steps = await _steps_on(product_ids, website_id, group_id, day)
    found: dict[int, tuple[int, ...]] = {}
    for product_id, product_steps in steps.items():
        # The price does not decide which rules apply: chain from 0 only to walk the order.
        result = chain(Decimal(0), product_steps, day)
        if result is not None:
            found[product_id] = result.rule_ids
    return found


async def active_rule_ids(website_id: int, group_id: int, day: date) -> tuple[int, ...]:
    """The rules matching at least one product for the website and group whose dates hold on the
    local `day` (Magento's `catalogrule_group_website`: what dynamic blocks related to catalog
    rules read), in rule order."""
    rows: list[Any] = list(
        await CatalogruleProduct.filter(website_id=website_id, customer_group_id=group_id)
        .filter(Q(from_date__isnull=True) | Q(from_date__lte=day))
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=day))
        .distinct()
        .values_list("rule_id", "sort_order")
    )
    ordered = sorted({(int(sort_order), int(rule_id)) for rule_id, sort_order in rows})
    return tuple(rule_id for _, rule_id in ordered)


def window(today: date) -> tuple[date, date, date]:
    """The local days Magento keeps prices for: yesterday, today and tomorrow."""
    return (today - timedelta(days=1), today, today + timedelta(days=1))


# --- the index: which rule matches which product -------------------------------------------------


@dataclass(frozen=True)
class IndexedRule:
    """An active rule as the index needs it: its action, dates, the (website, group) pairs it
    applies to (excluded pairs left out) and its parsed conditions."""

    rule_id: int
    sort_order: int
    operator: CatalogRuleAction
    amount: Decimal
    stop: bool
    from_date: date | None
    to_date: date | None
    website_ids: frozenset[int]
    pairs: tuple[tuple[int, int], ...]
    """(website_id, customer_group_id) pairs, in order."""
    conditions: ProductCombine


@dataclass(frozen=True)
class IndexSummary:
    """What an index write did: rules indexed, `catalogrule_product` rows written, products whose
    prices were rebuilt and `catalogrule_product_price` rows written."""

    rules: int
    rule_products: int
    products: int
    prices: int


FACTS_BATCH = 2000
INSERT_BATCH = 1000


@lru_cache(maxsize=4096)
def _parsed(text: str) -> ProductCombine:
    return parse_catalog_conditions(text)


def stored_conditions(text: str | None) -> ProductCombine:
    """A rule's stored `conditions_serialized` as a tree (none: every product). Parsed trees are
    immutable and depend on the text alone, so they are memoized by it: saving one product does
    not re-parse every rule. Unreadable text raises (`InputInvalid`), and is not memoized."""
    return _parsed(text) if text else ProductCombine()


async def _active_rules(rule_ids: Sequence[int] | None = None) -> list[IndexedRule]:
    """The active rules (all, or those of `rule_ids`) with websites, groups and parsed trees. A
    rule whose stored conditions cannot be read is logged and matches nothing (fail closed)."""
    query = Catalogrule.filter(is_active=True)
    if rule_ids is not None:
        query = query.filter(rule_id__in=sorted(set(rule_ids)) or [0])
    rules = await query.order_by("sort_order", "rule_id")
    if not rules:
        return []
    ids = [r.rule_id for r in rules]
    websites: dict[int, set[int]] = defaultdict(set)
    for rule_id, website_id in await CatalogruleWebsite.filter(rule_id__in=ids).values_list(
        "rule_id", "website_id"
    ):
        websites[int(rule_id)].add(int(website_id))
    groups: dict[int, set[int]] = defaultdict(set)
    for rule_id, group_id in await CatalogruleCustomerGroup.filter(rule_id__in=ids).values_list(
        "rule_id", "customer_group_id"
    ):
        groups[int(rule_id)].add(int(group_id))
    excluded = {
        (int(g), int(w))
        for g, w in await CustomerGroupExcludedWebsite.all().values_list(
            "customer_group_id", "website_id"
        )
    }
    loaded: list[IndexedRule] = []
    for rule in rules:
        try:
            conditions = stored_conditions(rule.conditions_serialized)
        except DomainError as error:
            log.error("catalog rule %s has unreadable conditions: %s", rule.rule_id, error)
            continue
        rule_websites = frozenset(websites[rule.rule_id])
        pairs = tuple(
            (website_id, group_id)
            for website_id in sorted(rule_websites)
            for group_id in sorted(groups[rule.rule_id])
            if (group_id, website_id) not in excluded
        )
        loaded.append(
            IndexedRule(
                rule_id=rule.rule_id,
                sort_order=rule.sort_order,
                operator=CatalogRuleAction(rule.simple_action),
                amount=Decimal(str(rule.discount_amount)),
                stop=bool(rule.stop_rules_processing),
                from_date=_as_date(rule.from_date),
                to_date=_as_date(rule.to_date),
                website_ids=rule_websites,
                pairs=pairs,
                conditions=conditions,
            )
        )
    return loaded


async def _product_websites(product_ids: Sequence[int] | None) -> dict[int, frozenset[int]]:
    """The websites each product is sold on (every product with a website when `None`)."""
    query = CatalogProductWebsite.all()
    if product_ids is not None:
        query = query.filter(product_id__in=sorted(set(product_ids)) or [0])
    found: dict[int, set[int]] = defaultdict(set)
    for product_id, website_id in await query.values_list("product_id", "website_id"):
        found[int(product_id)].add(int(website_id))
    return {product_id: frozenset(sites) for product_id, sites in found.items()}


async def _relations(product_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(parent, child) pairs of `catalog_product_relation` touching these products."""
    ids = sorted(set(product_ids)) or [0]
    pairs = await CatalogProductRelation.filter(
        Q(parent_id__in=ids) | Q(child_id__in=ids)
    ).values_list("parent_id", "child_id")
    return [(int(parent), int(child)) for parent, child in pairs]


async def _match_rows(
    rules: Sequence[IndexedRule], product_websites: dict[int, frozenset[int]]
) -> list[CatalogruleProduct]:
    """The `catalogrule_product` rows of `rules` over the products of `product_websites`.

    Configurable products as Magento's `ConfigurableProductHandler`: a child matches a rule when
    it or its parent does, and the parent itself gets no row (its price is its children's)."""
    rows: list[CatalogruleProduct] = []
    wanted = [r for r in rules if r.pairs]
    if not wanted:
        return rows
    candidates = sorted(
        p for p, sites in product_websites.items() if any(sites & r.website_ids for r in wanted)
    )
    relations = await _relations(candidates)
    parents_of: dict[int, set[int]] = defaultdict(set)
    parent_ids = set()
    for parent_id, child_id in relations:
        parents_of[child_id].add(parent_id)
        parent_ids.add(parent_id)
    evaluated = sorted(set(candidates) | {p for c in candidates for p in parents_of.get(c, ())})
    matched: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(evaluated), FACTS_BATCH):
        batch = evaluated[start : start + FACTS_BATCH]
        facts = await load_product_facts(batch)
        for product_id in batch:
            product = facts.get(product_id)
            if product is None:
                continue
            for rule in wanted:
                if product_matches(rule.conditions, product):
                    matched[product_id].add(rule.rule_id)
    for product_id in candidates:
        if product_id in parent_ids:
            continue
        rule_ids = set(matched.get(product_id, ()))
        for parent_id in parents_of.get(product_id, ()):
            rule_ids |= matched.get(parent_id, set())
        sites = product_websites[product_id]
        for rule in wanted:
            if rule.rule_id not in rule_ids or not sites & rule.website_ids:
                continue
            rows.extend(
                CatalogruleProduct(
                    rule_id=rule.rule_id,
                    from_date=rule.from_date,
                    to_date=rule.to_date,
                    customer_group_id=group_id,
                    product_id=product_id,
                    action_operator=rule.operator,
                    action_amount=rule.amount,
                    action_stop=rule.stop,
                    sort_order=rule.sort_order,
                    website_id=website_id,
                )
                for website_id, group_id in rule.pairs
                if website_id in sites
            )
    return rows


async def _insert(rows: Sequence[Any], model: Any) -> None:
    for start in range(0, len(rows), INSERT_BATCH):
        await model.bulk_create(rows[start : start + INSERT_BATCH])


async def reindex_rules(rule_ids: Sequence[int]) -> IndexSummary:
    """Re-match the rules (after a save or delete: an inactive or deleted rule loses its rows)
    and rebuild the prices of every product they matched before or match now. Runs inside the
    caller's transaction."""
    ids = sorted(set(rule_ids))
    before = set(
        await _int_list(
            CatalogruleProduct.filter(rule_id__in=ids or [0])
            .distinct()
            .values_list("product_id", flat=True)
        )
    )
    await CatalogruleProduct.filter(rule_id__in=ids or [0]).delete()
    rules = await _active_rules(ids)
    rows = await _match_rows(rules, await _product_websites(None)) if rules else []
    await _insert(rows, CatalogruleProduct)
    affected = before | {int(r.product_id) for r in rows}  # type: ignore[attr-defined]
    prices = await rebuild_prices(product_ids=sorted(affected)) if affected else 0
    touch(Topic.PROMOTIONS)
    return IndexSummary(len(rules), len(rows), len(affected), prices)


async def reindex_products(product_ids: Sequence[int]) -> IndexSummary:
    """Re-match every active rule against the products (after a product's attributes, websites or
    categories changed) and rebuild their prices. Runs inside the caller's transaction; a deleted
    product's rows went with it (foreign keys cascade)."""
    ids = sorted(set(product_ids))
    if not ids:
        return IndexSummary(0, 0, 0, 0)
    # A parent's attributes decide its children's rules: re-match the children with it.
    ids = sorted(set(ids) | {child for _, child in await _relations(ids)})
    await CatalogruleProduct.filter(product_id__in=ids).delete()
    rules = await _active_rules()
    rows = await _match_rows(rules, await _product_websites(ids)) if rules else []
    await _insert(rows, CatalogruleProduct)
    prices = await rebuild_prices(product_ids=ids)
    touch(Topic.PROMOTIONS)
    return IndexSummary(len(rules), len(rows), len(ids), prices)


async def reindex_all() -> IndexSummary:
    """Magento's "Apply Rules" (a full `catalogrule_rule` reindex): every row of both index
    tables rebuilt from the rules. Runs inside the caller's transaction."""
    await CatalogruleProduct.all().delete()
    rules = await _active_rules()
    rows = await _match_rows(rules, await _product_websites(None)) if rules else []
    await _insert(rows, CatalogruleProduct)
    prices = await rebuild_prices()
    touch(Topic.PROMOTIONS)
    products = len({int(r.product_id) for r in rows})  # type: ignore[attr-defined]
    return IndexSummary(len(rules), len(rows), products, prices)


async def _int_list(query: Any) -> list[int]:
    return [int(v) for v in await query]


# --- the price rows ------------------------------------------------------------------------------


async def website_days(now: datetime | None = None) -> dict[int, date]:
    """Each customer-facing website's local date at `now` (the clock's when omitted)."""
    moment = now if now is not None else clock.now()
    rows: list[Any] = list(
        await StoreWebsite.exclude(website_id=ADMIN_WEBSITE_ID).values_list(
            "website_id", "timezone"
        )
    )
    return {int(w): compare.today(moment, str(tz)) for w, tz in rows}


async def rebuild_prices(
    *, product_ids: Sequence[int] | None = None, days: dict[int, date] | None = None
) -> int:
    """Replace the `catalogrule_product_price` rows of the products (all when `None`) on the
    websites of `days` (website id -> its local today; every website at the clock's now when
    omitted) with the chained prices of yesterday, today and tomorrow. Rows of other days of
    those websites and products are removed. Returns the rows written."""
    if days is None:
        days = await website_days()
    written = 0
    for website_id, today in sorted(days.items()):
        stale = CatalogruleProductPrice.filter(website_id=website_id)
        steps_query = CatalogruleProduct.filter(website_id=website_id)
        if product_ids is not None:
            ids = sorted(set(product_ids)) or [0]
            stale = stale.filter(product_id__in=ids)
            steps_query = steps_query.filter(product_id__in=ids)
        await stale.delete()
        rows: list[Any] = list(
            await steps_query.order_by("product_id", "customer_group_id").values_list(
                "customer_group_id", "product__price", *_STEP_COLUMNS
            )
        )
        keyed: dict[tuple[int, int], list[RuleStep]] = defaultdict(list)
        base: dict[int, Decimal] = {}
        for row in rows:
            product_id = int(row[2])
            keyed[(product_id, int(row[0]))].append(_step(row[2:]))
            base[product_id] = Decimal(str(row[1]))
        prices: list[CatalogruleProductPrice] = []
        for (product_id, group_id), steps in keyed.items():
            for day in window(today):
                result = chain(base[product_id], steps, day)
                if result is None:
                    continue
                prices.append(
                    CatalogruleProductPrice(
                        rule_date=day,
                        customer_group_id=group_id,
                        product_id=product_id,
                        rule_price=result.price,
                        website_id=website_id,
                        latest_start_date=result.latest_start,
                        earliest_end_date=result.earliest_end,
                    )
                )
        await _insert(prices, CatalogruleProductPrice)
        written += len(prices)
    touch(Topic.PROMOTIONS)
    return written


async def reindex_group(group_id: int) -> IndexSummary:
    """Re-match the rules of a customer group whose excluded websites changed."""
    rule_ids = await _int_list(
        CatalogruleCustomerGroup.filter(customer_group_id=group_id).values_list(
            "rule_id", flat=True
        )
    )
    if not rule_ids:
        return IndexSummary(0, 0, 0, 0)
    return await reindex_rules(rule_ids)


async def forget_group(group_id: int) -> None:
    """Drop both index tables' rows of a deleted customer group (its rule links cascade)."""
    await CatalogruleProduct.filter(customer_group_id=group_id).delete()
    await CatalogruleProductPrice.filter(customer_group_id=group_id).delete()
    touch(Topic.PROMOTIONS)
