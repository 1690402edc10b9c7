"""Factories and documents shared by the order tests (no tests here): products with stock, carts
written straight to the database (as the cart mutations leave them), and orders."""

from __future__ import annotations

import secrets
from decimal import Decimal

from models import (
    AddressType,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CustomerEntity,
    ProductType,
    Quote,
    QuoteAddress,
    QuoteIdMask,
    QuoteItem,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    SalesOrderPayment,
    SalesOrderStatusHistory,
    SequenceOrder,
)


async def make_product(
    sku: str,
    price: str = "10.00",
    *,
    qty: str | None = "100",
    name: str | None = None,
    type_id: ProductType = ProductType.SIMPLE,
) -> CatalogProductEntity:
    product = await CatalogProductEntity.create(
        attribute_set_id=4,
        sku=sku,
        name=name or f"Product {sku}",
        url_key=sku.lower(),
        price=Decimal(price),
        type_id=type_id,
    )
    if qty is not None:
        await CataloginventoryStockItem.create(
            product_id=product.entity_id, qty=Decimal(qty), is_in_stock=Decimal(qty) > 0
        )
    return product


ADDRESS = {
    "firstname": "Ann",
    "lastname": "Lee",
    "street": "1 Main St\nSuite 2",
    "city": "Austin",
    "region": "Texas",
    "region_id": 57,
    "postcode": "78701",
    "country_id": "US",
    "telephone": "5550100",
}


async def make_cart(
    lines: list[tuple[CatalogProductEntity, str]],
    *,
    customer: CustomerEntity | None = None,
    email: str | None = "guest@example.com",
    shipping: bool = True,
    shipping_method: str | None = "flatrate_flatrate",
    billing: bool = True,
    payment_method: str | None = "checkmo",
    store_id: int = 1,
) -> tuple[Quote, str]:
    """A cart ready to be ordered (unless told otherwise), and its masked id."""
    quote = await Quote.create(
        store_id=store_id,
        customer_id=customer.entity_id if customer is not None else None,
        customer_email=customer.email if customer is not None else email,
        customer_is_guest=customer is None,
        base_currency_code="USD",
        quote_currency_code="USD",
        payment_method=payment_method,
    )
    masked = secrets.token_hex(16)
    await QuoteIdMask.create(quote_id=quote.entity_id, masked_id=masked)
    for product, qty in lines:
        await QuoteItem.create(
            quote_id=quote.entity_id,
            product_id=product.entity_id,
            sku=product.sku,
            name=product.name,
            product_type=product.type_id.value,
            qty=Decimal(qty),
        )
    if shipping:
        await QuoteAddress.create(
            quote_id=quote.entity_id,
            address_type=AddressType.SHIPPING,
            shipping_method=shipping_method,
            shipping_description="Flat Rate - Fixed" if shipping_method else None,
            **ADDRESS,
        )
    if billing:
        await QuoteAddress.create(
            quote_id=quote.entity_id, address_type=AddressType.BILLING, **ADDRESS
        )
    return quote, masked


ORDER_TABLES = (
    SalesOrder,
    SalesOrderItem,
    SalesOrderAddress,
    SalesOrderPayment,
    SalesOrderStatusHistory,
    SequenceOrder,
)


async def order_counts() -> tuple[int, ...]:
    return tuple([await model.all().count() for model in ORDER_TABLES])


def admin_order_input(**overrides: object) -> dict[str, object]:
    """A valid `adminCreateOrder` input (also one JSON Lines record of an import)."""
    value: dict[str, object] = {
        "increment_id": "H-1001",
        "customer_email": "ann@example.com",
        "status": "complete",
        "created_at": "2023-05-04T10:20:30Z",
        "items": [
            {"sku": "SKU-A", "quantity": 2, "price": 10.5, "tax_amount": 1.68, "tax_percent": 8},
            {"sku": "GONE-1", "name": "Retired mug", "quantity": 1, "price": 4},
        ],
        "billing_address": {
            "firstname": "Ann",
            "lastname": "Lee",
            "street": ["1 Main St"],
            "city": "Austin",
            "postcode": "78701",
            "country_code": "US",
            "region": "Texas",
            "region_id": 57,
            "telephone": "5550100",
        },
        "shipping_address": {
            "firstname": "Ann",
            "lastname": "Lee",
            "street": ["1 Main St"],
            "city": "Austin",
            "country_code": "US",
            "telephone": "5550100",
        },
        "shipping_amount": 5,
        "shipping_method": "flatrate_flatrate",
        "shipping_description": "Flat Rate - Fixed",
        "payment_method": "checkmo",
    }
    value.update(overrides)
    return value
