"""Importing order history from JSON Lines: one order per line, in the shape of
`adminCreateOrder`'s input.

The file is streamed (memory stays constant however long it is) and written in batches, one
transaction per batch. A line whose `increment_id` already exists is skipped and counted, so an
import can be re-run after a failure; a bad line is reported with its number and reason and the
others go on. `increment_id` is required here: it is what makes a re-run safe."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from engine import orders
from engine.errors import DomainError
from engine.orders import OrderAddressData, OrderData, OrderItemData
from engine.stores import StoresSnapshot
from engine.uids import decode_uid

DEFAULT_BATCH_SIZE = 500

ORDER_FIELDS = frozenset(
    {
        "increment_id",
        "store_code",
        "customer_uid",
        "customer_email",
        "is_guest",
        "customer_firstname",
        "customer_lastname",
        "status",
        "created_at",
        "currency_code",
        "items",
        "billing_address",
        "shipping_address",
        "shipping_amount",
        "shipping_method",
        "shipping_description",
        "grand_total",
        "payment_method",
        "comment",
    }
)
ITEM_FIELDS = frozenset(
    {
        "sku",
        "name",
        "quantity",
        "price",
        "original_price",
        "tax_amount",
        "tax_percent",
        "discount_amount",
        "product_type",
    }
)
ADDRESS_FIELDS = frozenset(
    {
        "firstname",
        "lastname",
        "middlename",
        "prefix",
        "suffix",
        "company",
        "street",
        "city",
        "region",
        "region_id",
        "postcode",
        "country_code",
        "telephone",
        "fax",
        "vat_id",
        "email",
    }
)


class LineInvalid(Exception):
    """A line that is not an order: its reason, with the path of the offending value."""


@dataclass
class ImportSummary:
    """What an import did, line by line: new records, records changed (imports that update,
    such as customers), records already there as the file has them, and refused lines."""

    imported: int = 0
    skipped: int = 0
    failed: int = 0
    updated: int = 0

    def __str__(self) -> str:
        updated = f", updated {self.updated}" if self.updated else ""
        return f"Imported {self.imported}{updated}, skipped {self.skipped}, failed {self.failed}."


def _fail(path: str, message: str) -> LineInvalid:
    return LineInvalid(f"{path}: {message}" if path else message)


def _object(value: Any, path: str, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        where = f"{path}.{unknown[0]}" if path else unknown[0]
        raise _fail(where, "is not a known field")
    return value


def _text(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(path, "must be a string")
    return value


def _decimal(value: Any, path: str, default: Decimal | None = None) -> Decimal | None:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _fail(path, "must be a number")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _fail(path, "must be a number") from None
    if not number.is_finite():
        raise _fail(path, "must be a number")
    return number


def _required_decimal(value: Any, path: str) -> Decimal:
    number = _decimal(value, path)
    if number is None:
        raise _fail(path, "is required")
    return number


def _int(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, "must be an integer")
    return value


def _uid(value: Any, path: str) -> int | None:
    text = _text(value, path)
    if text is None:
        return None
    try:
        return decode_uid(text, path)
    except DomainError as error:
        raise _fail(path, error.message) from None


def _datetime(value: Any, path: str) -> datetime | None:
    text = _text(value, path)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise _fail(path, f'"{text}" is not an ISO 8601 date or datetime.') from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _address(value: Any, path: str) -> OrderAddressData | None:
    if value is None:
        return None
    raw = _object(value, path, ADDRESS_FIELDS)
    street = raw.get("street")
    if street is None:
        lines: tuple[str, ...] = ()
    elif isinstance(street, list) and all(isinstance(line, str) for line in street):
        lines = tuple(street)
    else:
        raise _fail(f"{path}.street", "must be a list of strings")
    text = {
        name: _text(raw.get(name), f"{path}.{name}")
        for name in ADDRESS_FIELDS - {"street", "region_id", "country_code"}
    }
    return OrderAddressData(
        **text,
        street=lines,
        region_id=_int(raw.get("region_id"), f"{path}.region_id"),
        country_id=_text(raw.get("country_code"), f"{path}.country_code"),
    )


def _item(value: Any, path: str) -> OrderItemData:
    raw = _object(value, path, ITEM_FIELDS)
    sku = _text(raw.get("sku"), f"{path}.sku")
    if sku is None:
        raise _fail(f"{path}.sku", "is required")
    zero = Decimal(0)
    return OrderItemData(
        sku=sku,
        name=_text(raw.get("name"), f"{path}.name"),
        qty=_required_decimal(raw.get("quantity"), f"{path}.quantity"),
        price=_required_decimal(raw.get("price"), f"{path}.price"),
        original_price=_decimal(raw.get("original_price"), f"{path}.original_price"),
        tax_amount=_decimal(raw.get("tax_amount"), f"{path}.tax_amount", zero) or zero,
        tax_percent=_decimal(raw.get("tax_percent"), f"{path}.tax_percent", zero) or zero,
        discount_amount=_decimal(raw.get("discount_amount"), f"{path}.discount_amount", zero)
        or zero,
        product_type=_text(raw.get("product_type"), f"{path}.product_type"),
    )


def parse_line(line: str) -> OrderData:
    """One JSON Lines record as an order; `LineInvalid` says what is wrong with it."""
    try:
        value = json.loads(line, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise LineInvalid(f"not valid JSON: {error.msg} (column {error.colno})") from None
    raw = _object(value, "", ORDER_FIELDS)
    increment_id = _text(raw.get("increment_id"), "increment_id")
    if increment_id is None or not increment_id.strip():
        raise _fail("increment_id", "is required when importing (it makes a re-run safe)")
    items = raw.get("items")
    if not isinstance(items, list):
        raise _fail("items", "must be a list of items")
    is_guest = raw.get("is_guest", False)
    if not isinstance(is_guest, bool):
        raise _fail("is_guest", "must be true or false")
    return OrderData(
        items=tuple(_item(item, f"items.{index}") for index, item in enumerate(items)),
        billing_address=_address(raw.get("billing_address"), "billing_address"),
        shipping_address=_address(raw.get("shipping_address"), "shipping_address"),
        increment_id=increment_id,
        store_code=_text(raw.get("store_code"), "store_code"),
        customer_id=_uid(raw.get("customer_uid"), "customer_uid"),
        customer_email=_text(raw.get("customer_email"), "customer_email"),
        is_guest=is_guest,
        customer_firstname=_text(raw.get("customer_firstname"), "customer_firstname"),
        customer_lastname=_text(raw.get("customer_lastname"), "customer_lastname"),
        status=_text(raw.get("status"), "status"),
        created_at=_datetime(raw.get("created_at"), "created_at"),
        currency_code=_text(raw.get("currency_code"), "currency_code"),
        shipping_amount=_decimal(raw.get("shipping_amount"), "shipping_amount", Decimal(0))
        or Decimal(0),
        shipping_method=_text(raw.get("shipping_method"), "shipping_method"),
        shipping_description=_text(raw.get("shipping_description"), "shipping_description"),
        grand_total=_decimal(raw.get("grand_total"), "grand_total"),
        payment_method=_text(raw.get("payment_method"), "payment_method"),
        comment=_text(raw.get("comment"), "comment"),
    )


def describe(error: Exception) -> str:
    """An engine refusal as one line: every problem, with its path in the record."""
    if isinstance(error, DomainError):
        parts = []
        for problem in error.problems:
            path = problem.path.removeprefix("input.")
            parts.append(f"{path}: {problem.message}" if path else problem.message)
        return "; ".join(parts)
    return str(error)


ErrorSink = Callable[[int, str], None]


async def import_orders(
    lines: Iterable[str],
    stores: StoresSnapshot,
    *,
    on_error: ErrorSink,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportSummary:
    """Import every line of `lines` (numbered from 1; blank lines are ignored), `batch_size`
    orders per transaction. `on_error` gets each refused line's number and reason, in line
    order."""
    summary = ImportSummary()
    batch: list[tuple[int, OrderData | str]] = []

    async def flush() -> None:
        parsed = [(number, data) for number, data in batch if isinstance(data, OrderData)]
        outcomes = iter(await orders.create_many([data for _, data in parsed], stores))
        for number, data in batch:
            if isinstance(data, str):
                summary.failed += 1
                on_error(number, data)
                continue
            outcome = next(outcomes)
            if outcome is None:
                summary.skipped += 1
            elif isinstance(outcome, Exception):
                summary.failed += 1
                on_error(number, describe(outcome))
            else:
                summary.imported += 1
        batch.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            batch.append((number, parse_line(line)))
        except LineInvalid as error:
            batch.append((number, str(error)))
        if len(batch) >= batch_size:
            await flush()
    if batch:
        await flush()
    return summary
