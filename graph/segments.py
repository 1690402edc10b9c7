"""Customer segment types for admins: the segment, its typed condition tree (input and output), its
refresh status, members, previews, explanations, reports and the condition catalogue."""

from __future__ import annotations

from enum import Enum

import strawberry

from engine.config import ConfigPath
from engine.errors import NotAuthorized, Problem, ProblemCode
from engine.segments import eligibility
from engine.segments.drafts import ConditionDraft, ConditionType
from engine.segments.tree import Aggregator, Operator
from graph.common import (
    FilterEqualTypeInput,
    FilterMatchTypeInput,
    SearchResultPageInfo,
    draft_value,
)
from graph.context import Info
from graph.errors import UserError
from graph.limits import LONG_TEXT, SERIALIZED_TREE
from graph.uids import encode_uid
from models import ApplyTo, RefreshStatus


@strawberry.enum(description="Every node type of Adobe Commerce's segment condition catalogue.")
class SegmentConditionType(Enum):
    COMBINE = strawberry.enum_value(
        ConditionType.COMBINE.value,
        description="Conditions Combination: if ALL/ANY of these conditions are TRUE/FALSE.",
    )
    CUSTOMER_ATTRIBUTE = strawberry.enum_value(
        ConditionType.CUSTOMER_ATTRIBUTE.value,
        description="Customer attribute (static or custom, flagged for segments).",
    )
    CUSTOMER_NEWSLETTER = strawberry.enum_value(
        ConditionType.CUSTOMER_NEWSLETTER.value,
        description="Customer is / is not subscribed to the newsletter.",
    )
    CUSTOMER_STORE_CREDIT = strawberry.enum_value(
        ConditionType.CUSTOMER_STORE_CREDIT.value, description="Customer store credit amount."
    )
    CUSTOMER_ADDRESS = strawberry.enum_value(
        ConditionType.CUSTOMER_ADDRESS.value,
        description="Some customer address matches ALL/ANY of its children.",
    )
    ADDRESS_DEFAULT = strawberry.enum_value(
        ConditionType.ADDRESS_DEFAULT.value,
        description="Customer address is / is not the default billing or shipping address.",
    )
    ADDRESS_ATTRIBUTE = strawberry.enum_value(
        ConditionType.ADDRESS_ATTRIBUTE.value, description="Customer address attribute."
    )
    ADDRESS_REGION = strawberry.enum_value(
        ConditionType.ADDRESS_REGION.value,
        description="Customer address has / does not have a State/Province.",
    )
    CART_AMOUNT = strawberry.enum_value(
        ConditionType.CART_AMOUNT.value,
        description="Shopping cart subtotal, grand total, tax, shipping, credit or gift card.",
    )
    CART_LINE_ITEMS = strawberry.enum_value(
        ConditionType.CART_LINE_ITEMS.value, description="Number of shopping cart line items."
    )
    CART_PRODUCTS_QUANTITY = strawberry.enum_value(
        ConditionType.CART_PRODUCTS_QUANTITY.value, description="Shopping cart products quantity."
    )
    PRODUCT_LIST = strawberry.enum_value(
        ConditionType.PRODUCT_LIST.value,
        description="Product is found / not found in the shopping cart or wish list.",
    )
    PRODUCT_HISTORY = strawberry.enum_value(
        ConditionType.PRODUCT_HISTORY.value, description="Product was / was not viewed or ordered."
    )
    PRODUCT_ATTRIBUTE = strawberry.enum_value(
        ConditionType.PRODUCT_ATTRIBUTE.value,
        description="Product attribute, attribute set or category.",
    )
    PRODUCT_COMBINE = strawberry.enum_value(
        ConditionType.PRODUCT_COMBINE.value,
        description="Conditions Combination inside a product sub-selection.",
    )
    UP_TO_DATE = strawberry.enum_value(
        ConditionType.UP_TO_DATE.value, description="Period of N days up to date."
    )
    DATE_RANGE = strawberry.enum_value(
        ConditionType.DATE_RANGE.value, description="Date range is / is not within start...end."
    )
    ORDER_ADDRESS = strawberry.enum_value(
        ConditionType.ORDER_ADDRESS.value,
        description="Some order address matches ALL/ANY of its children.",
    )
    ORDER_ADDRESS_TYPE = strawberry.enum_value(
        ConditionType.ORDER_ADDRESS_TYPE.value,
        description="Order address is / is not a shipping or billing address.",
    )
    ORDER_ADDRESS_ATTRIBUTE = strawberry.enum_value(
        ConditionType.ORDER_ADDRESS_ATTRIBUTE.value, description="Order address attribute."
    )
    ORDER_STATUS = strawberry.enum_value(
        ConditionType.ORDER_STATUS.value, description="Order status is / is not the given status."
    )
    SALES_AMOUNT = strawberry.enum_value(
        ConditionType.SALES_AMOUNT.value, description="Total or average sales amount."
    )
    ORDERS_NUMBER = strawberry.enum_value(
        ConditionType.ORDERS_NUMBER.value, description="Number of orders."
    )
    PURCHASED_QUANTITY = strawberry.enum_value(
        ConditionType.PURCHASED_QUANTITY.value, description="Total or average purchased quantity."
    )
    SEGMENT = strawberry.enum_value(
        ConditionType.SEGMENT.value, description="Customer is / is not in another segment."
    )


