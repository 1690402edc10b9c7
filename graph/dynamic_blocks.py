"""Dynamic block types: the storefront's `DynamicBlocks` exactly as Adobe Commerce (uid and HTML
only: names, segments and rules stay private), and the admin's `AdminDynamicBlock` with its
inputs and outputs."""

from __future__ import annotations

from enum import Enum

import strawberry

from engine.dynamic_blocks import BlockDetails, BlockType, Location, ShownBlock
from graph.common import (
    ComplexTextValue,
    FilterEqualTypeInput,
    FilterMatchTypeInput,
    SearchResultPageInfo,
)
from graph.dates import magento_datetime_or_none
from graph.errors import UserError
from graph.limits import CART_ID, LONG_TEXT
from graph.uids import encode_uid
from models.stores import ADMIN_STORE_ID

# --- storefront -------------------------------------------------------------------------------


@strawberry.enum(
    description="Indicates the locations the dynamic block can be placed. If this field is not "
    "specified, the query returns all locations."
)
class DynamicBlockLocationEnum(Enum):
    CONTENT = strawberry.enum_value("CONTENT", description="The main content area.")
    HEADER = strawberry.enum_value("HEADER", description="The page header.")
    FOOTER = strawberry.enum_value("FOOTER", description="The page footer.")
    LEFT = strawberry.enum_value("LEFT", description="The left column.")
    RIGHT = strawberry.enum_value("RIGHT", description="The right column.")

    @property
    def location(self) -> Location:
        return Location[self.name]

    @classmethod
    def of(cls, location: Location) -> DynamicBlockLocationEnum:
        return cls[location.name]


@strawberry.enum(description="Indicates the selected Dynamic Blocks Rotator inline widget.")
class DynamicBlockTypeEnum(Enum):
    SPECIFIED = strawberry.enum_value(
        "SPECIFIED",
        description="Blocks related to no price rule, and related blocks whose rule applies now.",
    )
    CART_PRICE_RULE_RELATED = strawberry.enum_value(
        "CART_PRICE_RULE_RELATED",
        description="Blocks related to a cart price rule applied to the customer's active cart.",
    )
    CATALOG_PRICE_RULE_RELATED = strawberry.enum_value(
        "CATALOG_PRICE_RULE_RELATED",
        description="Blocks related to a catalog price rule in force today for the caller's "
        "website and customer group.",
    )

    @property
    def block_type(self) -> BlockType:
        return BlockType(self.name)


@strawberry.type(description="Contains a single dynamic block.")
class DynamicBlock:
    content: ComplexTextValue = strawberry.field(
        description="The renderable HTML code of the dynamic block."
    )
    uid: strawberry.ID = strawberry.field(description="The unique ID of a `DynamicBlock` object.")

    @classmethod
    def of(cls, block: ShownBlock) -> DynamicBlock:
        return cls(
            content=ComplexTextValue(html=block.html),
            uid=strawberry.ID(encode_uid(block.banner_id)),
        )


@strawberry.type(description="Contains an array of dynamic blocks.")
class DynamicBlocks:
    items: list[DynamicBlock | None] = strawberry.field(
        description="An array containing individual dynamic blocks."
    )
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="Metadata for pagination rendering."
    )
    total_count: int = strawberry.field(description="The number of returned dynamic blocks.")


@strawberry.input(
    description="Defines the dynamic block filter. The filter can identify the block type, "
    "location and IDs to return."
)
class DynamicBlocksFilterInput:
    cart_id: str | None = strawberry.field(
        metadata=CART_ID,
        default=None,
        description="PWA Studio's extension (in no Magento schema): the shopper's cart. Cart "
        "price rule related blocks then follow the rules applied to it, and segments are "
        "evaluated for its shopper. It must be a cart the caller may use.",
    )
    dynamic_block_uids: list[strawberry.ID | None] | None = strawberry.field(
        default=None, description="An array of dynamic block UIDs to filter on."
    )
    locations: list[DynamicBlockLocationEnum | None] | None = strawberry.field(
        default=None,
        description="An array indicating the locations the dynamic block can be placed.",
    )
    product_uid: strawberry.ID | None = strawberry.field(
        default=None,
        description="PWA Studio's extension (in no Magento schema): the product shown. Catalog "
        "price rule related blocks then show only for rules in force for this product.",
    )
    type: DynamicBlockTypeEnum = strawberry.field(
        description="A value indicating the type of dynamic block to filter on."
    )


# --- admin ------------------------------------------------------------------------------------


@strawberry.type(description="A dynamic block's HTML for one store view, or the default.")
class AdminDynamicBlockContent:
    store_uid: strawberry.ID | None = strawberry.field(
        description="The store view; null for the default content every store view falls back to."
    )
    html: str = strawberry.field(description="The block's HTML in that store view.")


