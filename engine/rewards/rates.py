"""Exchange rates (`Magento\\Reward\\Model\\Reward\\Rate` and its resource model).

Direction 1 (points to currency) prices points when they are spent, direction 2 (currency to
points) turns money paid into points. A rate names a website (0: all websites) and a customer
group (0: all groups, not NOT LOGGED IN). The lookup for (website W, group G) takes
`website_id IN (W, 0) AND customer_group_id IN (G, 0)` ordered by group, then website,
descending: a group's own rate beats a website's own rate. Amounts are in the website's base
currency.

Arithmetic (all flooring except the points charged, which round up to whole blocks):
- `to_currency(points)` with "P points = C": `int(points / P) * C`
- `to_points(amount)` with "C = P points": `int(amount / C) * P`, 0 below C
- `points_for(amount)` (direction 1): `P * ceil(amount / C)`"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from engine.errors import AlreadyExists, InputInvalid, NoSuchEntity, Problem, ProblemCode, Problems
from models import CustomerGroup, MagentoRewardRate, RateDirection, StoreWebsite

ALL = 0
"""Website 0 and group 0 in a rate: all websites, all customer groups."""
MAX_POINTS = 2_147_483_647
MAX_AMOUNT = Decimal("10000000000000000")
NOT_UNIQUE = (
    "The rate with the same website, customer group and direction or covering rate already exists."
)
GREATER_THAN_ZERO = "Please enter a number greater than 0 in this field."


@dataclass(frozen=True)
class Rate:
    """One exchange rate: `points` for `currency_amount` in `direction`."""

    rate_id: int
    website_id: int
    customer_group_id: int
    direction: RateDirection
    points: int
    currency_amount: Decimal

    @classmethod
    def of(cls, row: MagentoRewardRate) -> Rate:
        return cls(
            rate_id=row.rate_id,
            website_id=row.website_id,
            customer_group_id=row.customer_group_id,
            direction=RateDirection(row.direction),
            points=row.points,
            currency_amount=Decimal(row.currency_amount),
        )

    def to_currency(self, points: int) -> Decimal:
        """What `points` are worth (direction 1): whole blocks only."""
        if self.points <= 0 or points <= 0:
            return Decimal(0)
        return (points // self.points) * self.currency_amount

    def to_points(self, amount: Decimal) -> int:
        """Points earned for `amount` paid (direction 2): whole blocks only, 0 below one."""
        if self.currency_amount <= 0 or amount < self.currency_amount:
            return 0
        blocks = (amount / self.currency_amount).to_integral_value(rounding=ROUND_FLOOR)
        return int(blocks) * self.points

    def points_for(self, amount: Decimal) -> int:
        """Points charged for a discount of `amount` (direction 1): rounded up to whole
        blocks, so 100 points = 1.00 charges 200 points for 1.50 (`getPointsEquivalent`)."""
        if self.currency_amount <= 0 or amount <= 0:
            return 0
        return self.points * math.ceil(amount / self.currency_amount)


async def lookup(website_id: int, group_id: int, direction: RateDirection) -> Rate | None:
    """The rate that applies to a customer of `group_id` in `website_id` (Magento's `fetch`)."""
    row = (
        await MagentoRewardRate.filter(
            website_id__in=sorted({website_id, ALL}),
            customer_group_id__in=sorted({group_id, ALL}),
            direction=direction,
        )
        .order_by("-customer_group_id", "-website_id")
        .first()
    )
    return None if row is None else Rate.of(row)


async def all_rates() -> list[Rate]:
    rows = await MagentoRewardRate.all().order_by("website_id", "customer_group_id", "direction")
    return [Rate.of(row) for row in rows]


@dataclass(frozen=True)
class RateInput:
    """An admin's rate: `website_id`/`customer_group_id` None mean all."""

    website_id: int | None
    customer_group_id: int | None
    direction: RateDirection
    points: Decimal
    currency_amount: Decimal


async def _check(data: RateInput, path: str) -> Problems:
    problems = Problems()
    if data.website_id not in (None, ALL) and not await StoreWebsite.exists(
        website_id=data.website_id
    ):
        problems.add(
            ProblemCode.NOT_FOUND,
            f'Could not find a website with ID "{data.website_id}"',
            f"{path}.website_uid",
        )
    if data.customer_group_id not in (None, ALL) and not await CustomerGroup.exists(
        customer_group_id=data.customer_group_id
    ):
        problems.add(
            ProblemCode.NOT_FOUND,
            f"No such entity with id = {data.customer_group_id}",
            f"{path}.customer_group_uid",
        )
    if data.points <= 0 or data.points != data.points.to_integral_value():
        problems.add(
            ProblemCode.INVALID,
            GREATER_THAN_ZERO if data.points <= 0 else "Points must be a whole number.",
            f"{path}.points",
        )
    elif data.points > MAX_POINTS:
        problems.add(ProblemCode.INVALID, f"Points must be at most {MAX_POINTS}.", f"{path}.points")
    if data.currency_amount <= 0:
        problems.add(ProblemCode.INVALID, GREATER_THAN_ZERO, f"{path}.currency_amount")
    elif (
        data.currency_amount >= MAX_AMOUNT
        or data.currency_amount != data.currency_amount.quantize(Decimal("0.0001"))
    ):
        problems.add(
            ProblemCode.INVALID,
            "The amount must have at most 4 decimals and 16 digits.",
            f"{path}.currency_amount",
        )
    return problems


async def save_rate(rate_id: int | None, data: RateInput, path: str = "input") -> Rate:
    """Create (`rate_id` None) or replace a rate; refuses a second rate for the same website,
    group and direction (Magento's `isRateUnique`)."""
    async with in_transaction():
        row = None
        if rate_id is not None:
            row = await MagentoRewardRate.select_for_update().get_or_none(rate_id=rate_id)
            if row is None:
                raise NoSuchEntity(
                    Problem(
                        ProblemCode.NOT_FOUND,
                        f'Could not find a reward exchange rate with ID "{rate_id}"',
                        f"{path}.uid",
                    )
                )
        problems = await _check(data, path)
        website_id = data.website_id or ALL
        group_id = data.customer_group_id or ALL
        clash = MagentoRewardRate.filter(
            website_id=website_id, customer_group_id=group_id, direction=data.direction
        )
        if rate_id is not None:
            clash = clash.exclude(rate_id=rate_id)
        if await clash.exists():
            problems.add(ProblemCode.ALREADY_EXISTS, NOT_UNIQUE, f"{path}.direction")
        if problems.items:
            codes = {p.code for p in problems.items}
            error = AlreadyExists if codes == {ProblemCode.ALREADY_EXISTS} else InputInvalid
            raise error(problems.items)
        values: dict[str, Any] = {
            "website_id": website_id,
            "customer_group_id": group_id,
            "direction": data.direction,
            "points": int(data.points),
            "currency_amount": data.currency_amount,
        }
        try:
            if row is None:
                row = await MagentoRewardRate.create(**values)
            else:
                row.update_from_dict(values)
                await row.save()
        except IntegrityError:
            raise AlreadyExists(
                Problem(ProblemCode.ALREADY_EXISTS, NOT_UNIQUE, f"{path}.direction")
            ) from None
    return Rate.of(row)


async def delete_rate(rate_id: int, path: str = "uid") -> Rate:
    async with in_transaction():
        row = await MagentoRewardRate.select_for_update().get_or_none(rate_id=rate_id)
        if row is None:
            raise NoSuchEntity(
                Problem(
                    ProblemCode.NOT_FOUND,
                    f'Could not find a reward exchange rate with ID "{rate_id}"',
                    path,
                )
            )
        rate = Rate.of(row)
        await row.delete()
    return rate


def rates_for(rates: Sequence[Rate], website_id: int, group_id: int, direction: int) -> Rate | None:
    """`lookup` over rates already read (admin listings)."""
    matching = [
        r
        for r in rates
        if r.direction == direction
        and r.website_id in (website_id, ALL)
        and r.customer_group_id in (group_id, ALL)
    ]
    matching.sort(key=lambda r: (r.customer_group_id, r.website_id), reverse=True)
    return matching[0] if matching else None
