"""Magento's cart price rule application (2.4.7+ line), with no I/O: everything a cart's
discounts depend on is passed in, so totals, `explainCartRules` and tests share one computation.

The steps, in Magento's order (`OfflineShipping\\Model\\SalesRule\\Calculator`,
`SalesRule\\Model\\Quote\\Discount::collect`, `Validator`, `RulesApplier`, `Utility`):

1. A rule can be processed for the cart (`Utility::canProcessRule`) when it is active, on the
   cart's website and customer group, inside its dates (the website's local day), its coupon (if
   it needs one) is on the cart and still usable, the customer has not used it
   `uses_per_customer` times, and its conditions hold on the cart (amounts before discounts).
2. Free shipping: per item, the processable rules in order whose actions take the item give it
   free shipping (`MATCHING_ITEMS_ONLY`, up to `discount_qty` when set) or the whole shipment
   (`FREE_WITH_MATCHING_ITEMS`); a rule with `stop_rules_processing` ends the walk for the item.
3. Items are sorted by priority (items taken by the first rule's actions first, and so on).
4. Outer loop over rules, inner loop over items: `discount_step` is checked against the item's
   quantity (`by_percent`/`by_fixed`: step > qty skips, `buy_x_get_y`: step >= qty skips), then
   the rule applies if it can be processed and its actions take the item. The discount is the
   action's (`by_percent` on what is left of the row, compounding; `by_fixed` per unit;
   `cart_fixed` spread in proportion to the item's row, rounded with `DeltaPriceRound` so the
   shares add up, the last item capped at what is left; `buy_x_get_y` Y free for each X bought),
   rounded with Magento's per-percent rounding delta, and the item's total discount is capped at
   its row (`Utility::minFix`). After a rule with `stop_rules_processing` applied to an item,
   later rules skip that item.
5. Shipping: a separate pass over the same rules, for those with `apply_to_shipping` that can be
   processed; it stops after the first such rule with `stop_rules_processing`.

Deliberate differences, for consistent totals: a rule's item or shipping discount entry is the
amount it really took after capping (Magento records the uncapped amount in the breakdown and may
drop a shipping entry it still applies)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from engine.prices import round_price
from engine.rules.tree import CartFacts, ItemFacts
from engine.salesrules import prefilter
from engine.salesrules.rule_set import CartRule
from models.salesrules import CartRuleAction, FreeShipping

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# DeltaPriceRound's starting delta, "to avoid floating point precision problems".
FIRST_DELTA = Decimal("0.000001")


class Reason(StrEnum):
    """What became of one rule on one cart, first reason first (`explainCartRules`)."""

    APPLIED = "APPLIED"
    NOT_ACTIVE = "NOT_ACTIVE"
    WEBSITE = "WEBSITE"
    CUSTOMER_GROUP = "CUSTOMER_GROUP"
    DATE = "DATE"
    COUPON = "COUPON"
    USAGE_LIMIT = "USAGE_LIMIT"
    CONDITION = "CONDITION"
    ACTION_NO_ITEMS = "ACTION_NO_ITEMS"
    STOPPED_BY_EARLIER_RULE = "STOPPED_BY_EARLIER_RULE"


class AppliedTo(StrEnum):
    ITEM = "ITEM"
    SHIPPING = "SHIPPING"


@dataclass(frozen=True)
class Gate:
    """What the cart's coupons and the shopper's history allow, fetched before calculating.

    `coupons`: rule id -> the usable code on the cart that triggers it (the first one applied).
    `spent_coupons`: rule id -> a code on the cart for it that reached its usage limit.
    `spent_rules`: rules the customer has used `uses_per_customer` times."""

    website_id: int
    group_id: int
    store_id: int
    today: date
    coupons: Mapping[int, str] = field(default_factory=dict)
    spent_coupons: Mapping[int, str] = field(default_factory=dict)
    spent_rules: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Line:
    """One cart line: the facts rules read, and whether it ships."""

    facts: ItemFacts
    virtual: bool = False

    @property
    def item_id(self) -> int:
        return self.facts.item_id

    @property
    def row(self) -> Decimal:
        return self.facts.price * self.facts.qty


@dataclass(frozen=True)
class RuleDiscount:
    """One rule's discount on an item, or on the cart's items or shipping together."""

    rule_id: int
    amount: Decimal
    label: str
    coupon: str | None
    applied_to: AppliedTo = AppliedTo.ITEM


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    amount: Decimal
    percent: Decimal
    rule_ids: tuple[int, ...]
    discounts: tuple[RuleDiscount, ...]
    free_shipping: Decimal | bool
    """True: free shipping for the whole line; a quantity: for that many units."""


@dataclass(frozen=True)
class FreeShippingResult:
    items: Mapping[int, Decimal | bool]
    address: bool

    def free_units(self, lines: Sequence[Line]) -> Decimal:
        """Units shipped free (Magento's flat-rate "free boxes")."""
        total = Decimal(0)
        for line in lines:
            free = self.items.get(line.item_id, False)
            if line.virtual or free is False:
                continue
            total += line.facts.qty if free is True else min(Decimal(free), line.facts.qty)
        return total


@dataclass(frozen=True)
class Outcome:
    """Why a rule did or did not apply, and how much it took (items and shipping)."""

    reason: Reason
    amount: Decimal = ZERO
    item_amount: Decimal = ZERO
    shipping_amount: Decimal = ZERO


@dataclass(frozen=True)
class Result:
    items: Mapping[int, ItemResult]
    item_discount: Decimal
    shipping_discount: Decimal
    discounts: tuple[RuleDiscount, ...]
    """Per rule, items first (in the order rules took items), then shipping entries."""
    applied_rule_ids: tuple[int, ...]
    coupon_codes: tuple[str, ...]
    """Codes whose rule applied, in the cart's order."""
    description: tuple[str, ...]
    """The labels of the applied rules (Magento's `discount_description`, joined by ", ")."""
    free_shipping: FreeShippingResult
    outcomes: Mapping[int, Outcome]

    @property
    def total(self) -> Decimal:
        return self.item_discount + self.shipping_discount


Evaluator = Callable[[CartRule], bool]
"""Whether a rule's conditions hold on the cart (`engine.rules.evaluate.cart_holds`)."""
ItemTest = Callable[[CartRule, ItemFacts], bool]
"""Whether a rule's actions take an item (`engine.rules.evaluate.item_qualifies`)."""


class Calculation:
    """One cart's rule application. Build it, call `free_shipping()`, price the shipping with
    its result, then `apply(shipping_amount)`."""

    def __init__(
        self,
        rules: Sequence[CartRule],
        cart: CartFacts,
        lines: Sequence[Line],
        gate: Gate,
        holds: Evaluator,
        takes: ItemTest,
        coupon_order: Sequence[str] = (),
    ) -> None:
        self.rules = tuple(rules)
        self.cart = cart
        self.lines = tuple(lines)
        self.gate = gate
        self._holds = holds
        self._takes = takes
        self.coupon_order = tuple(coupon_order)
        self._gated: dict[int, Reason | None] = {}
        self._valid: dict[int, bool] = {}
        self._taken: dict[tuple[int, int], bool] = {}
        """Whether an action tree takes an item, by (id of the tree, item id): rules with the
        same actions (the rule set shares equal trees) are evaluated once per item."""
        self._free: FreeShippingResult | None = None
        self._processable_rules: list[CartRule] | None = None
        self._view = prefilter.CartView.of(cart)

    # --- eligibility -------------------------------------------------------------------------

    def gate_reason(self, rule: CartRule) -> Reason | None:
        """The first reason the rule cannot be processed before its conditions, or None."""
        if rule.rule_id in self._gated:
            return self._gated[rule.rule_id]
        gate = self.gate
        reason: Reason | None = None
        if not rule.is_active:
            reason = Reason.NOT_ACTIVE
        elif gate.website_id not in rule.website_ids:
            reason = Reason.WEBSITE
        elif gate.group_id not in rule.group_ids:
            reason = Reason.CUSTOMER_GROUP
        elif not rule.active_on(gate.today):
            reason = Reason.DATE
        elif rule.uses_coupon and rule.rule_id not in gate.coupons:
            reason = Reason.USAGE_LIMIT if rule.rule_id in gate.spent_coupons else Reason.COUPON
        elif rule.rule_id in gate.spent_rules:
            reason = Reason.USAGE_LIMIT
        self._gated[rule.rule_id] = reason
        return reason

    def can_process(self, rule: CartRule) -> bool:
        """Magento's `Utility::canProcessRule`, memoized per rule."""
        found = self._valid.get(rule.rule_id)
        if found is None:
            found = self.gate_reason(rule) is None and self._conditions_hold(rule)
            self._valid[rule.rule_id] = found
        return found

    def _conditions_hold(self, rule: CartRule) -> bool:
        if rule.corrupt is not None:
            return False
        view = self._view
        for check in rule.checks:
            if not check(view):
                return False
        return self._holds(rule)

    def valid_rules(self) -> list[CartRule]:
        """The rules that can be processed, in order (the gate, then the conditions)."""
        valid = []
        memo = self._valid
        for rule in self._processable():
            found = memo.get(rule.rule_id)
            if found is None:
                found = memo[rule.rule_id] = self._conditions_hold(rule)
            if found:
                valid.append(rule)
        return valid

    def takes(self, rule: CartRule, line: Line) -> bool:
        key = (id(rule.actions), line.item_id)
        found = self._taken.get(key)
        if found is None:
            found = not rule.actions.conditions or self._takes(rule, line.facts)
            self._taken[key] = found
        return found

    def _processable(self) -> list[CartRule]:
        """The rules that passed the gate (Magento's rule collection), in order."""
        if self._processable_rules is None:
            self._processable_rules = [r for r in self.rules if self.gate_reason(r) is None]
        return self._processable_rules

    # --- free shipping -----------------------------------------------------------------------

    def free_shipping(self) -> FreeShippingResult:
        if self._free is not None:
            return self._free
        items: dict[int, Decimal | bool] = {}
        address = False
        rules = [
            r
            for r in self._processable()
            if (r.simple_free_shipping is not FreeShipping.NONE or r.stop_rules_processing)
            and self.can_process(r)
        ]
        for line in self.lines:
            for rule in rules:
                if not self.takes(rule, line):
                    continue
                if rule.simple_free_shipping is FreeShipping.MATCHING_ITEMS_ONLY:
                    items[line.item_id] = rule.discount_qty if rule.discount_qty else True
                elif rule.simple_free_shipping is FreeShipping.FREE_WITH_MATCHING_ITEMS:
                    address = True
                if rule.stop_rules_processing:
                    break
        self._free = FreeShippingResult(items, address)
        return self._free

    # --- discounts ---------------------------------------------------------------------------

    def _sorted_lines(self, rules: Sequence[CartRule]) -> list[Line]:
        """Magento's `Validator::sortItemsByPriority`, over the rules that can be processed
        (Magento walks every rule of the collection; the others take no item, so only the
        relative order of items they alone would take differs, and that walk would evaluate
        every rule's actions on every item)."""
        remaining = list(self.lines)
        ordered: list[Line] = []
        for rule in rules:
            for line in list(remaining):
                if self.takes(rule, line):
                    remaining.remove(line)
                    ordered.append(line)
        return ordered + remaining

    def _label(self, rule: CartRule) -> str:
        """`RulesApplier::getRuleLabel`: the store label, else for a coupon rule its description
        or the code; else empty."""
        label = rule.store_label(self.gate.store_id)
        if label:
            return label
        code = self.gate.coupons.get(rule.rule_id) if rule.uses_coupon else None
        if code is not None:
            return rule.description or code
        return ""

    def _coupon(self, rule: CartRule) -> str | None:
        return self.gate.coupons.get(rule.rule_id) if rule.uses_coupon else None

    def apply(self, shipping_amount: Decimal = ZERO, *, explain: bool = False) -> Result:
        """The discounts; `explain` also works out each rule's outcome."""
        rules = self.valid_rules()
        lines = self._sorted_lines(rules)
        state = _State(lines)
        fixed_totals = self._cart_fixed_totals(rules, lines, shipping_amount)
        available: dict[int, Decimal] = {}
        fixed_counts = {rule_id: count for rule_id, (_, count) in fixed_totals.items()}
        pending = list(lines)
        stopped: dict[int, set[int]] = {}
        took_items: dict[int, set[int]] = {}
        order: list[int] = []
        ordered: set[int] = set()
        labels: dict[int, str] = {}
        for rule in rules:  # those that can be processed: the others are skipped anyway
            label = self._label(rule)
            coupon = self._coupon(rule)
            if rule.simple_action is CartRuleAction.CART_FIXED:
                # `CartFixed::getItemsTotalDiscount`: what earlier rules took off the items this
                # rule takes, when the rule starts, so the shares of what is left add up.
                state.existing[rule.rule_id] = sum(
                    (state.amounts[line.item_id] for line in lines if self.takes(rule, line)),
                    ZERO,
                )
            for line in list(pending):
                qty = line.facts.qty
                step = Decimal(rule.discount_step)
                if rule.simple_action in (CartRuleAction.BY_PERCENT, CartRuleAction.BY_FIXED):
                    if step > qty:
                        continue
                elif rule.simple_action is CartRuleAction.BUY_X_GET_Y and step >= qty:
                    continue
                if not self.takes(rule, line):
                    continue
                amount = self._discount(
                    rule, line, state, fixed_totals, fixed_counts, available, shipping_amount
                )
                state.add(line, rule, amount, label, coupon)
                took_items.setdefault(rule.rule_id, set()).add(line.item_id)
                if rule.rule_id not in ordered:
                    order.append(rule.rule_id)
                    ordered.add(rule.rule_id)
                if label and rule.rule_id not in labels:
                    labels[rule.rule_id] = label
                if rule.stop_rules_processing:
                    pending.remove(line)
                    stopped[line.item_id] = {rule.rule_id}
        shipping_entries, shipping_total, shipping_rules = self._shipping(rules, shipping_amount)
        by_id = {r.rule_id: r for r in rules}
        for rule_id in shipping_rules:
            if rule_id not in ordered:
                order.append(rule_id)
                ordered.add(rule_id)
            rule = by_id[rule_id]
            label = self._label(rule)
            if label and rule_id not in labels:
                labels[rule_id] = label
        item_entries = state.per_rule(lines)
        free = self.free_shipping()
        outcomes = (
            self._outcomes(state, took_items, shipping_entries, set(order), stopped, lines)
            if explain
            else {}
        )
        applied = set(order)
        used = {code for rule_id, code in self.gate.coupons.items() if rule_id in applied}
        codes = tuple(code for code in self.coupon_order if code in used)
        return Result(
            items={
                line.item_id: state.result(line, free.items.get(line.item_id, False))
                for line in self.lines
            },
            item_discount=sum(state.amounts.values(), ZERO),
            shipping_discount=shipping_total,
            discounts=(*item_entries, *shipping_entries),
            applied_rule_ids=tuple(order),
            coupon_codes=codes,
            description=tuple(dict.fromkeys(labels[r] for r in order if r in labels)),
            free_shipping=free,
            outcomes=outcomes,
        )

    def _cart_fixed_totals(
        self, rules: Sequence[CartRule], lines: Sequence[Line], shipping_amount: Decimal
    ) -> dict[int, tuple[Decimal, int]]:
        """`Validator::initTotals`: per processable `cart_fixed` rule, the price of the items
        its actions take (qty capped by `discount_qty`) and how many such items there are."""
        totals: dict[int, tuple[Decimal, int]] = {}
        for rule in rules:
            if rule.simple_action is not CartRuleAction.CART_FIXED or not self.can_process(rule):
                continue
            price, count = Decimal(0), 0
            for line in lines:
                if self.takes(rule, line):
                    price += line.facts.price * _item_qty(rule, line.facts.qty)
                    count += 1
            totals[rule.rule_id] = (price, count)
        return totals

    def _discount(
        self,
        rule: CartRule,
        line: Line,
        state: _State,
        fixed_totals: dict[int, tuple[Decimal, int]],
        fixed_counts: dict[int, int],
        available: dict[int, Decimal],
        shipping_amount: Decimal,
    ) -> Decimal:
        """`RulesApplier::getDiscountData`: the action's amount, delta-rounded, capped so the
        item's total discount stays within its row. Returns what the rule adds."""
        price = line.facts.price
        qty = _item_qty(rule, line.facts.qty)
        prior = state.amounts[line.item_id]
        action = rule.simple_action
        if action in (CartRuleAction.BY_PERCENT, CartRuleAction.BY_FIXED) and rule.discount_step:
            step = Decimal(rule.discount_step)
            qty = (qty / step).to_integral_value(rounding=ROUND_FLOOR) * step
        amount = ZERO
        if action is CartRuleAction.BY_PERCENT:
            percent = min(HUNDRED, rule.discount_amount)
            amount = (qty * price - prior) * percent / HUNDRED
            if not rule.discount_qty or rule.discount_qty >= qty:
                state.percents[line.item_id] = min(HUNDRED, state.percents[line.item_id] + percent)
        elif action is CartRuleAction.BY_FIXED:
            amount = min(price * qty - prior, rule.discount_amount * qty)
        elif action is CartRuleAction.BUY_X_GET_Y:
            x, y = Decimal(rule.discount_step), rule.discount_amount
            if x and y <= x:
                period = x + y
                full = (qty / period).to_integral_value(rounding=ROUND_FLOOR)
                rest = qty - full * period
                free_qty = full * y + (rest - x if rest > x else 0)
                amount = free_qty * price
        elif action is CartRuleAction.CART_FIXED:
            return self._cart_fixed(
                rule, line, qty, state, fixed_totals, fixed_counts, available, shipping_amount
            )
        amount = state.delta_round(amount, line)
        capped = min(prior + amount, price * line.facts.qty)
        return max(capped - prior, ZERO)

    def _cart_fixed(
        self,
        rule: CartRule,
        line: Line,
        qty: Decimal,
        state: _State,
        fixed_totals: dict[int, tuple[Decimal, int]],
        fixed_counts: dict[int, int],
        available: dict[int, Decimal],
        shipping_amount: Decimal,
    ) -> Decimal:
        """`Rule\\Action\\Discount\\CartFixed::calculate` (one address, no multishipping)."""
        price = line.facts.price
        prior = state.amounts[line.item_id]
        left = available.setdefault(rule.rule_id, rule.discount_amount)
        if left <= 0:
            return ZERO
        totals, _ = fixed_totals.get(rule.rule_id, (Decimal(0), 0))
        kind = f"CartFixed{rule.rule_id}"
        shipping_method = self.cart.shipping_method
        if rule.apply_to_shipping:
            if shipping_method:
                totals += shipping_amount
            ratio = price * qty / totals if totals else Decimal(0)
            amount = state.delta_price_round(rule.discount_amount * ratio, kind)
        else:
            left_of_totals = totals - state.existing.get(rule.rule_id, ZERO)
            ratio = (price * qty - prior) / left_of_totals if left_of_totals else Decimal(0)
            amount = state.delta_price_round(rule.discount_amount * min(ratio, Decimal(1)), kind)
        amount = min(price * qty, amount)
        count = fixed_counts.get(rule.rule_id, 0)
        if count <= 1:
            state.delta_reset(kind)
            amount = min(amount, left)
        else:
            fixed_counts[rule.rule_id] = count - 1
        amount = round_price(amount)
        available[rule.rule_id] = left - amount
        if available[rule.rule_id] <= 0:
            state.delta_reset(kind)
        capped = min(prior + amount, price * line.facts.qty)
        return max(capped - prior, ZERO)

    # --- shipping ----------------------------------------------------------------------------

    def _shipping(
        self, rules: Sequence[CartRule], shipping_amount: Decimal
    ) -> tuple[tuple[RuleDiscount, ...], Decimal, list[int]]:
        """`Validator::processShippingAmount`; nothing when shipping costs nothing."""
        if shipping_amount <= 0:
            return (), ZERO, []
        entries: list[RuleDiscount] = []
        applied: list[int] = []
        total = ZERO
        subtotal = self.cart.base_subtotal
        for rule in rules:
            if not rule.apply_to_shipping or not self.can_process(rule):
                continue
            action = rule.simple_action
            amount = Decimal(0)
            if action is CartRuleAction.BY_PERCENT:
                amount = (shipping_amount - total) * min(HUNDRED, rule.discount_amount) / HUNDRED
            elif action is CartRuleAction.BY_FIXED:
                amount = rule.discount_amount
            elif action is CartRuleAction.CART_FIXED:
                base = subtotal + shipping_amount
                ratio = shipping_amount / base if base else Decimal(0)
                amount = round_price(rule.discount_amount * ratio)
            elif action is CartRuleAction.BUY_X_GET_Y:
                free_qty = self._buy_x_get_y_units(rule)
                items_qty = sum((line.facts.qty for line in self.lines), Decimal(0))
                amount = shipping_amount / items_qty * free_qty if items_qty else Decimal(0)
            new_total = round_price(min(total + amount, shipping_amount))
            took = new_total - total
            if took > 0:
                entries.append(
                    RuleDiscount(
                        rule.rule_id,
                        took,
                        self._label(rule),
                        self._coupon(rule),
                        AppliedTo.SHIPPING,
                    )
                )
            total = new_total
            applied.append(rule.rule_id)
            if rule.stop_rules_processing:
                break
        return tuple(entries), total, applied

    def _buy_x_get_y_units(self, rule: CartRule) -> Decimal:
        """`Validator::getDiscountQtyAllItemsBuyXGetYAction`: free units over every item."""
        x, y = Decimal(rule.discount_step), rule.discount_amount
        if not x or y > x:
            return Decimal(0)
        total = Decimal(0)
        for line in self.lines:
            qty = _item_qty(rule, line.facts.qty)
            period = x + y
            full = (qty / period).to_integral_value(rounding=ROUND_FLOOR)
            rest = qty - full * period
            total += full * y + (rest - x if rest > x else 0)
        return total

    # --- explanation -------------------------------------------------------------------------

    def _outcomes(
        self,
        state: _State,
        took_items: dict[int, set[int]],
        shipping_entries: Sequence[RuleDiscount],
        applied: set[int],
        stopped: dict[int, set[int]],
        lines: Sequence[Line],
    ) -> dict[int, Outcome]:
        outcomes: dict[int, Outcome] = {}
        shipping_by_rule: dict[int, Decimal] = {}
        for entry in shipping_entries:
            shipping_by_rule[entry.rule_id] = shipping_by_rule.get(entry.rule_id, ZERO) + (
                entry.amount
            )
        for rule in self.rules:
            reason = self.gate_reason(rule)
            if reason is not None:
                outcomes[rule.rule_id] = Outcome(reason)
                continue
            if not self.can_process(rule):
                outcomes[rule.rule_id] = Outcome(Reason.CONDITION)
                continue
            if rule.rule_id in applied:
                items = state.rule_totals.get(rule.rule_id, ZERO)
                shipping = shipping_by_rule.get(rule.rule_id, ZERO)
                outcomes[rule.rule_id] = Outcome(Reason.APPLIED, items + shipping, items, shipping)
                continue
            candidates = [line for line in lines if self.takes(rule, line)]
            if candidates and all(line.item_id in stopped for line in candidates):
                outcomes[rule.rule_id] = Outcome(Reason.STOPPED_BY_EARLIER_RULE)
            elif not candidates or not took_items.get(rule.rule_id):
                outcomes[rule.rule_id] = Outcome(Reason.ACTION_NO_ITEMS)
        return outcomes


def _item_qty(rule: CartRule, qty: Decimal) -> Decimal:
    """`Utility::getItemQty`: the item's quantity, at most `discount_qty` when set."""
    return min(qty, rule.discount_qty) if rule.discount_qty else qty


class _State:
    """Per-item running totals of one application, with Magento's rounding deltas."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.amounts: dict[int, Decimal] = {line.item_id: ZERO for line in lines}
        self.percents: dict[int, Decimal] = {line.item_id: Decimal(0) for line in lines}
        self.rule_ids: dict[int, dict[int, None]] = {line.item_id: {} for line in lines}
        self.entries: dict[int, dict[int, RuleDiscount]] = {line.item_id: {} for line in lines}
        self.rule_totals: dict[int, Decimal] = {}
        # Per cart_fixed rule: the discount earlier rules left on its items when it started.
        self.existing: dict[int, Decimal] = {}
        self._deltas: dict[Decimal, Decimal] = {}
        self._price_deltas: dict[str, Decimal] = {}

    def delta_round(self, amount: Decimal, line: Line) -> Decimal:
        """`Utility::deltaRoundingFix`: the rounding remainder is carried between items that
        share a discount percent (none for 0%); 100% never exceeds the row."""
        percent = self.percents[line.item_id]
        key = percent  # equal percents (10 and 10.0) hash alike: one delta per percent
        if percent and line.row > 0:
            amount += self._deltas.get(key, Decimal(0))
            self._deltas[key] = amount - round_price(amount)
        if percent == HUNDRED:
            amount = min(amount, line.row)
        return round_price(amount)

    def delta_price_round(self, amount: Decimal, kind: str) -> Decimal:
        """`DeltaPriceRound::round`."""
        if not amount:
            return amount
        amount += self._price_deltas.get(kind, FIRST_DELTA)
        rounded = round_price(amount)
        self._price_deltas[kind] = amount - rounded
        return rounded

    def delta_reset(self, kind: str) -> None:
        self._price_deltas.pop(kind, None)

    def add(
        self, line: Line, rule: CartRule, amount: Decimal, label: str, coupon: str | None
    ) -> None:
        item_id = line.item_id
        self.amounts[item_id] += amount
        self.rule_ids[item_id].setdefault(rule.rule_id)
        if amount > 0:
            self.entries[item_id][rule.rule_id] = RuleDiscount(rule.rule_id, amount, label, coupon)
            self.rule_totals[rule.rule_id] = self.rule_totals.get(rule.rule_id, ZERO) + amount

    def per_rule(self, lines: Sequence[Line]) -> tuple[RuleDiscount, ...]:
        """Item discounts summed per rule, walking the items in their sorted order and each
        item's discounts in the order rules took it (Magento's `aggregateDiscountPerRule`)."""
        summed: dict[int, RuleDiscount] = {}
        for line in lines:
            for entry in self.entries[line.item_id].values():
                found = summed.get(entry.rule_id)
                summed[entry.rule_id] = RuleDiscount(
                    entry.rule_id,
                    (found.amount if found else ZERO) + entry.amount,
                    entry.label,
                    entry.coupon,
                )
        return tuple(summed.values())

    def result(self, line: Line, free_shipping: Decimal | bool) -> ItemResult:
        item_id = line.item_id
        return ItemResult(
            item_id=item_id,
            amount=self.amounts[item_id],
            percent=self.percents[item_id],
            rule_ids=tuple(self.rule_ids[item_id]),
            discounts=tuple(self.entries[item_id].values()),
            free_shipping=free_shipping,
        )
