"""Customer accounts: Magento's AccountManagement and CustomerRepository."""

from __future__ import annotations

from collections.abc import Sequence

from engine.errors import NoSuchEntity, Problem, ProblemCode
from models import CustomerEntity


async def load_many(customer_ids: Sequence[int]) -> list[CustomerEntity | None]:
    """DataLoader batch: customers in the order asked, `None` where missing."""
    rows = {c.entity_id: c for c in await CustomerEntity.filter(entity_id__in=list(customer_ids))}
    return [rows.get(customer_id) for customer_id in customer_ids]


async def get(customer_id: int, path: str = "uid") -> CustomerEntity:
    customer = await CustomerEntity.get_or_none(entity_id=customer_id)
    if customer is None:
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f"No such entity with customerId = {customer_id}", path)
        )
    return customer
