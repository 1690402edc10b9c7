"""The demo shop's customer segments: the ones merchants start with (the examples Adobe's segment
overview names) plus a cart segment that guests fall into too, created through the engine's own
`service.create` (validated, stored as Magento's JSON, queued for a refresh) on both websites.

- New customers: registered in the 30 days before the load ("Customer Since" on or after
  that day).
- High-value shoppers: total sales amount of 1,000 or more.
- Frequent shoppers: 5 orders or more in the last 365 days.
- Dormant customers: some order, but none in the last 180 days.
- Shoppers with a cart (visitors and registered customers): an active cart with a line.

They are queued when created, before the customers are written; the server's refresh runner
fills their members at its first start (`make run`), and guests and customers are matched live
(`customerSegments`, dynamic blocks, cart rules) from the first request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from engine.segments import service
from engine.segments.drafts import ConditionDraft, ConditionType
from models.segments import ApplyTo

T = ConditionType
NEW_CUSTOMER_DAYS = 30
HIGH_VALUE_TOTAL = "1000"
FREQUENT_ORDERS = "5"
DORMANT_DAYS = 180


@dataclass(frozen=True)
class DemoSegments:
    new_customers: int
    high_value: int
    frequent: int
    dormant: int
    with_cart: int


def _all(*conditions: ConditionDraft) -> ConditionDraft:
    return ConditionDraft(T.COMBINE, aggregator="all", value="1", conditions=conditions)


def _within_days(days: int) -> ConditionDraft:
    """Magento's "Period equals or less than N Days Up To Date" (stored as `>=`)."""
    return ConditionDraft(T.UP_TO_DATE, operator=">=", value=str(days))


def _orders(operator: str, count: str, *filters: ConditionDraft) -> ConditionDraft:
    return ConditionDraft(
        T.ORDERS_NUMBER, operator=operator, value=count, aggregator="all", conditions=filters
    )


async def ensure_segments(website_ids: tuple[int, ...], today: date) -> DemoSegments:
    """Create the demo segments (call once, with the demo catalog)."""

    async def create(
        name: str, description: str, tree: ConditionDraft, apply_to: ApplyTo = ApplyTo.REGISTERED
    ) -> int:
        segment = await service.create(
            service.SegmentChanges(
                name=name,
                description=description,
                is_active=True,
                apply_to=apply_to,
                website_ids=website_ids,
                conditions=tree,
            )
        )
        return int(segment.segment_id)

    since = today - timedelta(days=NEW_CUSTOMER_DAYS)
    return DemoSegments(
        new_customers=await create(
            "New customers",
            f"Registered in the {NEW_CUSTOMER_DAYS} days before the demo was loaded.",
            _all(
                ConditionDraft(
                    T.CUSTOMER_ATTRIBUTE,
                    attribute="created_at",
                    operator=">=",
                    value=since.isoformat(),
                )
            ),
        ),
        high_value=await create(
            "High-value shoppers",
            f"Total sales amount of {HIGH_VALUE_TOTAL} or more.",
            _all(
                ConditionDraft(
                    T.SALES_AMOUNT,
                    attribute="total",
                    operator=">=",
                    value=HIGH_VALUE_TOTAL,
                    aggregator="all",
                )
            ),
        ),
        frequent=await create(
            "Frequent shoppers",
            f"{FREQUENT_ORDERS} orders or more in the last 365 days.",
            _all(_orders(">=", FREQUENT_ORDERS, _within_days(365))),
        ),
        dormant=await create(
            "Dormant customers",
            f"Ordered before, but not in the last {DORMANT_DAYS} days.",
            _all(_orders(">=", "1"), _orders("==", "0", _within_days(DORMANT_DAYS))),
        ),
        with_cart=await create(
            "Shoppers with a cart",
            "Guests and customers whose cart holds a product.",
            _all(ConditionDraft(T.CART_LINE_ITEMS, operator=">=", value="1")),
            ApplyTo.BOTH,
        ),
    )
