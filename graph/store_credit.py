"""Store credit in the graph: `Magento_CustomerBalanceGraphQl`'s storefront types exactly as
declared (`Customer.store_credit`, `Cart.applied_store_credit`), and the admin's history."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry

from engine import balance
from engine.balance import HistoryEntry
from engine.checkout_balances import AppliedCredit, credit_balance, store_credit_enabled
from engine.config import ConfigPath
from engine.errors import InputInvalid, Problem, ProblemCode
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.common import Money, SearchResultPageInfo
from graph.context import Info
from graph.dates import magento_datetime
from graph.uids import encode_uid


@strawberry.type(description="Contains the applied and current balances.")
class AppliedStoreCredit:
    applied_balance: Money | None = strawberry.field(
        description="The applied store credit balance to the current cart."
    )
    current_balance: Money | None = strawberry.field(
        description="The current balance remaining on store credit."
    )
    enabled: bool | None = strawberry.field(
        description="Indicates whether store credits are enabled."
    )


@strawberry.type(description="Contains store credit history information.")
class CustomerStoreCreditHistoryItem:
    action: str | None = strawberry.field(
        description="The action that was made on the store credit."
    )
    actual_balance: Money | None = strawberry.field(
        description="The store credit available to the customer as a result of this action."
    )
    balance_change: Money | None = strawberry.field(
        description="The amount added to or subtracted from the store credit as a result of "
        "this action."
    )
    date_time_changed: str | None = strawberry.field(
        description="The date and time when the store credit change was made."
    )

    @classmethod
    def of(cls, entry: HistoryEntry, currency: str) -> CustomerStoreCreditHistoryItem:
        return cls(
            action=balance.ACTION_LABELS[entry.action],
            actual_balance=Money.of(entry.balance_amount, currency),
            balance_change=Money.of(entry.balance_delta, currency),
            date_time_changed=magento_datetime(entry.updated_at),
        )


@strawberry.type(
    description="Lists changes to the amount of store credit available to the customer."
)
class CustomerStoreCreditHistory:
    items: list[CustomerStoreCreditHistoryItem | None] | None = strawberry.field(
        description="An array containing information about changes to the store credit "
        "available to the customer."
    )
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="Metadata for pagination rendering."
    )
    total_count: int | None = strawberry.field(description="The number of items returned.")


PAGE_SIZE_INVALID = "pageSize value must be greater than 0."
CURRENT_PAGE_INVALID = "currentPage value must be greater than 0."


async def _history(
    root: CustomerStoreCredit,
    info: Info,
    pageSize: Annotated[int | None, PAGE_SIZE] = 20,  # noqa: N803 - Magento's argument name
    currentPage: Annotated[int | None, CURRENT_PAGE] = 1,  # noqa: N803 - Magento's name
) -> CustomerStoreCreditHistory | None:
    """The history of the store's website, newest first; null while
    `customer/magento_customerbalance/show_history` is off."""
    size = 20 if pageSize is None else pageSize
    page = 1 if currentPage is None else currentPage
    if size < 1:
        raise InputInvalid(Problem(ProblemCode.INVALID, PAGE_SIZE_INVALID, "pageSize"))
    if page < 1:
        raise InputInvalid(Problem(ProblemCode.INVALID, CURRENT_PAGE_INVALID, "currentPage"))
    stores = await info.context.stores()
    store = await info.context.store()
    if not stores.config_flag(ConfigPath.STORE_CREDIT_SHOW_HISTORY, store):
        return None
    entries = await balance.history(root.customer_id, [store.website.website_id])
    chosen = entries[(page - 1) * size : page * size]
    total_pages = max(1, -(-len(entries) // size))
    return CustomerStoreCreditHistory(
        items=[CustomerStoreCreditHistoryItem.of(e, root.currency) for e in chosen],
        page_info=SearchResultPageInfo(current_page=page, page_size=size, total_pages=total_pages),
        total_count=len(entries),
    )


@strawberry.type(description="Contains store credit information with balance and history.")
class CustomerStoreCredit:
    customer_id: strawberry.Private[int]
    currency: strawberry.Private[str]

    balance_history: CustomerStoreCreditHistory | None = strawberry.field(
        resolver=_history, description="Contains the customer's store credit balance history."
    )
    current_balance: Money | None = strawberry.field(
        description="The current balance of store credit."
    )
    enabled: bool | None = strawberry.field(
        description="Indicates whether store credits are enabled."
    )


async def _store_credit(root: CustomerStoreCreditFields, info: Info) -> CustomerStoreCredit | None:
    stores = await info.context.stores()
    store = await info.context.store()
    currency = store.website.base_currency_code
    enabled = store_credit_enabled(stores, store)
    amount = await credit_balance(root.entity_id, store.website.website_id)
    return CustomerStoreCredit(
        customer_id=root.entity_id,
        currency=currency,
        current_balance=Money.of(amount, currency) if enabled else None,
        enabled=enabled,
    )


@strawberry.type
class CustomerStoreCreditFields:
    """Base class of the storefront `Customer` type: adds `store_credit`."""

    entity_id: strawberry.Private[int]

    store_credit: CustomerStoreCredit | None = strawberry.field(
        resolver=_store_credit,
        description="Store credit information applied for the logged in customer.",
    )


async def applied_store_credit(
    customer_id: int | None, credit: AppliedCredit | None, info: Info, currency: str
) -> AppliedStoreCredit | None:
    """`Cart.applied_store_credit`: null on a guest's cart; else whether store credit is on,
    the balance and what the cart uses of it (0 until applied)."""
    if customer_id is None:
        return None
    stores = await info.context.stores()
    store = await info.context.store()
    if not store_credit_enabled(stores, store):
        return AppliedStoreCredit(applied_balance=None, current_balance=None, enabled=False)
    current = (
        credit.balance
        if credit is not None
        else await credit_balance(customer_id, store.website.website_id)
    )
    used = credit.amount if credit is not None else Decimal(0)
    return AppliedStoreCredit(
        applied_balance=Money.of(used, currency),
        current_balance=Money.of(current, currency),
        enabled=True,
    )


# --- admin ---------------------------------------------------------------------------------------


@strawberry.type(description="One change of a customer's store credit, as admins see it.")
class AdminStoreCreditHistoryEntry:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the history row.")
    website_uid: strawberry.ID = strawberry.field(description="The website of the balance.")
    action: str = strawberry.field(
        description="Created, Updated, Used, Refunded or Reverted (Magento's action labels)."
    )
    balance_change: float = strawberry.field(description="The amount added (positive) or taken.")
    balance: float = strawberry.field(description="The balance after the change.")
    additional_info: str | None = strawberry.field(
        description="The admin's comment, or the order the change was for (`Order #…`)."
    )
    updated_at: str = strawberry.field(description="When (`YYYY-MM-DD HH:MM:SS`, UTC).")

    @classmethod
    def of(cls, entry: HistoryEntry) -> AdminStoreCreditHistoryEntry:
        return cls(
            uid=strawberry.ID(encode_uid(entry.history_id)),
            website_uid=strawberry.ID(encode_uid(entry.website_id)),
            action=balance.ACTION_LABELS[entry.action],
            balance_change=float(entry.balance_delta),
            balance=float(entry.balance_amount),
            additional_info=entry.additional_info,
            updated_at=magento_datetime(entry.updated_at),
        )
