"""Cart rules indexed by what they test, so that a cart read looks at a few of a thousand rules.

Built once per rule set version, website, customer group and local day (`RuleSet.lookup`): the
active rules of the website and group inside their dates, corrupt ones left out (they never
apply), each filed under the keys of one of its necessary conditions (`prefilter.index_keys`): a
coupon rule under its rule id (found only when the cart carries a usable code of it), other rules
under SKUs, cart values ("country is US"), thresholds on cart amounts ("subtotal >= 100") or
segments. A rule without such keys is looked at for every cart.

`find` returns the rules, in processing order, whose keys match the cart: every rule that can
pass the gate and its checks is among them (a key matches exactly when the check it comes from
holds), so the calculator gives the same answer as with every rule
(`tests/test_prefilter_referee.py`). Segments are asked for only when a rule is filed under a
segment or a found rule reads segments."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from engine.salesrules.prefilter import AMOUNT_NAMES, CartView, Key, KeyKind
from engine.segments import compare as cmp

if TYPE_CHECKING:
    from engine.salesrules.rule_set import CartRule

_EQUAL = (KeyKind.SKU, KeyKind.VALUE)
_THRESHOLD = (KeyKind.AT_LEAST, KeyKind.ABOVE, KeyKind.AT_MOST, KeyKind.BELOW)


@dataclass(frozen=True)
class Threshold:
    """The rules filed under one (direction, amount): their limits ascending, positions aligned."""

    limits: tuple[Decimal, ...]
    positions: tuple[int, ...]

    def matching(self, kind: KeyKind, amount: Decimal) -> tuple[int, ...]:
        if kind is KeyKind.AT_LEAST:  # limit <= amount
            return self.positions[: bisect_right(self.limits, amount)]
        if kind is KeyKind.ABOVE:  # limit < amount
            return self.positions[: bisect_left(self.limits, amount)]
        if kind is KeyKind.AT_MOST:  # amount <= limit
            return self.positions[bisect_left(self.limits, amount) :]
        return self.positions[bisect_right(self.limits, amount) :]  # amount < limit


@dataclass(frozen=True)
class RuleLookup:
    """The rules of one website, group and day, filed by key (positions into `rules`)."""

    rules: tuple[CartRule, ...]
    always: tuple[int, ...]
    by_coupon: Mapping[int, int]
    equal: Mapping[Key, tuple[int, ...]]
    thresholds: Mapping[tuple[KeyKind, str], Threshold]
    by_segment: Mapping[int, tuple[int, ...]]
    value_attributes: tuple[object, ...] = ()
    """The cart attributes some VALUE key compares."""

    @classmethod
    def build(cls, rules: Iterable[CartRule], day: date) -> RuleLookup:
        kept = tuple(r for r in rules if r.corrupt is None and r.active_on(day))
        always: list[int] = []
        by_coupon: dict[int, int] = {}
        equal: dict[Key, list[int]] = {}
        limits: dict[tuple[KeyKind, str], list[tuple[Decimal, int]]] = {}
        by_segment: dict[int, list[int]] = {}
        for position, rule in enumerate(kept):
            if rule.uses_coupon:
                by_coupon[rule.rule_id] = position
                continue
            if rule.keys is None:
                always.append(position)
                continue
            for key in rule.keys:
                if key.kind is KeyKind.SEGMENT:
                    by_segment.setdefault(int(key.value), []).append(position)  # type: ignore[call-overload]
                elif key.kind in _EQUAL:
                    equal.setdefault(key, []).append(position)
                else:
                    amount = str(key.attribute)
                    limit = key.value
                    assert isinstance(limit, Decimal)
                    limits.setdefault((key.kind, amount), []).append((limit, position))
        thresholds = {}
        for where, pairs in limits.items():
            pairs.sort()
            thresholds[where] = Threshold(
                tuple(limit for limit, _ in pairs), tuple(position for _, position in pairs)
            )
        return cls(
            rules=kept,
            always=tuple(always),
            by_coupon=by_coupon,
            equal={key: tuple(found) for key, found in equal.items()},
            thresholds=thresholds,
            by_segment={key: tuple(found) for key, found in by_segment.items()},
            value_attributes=tuple(
                dict.fromkeys(key.attribute for key in equal if key.kind is KeyKind.VALUE)
            ),
        )

    @property
    def files_segments(self) -> bool:
        """Whether some rule is found by the shopper's segments."""
        return bool(self.by_segment)

    def cart_hits(self, view: CartView, coupon_rule_ids: Iterable[int]) -> set[int]:
        """Positions of the rules found by everything but segments: those without keys, the
        coupon rules of `coupon_rule_ids` (the cart's usable codes), SKUs, values, thresholds."""
        hits = set(self.always)
        for rule_id in coupon_rule_ids:
            position = self.by_coupon.get(rule_id)
            if position is not None:
                hits.add(position)
        equal = self.equal
        if equal:
            for sku in view.skus:
                hits.update(equal.get(Key(KeyKind.SKU, None, sku), ()))
            for attribute in self.value_attributes:
                have = view.domain(attribute)  # type: ignore[arg-type]
                if have is None or have is cmp.NOT_A_VALUE:
                    continue
                hits.update(equal.get(Key(KeyKind.VALUE, attribute, have), ()))
        for (kind, amount), threshold in self.thresholds.items():
            hits.update(threshold.matching(kind, AMOUNT_NAMES[amount](view)))
        return hits

    def segment_hits(self, segment_ids: Iterable[int]) -> set[int]:
        hits: set[int] = set()
        for segment_id in segment_ids:
            hits.update(self.by_segment.get(segment_id, ()))
        return hits

    def reads_segments(self, positions: Iterable[int]) -> bool:
        return any(self.rules[p].reads_segments for p in positions)

    def ordered(self, positions: Iterable[int]) -> tuple[CartRule, ...]:
        """The rules at `positions`, in processing order."""
        return tuple(self.rules[p] for p in sorted(positions))
