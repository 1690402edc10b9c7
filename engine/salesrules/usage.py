"""Coupon and rule usage: which of a cart's coupon codes may still be used (Magento's
`ValidateCouponCode` / `ValidateCoupon`), which rules a customer has used up (`uses_per_customer`
in `salesrule_customer`), and claiming the uses when an order is placed
(`SalesRule\\Model\\Coupon\\UpdateCouponUsages`: `salesrule.times_used`,
`salesrule_coupon.times_used`, `salesrule_coupon_usage`, `salesrule_customer`), each within its
limit by a conditional update (`engine.limits`), never by a check and a later write.

Limits of 0 or NULL mean unlimited. A coupon's `usage_limit` counts every order, its
`usage_per_customer` a registered customer's orders (guests are not counted per customer, as in
Magento). A coupon past its `expiration_date` is not usable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from tortoise.expressions import F

from engine import limits
from engine.salesrules.calculator import Gate
from engine.salesrules.rule_set import CartRule, rule_set
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


def coupon_limit(row: SalesruleCoupon, rule: CartRule | None) -> int:
    """How many orders may use the coupon (0: unlimited): its own `usage_limit`, else the
    rule's `uses_per_coupon` for the rule's primary (specific) code."""
    own = int(row.usage_limit or 0)
    if own or rule is None or not row.is_primary:
        return own
    return int(rule.uses_per_coupon or 0)


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
    if customer_id is not None and any(r.usage_per_customer for r in rows.values()):
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
        limit = coupon_limit(row, rule)
        spent = bool(limit) and int(row.times_used or 0) >= limit
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
    data = await coupon_data(codes, customer_id, now, all_rules)
    data.spent_rules = await spent_rules(customer_id, rules)
    return data


async def coupon_data(
    codes: Sequence[str], customer_id: int | None, now: datetime, all_rules: dict[int, CartRule]
) -> GateData:
    """`gate_data` without the customer's used-up rules: the usable and used-up codes per rule."""
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
    return data


async def spent_rules(customer_id: int | None, rules: Sequence[CartRule]) -> frozenset[int]:
    """Those of `rules` the customer has used `uses_per_customer` times (none for a guest)."""
    limited = {r.rule_id: r.uses_per_customer for r in rules if r.uses_per_customer > 0}
    if customer_id is None or not limited:
        return frozenset()
    spent = set()
    for rule_id, used in await SalesruleCustomer.filter(
        customer_id=customer_id, rule_id__in=sorted(limited)
    ).values_list("rule_id", "times_used"):
        if int(used) >= limited[int(rule_id)]:
            spent.add(int(rule_id))
    return frozenset(spent)


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


class Lost(StrEnum):
    """Why a placed cart cannot keep a discount the shopper was shown: a coupon on it (or its
    rule) reached a usage limit, or a rule without coupon reached the customer's uses."""

    COUPON = "coupon"
    RULE = "rule"


def _ids(ids: str | None) -> list[int]:
    return [int(i) for i in (ids or "").split(",") if i.strip()]


@dataclass(frozen=True)
class Shown:
    """What the cart carried before placing recollected its totals: its coupon codes and the
    rules its stored totals applied (what the shopper was last shown)."""

    codes: tuple[str, ...]
    rule_ids: tuple[int, ...]

    @classmethod
    async def of(cls, quote: Quote) -> Shown:
        return cls(tuple(await cart_codes(quote)), tuple(_ids(quote.applied_rule_ids)))


