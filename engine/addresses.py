"""Customer addresses: Magento's AddressRepository, street lines and default flags."""

from __future__ import annotations

from collections.abc import Sequence

from models import CustomerAddressEntity


async def load_for_customers(customer_ids: Sequence[int]) -> list[list[CustomerAddressEntity]]:
    """DataLoader batch: each customer's addresses, oldest first."""
    by_customer: dict[int, list[CustomerAddressEntity]] = {cid: [] for cid in customer_ids}
    rows = await CustomerAddressEntity.filter(parent_id__in=list(customer_ids)).order_by(
        "entity_id"
    )
    for row in rows:
        by_customer[row.parent_id].append(row)  # type: ignore[attr-defined]
    return [by_customer[cid] for cid in customer_ids]
