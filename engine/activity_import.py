"""Importing what customers looked at and wished for, with its dates, so segments on recent
views and wish-list items work from the first day after a migration: JSON Lines, one record per
line, streamed and written in batches like `order_import` (whose summary, error sink and value
readers this shares).

- `views`: `{"customer_email", "website_code"?, "sku", "viewed_at", "store_code"?}` into
  `report_viewed_product_index` (one row per customer and product, its latest view: an older
  view than the stored one is skipped);
- `wishlists`: `{"customer_email", "website_code"?, "sku", "added_at", "qty"?, "description"?,
  "store_code"?}` into the customer's `wishlist` (created when missing) and `wishlist_item`
  (one item per product: the same values again are skipped, others update it).

The customer is found by e-mail in `website_code`'s website (the default website when absent),
as the customer import identifies customers; the product by SKU."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from tortoise.transactions import in_transaction

from engine.customer_import import customers_saved
from engine.order_import import (
    DEFAULT_BATCH_SIZE,
    ErrorSink,
    ImportSummary,
    LineInvalid,
    _datetime,
    _decimal,
    _fail,
    _object,
    _text,
)
from engine.segments import events
from engine.stores import StoresSnapshot
from models import (
    CatalogProductEntity,
    CustomerEntity,
    ReportViewedProductIndex,
    Wishlist,
    WishlistItem,
)
from models.stores import ADMIN_WEBSITE_ID


class Kind(Enum):
    VIEWS = "views"
    WISHLISTS = "wishlists"


FIELDS = {
    Kind.VIEWS: frozenset({"customer_email", "website_code", "sku", "viewed_at", "store_code"}),
    Kind.WISHLISTS: frozenset(
        {"customer_email", "website_code", "sku", "added_at", "qty", "description", "store_code"}
    ),
}
DATE_FIELD = {Kind.VIEWS: "viewed_at", Kind.WISHLISTS: "added_at"}
EVENT = {Kind.VIEWS: events.PRODUCT_VIEW, Kind.WISHLISTS: events.WISHLIST_RENEWED}


@dataclass(frozen=True)
class Activity:
    email: str
    website_id: int
    sku: str
    at: datetime
    store_id: int | None
    qty: Decimal
    description: str | None


def _required_text(raw: dict[str, Any], name: str) -> str:
    value = _text(raw.get(name), name)
    if value is None or not value.strip():
        raise _fail(name, "is required")
    return value.strip()


def parse_line(kind: Kind, line: str, stores: StoresSnapshot) -> Activity:
    """One JSON Lines record; `LineInvalid` says what is wrong with it."""
    try:
        value = json.loads(line, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise LineInvalid(f"not valid JSON: {error.msg} (column {error.colno})") from None
    raw = _object(value, "", FIELDS[kind])
    email = _required_text(raw, "customer_email").lower()
    website_code = _text(raw.get("website_code"), "website_code")
    if website_code is None:
        website_id = stores.default_store().website.website_id
    else:
        found = [w for w in stores.websites if w.code == website_code]
        if not found or found[0].website_id == ADMIN_WEBSITE_ID:
            raise _fail("website_code", f'no website has the code "{website_code}"')
        website_id = found[0].website_id
    store_code = _text(raw.get("store_code"), "store_code")
    store_id = None
    if store_code is not None:
        store = [s for s in stores.stores if s.code == store_code]
        if not store or store[0].website.website_id != website_id:
            raise _fail("store_code", f'no store view "{store_code}" in the website')
        store_id = store[0].store_id
    name = DATE_FIELD[kind]
    at = _datetime(raw.get(name), name)
    if at is None:
        raise _fail(name, "is required")
    qty = _decimal(raw.get("qty"), "qty", Decimal(1)) or Decimal(1)
    if qty <= 0:
        raise _fail("qty", "must be greater than 0")
    return Activity(
        email=email,
        website_id=website_id,
        sku=_required_text(raw, "sku"),
        at=at,
        store_id=store_id,
        qty=qty,
        description=_text(raw.get("description"), "description"),
    )


def _same_moment(left: datetime, right: datetime) -> bool:
    return left.replace(microsecond=0) == right.replace(microsecond=0)


async def _write(
    kind: Kind, rows: Sequence[tuple[int, Activity]], stores: StoresSnapshot
) -> dict[int, str | None]:
    """One batch in one transaction: per line None (added), "updated", "skipped" or why not."""
    result: dict[int, str | None] = {}
    emails = sorted({a.email for _, a in rows})
    customers = {
        (row["email"], row["website_id"]): int(row["entity_id"])
        for row in await CustomerEntity.filter(email__in=emails).values(
            "entity_id", "email", "website_id"
        )
    }
    products = dict(
        await CatalogProductEntity.filter(sku__in=sorted({a.sku for _, a in rows})).values_list(
            "sku", "entity_id"
        )
    )
    changed: list[int] = []
    async with in_transaction():
        for line, activity in rows:
            customer_id = customers.get((activity.email, activity.website_id))
            product_id = products.get(activity.sku)
            if customer_id is None:
                result[line] = "customer_email: no customer with this email in the website"
                continue
            if product_id is None:
                result[line] = f'sku: no product with SKU "{activity.sku}"'
                continue
            if kind is Kind.VIEWS:
                result[line] = await _view(customer_id, int(product_id), activity)
            else:
                result[line] = await _wish(customer_id, int(product_id), activity)
            if result[line] != "skipped":
                changed.append(customer_id)
        await customers_saved(changed, [EVENT[kind]], stores)
    return result


async def _view(customer_id: int, product_id: int, activity: Activity) -> str | None:
    row = await ReportViewedProductIndex.get_or_none(customer_id=customer_id, product_id=product_id)
    if row is None:
        await ReportViewedProductIndex.create(
            customer_id=customer_id,
            product_id=product_id,
            store_id=activity.store_id,
            added_at=activity.at,
        )
        return None
    if activity.at <= row.added_at or _same_moment(activity.at, row.added_at):
        return "skipped"  # the index keeps the latest view
    row.added_at = activity.at
    row.store_id = activity.store_id
    await row.save(update_fields=["added_at", "store_id"])
    return "updated"


async def _wish(customer_id: int, product_id: int, activity: Activity) -> str | None:
    wishlist = await Wishlist.get_or_none(customer_id=customer_id)
    if wishlist is None:
        wishlist = await Wishlist.create(
            customer_id=customer_id, sharing_code=secrets.token_hex(16)
        )
    item = await WishlistItem.get_or_none(wishlist_id=wishlist.wishlist_id, product_id=product_id)
    if item is None:
        await WishlistItem.create(
            wishlist_id=wishlist.wishlist_id,
            product_id=product_id,
            store_id=activity.store_id,
            added_at=activity.at,
            qty=activity.qty,
            description=activity.description,
        )
        return None
    if (
        _same_moment(item.added_at, activity.at)
        and item.qty == activity.qty
        and item.description == activity.description
    ):
        return "skipped"
    item.added_at = activity.at
    item.qty = activity.qty
    item.description = activity.description  # type: ignore[assignment]
    await item.save(update_fields=["added_at", "qty", "description"])
    return "updated"


async def import_activity(
    kind: Kind,
    lines: Iterable[str],
    stores: StoresSnapshot,
    *,
    on_error: ErrorSink,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportSummary:
    """Import every line of `lines` (numbered from 1; blank lines are ignored), `batch_size`
    records per transaction; `on_error` gets each refused line's number and reason, in order."""
    summary = ImportSummary()
    batch: list[tuple[int, Activity | str]] = []

    async def flush() -> None:
        ready = [(n, a) for n, a in batch if isinstance(a, Activity)]
        written = await _write(kind, ready, stores) if ready else {}
        for number, item in batch:
            outcome = item if isinstance(item, str) else written[number]
            if outcome is None:
                summary.imported += 1
            elif outcome == "updated":
                summary.updated += 1
            elif outcome == "skipped":
                summary.skipped += 1
            else:
                summary.failed += 1
                on_error(number, outcome)
        batch.clear()

    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            batch.append((number, parse_line(kind, text, stores)))
        except LineInvalid as error:
            batch.append((number, str(error)))
        if len(batch) >= batch_size:
            await flush()
    if batch:
        await flush()
    return summary
