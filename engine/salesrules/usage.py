"""Coupon and rule usage: which of a cart's coupon codes may still be used (Magento's
`ValidateCouponCode` / `ValidateCoupon`), which rules a customer has used up (`uses_per_customer`
in `salesrule_customer`), and recording the use when an order is placed
(`SalesRule\\Model\\Coupon\\UpdateCouponUsages`: `salesrule.times_used`,
`salesrule_coupon.times_used`, `salesrule_coupon_usage`, `salesrule_customer`).

Limits of 0 or NULL mean unlimited. A coupon's `usage_limit` counts every order, its
`usage_per_customer` a registered customer's orders (guests are not counted per customer, as in
Magento). A coupon past its `expiration_date` is not usable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from tortoise.expressions import F

from engine.salesrules.calculator import Gate
from engine.salesrules.rule_set import CartRule
from models import (
    Quote,
    QuoteCoupon,
    Salesrule,
    SalesruleCoupon,
    SalesruleCouponUsage,
    SalesruleCustomer,
)


async def cart_codes(quote: Quote) -> list[str]:
    """The coupon codes applied to the cart, in the order they were applied (`quote.coupon_code`
    first when it is not among them). `quote.coupon_code` is kept as the first code whenever
    there is one, so a cart without it has none (no query)."""
    if not quote.coupon_code:
        return []
    rows = await QuoteCoupon.filter(quote_id=quote.entity_id).order_by("position", "id")
    codes = [row.code for row in rows]
    if quote.coupon_code and quote.coupon_code not in codes:
        codes.insert(0, quote.coupon_code)
    return codes


@dataclass(frozen=True)
class CodeStatus:
    """What one code on a cart is: unknown, usable, or used up."""

    code: str
    coupon: SalesruleCoupon | None
    usable: bool
    spent: bool = False

    @property
    def rule_id(self) -> int | None:
        return None if self.coupon is None else int(self.coupon.rule_id)  # type: ignore[attr-defined]


async def coupons_by_code(codes: Sequence[str]) -> dict[str, SalesruleCoupon]:
    """The coupon rows of `codes`, found case-insensitively (MySQL's collation in Magento), by
    the code as given."""
    wanted = {c.strip().lower(): c for c in codes if c and c.strip()}
    if not wanted:
        return {}
    rows = await SalesruleCoupon.filter(code__in=sorted({c.strip() for c in codes if c})).all()
    found = {row.code.lower(): row for row in rows}
    missing = [w for w in wanted if w not in found]
    for lowered in missing:
        row = await SalesruleCoupon.filter(code__iexact=lowered).first()
        if row is not None:
            found[lowered] = row
    return {given: found[lowered] for lowered, given in wanted.items() if lowered in found}


async def code_statuses(
    codes: Sequence[str], customer_id: int | None, now: datetime, rules: dict[int, CartRule]
) -> list[CodeStatus]:
    """Each code's status for this customer (None: a guest) at `now`. `rules` are every cart
    rule by id (a coupon of a rule without coupons is not usable)."""
    rows = await coupons_by_code(codes)
    per_customer: dict[int, int] = {}
    if customer_id is not None and rows:
        for coupon_id, used in await SalesruleCouponUsage.filter(
            customer_id=customer_id, coupon_id__in=[r.coupon_id for r in rows.values()]
        ).values_list("coupon_id", "times_used"):
            per_customer[int(coupon_id)] = int(used)
    statuses: list[CodeStatus] = []
    for code in codes:
        row = rows.get(code)
        if row is None:
            statuses.append(CodeStatus(code, None, False))
            continue
        rule = rules.get(int(row.rule_id))  # type: ignore[attr-defined]
        if rule is None or not rule.uses_coupon:
            statuses.append(CodeStatus(code, row, False))
            continue
        expires = row.expiration_date
        if expires is not None:
            moment = expires if expires.tzinfo is not None else expires.replace(tzinfo=UTC)
            if moment <= now:
                statuses.append(CodeStatus(code, row, False))
                continue
        limit = row.usage_limit or (rule.uses_per_coupon if row.is_primary else 0)
        spent = bool(limit) and int(row.times_used or 0) >= int(limit or 0)
        if not spent and customer_id is not None and row.usage_per_customer:
            spent = per_customer.get(row.coupon_id, 0) >= int(row.usage_per_customer)
        statuses.append(CodeStatus(code, row, not spent, spent))
    return statuses


@dataclass
class GateData:
    """What the calculator's `Gate` needs beyond the cart's scope, plus the codes' statuses."""

    coupons: dict[int, str] = field(default_factory=dict)
    spent_coupons: dict[int, str] = field(default_factory=dict)
    spent_rules: frozenset[int] = frozenset()
    statuses: tuple[CodeStatus, ...] = ()


async def gate_data(
    codes: Sequence[str],
    customer_id: int | None,
    now: datetime,
    rules: Sequence[CartRule],
    all_rules: dict[int, CartRule],
) -> GateData:
    """The usable codes per rule (the first code of a rule wins; Magento allows one coupon per
    rule), the used-up ones, and the rules the customer has used up. `rules` are the rules that
    may apply (their `uses_per_customer` is checked)."""
    data = GateData()
    if codes:
        statuses = await code_statuses(codes, customer_id, now, all_rules)
        data.statuses = tuple(statuses)
        for status in statuses:
            rule_id = status.rule_id
            if rule_id is None:
                continue
            if status.usable and rule_id not in data.coupons:
                data.coupons[rule_id] = status.code
            elif status.spent and rule_id not in data.spent_coupons:
                data.spent_coupons[rule_id] = status.code
    limited = {r.rule_id: r.uses_per_customer for r in rules if r.uses_per_customer > 0}
    if customer_id is not None and limited:
        spent = set()
        for rule_id, used in await SalesruleCustomer.filter(
            customer_id=customer_id, rule_id__in=sorted(limited)
        ).values_list("rule_id", "times_used"):
            if int(used) >= limited[int(rule_id)]:
                spent.add(int(rule_id))
        data.spent_rules = frozenset(spent)
    return data


def gate(data: GateData, website_id: int, group_id: int, store_id: int, today: date) -> Gate:
    return Gate(
        website_id=website_id,
        group_id=group_id,
        store_id=store_id,
        today=today,
        coupons=data.coupons,
        spent_coupons=data.spent_coupons,
        spent_rules=data.spent_rules,
    )


async def record_order(
    customer_id: int | None, rule_ids: Sequence[int], coupon_codes: Sequence[str]
) -> None:
    """Count one placed order for its applied rules and coupons (inside the order's
    transaction): `salesrule.times_used`, and for a customer `salesrule_customer`; each coupon's
    `times_used`, and for a customer its `salesrule_coupon_usage`."""
    ids = sorted(set(rule_ids))
    if ids:
        await Salesrule.filter(rule_id__in=ids).update(times_used=F("times_used") + 1)
        if customer_id is not None:
            for rule_id in ids:
                updated = await SalesruleCustomer.filter(
                    rule_id=rule_id, customer_id=customer_id
                ).update(times_used=F("times_used") + 1)
                if not updated:
                    await SalesruleCustomer.create(
                        rule_id=rule_id, customer_id=customer_id, times_used=1
                    )
    rows = await coupons_by_code(coupon_codes)
    for row in rows.values():
        await SalesruleCoupon.filter(coupon_id=row.coupon_id).update(times_used=F("times_used") + 1)
        if customer_id is not None:
            updated = await SalesruleCouponUsage.filter(
                coupon_id=row.coupon_id, customer_id=customer_id
            ).update(times_used=F("times_used") + 1)
            if not updated:
                await SalesruleCouponUsage.create(
                    coupon_id=row.coupon_id, customer_id=customer_id, times_used=1
                )


async def record_quote(quote: Quote) -> None:
    """`record_order` for a cart being placed (its totals just collected): its applied rules
    (`quote.applied_rule_ids`) and the coupon codes that took effect."""
    ids = [int(i) for i in (quote.applied_rule_ids or "").split(",") if i.strip()]
    codes = await cart_codes(quote)
    customer_id: int | None = quote.customer_id  # type: ignore[attr-defined]
    await record_order(customer_id, ids, codes)


def fit_ids(ids: str | None, limit: int) -> str | None:
    """A comma-separated id list cut to at most `limit` characters at a comma (an order's
    `applied_rule_ids` column is shorter than the cart's, as in Magento)."""
    if ids is None or len(ids) <= limit:
        return ids
    head = ids[: limit + 1]
    return head.rsplit(",", 1)[0] or None if "," in head else None