@strawberry.enum(description="Magento's condition operators; `code` gives the stored symbol.")
class SegmentConditionOperator(Enum):
    IS = strawberry.enum_value(Operator.IS.value, description="is (`==`).")
    IS_NOT = strawberry.enum_value(Operator.IS_NOT.value, description="is not (`!=`).")
    GREATER_OR_EQUAL = strawberry.enum_value(
        Operator.GREATER_OR_EQUAL.value, description="equals or greater than (`>=`)."
    )
    LESS_OR_EQUAL = strawberry.enum_value(
        Operator.LESS_OR_EQUAL.value, description="equals or less than (`<=`)."
    )
    GREATER = strawberry.enum_value(Operator.GREATER.value, description="greater than (`>`).")
    LESS = strawberry.enum_value(Operator.LESS.value, description="less than (`<`).")
    CONTAINS = strawberry.enum_value(Operator.CONTAINS.value, description="contains (`{}`).")
    NOT_CONTAINS = strawberry.enum_value(
        Operator.NOT_CONTAINS.value, description="does not contain (`!{}`)."
    )
    ONE_OF = strawberry.enum_value(Operator.ONE_OF.value, description="is one of (`()`).")
    NOT_ONE_OF = strawberry.enum_value(
        Operator.NOT_ONE_OF.value, description="is not one of (`!()`)."
    )
    UNDEFINED = strawberry.enum_value(Operator.UNDEFINED.value, description="is undefined (`<=>`).")
    MULTI_CONTAINS = strawberry.enum_value(
        Operator.MULTI_CONTAINS.value, description="multiselect contains all of (`[]`)."
    )
    MULTI_NOT_CONTAINS = strawberry.enum_value(
        Operator.MULTI_NOT_CONTAINS.value, description="multiselect does not contain (`![]`)."
    )

    @classmethod
    def of_code(cls, code: str | None) -> SegmentConditionOperator | None:
        for member in cls:
            if str(member.value) == code:
                return member
        return None


@strawberry.enum(description="How a combination or sub-selection joins its children.")
class SegmentConditionAggregator(Enum):
    ALL = strawberry.enum_value(Aggregator.ALL.value, description="Every child must hold.")
    ANY = strawberry.enum_value(Aggregator.ANY.value, description="Some child must hold.")


@strawberry.enum(
    description="Whom a segment applies to (Magento's CustomerSegmentApplyTo); fixed at creation."
)
class SegmentApplyTo(Enum):
    BOTH = strawberry.enum_value(
        ApplyTo.BOTH.value, description="Visitors and registered customers."
    )
    REGISTERED = strawberry.enum_value(
        ApplyTo.REGISTERED.value, description="Registered customers only."
    )
    VISITOR = strawberry.enum_value(ApplyTo.VISITORS.value, description="Visitors (guests) only.")


