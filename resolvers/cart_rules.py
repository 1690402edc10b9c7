"""Cart price rules for admins: list, read, create, update, delete, and their coupon codes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry

from engine.errors import DomainError, InputInvalid, Problem, ProblemCode, Problems
from engine.pagination import PageRequest
from engine.salesrules import admin, coupons
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.cart_rules import (
    CartRule,
    CartRuleCoupon,
    CartRuleCouponFilterInput,
    CartRuleCoupons,
    CartRuleFilterInput,
    CartRuleInput,
    CartRuleOutput,
    CartRules,
    DeleteCartRuleOutput,
    DeleteCouponsOutput,
    GenerateCouponsInput,
    GenerateCouponsOutput,
    draft_or_none,
)
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.errors import UserError
from graph.uids import decode_uid, encode_uid
from models import Salesrule
from models.salesrules import CartRuleAction, CouponType, FreeShipping
from models.stores import ADMIN_STORE_ID
from resolvers.access import require_admin
from resolvers.inputs import decode_uids, uids_of_filter


async def _present(rows: list[Salesrule]) -> list[CartRule]:
    return [CartRule.of(found) for found in await admin.details(rows)]


def _day(text: str | None, path: str, problems: Problems) -> tuple[date | None, bool]:
    """(the date, whether to clear it)."""
    if text is None:
        return None, False
    if text.strip() == "":
        return None, True
    try:
        return date.fromisoformat(text.strip()), False
    except ValueError:
        problems.add(ProblemCode.INVALID, f"'{text}' is not a date (YYYY-MM-DD).", path)
        return None, False


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _changes(input: CartRuleInput) -> admin.CartRuleChanges:
    problems = Problems()
    from_date, clear_from = _day(input.from_date, "input.from_date", problems)
    to_date, clear_to = _day(input.to_date, "input.to_date", problems)
    labels: list[admin.LabelChange] | None = None
    if input.labels is not None:
        labels = []
        for index, label in enumerate(input.labels):
            store_id = ADMIN_STORE_ID
            if label.store_uid is not None:
                try:
                    store_id = decode_uid(label.store_uid, f"input.labels.{index}.store_uid")
                except DomainError as error:
                    problems.items.extend(error.problems)
                    continue
            labels.append(admin.LabelChange(store_id, label.label))
    website_ids = customer_group_ids = None
    try:
        if input.website_uids is not None:
            website_ids = decode_uids(input.website_uids, "input.website_uids")
    except DomainError as error:
        problems.items.extend(error.problems)
    try:
        if input.customer_group_uids is not None:
            customer_group_ids = decode_uids(input.customer_group_uids, "input.customer_group_uids")
    except DomainError as error:
        problems.items.extend(error.problems)
    problems.raise_if_any()
    discount_qty = _decimal(input.discount_qty)
    return admin.CartRuleChanges(
        name=input.name,
        description=input.description or None,
        clear_description=input.description == "",
        is_active=input.is_active,
        website_ids=website_ids,
        customer_group_ids=customer_group_ids,
        from_date=from_date,
        clear_from_date=clear_from,
        to_date=to_date,
        clear_to_date=clear_to,
        uses_per_customer=input.uses_per_customer,
        stop_rules_processing=input.stop_rules_processing,
        sort_order=input.sort_order,
        simple_action=None
        if input.simple_action is None
        else CartRuleAction(str(input.simple_action.value)),
        discount_amount=_decimal(input.discount_amount),
        discount_qty=discount_qty if discount_qty else None,
        clear_discount_qty=discount_qty is not None and discount_qty == 0,
        discount_step=input.discount_step,
        apply_to_shipping=input.apply_to_shipping,
        simple_free_shipping=None
        if input.simple_free_shipping is None
        else FreeShipping(int(input.simple_free_shipping.value)),
        coupon_type=None if input.coupon_type is None else CouponType(int(input.coupon_type.value)),
        coupon_code=input.coupon_code,
        uses_per_coupon=input.uses_per_coupon,
        use_auto_generation=input.use_auto_generation,
        is_rss=input.is_rss,
        labels=labels,
        conditions=draft_or_none(input.conditions),
        conditions_serialized=input.conditions_serialized,
        actions=draft_or_none(input.actions),
        actions_serialized=input.actions_serialized,
    )


def _generate_request(input: GenerateCouponsInput) -> coupons.GenerateRequest:
    expiration = None
    if input.expiration_date:
        try:
            expiration = date.fromisoformat(input.expiration_date.strip())
        except ValueError:
            raise InputInvalid(
                Problem(
                    ProblemCode.INVALID,
                    f"'{input.expiration_date}' is not a date (YYYY-MM-DD).",
                    "input.expiration_date",
                )
            ) from None
    return coupons.GenerateRequest(
        quantity=input.quantity,
        length=input.length,
        format=coupons.CouponFormat(str(input.format.value)),
        prefix=input.prefix,
        suffix=input.suffix,
        dash_every=input.dash_every,
        uses_per_coupon=input.uses_per_coupon,
        uses_per_customer=input.uses_per_customer,
        expiration_date=expiration,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Cart price rules in priority order, filtered and paginated "
        "(admin token required)."
    )
    async def adminCartRules(
        self,
        info: Info,
        filter: Annotated[
            CartRuleFilterInput | None,
            strawberry.argument(description="Conditions the cart price rules must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> CartRules:
        await require_admin(info)
        filter_ = admin.CartRuleFilter(
            name_contains=filter.name.match if filter and filter.name else None,
            ids=uids_of_filter(filter.uid if filter else None, "filter.uid"),
            is_active=filter.is_active if filter else None,
            coupon_type=CouponType(int(filter.coupon_type.value))
            if filter and filter.coupon_type
            else None,
            website_id=decode_uid(filter.website_uid, "filter.website_uid")
            if filter and filter.website_uid
            else None,
            coupon_code=filter.coupon_code if filter else None,
        )
        page = await admin.page(filter_, PageRequest(pageSize, currentPage))
        return CartRules(
            items=await _present(page.items),
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(description="One cart price rule by uid (admin token required).")
    async def adminCartRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the cart rule to return.")
        ],
    ) -> CartRule | None:
        await require_admin(info)
        rule = await admin.get(decode_uid(uid))
        return (await _present([rule]))[0]

    @strawberry.field(
        description="The coupon codes of a cart price rule, oldest first (admin token required)."
    )
    async def adminCartRuleCoupons(
        self,
        info: Info,
        rule_uid: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The `uid` of the cart price rule whose coupons to return."
            ),
        ],
        filter: Annotated[
            CartRuleCouponFilterInput | None,
            strawberry.argument(description="Conditions the coupon codes must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> CartRuleCoupons | None:
        await require_admin(info)
        filter_ = coupons.CouponFilter(
            code_contains=filter.code.match if filter and filter.code else None,
            generated_only=bool(filter and filter.generated_only),
            used=filter.used if filter else None,
        )
        page = await coupons.page(
            decode_uid(rule_uid, "rule_uid"), filter_, PageRequest(pageSize, currentPage)
        )
        return CartRuleCoupons(
            items=[CartRuleCoupon.of(row) for row in page.items],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a cart price rule (admin token required).")
    async def adminCreateCartRule(
        self,
        info: Info,
        input: Annotated[
            CartRuleInput,
            strawberry.argument(
                description=(
                    "The new cart price rule: websites, groups, coupon, dates, conditions "
                    "and action."
                )
            ),
        ],
    ) -> CartRuleOutput:
        await require_admin(info)
        try:
            rule = await admin.create(_changes(input))
        except DomainError as error:
            return CartRuleOutput(cart_rule=None, user_errors=UserError.from_error(error))
        return CartRuleOutput(cart_rule=(await _present([rule]))[0], user_errors=[])

    @strawberry.mutation(
        description="Change a cart price rule; omitted fields stay as they are "
        "(admin token required)."
    )
    async def adminUpdateCartRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the cart rule to change.")
        ],
        input: Annotated[
            CartRuleInput,
            strawberry.argument(
                description=(
                    "The fields of the cart price rule to change; omitted fields stay as they are."
                )
            ),
        ],
    ) -> CartRuleOutput:
        await require_admin(info)
        try:
            rule = await admin.update(decode_uid(uid), _changes(input))
        except DomainError as error:
            return CartRuleOutput(cart_rule=None, user_errors=UserError.from_error(error))
        return CartRuleOutput(cart_rule=(await _present([rule]))[0], user_errors=[])

    @strawberry.mutation(
        description="Delete a cart price rule with its coupon codes, labels and usage "
        "(admin token required)."
    )
    async def adminDeleteCartRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the cart rule to delete.")
        ],
    ) -> DeleteCartRuleOutput:
        await require_admin(info)
        try:
            rule = await admin.delete(decode_uid(uid))
        except DomainError as error:
            return DeleteCartRuleOutput(deleted_uid=None, user_errors=UserError.from_error(error))
        return DeleteCartRuleOutput(
            deleted_uid=strawberry.ID(encode_uid(rule.rule_id)), user_errors=[]
        )

    @strawberry.mutation(
        description="Generate coupon codes for a cart price rule, as Magento's Manage Coupon "
        "Codes (admin token required)."
    )
    async def adminGenerateCoupons(
        self,
        info: Info,
        rule_uid: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The `uid` of the cart price rule that gets the coupon codes."
            ),
        ],
        input: Annotated[
            GenerateCouponsInput,
            strawberry.argument(
                description=(
                    "How many codes to generate and their format, length, prefix, suffix "
                    "and dashes."
                )
            ),
        ],
    ) -> GenerateCouponsOutput:
        await require_admin(info)
        try:
            rows = await coupons.generate(
                decode_uid(rule_uid, "rule_uid"), _generate_request(input)
            )
        except DomainError as error:
            return GenerateCouponsOutput(coupons=[], user_errors=UserError.from_error(error))
        return GenerateCouponsOutput(
            coupons=[CartRuleCoupon.of(row) for row in rows], user_errors=[]
        )

    @strawberry.mutation(
        description="Delete generated coupon codes, all or none (admin token required)."
    )
    async def adminDeleteCoupons(
        self,
        info: Info,
        uids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="The `uid`s of the generated coupon codes to delete."),
        ],
    ) -> DeleteCouponsOutput:
        await require_admin(info)
        try:
            ids = await coupons.delete(decode_uids(uids, "uids"))
        except DomainError as error:
            return DeleteCouponsOutput(deleted_uids=[], user_errors=UserError.from_error(error))
        return DeleteCouponsOutput(
            deleted_uids=[strawberry.ID(encode_uid(i)) for i in ids], user_errors=[]
        )
