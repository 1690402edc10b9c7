"""The columns an invoice and a credit memo share (`sales_invoice` / `sales_creditmemo` and
their items have the same amount columns, each with its `base_` twin): one place, so that both
documents always store a total the same way."""

from __future__ import annotations

from typing import Any

from engine.order_documents.common import twins
from engine.order_documents.totals import Line, Totals
from models import SalesOrder


def document_columns(
    order: SalesOrder, sums: Totals, billing_id: int | None, shipping_id: int | None
) -> dict[str, Any]:
    """A document's totals (discount stored negative, as Magento), currencies and addresses."""
    return {
        "order_id": order.entity_id,
        "store_id": order.store_id,  # type: ignore[attr-defined]
        **twins("subtotal", sums.subtotal),
        **twins("subtotal_incl_tax", sums.subtotal_incl_tax),
        **twins("tax_amount", sums.tax),
        **twins("shipping_amount", sums.shipping),
        **twins("shipping_incl_tax", sums.shipping),
        **twins("discount_amount", -sums.discount),
        **twins("grand_total", sums.grand_total),
        "discount_description": order.discount_description if sums.discount else None,
        "order_currency_code": order.order_currency_code,
        "base_currency_code": order.base_currency_code,
        "billing_address_id": billing_id,
        "shipping_address_id": shipping_id,
    }


def line_columns(parent_id: int, line: Line) -> dict[str, Any]:
    """A document line: the order item it covers and the amounts of its `qty` units."""
    return {
        "parent_id": parent_id,
        "order_item_id": line.item.item_id,
        "product_id": line.item.product_id,  # type: ignore[attr-defined]
        "sku": line.item.sku,
        "name": line.item.name,
        "qty": line.qty,
        **twins("price", line.price),
        **twins("price_incl_tax", line.price_incl_tax),
        **twins("row_total", line.row_total),
        **twins("row_total_incl_tax", line.row_total_incl_tax),
        **twins("tax_amount", line.tax),
        **twins("discount_amount", line.discount),
    }