@strawberry.type(description="A dynamic block as admins manage it (admin token required).")
class AdminDynamicBlock:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the block.")
    id: int = strawberry.field(description="Magento's numeric `banner_id`.")
    name: str = strawberry.field(description="The block's name, never shown on the storefront.")
    is_enabled: bool = strawberry.field(description="Whether the storefront may show the block.")
    sort_order: int = strawberry.field(
        description="The storefront lists blocks by this number, then by id."
    )
    locations: list[DynamicBlockLocationEnum] = strawberry.field(
        description="Where the block may be placed; empty for any location."
    )
    contents: list[AdminDynamicBlockContent] = strawberry.field(
        description="The block's HTML: the default first, then per store view."
    )
    segment_uids: list[strawberry.ID] = strawberry.field(
        description="Customer segments the block is shown to; empty for everyone."
    )
    cart_rule_uids: list[strawberry.ID] = strawberry.field(
        description="Related cart price rules: the block shows while one applies to the cart."
    )
    catalog_rule_uids: list[strawberry.ID] = strawberry.field(
        description="Related catalog price rules: the block shows while one is in force for "
        "the shopper's website and group."
    )
    created_at: str | None = strawberry.field(description="When the block was created (UTC).")
    updated_at: str | None = strawberry.field(description="When the block last changed (UTC).")

    @classmethod
    def of(cls, item: BlockDetails) -> AdminDynamicBlock:
        row = item.row
        return cls(
            uid=strawberry.ID(encode_uid(row.banner_id)),
            id=row.banner_id,
            name=row.name,
            is_enabled=row.is_enabled,
            sort_order=row.sort_order,
            locations=[DynamicBlockLocationEnum.of(loc) for loc in item.locations],
            contents=[
                AdminDynamicBlockContent(
                    store_uid=None
                    if c.store_id == ADMIN_STORE_ID
                    else strawberry.ID(encode_uid(c.store_id)),
                    html=c.html,
                )
                for c in item.contents
            ],
            segment_uids=[strawberry.ID(encode_uid(i)) for i in item.segment_ids],
            cart_rule_uids=[strawberry.ID(encode_uid(i)) for i in item.cart_rule_ids],
            catalog_rule_uids=[strawberry.ID(encode_uid(i)) for i in item.catalog_rule_ids],
            created_at=magento_datetime_or_none(row.created_at),
            updated_at=magento_datetime_or_none(row.updated_at),
        )


@strawberry.type(description="A page of dynamic blocks, for admins.")
class AdminDynamicBlocks:
    items: list[AdminDynamicBlock] = strawberry.field(description="The blocks on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many blocks match the filter.")


@strawberry.input(description="Filters for the admin list of dynamic blocks; all must match.")
class AdminDynamicBlockFilterInput:
    name: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Blocks whose name contains this text."
    )
    uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Blocks with these uids."
    )
    is_enabled: bool | None = strawberry.field(
        default=None, description="Only enabled (true) or disabled (false) blocks."
    )


@strawberry.input(description="A dynamic block's HTML for one store view, or the default.")
class AdminDynamicBlockContentInput:
    store_uid: strawberry.ID | None = strawberry.field(
        default=None,
        description="The store view; omitted or null for the default content (all store views).",
    )
    html: str = strawberry.field(metadata=LONG_TEXT, description="The HTML to show.")


@strawberry.input(description="A new dynamic block.")
class AdminDynamicBlockCreateInput:
    name: str = strawberry.field(description="The block's name, at most 255 characters.")
    is_enabled: bool | None = strawberry.field(
        default=None, description="Whether the storefront may show it; true when omitted."
    )
    sort_order: int | None = strawberry.field(
        default=None, description="Listing order on the storefront; 0 when omitted."
    )
    locations: list[DynamicBlockLocationEnum] | None = strawberry.field(
        default=None, description="Where the block may be placed; omitted or empty for any."
    )
    contents: list[AdminDynamicBlockContentInput] | None = strawberry.field(
        default=None, description="The HTML per store view; one entry per store view at most."
    )
    segment_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Show only to these customer segments; omitted for everyone."
    )
    cart_rule_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Related cart price rules."
    )
    catalog_rule_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Related catalog price rules."
    )


@strawberry.input(description="Changes to a dynamic block; omitted fields stay as they are.")
class AdminDynamicBlockUpdateInput:
    name: str | None = strawberry.field(default=None, description="A new name.")
    is_enabled: bool | None = strawberry.field(default=None, description="Enable or disable.")
    sort_order: int | None = strawberry.field(default=None, description="A new listing order.")
    locations: list[DynamicBlockLocationEnum] | None = strawberry.field(
        default=None, description="Replaces the locations when given; empty for any."
    )
    contents: list[AdminDynamicBlockContentInput] | None = strawberry.field(
        default=None, description="Replaces every content row when given."
    )
    segment_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the segments when given; empty for everyone."
    )
    cart_rule_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the related cart price rules when given."
    )
    catalog_rule_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the related catalog price rules when given."
    )


@strawberry.type(description="The result of an admin mutation on a dynamic block.")
class AdminDynamicBlockOutput:
    dynamic_block: AdminDynamicBlock | None = strawberry.field(
        description="The block after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a dynamic block.")
class AdminDeleteDynamicBlockOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted block; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the block was not deleted; empty on success."
    )
