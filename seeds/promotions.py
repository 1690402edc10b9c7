"""The demo shop's promotions: one of each kind the API manages, created through the engine's own
admin functions (so they are validated and the catalog-rule index is built), once, with the
demo catalog.

- Tier prices on the first demo product: 3 or more for 5% off (ALL GROUPS), and a Wholesale
  group price.
- Catalog rule "Electronics week": 10% off the Electronics department for General and
  Wholesale on both websites.
- Cart rule "Spend 100, save 10%": no coupon, subtotal of at least 100.
- Cart rule "WELCOME5": 5 off the cart with the coupon WELCOME5, once per customer.
- A dynamic block shown while WELCOME5 applies.
- The demo segments (`seeds/segments.py`), each put to use: coupon VIP15 (15% off) only for
  High-value shoppers, coupon COMEBACK20 (20% off) only for Dormant customers, and dynamic blocks
  for New customers (header), Frequent shoppers (content) and Shoppers with a cart (footer)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from engine import dynamic_blocks
from engine.pricing import catalog_rules, tier_prices
from engine.rules.drafts import RuleConditionDraft, RuleConditionType
from engine.salesrules import admin as cart_rules
from engine.stores import load_snapshot
from models import CatalogCategoryEntity, CatalogProductEntity, CustomerGroup
from models.pricing import CatalogRuleAction
from models.salesrules import CartRuleAction, CouponType
from seeds import catalog as demo
from seeds.relations import ensure_relations
from seeds.segments import DemoSegments, ensure_segments
from seeds.structure import Catalog

T = RuleConditionType
WHOLESALE_GROUP_ID = 2
GENERAL_GROUP_ID = 1


def _all_of(*conditions: RuleConditionDraft) -> RuleConditionDraft:
    return RuleConditionDraft(type=T.COMBINE, aggregator="all", value="1", conditions=conditions)


async def ensure_promotions(catalog: Catalog, today: date) -> None:
    """Create the demo promotions (call once, right after the demo catalog is created)."""
    websites = (catalog.base.website_id, catalog.wholesale.website_id)
    segments = await ensure_segments(websites, today)
    groups = tuple(group.customer_group_id for group in await CustomerGroup.all())
    first = await CatalogProductEntity.get(sku=demo.sku(0))
    await tier_prices.set_product_tiers(
        first.entity_id,
        [
            tier_prices.TierDraft(qty=Decimal(3), percentage_value=Decimal(5)),
            tier_prices.TierDraft(
                group_id=WHOLESALE_GROUP_ID,
                value=(Decimal(first.price) * Decimal("0.8")).quantize(Decimal("0.01")),
            ),
        ],
    )
    electronics = await CatalogCategoryEntity.get(name="Electronics", level__gte=2)
    await catalog_rules.create(
        catalog_rules.CatalogRuleChanges(
            name="Electronics week",
            description="10% off the Electronics department",
            is_active=True,
            website_ids=websites,
            customer_group_ids=(GENERAL_GROUP_ID, WHOLESALE_GROUP_ID),
            sort_order=1,
            stop_rules_processing=False,
            simple_action=CatalogRuleAction.BY_PERCENT,
            discount_amount=Decimal(10),
            conditions=_all_of(
                RuleConditionDraft(
                    type=T.PRODUCT,
                    attribute="category_ids",
                    operator="==",
                    value=str(electronics.entity_id),
                )
            ),
        )
    )
    await cart_rules.create(
        cart_rules.CartRuleChanges(
            name="Spend 100, save 10%",
            is_active=True,
            website_ids=websites,
            customer_group_ids=groups,
            sort_order=10,
            stop_rules_processing=False,
            simple_action=CartRuleAction.BY_PERCENT,
            discount_amount=Decimal(10),
            labels=[cart_rules.LabelChange(store_id=0, label="Spend 100, save 10%")],
            conditions=_all_of(
                RuleConditionDraft(
                    type=T.CART_ATTRIBUTE,
                    attribute="base_subtotal",
                    operator=">=",
                    value="100",
                )
            ),
        )
    )
    welcome = await cart_rules.create(
        cart_rules.CartRuleChanges(
            name="Welcome coupon",
            is_active=True,
            website_ids=websites,
            customer_group_ids=groups,
            sort_order=20,
            stop_rules_processing=False,
            simple_action=CartRuleAction.CART_FIXED,
            discount_amount=Decimal(5),
            coupon_type=CouponType.SPECIFIC_COUPON,
            coupon_code="WELCOME5",
            uses_per_customer=1,
            labels=[cart_rules.LabelChange(store_id=0, label="Welcome, 5 off")],
        )
    )
    await dynamic_blocks.create(
        dynamic_blocks.BlockChanges(
            name="Welcome coupon applied",
            locations=(dynamic_blocks.Location.HEADER,),
            contents=(
                dynamic_blocks.ContentDraft(
                    store_id=0, html="<p>WELCOME5 is on your cart: 5 off.</p>"
                ),
            ),
            cart_rule_ids=(welcome.rule_id,),
        ),
        await load_snapshot(),
    )
    await _segment_promotions(segments, websites, groups)
    await ensure_relations(segments)


async def _segment_promotions(
    segments: DemoSegments, websites: tuple[int, ...], groups: tuple[int, ...]
) -> None:
    """A coupon rule gated by a segment each (no effect on carts without the coupon), and a
    dynamic block per segment for the others."""
    for name, code, percent, segment_id, order in (
        ("VIP 15% off", "VIP15", 15, segments.high_value, 30),
        ("We miss you: 20% off", "COMEBACK20", 20, segments.dormant, 40),
    ):
        await cart_rules.create(
            cart_rules.CartRuleChanges(
                name=name,
                is_active=True,
                website_ids=websites,
                customer_group_ids=groups,
                sort_order=order,
                stop_rules_processing=False,
                simple_action=CartRuleAction.BY_PERCENT,
                discount_amount=Decimal(percent),
                coupon_type=CouponType.SPECIFIC_COUPON,
                coupon_code=code,
                labels=[cart_rules.LabelChange(store_id=0, label=name)],
                conditions=_all_of(
                    RuleConditionDraft(
                        type=T.CUSTOMER_SEGMENT, operator="==", value=str(segment_id)
                    )
                ),
            )
        )
    stores = await load_snapshot()
    for name, location, html, segment_id in (
        (
            "Welcome, new customer",
            dynamic_blocks.Location.HEADER,
            "<p>New here? WELCOME5 takes 5 off your first order.</p>",
            segments.new_customers,
        ),
        (
            "Thanks for coming back",
            dynamic_blocks.Location.CONTENT,
            "<p>Thank you for shopping with us so often.</p>",
            segments.frequent,
        ),
        (
            "Your cart is waiting",
            dynamic_blocks.Location.FOOTER,
            "<p>Your cart is waiting: spend 100 and save 10%.</p>",
            segments.with_cart,
        ),
    ):
        await dynamic_blocks.create(
            dynamic_blocks.BlockChanges(
                name=name,
                locations=(location,),
                contents=(dynamic_blocks.ContentDraft(store_id=0, html=html),),
                segment_ids=(segment_id,),
            ),
            stores,
        )
