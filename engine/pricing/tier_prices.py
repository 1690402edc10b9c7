"""Tier and group prices (`catalog_product_entity_tier_price`): admin reads and writes, and the
choice of the tier price a shopper pays.

A row is for one website (0: every website), one customer group or ALL GROUPS, and a minimum
quantity; its price is a fixed `value` or a `percentage_value` off the regular price. Magento's
choice (`Catalog\\Model\\Product\\Type\\Price::getTierPrice`): among the rows of the shopper's
group or ALL GROUPS whose quantity is at most the quantity bought, the lowest price; a group's own
row wins a tie with an ALL GROUPS row at the same quantity (same price, so the choice only shows
in which row is reported). A group excluded on a website (`customer_group_excluded_website`) gets
no tier or group price there."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from engine.catalog import product_not_found
from engine.errors import ProblemCode, Problems
from engine.invalidation import Topic, touch
from models import (
    CatalogProductEntity,
    CatalogProductEntityTierPrice,
    CustomerGroup,
    CustomerGroupExcludedWebsite,
    StoreWebsite,
)
from models.groups import ALL_GROUPS_ID

ALL_WEBSITES = 0
HUNDRED = Decimal(100)
DUPLICATE = "We found a duplicate website, tier price, customer group and quantity."


@dataclass(frozen=True)
class Tier:
    """One stored row as selection reads it: `group_id` None is ALL GROUPS, `website_id` 0 every
    website; exactly one of `value` and `percentage` is set."""

    value_id: int
    product_id: int
    website_id: int
    group_id: int | None
    qty: Decimal
    value: Decimal | None
    percentage: Decimal | None

    def unit_price(self, regular: Decimal) -> Decimal:
        """The price per unit, unrounded: the fixed value, or the percentage off `regular`."""
        if self.percentage is not None:
            return regular * (1 - self.percentage / HUNDRED)
        assert self.value is not None
        return self.value

    @classmethod
    def of(cls, row: CatalogProductEntityTierPrice) -> Tier:
        return cls(
            value_id=row.value_id,
            product_id=row.entity_id,  # type: ignore[attr-defined]
            website_id=row.website_id,
            group_id=None if row.all_groups else row.customer_group_id,
            qty=Decimal(row.qty),
            value=None if row.percentage_value is not None else Decimal(row.value),
            percentage=None if row.percentage_value is None else Decimal(row.percentage_value),
        )


def select(tiers: Sequence[Tier], group_id: int, qty: Decimal, regular: Decimal) -> Decimal | None:
    """The tier price for `qty` units bought by a shopper of `group_id` (unrounded), or None
    when no row applies. `tiers` are the product's rows for the website (see `load_for`)."""
    best: Decimal | None = None
    for tier in tiers:
        if tier.group_id is not None and tier.group_id != group_id:
            continue
        if tier.qty > qty:
            continue
        price = tier.unit_price(regular)
        if best is None or price < best:
            best = price
    return best


def per_quantity(
    tiers: Sequence[Tier], group_id: int, regular: Decimal
) -> list[tuple[Decimal, Tier]]:
    """The rows a shopper of `group_id` sees as `price_tiers`: the lowest unit price for each
    quantity (a group's own row wins a tie), ordered by quantity (Magento's `PriceTiers`
    `filterTierPrices`)."""
    chosen: dict[Decimal, Tier] = {}
    for tier in tiers:
        if tier.group_id is not None and tier.group_id != group_id:
            continue
        held = chosen.get(tier.qty)
        if held is None:
            chosen[tier.qty] = tier
            continue
        price, held_price = tier.unit_price(regular), held.unit_price(regular)
        if price < held_price or (
            price == held_price and held.group_id is None and tier.group_id is not None
        ):
            chosen[tier.qty] = tier
    return [(qty, chosen[qty]) for qty in sorted(chosen)]


async def is_excluded(group_id: int, website_id: int) -> bool:
    """Whether the group gets no group-specific prices on the website."""
    return await CustomerGroupExcludedWebsite.exists(
        customer_group_id=group_id, website_id=website_id
    )


async def load_for(
    product_ids: Sequence[int], website_id: int, group_id: int
) -> dict[int, list[Tier]]:
    """The rows that may apply to a shopper of `group_id` on the website, per product, ordered by
    quantity; none at all when the group is excluded on the website. One query, two when some
    row was found (the exclusion is asked only then)."""
    if not product_ids:
        return {}
    rows = await CatalogProductEntityTierPrice.filter(
        Q(all_groups=True) | Q(customer_group_id=group_id),
        entity_id__in=list(product_ids),
        website_id__in=[ALL_WEBSITES, website_id],
    ).order_by("qty", "value_id")
    if not rows or await is_excluded(group_id, website_id):
        return {}
    found: dict[int, list[Tier]] = defaultdict(list)
    for row in rows:
        if not row.all_groups and row.customer_group_id != group_id:
            continue
        found[row.entity_id].append(Tier.of(row))  # type: ignore[attr-defined]
    return dict(found)


