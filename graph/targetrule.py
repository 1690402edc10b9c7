"""Product relations for admins: related product rules (`Magento_TargetRule`), manual product
links, and the explanation of a product's lists. The storefront side is three fields of
`ProductInterface` (`related_products`, `upsell_products`, `crosssell_products`), declared in
`graph/catalog.py` and resolved by `related_products_of` here."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.dataloader import DataLoader

from engine import catalog, views
from engine.auth import ViewerKind
from engine.config import ConfigPath
from engine.targetrule import lists
from engine.targetrule.lists import ListType
from graph import permissions
from graph.catalog import ProductInterface, caller_group_id, product_of
from graph.common import FilterEqualTypeInput, FilterMatchTypeInput, SearchResultPageInfo
from graph.context import Context, Info
from graph.errors import UserError
from graph.limits import SERIALIZED_TREE, SKU
from graph.uids import encode_uid
from graph.wishlists import VISITOR_HEADER
from models.targetrule import ApplyTo, LinkType


@strawberry.enum(description="A product list: related products, up-sells or cross-sells.")
class ProductRelationEnum(Enum):
    RELATED = strawberry.enum_value(
        "related", description="Related Products (`apply_to` 1, link type `relation`)."
    )
    UPSELL = strawberry.enum_value("upsell", description="Up-sells (`apply_to` 2, `up_sell`).")
    CROSSSELL = strawberry.enum_value(
        "crosssell", description="Cross-sells (`apply_to` 3, `cross_sell`)."
    )

    @property
    def list_type(self) -> ListType:
        return ListType(str(self.value))

    @classmethod
    def of_apply_to(cls, value: ApplyTo) -> ProductRelationEnum:
        return {
            ApplyTo.RELATED: cls.RELATED,
            ApplyTo.UP_SELLS: cls.UPSELL,
            ApplyTo.CROSS_SELLS: cls.CROSSSELL,
        }[ApplyTo(value)]

    @classmethod
    def of_link_type(cls, value: LinkType) -> ProductRelationEnum:
        return {
            LinkType.RELATED: cls.RELATED,
            LinkType.UP_SELL: cls.UPSELL,
            LinkType.CROSS_SELL: cls.CROSSSELL,
        }[LinkType(value)]


# --- rules ---------------------------------------------------------------------------------------


@strawberry.type(description="A related product rule (admin token required).")
class AdminRelatedProductRule:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the rule.")
    id: int = strawberry.field(description="Magento's numeric `rule_id`.")
    name: str = strawberry.field(description="Rule Name.")
    is_active: bool = strawberry.field(description="Status: only active rules show products.")
    apply_to: ProductRelationEnum = strawberry.field(description="Apply To: which list it fills.")
    from_date: date | None = strawberry.field(
        description="The first day it applies, in the website's timezone; null: always."
    )
    to_date: date | None = strawberry.field(
        description="The last day it applies (inclusive); null: no end."
    )
    sort_order: int = strawberry.field(description="Priority: lower runs first.")
    positions_limit: int = strawberry.field(
        description="Result Limit: how many products it may add, 1 to 20; 0 means 20."
    )
    customer_segment_uids: list[strawberry.ID] = strawberry.field(
        description="The segments it is shown to; empty: All (every shopper)."
    )
    conditions_serialized: str = strawberry.field(
        description="Products to Match, Magento's `conditions_serialized` JSON."
    )
    actions_serialized: str = strawberry.field(
        description="Products to Display, Magento's `actions_serialized` JSON."
    )
    matched_product_count: int = strawberry.field(
        description="How many products its Products to Match holds for (the index)."
    )


@strawberry.type(description="A page of related product rules.")
class AdminRelatedProductRules:
    items: list[AdminRelatedProductRule] = strawberry.field(description="The rules on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many rules match the filter.")


@strawberry.input(description="Filters for the admin list of related product rules.")
class AdminRelatedProductRuleFilterInput:
    name: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Rules whose name contains this text."
    )
    uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Rules with these uids."
    )
    is_active: bool | None = strawberry.field(
        default=None, description="Only active (true) or only inactive (false) rules."
    )
    apply_to: ProductRelationEnum | None = strawberry.field(
        default=None, description="Only rules filling this list."
    )


@strawberry.input(
    description="A new related product rule. Both trees are Magento's JSON as exported "
    "(`Magento\\\\TargetRule\\\\Model\\\\Rule\\\\Condition\\\\*` and "
    "`...\\\\Actions\\\\Condition\\\\*`); omitted, a tree is empty (every product)."
)
class AdminRelatedProductRuleCreateInput:
    name: str = strawberry.field(description="Rule Name, at most 255 characters.")
    is_active: bool = strawberry.field(default=False, description="Status (Magento: inactive).")
    apply_to: ProductRelationEnum = strawberry.field(
        default=ProductRelationEnum.RELATED, description="Apply To."
    )
    from_date: date | None = strawberry.field(default=None, description="From (inclusive).")
    to_date: date | None = strawberry.field(
        default=None, description="To (inclusive); not before `from_date`."
    )
    sort_order: int = strawberry.field(default=0, description="Priority (lower first).")
    positions_limit: int = strawberry.field(
        default=0, description="Result Limit, 0 to 20 (0 means 20)."
    )
    customer_segment_uids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Customer Segments: empty for All, else Specified."
    )
    conditions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE, default=None, description="Products to Match (Magento JSON)."
    )
    actions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE, default=None, description="Products to Display (Magento JSON)."
    )


@strawberry.input(description="Changes to a related product rule; omitted fields stay.")
class AdminRelatedProductRuleUpdateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="A new name.")
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Active or not."
    )
    apply_to: ProductRelationEnum | None = strawberry.field(
        default=strawberry.UNSET, description="A new list to fill."
    )
    from_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="A new first day; null removes it."
    )
    to_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="A new last day; null removes it."
    )
    sort_order: int | None = strawberry.field(
        default=strawberry.UNSET, description="A new priority."
    )
    positions_limit: int | None = strawberry.field(
        default=strawberry.UNSET, description="A new result limit, 0 to 20."
    )
    customer_segment_uids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the segments; empty for All."
    )
    conditions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE,
        default=strawberry.UNSET,
        description="Replaces Products to Match; null empties it.",
    )
    actions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE,
        default=strawberry.UNSET,
        description="Replaces Products to Display; null empties it.",
    )


@strawberry.type(description="The result of an admin mutation on a related product rule.")
class AdminRelatedProductRuleOutput:
    rule: AdminRelatedProductRule | None = strawberry.field(
        description="The rule after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a related product rule.")
class AdminDeleteRelatedProductRuleOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted rule; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was deleted.")


@strawberry.type(description="What a full reindex of the related product rules did.")
class AdminReindexRelatedProductRulesOutput:
    rule_count: int = strawberry.field(description="Rules matched.")
    product_count: int = strawberry.field(description="Enabled products matched against them.")
    row_count: int = strawberry.field(description="Rows of `magento_targetrule_product` written.")
    user_errors: list[UserError] = strawberry.field(description="Every problem; empty on success.")


# --- manual links ---------------------------------------------------------------------------------


@strawberry.type(description="One manual product link (admin token required).")
class AdminProductLink:
    sku: str = strawberry.field(description="The product whose list holds the link.")
    link_type: ProductRelationEnum = strawberry.field(description="Which list.")
    linked_sku: str = strawberry.field(description="The product shown in the list.")
    position: int = strawberry.field(description="Its position (ascending).")


@strawberry.input(description="A product in a manual list.")
class AdminProductLinkItemInput:
    sku: str = strawberry.field(metadata=SKU, description="The product to show.")
    position: int | None = strawberry.field(
        default=None, description="Its position; omitted: its place in the list (1, 2, ...)."
    )


@strawberry.input(description="One product's whole manual list of one type (replaced).")
class AdminProductLinksInput:
    sku: str = strawberry.field(metadata=SKU, description="The product whose list this is.")
    link_type: ProductRelationEnum = strawberry.field(description="Which list.")
    items: list[AdminProductLinkItemInput] = strawberry.field(
        description="The products of the list; empty removes every link of this type."
    )


@strawberry.type(description="The result of setting manual product links.")
class AdminSetProductLinksOutput:
    links: list[AdminProductLink] | None = strawberry.field(
        description="The links written, in input order; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem (`input.0.items.2.sku`); empty on success."
    )


# --- explain ------------------------------------------------------------------------------------


@strawberry.enum(description="What one rule did for the list.")
class RelatedProductRuleOutcome(Enum):
    APPLIED = strawberry.enum_value("applied", description="It added products.")
    INACTIVE = strawberry.enum_value("inactive", description="The rule is not active.")
    OUTSIDE_DATES = strawberry.enum_value(
        "outside_dates", description="Today (website's timezone) is outside its dates."
    )
    NOT_MATCHED = strawberry.enum_value(
        "not_matched", description="Products to Match does not hold for the product."
    )
    NOTHING_DISPLAYED = strawberry.enum_value(
        "nothing_displayed",
        description="No candidate passed Products to Display (or all were already chosen).",
    )
    LIST_FULL = strawberry.enum_value(
        "list_full", description="The pass already held 40 products (20 + Magento's overfill)."
    )


@strawberry.type(description="One rule's part in a product's list.")
class RelatedProductRuleExplanation:
    rule_uid: strawberry.ID = strawberry.field(description="The rule's uid.")
    name: str = strawberry.field(description="The rule's name.")
    sort_order: int = strawberry.field(description="Its priority.")
    segment_uid: strawberry.ID | None = strawberry.field(
        description="The segment pass it ran in; null: the pass of rules for All segments."
    )
    outcome: RelatedProductRuleOutcome = strawberry.field(description="What it did.")
    condition_path: str | None = strawberry.field(
        description="For NOT_MATCHED: Magento's id of the failing node, such as `1--2`."
    )
    condition: str | None = strawberry.field(
        description="For NOT_MATCHED: the failing node as the admin reads it."
    )
    contributed_skus: list[str] = strawberry.field(
        description="The products it added, in the order it chose them."
    )


@strawberry.type(description="Why a product shows these products in one list to one shopper.")
class RelatedProductsExplanation:
    list_type: ProductRelationEnum = strawberry.field(description="The list explained.")
    customer_group_uid: strawberry.ID = strawberry.field(description="The shopper's group.")
    customer_segment_uids: list[strawberry.ID] = strawberry.field(
        description="The shopper's live segments on the website."
    )
    position_behavior: int = strawberry.field(
        description="`*_position_behavior`: 0 both, 1 selected only, 2 rule-based only."
    )
    position_limit: int = strawberry.field(
        description="How many rule-based products are kept (`*_position_limit`, at most 20)."
    )
    rotation_mode: int = strawberry.field(
        description="`*_rotation_mode`: 0 random, 1 by id, 2 weighted random (random modes are "
        "explained by id within each priority)."
    )
    rules: list[RelatedProductRuleExplanation] = strawberry.field(
        description="Every rule of the list's type, in the order Magento runs them."
    )
    rule_based_skus: list[str] = strawberry.field(
        description="The rule-based products kept, by priority."
    )
    manual_skus: list[str] = strawberry.field(description="The manual links, by position.")
    cut_skus: list[str] = strawberry.field(
        description="Rule-based products dropped by the position limit."
    )
    shown_skus: list[str] = strawberry.field(
        description="The list before storefront visibility and category permissions: rule-based "
        "products, then manual links."
    )


def rule_uid(rule_id: int) -> strawberry.ID:
    return strawberry.ID(encode_uid(rule_id))


# --- storefront -----------------------------------------------------------------------------------


class RelationLoaders:
    """Per request: each (product, list)'s products as the storefront shows them."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.lists: DataLoader[tuple[int, ListType], list[int]] = DataLoader(load_fn=self._load)

    async def _load(self, keys: list[tuple[int, ListType]]) -> list[list[int]]:
        context = self.context
        viewer = await context.viewer()
        store = await context.store()
        stores = await context.stores()
        customer_id = viewer.customer_id if viewer.kind is ViewerKind.CUSTOMER else None
        visitor_id = None
        if customer_id is None:
            visitor = await views.find_visitor(context.request_headers.get(VISITOR_HEADER))
            visitor_id = None if visitor is None else visitor.visitor_id

        shopper = lists.Shopper(
            store_id=store.store_id,
            website_id=store.website.website_id,
            timezone=store.website.timezone,
            group_id=await caller_group_id(context),
            customer_id=customer_id,
            visitor_id=visitor_id,
            now=context.services.clock.now(),
        )
        found = await lists.product_lists(keys, shopper, stores)
        wanted = sorted({p for entry in found for p in entry.product_ids})
        visible: set[int] = set()
        if wanted:
            access = await context.loaders_for(permissions.PermissionLoaders).catalog_access()
            query, _ = await catalog.product_query(
                store.website.website_id,
                catalog.ProductSearch(),
                lists.local_day(shopper),
                shopper.group_id,
                access,
                show_out_of_stock=stores.config_flag(ConfigPath.SHOW_OUT_OF_STOCK, store),
            )
            rows = await query.filter(entity_id__in=wanted).values_list("entity_id", flat=True)
            visible = {int(i) for i in cast(list[Any], rows)}
        return [[p for p in entry.product_ids if p in visible] for entry in found]


async def related_products_of(
    root: ProductInterface, info: Info, list_type: ListType
) -> list[ProductInterface | None]:
    ids = await info.context.loaders_for(RelationLoaders).lists.load(
        (root.row.entity_id, list_type)
    )
    rows = await info.context.loaders.product.load_many(ids)
    return [product_of(row) for row in rows if row is not None]
