"""Order documents for the demo shop: two orders of the main website's second demo customer
(not Gary, whose history the README's examples read), placed through the engine: one invoiced
and shipped with a tracking number (complete), one invoiced and refunded in full (closed), so
that the storefront's `invoices`, `shipments` and `credit_memos` and the admin's documents have
something to show. Written once, by the load that creates the demo shop; the generated history
keeps its states without documents, as imported history does."""

from __future__ import annotations

from decimal import Decimal

from engine import orders
from engine.order_documents.common import Comment
from engine.order_documents.creditmemos import RefundData, refund_order
from engine.order_documents.invoices import invoice_order
from engine.order_documents.shipments import TrackData, ship_order
from engine.stores import load_snapshot
from models import CatalogProductEntity, CustomerEntity

SKUS = ("EA-0032", "EA-0015")


async def ensure_order_documents() -> int:
    """Write the two orders and their documents; the number of documents written (0 when the
    demo customer or products are missing)."""
    customer = await CustomerEntity.filter(website_id=1).order_by("entity_id").offset(1).first()
    products = {p.sku: p for p in await CatalogProductEntity.filter(sku__in=list(SKUS))}
    if customer is None or len(products) != len(SKUS):
        return 0
    stores = await load_snapshot()
    address = orders.OrderAddressData(
        firstname=customer.firstname,
        lastname=customer.lastname,
        street=("4 Harbor Way",),
        city="Sausalito",
        country_id="US",
        region="California",
        region_id=12,
        postcode="94965",
        telephone="4155550123",
    )

    async def placed(quantities: dict[str, int]) -> int:
        order = await orders.create(
            orders.OrderData(
                items=tuple(
                    orders.OrderItemData(
                        sku=sku, qty=Decimal(qty), price=Decimal(products[sku].price or 0)
                    )
                    for sku, qty in quantities.items()
                ),
                billing_address=address,
                shipping_address=address,
                customer_id=customer.entity_id,
                shipping_amount=Decimal(5) * sum(quantities.values()),
                shipping_method="flatrate_flatrate",
                shipping_description="Flat Rate - Fixed",
            ),
            stores,
        )
        return order.entity_id

    shipped = await placed({"EA-0032": 1, "EA-0015": 2})
    await invoice_order(shipped, None, None)
    await ship_order(
        shipped,
        None,
        [TrackData("ups", "United Parcel Service", "1Z999AA10123456784")],
        Comment("Left with the concierge.", visible_on_front=True),
    )
    refunded = await placed({"EA-0032": 1})
    await invoice_order(refunded, None, None)
    await refund_order(
        refunded,
        RefundData(back_to_stock=True, comment=Comment("Returned unopened.", True)),
    )
    return 4