@strawberry.enum(description="Where the last full refresh of a segment's members stands.")
class SegmentRefreshStatus(Enum):
    NEVER = strawberry.enum_value(RefreshStatus.NEVER.value, description="Never refreshed.")
    QUEUED = strawberry.enum_value(RefreshStatus.QUEUED.value, description="Waiting to run.")
    RUNNING = strawberry.enum_value(RefreshStatus.RUNNING.value, description="Running now.")
    DONE = strawberry.enum_value(RefreshStatus.DONE.value, description="Finished; members set.")
    FAILED = strawberry.enum_value(
        RefreshStatus.FAILED.value, description="Failed; the previous members are kept."
    )
    VISITORS_ONLY = strawberry.enum_value(
        RefreshStatus.VISITORS_ONLY.value,
        description="Nothing to refresh, and final: the segment applies to visitors only, whose "
        "membership is evaluated live on their cart and views and never stored, so it has no "
        "members to list.",
    )


@strawberry.enum(description="How a report combines several segments (Magento's view modes).")
class SegmentReportMode(Enum):
    UNION = strawberry.enum_value("union", description="Customers in any of the segments.")
    INTERSECTION = strawberry.enum_value(
        "intersect", description="Customers in every one of the segments."
    )


# --- conditions -------------------------------------------------------------------------------


@strawberry.input(
    description="One node of a segment's condition tree, as Magento's node shape: the root must "
    "be a COMBINE. Which fields a type takes is in `adminSegmentConditionCatalog`."
)
class SegmentConditionInput:
    type: SegmentConditionType = strawberry.field(description="The node type.")
    attribute: str | None = strawberry.field(
        default=None,
        description="The attribute, or the node's variant (cart amount kind, product list "
        "source, sales function, address kind).",
    )
    operator: SegmentConditionOperator | None = strawberry.field(
        default=None, description="The comparison."
    )
    value: list[str] | None = strawberry.field(
        metadata=LONG_TEXT,
        default=None,
        description="The value(s): one element for a single value, several for is one of or "
        "multiselect operators; dates as YYYY-MM-DD.",
    )
    aggregator: SegmentConditionAggregator | None = strawberry.field(
        default=None, description="ALL or ANY, for combinations and sub-selections."
    )
    conditions: list[SegmentConditionInput] | None = strawberry.field(
        default=None, description="Child nodes, for combinations and sub-selections."
    )

    def draft(self) -> ConditionDraft:
        return ConditionDraft(
            type=ConditionType(str(self.type.value)),
            attribute=self.attribute,
            operator=str(self.operator.value) if self.operator is not None else None,
            value=draft_value(self.value),
            aggregator=str(self.aggregator.value) if self.aggregator is not None else None,
            conditions=tuple(child.draft() for child in self.conditions or ()),
        )


@strawberry.type(description="One node of a segment's condition tree, as stored.")
class SegmentCondition:
    type: SegmentConditionType = strawberry.field(description="The node type.")
    attribute: str | None = strawberry.field(
        description="The attribute, or the node's variant; null when the type takes none."
    )
    operator: SegmentConditionOperator | None = strawberry.field(
        description="The comparison; null when the type takes none."
    )
    value: list[str] | None = strawberry.field(
        description="The value(s); null when the type takes none."
    )
    aggregator: SegmentConditionAggregator | None = strawberry.field(
        description="ALL or ANY, for combinations and sub-selections."
    )
    conditions: list[SegmentCondition] = strawberry.field(
        description="Child nodes; empty for leaves."
    )

    @classmethod
    def of(cls, draft: ConditionDraft) -> SegmentCondition:
        value = draft.value
        return cls(
            type=SegmentConditionType(draft.type.value),
            attribute=draft.attribute,
            operator=SegmentConditionOperator.of_code(draft.operator),
            value=None if value is None else ([value] if isinstance(value, str) else list(value)),
            aggregator=None
            if draft.aggregator is None
            else SegmentConditionAggregator(draft.aggregator),
            conditions=[cls.of(child) for child in draft.conditions],
        )


# --- segments ---------------------------------------------------------------------------------