# --- admin --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierDraft:
    """One row of `set_product_tiers`: `group_id` None is ALL GROUPS (so is `ALL_GROUPS_ID`),
    `website_id` 0 every website; a fixed `value` or a `percentage_value`, not both."""

    website_id: int = ALL_WEBSITES
    group_id: int | None = None
    qty: Decimal = Decimal(1)
    value: Decimal | None = None
    percentage_value: Decimal | None = None


async def product_tiers(product_id: int) -> list[CatalogProductEntityTierPrice]:
    """A product's rows for the admin, by website, group (ALL GROUPS first) and quantity."""
    if not await CatalogProductEntity.exists(entity_id=product_id):
        raise product_not_found("product_uid")
    return await CatalogProductEntityTierPrice.filter(entity_id=product_id).order_by(
        "website_id", "-all_groups", "customer_group_id", "qty", "value_id"
    )


def _places(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _check_number(
    problems: Problems, amount: Decimal, path: str, label: str, places: int, digits: int
) -> bool:
    """Finite, and fits the column (`digits` before the point, `places` after)."""
    try:
        fits = (
            amount.is_finite() and _places(amount) <= places and abs(amount) < Decimal(10) ** digits
        )
    except InvalidOperation:
        fits = False
    if not fits:
        problems.add(
            ProblemCode.INVALID,
            f"{label} must be a number with at most {places} decimals.",
            path,
        )
    return fits


async def set_product_tiers(
    product_id: int, drafts: Sequence[TierDraft]
) -> list[CatalogProductEntityTierPrice]:
    """Replace every tier/group price of the product with `drafts`, in one transaction; an empty
    list removes them all. Every problem is reported at once, with the row's path
    (`tiers.2.percentage_value`), and nothing is written when there is one."""
    problems = Problems()
    if not await CatalogProductEntity.exists(entity_id=product_id):
        raise product_not_found("product_uid")
    website_ids = {w.website_id for w in await StoreWebsite.filter(website_id__gt=0)}
    group_ids = {g.customer_group_id for g in await CustomerGroup.all()}
    seen: dict[tuple[int, int | None, Decimal], int] = {}
    for index, draft in enumerate(drafts):
        path = f"tiers.{index}"
        group_id = None if draft.group_id == ALL_GROUPS_ID else draft.group_id
        if draft.website_id != ALL_WEBSITES and draft.website_id not in website_ids:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'Could not find a website with ID "{draft.website_id}"',
                f"{path}.website_uid",
            )
        if group_id is not None and group_id not in group_ids:
            problems.add(
                ProblemCode.NOT_FOUND,
                f"No such entity with id = {group_id}",
                f"{path}.customer_group_uid",
            )
        qty_ok = _check_number(problems, draft.qty, f"{path}.quantity", "The quantity", 4, 8)
        if qty_ok and draft.qty <= 0:
            qty_ok = False
            problems.add(
                ProblemCode.INVALID,
                "The quantity must be greater than 0.",
                f"{path}.quantity",
            )
        if (draft.value is None) == (draft.percentage_value is None):
            problems.add(
                ProblemCode.INVALID,
                "Set either a fixed price or a discount percentage, not both.",
                f"{path}.value",
            )
        if (
            draft.value is not None
            and _check_number(problems, draft.value, f"{path}.value", "The price", 6, 14)
            and draft.value < 0
        ):
            problems.add(ProblemCode.INVALID, "The price must be 0 or more.", f"{path}.value")
        percentage = draft.percentage_value
        if percentage is not None:
            if not (percentage.is_finite() and Decimal(0) < percentage <= HUNDRED):
                problems.add(
                    ProblemCode.INVALID,
                    "Percentage value must be a number between 0 and 100.",
                    f"{path}.percentage_value",
                )
            else:
                _check_number(
                    problems, percentage, f"{path}.percentage_value", "The percentage", 2, 3
                )
        if qty_ok:
            key = (draft.website_id, group_id, draft.qty.normalize())
            if key in seen:
                problems.add(ProblemCode.ALREADY_EXISTS, DUPLICATE, path)
            else:
                seen[key] = index
    problems.raise_if_any()
    async with in_transaction():
        await CatalogProductEntityTierPrice.filter(entity_id=product_id).delete()
        for draft in drafts:
            group_id = None if draft.group_id == ALL_GROUPS_ID else draft.group_id
            await CatalogProductEntityTierPrice.create(
                entity_id=product_id,
                all_groups=group_id is None,
                customer_group_id=0 if group_id is None else group_id,
                qty=draft.qty,
                value=Decimal(0) if draft.value is None else draft.value,
                website_id=draft.website_id,
                percentage_value=draft.percentage_value,
            )
        touch(Topic.PROMOTIONS)
    return await product_tiers(product_id)
