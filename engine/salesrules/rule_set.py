"""Every cart price rule, parsed and ready to apply: what cart totals and `explainCartRules` start
from.

Loading means four queries (rules, websites, groups, labels) and parsing two condition trees per
rule, far too slow to do per cart read with a thousand rules, so the result is memoized in the
process, keyed by the version of `Topic.PROMOTIONS` in the shared cache (the pattern of
`engine/segments/snapshot.py`). Every write of rules, coupons or labels calls
`touch(Topic.PROMOTIONS)`; the bump after commit makes every process load afresh. The version is
read *before* loading, so a memo is never older than the version it is filed under. Without a
cache (no tracking block: a unit test, a script) every call loads fresh.

A rule whose stored tree cannot be read is kept with `corrupt` set and never applies (fail
closed): `explainCartRules` shows it as not applied because of its conditions. Everything here is
immutable once built; the per-(website, group) candidate lists are memoized on the set."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

from engine.cache import Cache
from engine.invalidation import Topic, current_cache, read
from engine.rules import magento_json
from engine.rules.catalog import STATIC_PRODUCT_SPECS
from engine.rules.tree import (
    CartCombine,
    CartNode,
    CustomerSegmentCondition,
    ItemAttribute,
    ProductCombine,
    ProductFound,
    ProductNode,
    ProductSubselect,
)
from engine.salesrules import prefilter
from engine.salesrules.lookup import RuleLookup
from engine.segments.catalog_types import StaticColumn
from models import (
    Salesrule,
    SalesruleCustomerGroup,
    SalesruleLabel,
    SalesruleWebsite,
)
from models.salesrules import CartRuleAction, CouponType, FreeShipping

log = logging.getLogger(__name__)

_NO_LABELS: Mapping[int, str] = MappingProxyType({})
LOOKUPS_KEPT = 64
"""(website, group, day) lookups memoized per rule set before they are dropped."""


@dataclass(frozen=True)
class CartRule:
    """One `salesrule` row with its websites, groups, store labels and parsed trees."""

    rule_id: int
    name: str
    description: str | None
    is_active: bool
    website_ids: frozenset[int]
    group_ids: frozenset[int]
    from_date: date | None
    to_date: date | None
    uses_per_customer: int
    stop_rules_processing: bool
    sort_order: int
    simple_action: CartRuleAction
    discount_amount: Decimal
    discount_qty: Decimal | None
    discount_step: int
    apply_to_shipping: bool
    coupon_type: CouponType
    uses_per_coupon: int
    simple_free_shipping: FreeShipping
    conditions: CartCombine = field(default_factory=CartCombine)
    actions: ProductCombine = field(default_factory=ProductCombine)
    labels: Mapping[int, str] = field(default_factory=lambda: _NO_LABELS)
    corrupt: str | None = None
    """Why the stored conditions could not be read; such a rule never applies."""
    checks: tuple[prefilter.Check, ...] = ()
    """Cheap necessary conditions of `conditions` (`engine.salesrules.prefilter`)."""
    keys: frozenset[prefilter.Key] | None = None
    """The keys the rule is found by (`prefilter.index_keys`; None: looked at for every cart)."""
    reads_segments: bool = False
    """Whether the conditions have a customer-segment condition."""
    reads_products: bool = False
    """Whether applying the rule reads product facts beyond the product's row (categories,
    custom attributes flagged for promo rules)."""

    @property
    def uses_coupon(self) -> bool:
        return self.coupon_type is not CouponType.NO_COUPON

    def store_label(self, store_id: int) -> str | None:
        """Magento's `Rule::getStoreLabel`: the store view's label, else the all-stores one."""
        label = self.labels.get(store_id)
        if label:
            return label
        return self.labels.get(0) or None

    def active_on(self, day: date) -> bool:
        """Inside the rule's dates on the website's local `day` (both ends inclusive)."""
        if self.from_date is not None and day < self.from_date:
            return False
        return self.to_date is None or day <= self.to_date


def _has_segment(nodes: Iterable[CartNode]) -> bool:
    for node in nodes:
        if isinstance(node, CustomerSegmentCondition):
            return True
        if isinstance(node, CartCombine) and _has_segment(node.conditions):
            return True
    return False


_ROW_READABLE = frozenset(
    {attribute.value for attribute in ItemAttribute}
    | {code for code, spec in STATIC_PRODUCT_SPECS.items() if isinstance(spec.source, StaticColumn)}
)


def _product_nodes_need_facts(nodes: Iterable[ProductNode]) -> bool:
    """Whether product conditions read more than the product's row and its cart line
    (categories, custom attributes)."""
    for node in nodes:
        if isinstance(node, ProductCombine):
            if _product_nodes_need_facts(node.conditions):
                return True
        elif node.attribute not in _ROW_READABLE:
            return True
    return False


def _has_products(nodes: Iterable[CartNode]) -> bool:
    for node in nodes:
        if isinstance(node, ProductFound | ProductSubselect):
            if _product_nodes_need_facts(node.conditions):
                return True
        elif isinstance(node, CartCombine) and _has_products(node.conditions):
            return True
    return False


@dataclass(frozen=True)
class RuleSet:
    """Every cart rule in Magento's processing order (`sort_order`, then `rule_id`)."""

    rules: tuple[CartRule, ...]
    version: int | None = None
    _candidates: dict[tuple[int, int], tuple[CartRule, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _needs: dict[tuple[int, int], tuple[bool, bool]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _lookups: dict[tuple[int, int, date], RuleLookup] = field(
        default_factory=dict, compare=False, repr=False
    )
    _by_id: dict[int, CartRule] = field(default_factory=dict, compare=False, repr=False)

    def candidates(self, website_id: int, group_id: int) -> tuple[CartRule, ...]:
        """The active rules of a website and customer group, in order (memoized)."""
        key = (website_id, group_id)
        found = self._candidates.get(key)
        if found is None:
            found = tuple(
                r
                for r in self.rules
                if r.is_active and website_id in r.website_ids and group_id in r.group_ids
            )
            self._candidates[key] = found
        return found

    def needs(self, website_id: int, group_id: int) -> tuple[bool, bool]:
        """Whether any candidate reads (product facts, segments), memoized."""
        key = (website_id, group_id)
        found = self._needs.get(key)
        if found is None:
            rules = self.candidates(website_id, group_id)
            found = (
                any(r.reads_products for r in rules),
                any(r.reads_segments for r in rules),
            )
            self._needs[key] = found
        return found

    def lookup(self, website_id: int, group_id: int, day: date) -> RuleLookup:
        """The candidates of a website and group on a local day, filed by what they test
        (memoized; a new day's lookup replaces older days' once a few are kept)."""
        key = (website_id, group_id, day)
        found = self._lookups.get(key)
        if found is None:
            if len(self._lookups) >= LOOKUPS_KEPT:
                self._lookups.clear()
            found = RuleLookup.build(self.candidates(website_id, group_id), day)
            self._lookups[key] = found
        return found

    def by_ids(self) -> dict[int, CartRule]:
        """Every rule by id (memoized; do not change it)."""
        if not self._by_id and self.rules:
            self._by_id.update((r.rule_id, r) for r in self.rules)
        return self._by_id

    def by_id(self, rule_id: int) -> CartRule | None:
        return self.by_ids().get(rule_id)


# Per cache (so a test's fresh cache never sees another's memo).
_memo: weakref.WeakKeyDictionary[Cache, RuleSet] = weakref.WeakKeyDictionary()


async def rule_set() -> RuleSet:
    """Every cart rule, memoized by the `Topic.PROMOTIONS` version of the enclosing tracking
    block's cache (recorded as read, for the full-response cache)."""
    cache = current_cache()
    if cache is None:
        return await load_rule_set()
    try:
        (version,) = await read((Topic.PROMOTIONS, ""))
    except Exception:  # a cache outage must not fail the request: load from the database
        log.warning("cache unavailable: cart rules loaded without memo", exc_info=True)
        return await load_rule_set()
    found = _memo.get(cache)
    if found is not None and found.version == version:
        return found
    loaded = await load_rule_set(version=version)
    _memo[cache] = loaded
    return loaded


def forget() -> None:
    """Drop every memo (tests)."""
    _memo.clear()


async def load_rule_set(*, version: int | None = None) -> RuleSet:
    """Read and parse every cart rule from the database."""
    rows = await Salesrule.all().order_by("sort_order", "rule_id")
    websites: dict[int, set[int]] = {}
    for rule_id, website_id in await SalesruleWebsite.all().values_list("rule_id", "website_id"):
        websites.setdefault(int(rule_id), set()).add(int(website_id))
    groups: dict[int, set[int]] = {}
    for rule_id, group_id in await SalesruleCustomerGroup.all().values_list(
        "rule_id", "customer_group_id"
    ):
        groups.setdefault(int(rule_id), set()).add(int(group_id))
    labels: dict[int, dict[int, str]] = {}
    for rule_id, store_id, label in await SalesruleLabel.all().values_list(
        "rule_id", "store_id", "label"
    ):
        if label:
            labels.setdefault(int(rule_id), {})[int(store_id)] = str(label)
    rules = tuple(
        _rule(
            row,
            frozenset(websites.get(row.rule_id, ())),
            frozenset(groups.get(row.rule_id, ())),
            labels.get(row.rule_id),
        )
        for row in rows
    )
    return RuleSet(rules, version)


def _rule(
    row: Salesrule,
    website_ids: frozenset[int],
    group_ids: frozenset[int],
    labels: dict[int, str] | None,
) -> CartRule:
    conditions, actions, corrupt = _trees(row)
    return CartRule(
        rule_id=row.rule_id,
        name=row.name,
        description=row.description,
        is_active=bool(row.is_active),
        website_ids=website_ids,
        group_ids=group_ids,
        from_date=row.from_date,
        to_date=row.to_date,
        uses_per_customer=int(row.uses_per_customer or 0),
        stop_rules_processing=bool(row.stop_rules_processing),
        sort_order=int(row.sort_order or 0),
        simple_action=CartRuleAction(row.simple_action),
        discount_amount=Decimal(row.discount_amount or 0),
        discount_qty=Decimal(row.discount_qty) if row.discount_qty else None,
        discount_step=int(row.discount_step or 0),
        apply_to_shipping=bool(row.apply_to_shipping),
        coupon_type=CouponType(row.coupon_type),
        uses_per_coupon=int(row.uses_per_coupon or 0),
        simple_free_shipping=FreeShipping(row.simple_free_shipping or 0),
        conditions=conditions,
        actions=actions,
        labels=MappingProxyType(labels) if labels else _NO_LABELS,
        corrupt=corrupt,
        checks=prefilter.checks(conditions),
        keys=prefilter.index_keys(conditions),
        reads_segments=_has_segment(conditions.conditions),
        reads_products=_product_nodes_need_facts(actions.conditions)
        or _has_products(conditions.conditions),
    )


def _trees(row: Salesrule) -> tuple[CartCombine, ProductCombine, str | None]:
    """The rule's parsed conditions and actions; empty trees and a reason when unreadable."""
    try:
        conditions = (
            magento_json.parse_cart_conditions(row.conditions_serialized)
            if _present(row.conditions_serialized)
            else CartCombine()
        )
        actions = (
            _parsed_actions(row.actions_serialized)
            if row.actions_serialized is not None and _present(row.actions_serialized)
            else _NO_ACTIONS
        )
    except Exception as error:  # any unreadable tree makes the rule inert
        log.error("cart rule %s has an unreadable stored tree: %s", row.rule_id, error)
        return CartCombine(), ProductCombine(), str(error) or type(error).__name__
    return conditions, actions, None


_NO_ACTIONS = ProductCombine()


@lru_cache(maxsize=4096)
def _parsed_actions(text: str) -> ProductCombine:
    """Action trees by their stored text: rules with the same actions share one (immutable)
    tree, which the calculator evaluates once per item for all of them."""
    return magento_json.parse_cart_actions(text)


def _present(text: str | None) -> bool:
    return bool(text and text.strip() and text.strip() not in {"[]", "{}"})