@strawberry.type(description="The last full refresh of a segment's members.")
class SegmentRefresh:
    status: SegmentRefreshStatus = strawberry.field(description="Where the refresh stands.")
    matched_count: int | None = strawberry.field(
        description="Members found by the last successful refresh."
    )
    duration_ms: int | None = strawberry.field(description="How long the last refresh took.")
    queued_at: str | None = strawberry.field(description="When a refresh was last asked for.")
    started_at: str | None = strawberry.field(description="When the last refresh started.")
    finished_at: str | None = strawberry.field(description="When the last refresh ended.")
    error: str | None = strawberry.field(description="Why the last refresh failed, if it did.")


@strawberry.type(description="A customer segment (admin token required).")
class Segment:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the segment.")
    id: int = strawberry.field(description="Magento's numeric `segment_id`.")
    name: str = strawberry.field(description="Segment Name.")
    description: str | None = strawberry.field(description="Description.")
    is_active: bool = strawberry.field(description="Status: active segments are evaluated.")
    apply_to: SegmentApplyTo = strawberry.field(description="Whom the segment applies to.")
    website_uids: list[strawberry.ID] = strawberry.field(
        description="The websites the segment is assigned to."
    )
    conditions: SegmentCondition | None = strawberry.field(
        description="The condition tree, typed (the root is a COMBINE); null when the stored "
        "tree cannot be read (see `conditions_serialized`)."
    )
    conditions_serialized: str = strawberry.field(
        description="The condition tree in Magento's `conditions_serialized` JSON."
    )
    refresh: SegmentRefresh = strawberry.field(description="The last refresh of its members.")
    events: list[str] = strawberry.field(
        description="The Magento events the segment's conditions depend on."
    )
    created_at: str | None = strawberry.field(description="When the segment was created.")
    updated_at: str | None = strawberry.field(description="When the segment was last changed.")


@strawberry.type(description="A page of customer segments.")
class Segments:
    items: list[Segment] = strawberry.field(description="The segments on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many segments match the filter.")


@strawberry.input(description="Filters for the admin list of segments.")
class SegmentFilterInput:
    name: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Segments whose name contains this text."
    )
    uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Segments with these uids."
    )
    is_active: bool | None = strawberry.field(
        default=None, description="Only active (true) or inactive (false) segments."
    )


@strawberry.input(
    description="A new segment. Give `conditions` or `conditions_serialized`, not both; with "
    "neither the segment has no conditions and matches every customer of its websites."
)
class SegmentCreateInput:
    name: str = strawberry.field(description="Segment Name, at most 255 characters.")
    description: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="Description."
    )
    is_active: bool = strawberry.field(default=True, description="Status.")
    apply_to: SegmentApplyTo = strawberry.field(
        default=SegmentApplyTo.BOTH, description="Whom it applies to; cannot change later."
    )
    website_uids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The websites it is assigned to."
    )
    conditions: SegmentConditionInput | None = strawberry.field(
        default=None, description="The condition tree; the root must be a COMBINE."
    )
    conditions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE,
        default=None,
        description="The condition tree as Magento's JSON, pasted as exported.",
    )


@strawberry.input(description="Changes to a segment; omitted fields stay as they are.")
class SegmentUpdateInput:
    name: str | None = strawberry.field(default=None, description="A new name.")
    description: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="A new description."
    )
    is_active: bool | None = strawberry.field(default=None, description="A new status.")
    apply_to: SegmentApplyTo | None = strawberry.field(
        default=None, description="Refused unless equal to the current value."
    )
    website_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the websites when given."
    )
    conditions: SegmentConditionInput | None = strawberry.field(
        default=None, description="Replaces the condition tree when given."
    )
    conditions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE,
        default=None,
        description="Replaces the condition tree, as Magento's JSON.",
    )


@strawberry.type(description="The result of an admin mutation on a segment.")
class SegmentOutput:
    segment: Segment | None = strawberry.field(
        description="The segment after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of queueing several segments for refresh.")
