"""Store credit, as Adobe Commerce's `Magento\\CustomerBalance`: one balance per customer and
website in `magento_customerbalance`, every change logged in `magento_customerbalance_history`
with its delta. The first change of a website's balance is logged as CREATED, later ones as
UPDATED; a change that leaves the amount as it is writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from engine.errors import Problem, ProblemCode
from engine.stores import StoresSnapshot
from models import BalanceAction, MagentoCustomerbalance, MagentoCustomerbalanceHistory
from models.stores import ADMIN_WEBSITE_ID

CENT = Decimal("0.0001")
MAX_AMOUNT = Decimal("1000000000000")
COMMENT_MAX_LENGTH = 255


@dataclass(frozen=True)
class BalanceChange:
    """An admin's change to one website's balance: add `delta`, or set `balance`. `website_id`
    `None` means the customer's own website."""

    website_id: int | None
    delta: Decimal | None = None
    balance: Decimal | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Balance:
    website_id: int
    amount: Decimal
    currency_code: str


async def balances(customer_ids: Sequence[int], stores: StoresSnapshot) -> dict[int, list[Balance]]:
    """Each customer's balances, by website id; currency is the website's base currency."""
    result: dict[int, list[Balance]] = {customer_id: [] for customer_id in customer_ids}
    rows = await MagentoCustomerbalance.filter(customer_id__in=list(customer_ids)).order_by(
        "website_id"
    )
    for row in rows:
        website_id: int = row.website_id  # type: ignore[attr-defined]
        currency = row.base_currency_code or stores.website(website_id).base_currency_code
        result[row.customer_id].append(Balance(website_id, row.amount, currency))  # type: ignore[attr-defined]
    return result


async def validate(
    changes: Sequence[BalanceChange],
    customer_id: int | None,
    customer_website_id: int,
    stores: StoresSnapshot,
    share_global: bool,
    path: str,
) -> list[Problem]:
    """Every problem with `changes`. With per-website accounts a customer has credit only in
    its own website; a delta may not take a balance below zero."""
    problems: list[Problem] = []
    known = {w.website_id for w in stores.websites if w.website_id != ADMIN_WEBSITE_ID}
    seen: set[int] = set()
    for index, change in enumerate(changes):
        where = f"{path}.{index}"
        website_id = customer_website_id if change.website_id is None else change.website_id
        if (change.delta is None) == (change.balance is None):
            problems.append(
                Problem(
                    ProblemCode.INVALID,
                    "Send either store_credit_delta or store_credit_balance.",
                    where,
                )
            )
            continue
        if website_id not in known:
            problems.append(
                Problem(
                    ProblemCode.NOT_FOUND,
                    f'Could not find a website with ID "{website_id}"',
                    f"{where}.website_uid",
                )
            )
            continue
        if not share_global and website_id != customer_website_id:
            problems.append(
                Problem(
                    ProblemCode.INVALID,
                    "Store credit can only be given in the customer's own website.",
                    f"{where}.website_uid",
                )
            )
            continue
        if website_id in seen:
            problems.append(
                Problem(
                    ProblemCode.INVALID,
                    "Each website's store credit can be changed once per request.",
                    f"{where}.website_uid",
                )
            )
            continue
        seen.add(website_id)
        if change.comment is not None and len(change.comment) > COMMENT_MAX_LENGTH:
            problems.append(
                Problem(
                    ProblemCode.TOO_LONG,
                    f"The comment must be at most {COMMENT_MAX_LENGTH} characters.",
                    f"{where}.comment",
                )
            )
        field = "store_credit_delta" if change.delta is not None else "store_credit_balance"
        amount = change.delta if change.delta is not None else change.balance
        assert amount is not None
        if abs(amount) >= MAX_AMOUNT:
            problems.append(
                Problem(
                    ProblemCode.INVALID,
                    f"The amount must be less than {MAX_AMOUNT}.",
                    f"{where}.{field}",
                )
            )
            continue
        current = Decimal(0)
        if customer_id is not None:
            row = await MagentoCustomerbalance.get_or_none(
                customer_id=customer_id, website_id=website_id
            )
            current = row.amount if row is not None else Decimal(0)
        new = current + change.delta if change.delta is not None else amount
        if new < 0:
            problems.append(
                Problem(
                    ProblemCode.INVALID,
                    f"The store credit balance cannot be negative (it is {current:.2f}).",
                    f"{where}.{field}",
                )
            )
    return problems


async def apply(
    customer_id: int,
    changes: Sequence[BalanceChange],
    customer_website_id: int,
    stores: StoresSnapshot,
) -> None:
    """Write changes checked by `validate`; callers run this inside their transaction."""
    for change in changes:
        website_id = customer_website_id if change.website_id is None else change.website_id
        # Locked: an order spending this balance at the same time waits, and is not undone.
        row = await MagentoCustomerbalance.select_for_update().get_or_none(
            customer_id=customer_id, website_id=website_id
        )
        current = row.amount if row is not None else Decimal(0)
        new = (
            current + change.delta
            if change.delta is not None
            else (change.balance if change.balance is not None else current)
        ).quantize(CENT)
        delta = new - current
        if delta == 0:
            continue
        action = BalanceAction.UPDATED
        if row is None:
            action = BalanceAction.CREATED
            row = await MagentoCustomerbalance.create(
                customer_id=customer_id,
                website_id=website_id,
                amount=new,
                base_currency_code=stores.website(website_id).base_currency_code,
            )
        else:
            row.amount = new
            await row.save(update_fields=["amount"])
        await MagentoCustomerbalanceHistory.create(
            balance_id=row.balance_id,
            action=action,
            balance_amount=new,
            balance_delta=delta,
            additional_info=change.comment,
        )


ACTION_LABELS = {
    BalanceAction.UPDATED: "Updated",
    BalanceAction.CREATED: "Created",
    BalanceAction.USED: "Used",
    BalanceAction.REFUNDED: "Refunded",
    BalanceAction.REVERTED: "Reverted",
}
"""Magento_CustomerBalance's history action labels (`History::getActionNamesArray`)."""


@dataclass(frozen=True)
class HistoryEntry:
    history_id: int
    website_id: int
    action: BalanceAction
    balance_amount: Decimal
    balance_delta: Decimal
    additional_info: str | None
    updated_at: datetime


async def history(customer_id: int, website_ids: Sequence[int] | None = None) -> list[HistoryEntry]:
    """The customer's store-credit history, newest first."""
    query = MagentoCustomerbalanceHistory.filter(balance__customer_id=customer_id)
    if website_ids is not None:
        query = query.filter(balance__website_id__in=list(website_ids))
    rows = await query.order_by("-updated_at", "-history_id").prefetch_related("balance")
    return [
        HistoryEntry(
            history_id=row.history_id,
            website_id=row.balance.website_id,  # type: ignore[attr-defined]
            action=BalanceAction(row.action),
            balance_amount=Decimal(row.balance_amount),
            balance_delta=Decimal(row.balance_delta),
            additional_info=row.additional_info,
            updated_at=row.updated_at,
        )
        for row in rows
    ]