async def claim_quote(quote: Quote, shown: Shown, now: datetime) -> Lost | None:
    """Claim every counted use of a cart being placed (its totals just collected, inside the
    order's transaction), as Magento's `UpdateCouponUsages` counts them but conditionally
    (`engine.limits`): `salesrule.times_used`; for a customer, `salesrule_customer` within the
    rule's `uses_per_customer`; each coupon's `times_used` within its limit and, for a customer,
    `salesrule_coupon_usage` within `usage_per_customer`. None when every use was claimed.

    Also refuses a cart that lost, to a usage limit reached since, a coupon or a rule the
    shopper was shown (`shown`): recollecting dropped it, and placing the order without it
    would charge a price the shopper never saw. The caller rolls back on any answer but None."""
    by_id = {rule.rule_id: rule for rule in (await rule_set()).rules}
    customer_id: int | None = quote.customer_id  # type: ignore[attr-defined]
    applied = sorted(set(_ids(quote.applied_rule_ids)))
    codes = await cart_codes(quote)
    kept = {code.lower() for code in codes}
    dropped = [code for code in shown.codes if code.lower() not in kept]
    if dropped and any(s.spent for s in await code_statuses(dropped, customer_id, now, by_id)):
        return Lost.COUPON
    lost_rules = [
        by_id[rule_id]
        for rule_id in shown.rule_ids
        if rule_id not in applied and rule_id in by_id and by_id[rule_id].uses_per_customer > 0
    ]
    if customer_id is not None and lost_rules:
        used = dict(
            await SalesruleCustomer.filter(
                customer_id=customer_id, rule_id__in=[r.rule_id for r in lost_rules]
            ).values_list("rule_id", "times_used")
        )
        for lost_rule in lost_rules:
            if int(used.get(lost_rule.rule_id, 0)) >= lost_rule.uses_per_customer:
                return Lost.COUPON if lost_rule.uses_coupon else Lost.RULE
    for rule_id in applied:
        await limits.claim(Salesrule, {"rule_id": rule_id}, "times_used", limit=None)
        rule = by_id.get(rule_id)
        if customer_id is None or rule is None:
            continue
        key = {"rule_id": rule_id, "customer_id": customer_id}
        if not await limits.claim(
            SalesruleCustomer, key, "times_used", limit=rule.uses_per_customer, create=True
        ):
            return Lost.COUPON if rule.uses_coupon else Lost.RULE
    rows = sorted((await coupons_by_code(codes)).values(), key=lambda row: row.coupon_id)
    for row in rows:
        coupon_rule = by_id.get(int(row.rule_id))  # type: ignore[attr-defined]
        key = {"coupon_id": row.coupon_id}
        if not await limits.claim(
            SalesruleCoupon, key, "times_used", limit=coupon_limit(row, coupon_rule)
        ):
            return Lost.COUPON
        if customer_id is not None and not await limits.claim(
            SalesruleCouponUsage,
            {"coupon_id": row.coupon_id, "customer_id": customer_id},
            "times_used",
            limit=row.usage_per_customer,
            create=True,
        ):
            return Lost.COUPON
    return None


def fit_ids(ids: str | None, limit: int) -> str | None:
    """A comma-separated id list cut to at most `limit` characters at a comma (an order's
    `applied_rule_ids` column is shorter than the cart's, as in Magento)."""
    if ids is None or len(ids) <= limit:
        return ids
    head = ids[: limit + 1]
    return head.rsplit(",", 1)[0] or None if "," in head else None


async def release_order(
    rule_ids: str | None, codes: Sequence[str], customer_id: int | None
) -> None:
    """Give back the uses an order claimed (`UpdateCouponUsages::execute($order, false)`, which
    Magento runs when an order is canceled or closed): each applied rule's `times_used` and, for
    a customer, its `salesrule_customer` count; each coupon's `times_used` and, for a customer,
    its `salesrule_coupon_usage` count. Never below 0; rows in id order, as claims are taken."""
    for rule_id in sorted(set(_ids(rule_ids))):
        await Salesrule.filter(rule_id=rule_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )
        if customer_id is not None:
            await SalesruleCustomer.filter(
                rule_id=rule_id, customer_id=customer_id, times_used__gt=0
            ).update(times_used=F("times_used") - 1)
    rows = sorted((await coupons_by_code(codes)).values(), key=lambda row: row.coupon_id)
    for row in rows:
        await SalesruleCoupon.filter(coupon_id=row.coupon_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )
        if customer_id is not None:
            await SalesruleCouponUsage.filter(
                coupon_id=row.coupon_id, customer_id=customer_id, times_used__gt=0
            ).update(times_used=F("times_used") - 1)