class SegmentsRefreshOutput:
    segments: list[Segment] = strawberry.field(description="The segments queued.")
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a segment.")
class DeleteSegmentOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted segment; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the segment was not deleted; empty on success."
    )


# --- members, previews, reports ---------------------------------------------------------------


@strawberry.type(description="A customer matched by a segment.")
class SegmentMember:
    customer_uid: strawberry.ID = strawberry.field(description="The customer's uid.")
    customer_id: int = strawberry.field(description="The customer's `entity_id`.")
    email: str = strawberry.field(description="The customer's email.")
    firstname: str | None = strawberry.field(description="The customer's first name.")
    lastname: str | None = strawberry.field(description="The customer's last name.")
    website_uid: strawberry.ID = strawberry.field(description="The website of this membership.")
    added_date: str | None = strawberry.field(
        description="When the customer joined the segment; null in previews."
    )
    updated_date: str | None = strawberry.field(
        description="When the membership was last confirmed; null in previews."
    )


@strawberry.type(description="A page of a segment's members.")
class SegmentMembers:
    items: list[SegmentMember] = strawberry.field(description="The members on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many members the segment has.")


@strawberry.input(
    description="Unsaved conditions to preview on one website: `conditions` or "
    "`conditions_serialized`, not both."
)
class SegmentPreviewInput:
    website_uid: strawberry.ID = strawberry.field(description="The website to match on.")
    apply_to: SegmentApplyTo = strawberry.field(
        default=SegmentApplyTo.BOTH, description="Whom the conditions apply to."
    )
    conditions: SegmentConditionInput | None = strawberry.field(
        default=None, description="The condition tree; the root must be a COMBINE."
    )
    conditions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE, default=None, description="The condition tree as Magento's JSON."
    )


@strawberry.type(description="How many customers unsaved conditions match, and the first ones.")
class SegmentPreview:
    total_count: int | None = strawberry.field(
        description="How many customers match; null when the input was refused."
    )
    items: list[SegmentMember] = strawberry.field(description="A page of matching customers.")
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="Pagination metadata; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="A value an explained condition node read.")
class SegmentSeenValue:
    name: str = strawberry.field(description="What the value is.")
    value: str = strawberry.field(description="The value, as text.")


@strawberry.type(description="One node of an explained condition tree.")
class SegmentExplanationNode:
    path: str = strawberry.field(
        description="Where the node is in the tree (`conditions.0.conditions.1`)."
    )
    type: SegmentConditionType = strawberry.field(description="The node type.")
    sentence: str = strawberry.field(description="The node as Magento's admin sentence.")
    result: bool = strawberry.field(description="Whether the node held.")
    seen: list[SegmentSeenValue] = strawberry.field(
        description="The values the node read for this customer or cart, by name."
    )


@strawberry.type(description="Why a customer or a guest cart is, or is not, in a segment.")
class SegmentExplanation:
    matched: bool = strawberry.field(description="Whether the whole tree held.")
    nodes: list[SegmentExplanationNode] = strawberry.field(
        description="Every node of the tree, depth first, root first."
    )


@strawberry.type(description="The members of one segment in a report.")
class SegmentReportRow:
    segment_uid: strawberry.ID = strawberry.field(description="The segment.")
    name: str = strawberry.field(description="The segment's name.")
    customer_count: int = strawberry.field(description="Distinct customers in the segment.")


@strawberry.type(description="A combined report over several segments.")
class SegmentReport:
    mode: SegmentReportMode = strawberry.field(description="How the segments were combined.")
    segments: list[SegmentReportRow] = strawberry.field(description="Each segment's own count.")
    customer_count: int = strawberry.field(
        description="Distinct customers in the union or intersection."
    )


# --- the condition catalogue ------------------------------------------------------------------


@strawberry.type(description="An allowed value of a condition field.")
class SegmentConditionOption:
    value: str = strawberry.field(description="The value to send.")
    label: str = strawberry.field(description="What a person reads.")


