"""`adminExplainCartRules`: why each cart price rule did or did not apply to a cart."""

from __future__ import annotations

from enum import Enum

import strawberry

from engine.salesrules.calculator import Reason
from engine.salesrules.explain import CartExplanation, Explanation
from graph.common import Money
from graph.uids import encode_uid


@strawberry.enum(description="What became of a cart price rule on a cart; the first reason wins.")
class CartRuleOutcome(Enum):
    APPLIED = strawberry.enum_value(
        Reason.APPLIED.value, description="The rule applied (its discount may be 0)."
    )
    NOT_ACTIVE = strawberry.enum_value(Reason.NOT_ACTIVE.value, description="The rule is inactive.")
    WEBSITE = strawberry.enum_value(
        Reason.WEBSITE.value, description="The rule is not assigned to the cart's website."
    )
    CUSTOMER_GROUP = strawberry.enum_value(
        Reason.CUSTOMER_GROUP.value,
        description="The rule is not assigned to the shopper's customer group.",
    )
    DATE = strawberry.enum_value(
        Reason.DATE.value,
        description="Today (the website's local date) is outside the rule's from/to dates.",
    )
    COUPON = strawberry.enum_value(
        Reason.COUPON.value,
        description="The rule needs a coupon and none of the cart's codes (still usable) is one "
        "of its coupons.",
    )
    USAGE_LIMIT = strawberry.enum_value(
        Reason.USAGE_LIMIT.value,
        description="The coupon's uses (in all, or per customer) or the rule's uses per customer "
        "are used up.",
    )
    CONDITION = strawberry.enum_value(
        Reason.CONDITION.value,
        description="The rule's conditions do not hold on the cart; `condition_path` and "
        "`condition` name the first failing node.",
    )
    ACTION_NO_ITEMS = strawberry.enum_value(
        Reason.ACTION_NO_ITEMS.value,
        description="No cart item is taken by the rule's actions (or its quantity step).",
    )
    STOPPED_BY_EARLIER_RULE = strawberry.enum_value(
        Reason.STOPPED_BY_EARLIER_RULE.value,
        description="Every item the rule would take was claimed by an earlier rule that "
        "discards subsequent rules.",
    )


@strawberry.type(description="One cart price rule's fate on the cart.")
class CartRuleExplanation:
    rule_uid: strawberry.ID = strawberry.field(description="The rule's uid.")
    name: str = strawberry.field(description="The rule's name.")
    sort_order: int = strawberry.field(description="The rule's priority (lower first).")
    outcome: CartRuleOutcome = strawberry.field(
        description="APPLIED, or the first reason the rule did not apply."
    )
    amount: Money = strawberry.field(
        description="The discount the rule took, items and shipping (0 unless applied)."
    )
    item_amount: Money = strawberry.field(description="The part of `amount` on the items.")
    shipping_amount: Money = strawberry.field(description="The part of `amount` on shipping.")
    condition_path: str | None = strawberry.field(
        description="For CONDITION: Magento's id of the failing condition node, such as `1--2`."
    )
    condition: str | None = strawberry.field(
        description="For CONDITION: the failing node as the admin reads it, with its values."
    )
    coupon_code: str | None = strawberry.field(
        description="The cart's coupon code for this rule, if any (the one that triggered it, "
        "or the one whose uses are used up)."
    )

    @classmethod
    def of(cls, explanation: Explanation, currency: str) -> CartRuleExplanation:
        failure = explanation.failure
        return cls(
            rule_uid=strawberry.ID(encode_uid(explanation.rule.rule_id)),
            name=explanation.rule.name,
            sort_order=explanation.rule.sort_order,
            outcome=CartRuleOutcome(explanation.reason.value),
            amount=Money.of(explanation.amount, currency),
            item_amount=Money.of(explanation.item_amount, currency),
            shipping_amount=Money.of(explanation.shipping_amount, currency),
            condition_path=failure.path if failure is not None else None,
            condition=failure.sentence if failure is not None else None,
            coupon_code=explanation.coupon_code,
        )


def explanations_of(cart: CartExplanation) -> list[CartRuleExplanation]:
    return [CartRuleExplanation.of(e, cart.currency) for e in cart.rules]
