"""`mageseg import orders FILE`, run as a user runs it, and the JSON Lines parser."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.order_import import LineInvalid, parse_line
from models import SalesOrder, SalesOrderAddress, SalesOrderItem
from tests.factories import make_customer
from tests.test_cli import run
from tests.test_orders_support import admin_order_input, make_product


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


async def test_import_reports_bad_lines_skips_duplicates_and_reruns(
    database_url: str, db: Any, tmp_path: Path
) -> None:
    await make_customer("ann@example.com")
    await make_product("SKU-A")
    file = tmp_path / "orders.jsonl"
    file.write_text(
        jsonl(
            admin_order_input(increment_id="100"),
            admin_order_input(
                increment_id="101", customer_email="guest@example.com", is_guest=True
            ),
            "{not json",
            admin_order_input(
                increment_id="102", items=[{"sku": "SKU-A", "quantity": -1, "price": 1}]
            ),
            admin_order_input(increment_id="100"),  # the same order twice in one file
            "",
            admin_order_input(increment_id="103", status="processing", created_at="2021-02-03"),
        ),
        encoding="utf-8",
    )

    first = await run(
        "import", "orders", str(file), "--database-url", database_url, "--batch-size", "2"
    )

    assert first.returncode == 1, first.stderr
    assert first.stdout.strip() == "Imported 3, skipped 1, failed 2."
    reported = [line for line in first.stderr.splitlines() if line.startswith("line ")]
    assert reported == [
        "line 3: not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        "line 4: items.0.quantity: The quantity must be greater than 0.",
    ]
    numbers = await SalesOrder.all().order_by("entity_id").values_list("increment_id", flat=True)
    assert numbers == ["100", "101", "103"]
    order = await SalesOrder.get(increment_id="103")
    assert (order.state.value, order.status, order.created_at.isoformat()) == (
        "processing",
        "processing",
        "2021-02-03T00:00:00+00:00",
    )
    assert order.grand_total == Decimal("31.68")
    assert await SalesOrderItem.filter(order_id=order.entity_id).count() == 2
    assert await SalesOrderAddress.filter(parent_id=order.entity_id).count() == 2

    # Fixed file, run again: what exists is skipped, the rest is imported.
    lines = file.read_text(encoding="utf-8").splitlines()
    lines[2] = json.dumps(admin_order_input(increment_id="104"))
    lines[3] = json.dumps(admin_order_input(increment_id="102"))
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = await run("import", "orders", str(file), "--database-url", database_url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "Imported 2, skipped 4, failed 0."
    assert await SalesOrder.all().count() == 5


async def test_import_of_a_missing_file(tmp_path: Path) -> None:
    result = await run("import", "orders", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.jsonl'} is not a file"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[1, 2]", "must be a JSON object"),
        ('{"items": []}', "increment_id: is required when importing (it makes a re-run safe)"),
        ('{"increment_id": "1", "colour": "red", "items": []}', "colour: is not a known field"),
        ('{"increment_id": "1"}', "items: must be a list of items"),
        (
            '{"increment_id": "1", "items": [{"sku": "A", "price": 1}]}',
            "items.0.quantity: is required",
        ),
        (
            '{"increment_id": "1", "items": [{"sku": "A", "quantity": "x", "price": 1}]}',
            "items.0.quantity: must be a number",
        ),
        (
            '{"increment_id": "1", "items": [], "created_at": "yesterday"}',
            'created_at: "yesterday" is not an ISO 8601 date or datetime.',
        ),
        (
            '{"increment_id": "1", "items": [], "customer_uid": "x"}',
            'customer_uid: Value of uid "x" is incorrect.',
        ),
        (
            '{"increment_id": "1", "items": [], "billing_address": {"street": "1 Main"}}',
            "billing_address.street: must be a list of strings",
        ),
        (
            '{"increment_id": "1", "items": [], "is_guest": "yes"}',
            "is_guest: must be true or false",
        ),
    ],
)
def test_malformed_lines_say_what_is_wrong(line: str, reason: str) -> None:
    with pytest.raises(LineInvalid) as caught:
        parse_line(line)
    assert str(caught.value) == reason


def test_a_line_reads_exact_decimals() -> None:
    data = parse_line(json.dumps(admin_order_input(customer_uid="MQ==")).replace("10.5", "10.15"))
    assert (data.items[0].price, data.items[0].qty, data.customer_id) == (
        Decimal("10.15"),
        Decimal(2),
        1,
    )
    assert data.billing_address is not None
    assert data.billing_address.street == ("1 Main St",)