@strawberry.enum(description="What a condition node's `value` holds.")
class SegmentConditionValueKind(Enum):
    NONE = strawberry.enum_value("NONE", description="The node takes no value.")
    ATTRIBUTE = strawberry.enum_value(
        "ATTRIBUTE", description="Depends on the chosen attribute's input type and options."
    )
    NUMBER = strawberry.enum_value("NUMBER", description="A decimal number.")
    INTEGER = strawberry.enum_value(
        "INTEGER", description="A non-negative whole number (days, counts)."
    )
    OPTION = strawberry.enum_value("OPTION", description="One of `value_options`.")
    DATE_RANGE = strawberry.enum_value(
        "DATE_RANGE", description="Two dates as `YYYY-MM-DD...YYYY-MM-DD`."
    )
    SEGMENT_ID = strawberry.enum_value("SEGMENT_ID", description="The id of another segment.")


@strawberry.type(description="A choice of a condition node's `attribute` field.")
class SegmentConditionAttribute:
    code: str = strawberry.field(description="The value of `attribute`.")
    label: str = strawberry.field(description="What a person reads.")
    input_type: str | None = strawberry.field(
        description="numeric, string, select, multiselect, date or boolean; null for a "
        "variant that is not compared (a sales function, a cart amount kind)."
    )
    operators: list[SegmentConditionOperator] = strawberry.field(
        description="The operators this attribute takes; empty when the node type lists them."
    )
    options: list[SegmentConditionOption] = strawberry.field(
        description="Allowed values; empty when any value of the input type is allowed."
    )


@strawberry.type(description="One condition type of the catalogue, for rule-builder UIs.")
class SegmentConditionTypeInfo:
    type: SegmentConditionType = strawberry.field(description="The node type.")
    group: str = strawberry.field(description="The group it is listed under in Magento's admin.")
    label: str = strawberry.field(description="Magento's label.")
    sentence: str = strawberry.field(
        description="Magento's sentence with `{attribute}`, `{operator}`, `{value}` and "
        "`{aggregator}` placeholders for the fields it takes."
    )
    attributes: list[SegmentConditionAttribute] = strawberry.field(
        description="The choices for `attribute`; empty when it takes none."
    )
    operators: list[SegmentConditionOperator] = strawberry.field(
        description="The operators when they do not depend on the attribute."
    )
    value_kind: SegmentConditionValueKind = strawberry.field(description="What `value` holds.")
    value_options: list[SegmentConditionOption] = strawberry.field(
        description="Allowed values when `value_kind` is OPTION."
    )
    takes_aggregator: bool = strawberry.field(description="Whether it takes ALL/ANY.")
    child_types: list[SegmentConditionType] = strawberry.field(
        description="The node types allowed as its children."
    )
    available_for_visitors: bool = strawberry.field(
        description="Whether segments that apply to visitors may use it."
    )
    visitor_values: list[str] = strawberry.field(
        description="When not empty, the only values allowed in segments for visitors."
    )


def segment_uid(segment_id: int) -> strawberry.ID:
    return strawberry.ID(encode_uid(segment_id))


# --- storefront -------------------------------------------------------------------------------

SEGMENTS_NOT_SHARED = "Applied customer segments are not enabled in configuration."


@strawberry.type(description="Customer segment, as the storefront sees it: its uid only.")
class CustomerSegmentStorefront:
    uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `CustomerSegment` object."
    )


async def current_segments(
    info: Info,
    *,
    customer_id: int | None,
    quote_id: int | None = None,
    visitor_id: int | None = None,
) -> list[CustomerSegmentStorefront | None]:
    """The caller's segments on the store's website, evaluated live; Magento's authorization
    error when the store does not share them (`share_active_segments`)."""
    store = await info.context.store()
    stores = await info.context.stores()
    if not stores.config_flag(ConfigPath.SHARE_ACTIVE_SEGMENTS, store):
        raise NotAuthorized(Problem(ProblemCode.PROTECTED, SEGMENTS_NOT_SHARED))
    ids = await eligibility.current_segment_ids(
        store.website.website_id,
        customer_id=customer_id,
        quote_id=quote_id,
        visitor_id=visitor_id,
        now=info.context.services.clock.now(),
    )
    return [CustomerSegmentStorefront(uid=segment_uid(segment_id)) for segment_id in ids]
