"""Catalog price rule types for admins: `CatalogRule`, its inputs and outputs."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from graph.common import FilterEqualTypeInput, FilterMatchTypeInput, SearchResultPageInfo
from graph.errors import UserError
from graph.limits import LONG_TEXT, SERIALIZED_TREE
from graph.rule_conditions import RuleCondition, RuleConditionInput
from graph.uids import encode_uid


@strawberry.enum(description="What a catalog price rule does to the price (`simple_action`).")
class CatalogRuleActionEnum(Enum):
    BY_PERCENT = strawberry.enum_value(
        "by_percent",
        description="Apply as percentage of original: price x (1 - amount/100).",
    )
    BY_FIXED = strawberry.enum_value(
        "by_fixed", description="Apply as fixed amount: price - amount, never below 0."
    )
    TO_PERCENT = strawberry.enum_value(
        "to_percent",
        description="Adjust final price to this percentage: price x amount/100.",
    )
    TO_FIXED = strawberry.enum_value(
        "to_fixed",
        description="Adjust final price to discount value: the amount, when below the price.",
    )


@strawberry.type(description="A catalog price rule (admin token required).")
class CatalogRule:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the rule.")
    id: int = strawberry.field(description="Magento's numeric `rule_id`.")
    name: str = strawberry.field(description="Rule Name.")
    description: str | None = strawberry.field(description="Description.")
    is_active: bool = strawberry.field(description="Active: only active rules change prices.")
    website_uids: list[strawberry.ID] = strawberry.field(
        description="The websites the rule applies on."
    )
    customer_group_uids: list[strawberry.ID] = strawberry.field(
        description="The customer groups the rule applies to."
    )
    from_date: date | None = strawberry.field(
        description="The first day the rule applies, in each website's timezone; null: always."
    )
    to_date: date | None = strawberry.field(
        description="The last day the rule applies (up to 23:59:59 in each website's "
        "timezone); null: no end."
    )
    sort_order: int = strawberry.field(
        description="Priority: rules apply in ascending priority, then by id."
    )
    stop_rules_processing: bool = strawberry.field(
        description="Discard subsequent rules: no rule after this one changes the price."
    )
    simple_action: CatalogRuleActionEnum = strawberry.field(description="Apply.")
    discount_amount: float = strawberry.field(description="Discount Amount.")
    conditions: RuleCondition = strawberry.field(
        description="The product conditions (a COMBINE of PRODUCT conditions and COMBINEs); with "
        "no children the rule applies to every product of its websites."
    )
    conditions_serialized: str = strawberry.field(
        description="The product conditions in Magento's `conditions_serialized` JSON."
    )


@strawberry.type(description="A page of catalog price rules.")
class CatalogRules:
    items: list[CatalogRule] = strawberry.field(description="The rules on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many rules match the filter.")


@strawberry.input(description="Filters for the admin list of catalog price rules.")
class CatalogRuleFilterInput:
    name: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Rules whose name contains this text."
    )
    uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Rules with these uids."
    )
    is_active: bool | None = strawberry.field(
        default=None, description="Only active (true) or only inactive (false) rules."
    )
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="Rules that apply on this website."
    )


@strawberry.input(
    description="A new catalog price rule. Give `conditions` or `conditions_serialized`, not "
    "both; with neither the rule applies to every product of its websites."
)
class CatalogRuleCreateInput:
    name: str = strawberry.field(description="Rule Name, at most 255 characters.")
    description: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="Description."
    )
    is_active: bool = strawberry.field(default=True, description="Active.")
    website_uids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The websites it applies on (at least one)."
    )
    customer_group_uids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The customer groups it applies to (at least one)."
    )
    from_date: date | None = strawberry.field(
        default=None, description="The first day it applies (website's local calendar)."
    )
    to_date: date | None = strawberry.field(
        default=None, description="The last day it applies; not before `from_date`."
    )
    sort_order: int = strawberry.field(default=0, description="Priority (ascending).")
    stop_rules_processing: bool = strawberry.field(
        default=True, description="Discard subsequent rules (Magento's table default: yes)."
    )
    simple_action: CatalogRuleActionEnum = strawberry.field(
        default=CatalogRuleActionEnum.BY_PERCENT, description="Apply."
    )
    discount_amount: float = strawberry.field(
        description="Discount Amount: 0 to 100 for percentages, 0 or more otherwise."
    )
    conditions: RuleConditionInput | None = strawberry.field(
        default=None,
        description="The product conditions: a COMBINE of PRODUCT conditions (product "
        "attributes used for promo rules, `attribute_set_id`, `category_ids`) and COMBINEs.",
    )
    conditions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE,
        default=None,
        description="The product conditions as Magento's `conditions_serialized` JSON, pasted "
        "as exported.",
    )


@strawberry.input(description="Changes to a catalog price rule; omitted fields stay as they are.")
class CatalogRuleUpdateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="A new name.")
    description: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=strawberry.UNSET,
        description="A new description; null removes it.",
    )
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Active or not."
    )
    website_uids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the websites when given."
    )
    customer_group_uids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the customer groups when given."
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
    stop_rules_processing: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Discard subsequent rules or not."
    )
    simple_action: CatalogRuleActionEnum | None = strawberry.field(
        default=strawberry.UNSET, description="A new action."
    )
    discount_amount: float | None = strawberry.field(
        default=strawberry.UNSET, description="A new discount amount."
    )
    conditions: RuleConditionInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Replaces the conditions; null removes them (every product).",
    )
    conditions_serialized: str | None = strawberry.field(
        metadata=SERIALIZED_TREE,
        default=strawberry.UNSET,
        description="Replaces the conditions, as Magento's JSON; null removes them (every "
        "product).",
    )


@strawberry.type(description="The result of an admin mutation on a catalog price rule.")
class CatalogRuleOutput:
    catalog_rule: CatalogRule | None = strawberry.field(
        description="The rule after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a catalog price rule.")
class DeleteCatalogRuleOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted rule; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the rule was not deleted; empty on success."
    )


@strawberry.type(description="What applying every catalog price rule did (Magento's Apply Rules).")
class ApplyCatalogRulesOutput:
    rule_count: int = strawberry.field(description="Active rules applied.")
    rule_product_count: int = strawberry.field(
        description="Rows of `catalogrule_product` written (rule x product x website x group)."
    )
    product_count: int = strawberry.field(description="Products some rule matched.")
    price_count: int = strawberry.field(
        description="Rows of `catalogrule_product_price` written (yesterday, today and "
        "tomorrow of each website)."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem; empty on success.")


def rule_uid(rule_id: int) -> strawberry.ID:
    return strawberry.ID(encode_uid(rule_id))
