"""Product relations for admins: related product rule CRUD and reindex, manual product links,
and `adminExplainRelatedProducts`. The storefront's lists are `ProductInterface` fields
(`graph/targetrule.py: related_products_of`)."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry
from tortoise.transactions import in_transaction

from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.pagination import PageRequest
from engine.targetrule import explain as explaining
from engine.targetrule import index, links, lists
from engine.targetrule import rules as service
from engine.targetrule.conditions import dump_display, dump_match
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.errors import UserError
from graph.limits import CART_ID, SKU
from graph.targetrule import (
    AdminDeleteRelatedProductRuleOutput,
    AdminProductLink,
    AdminProductLinksInput,
    AdminReindexRelatedProductRulesOutput,
    AdminRelatedProductRule,
    AdminRelatedProductRuleCreateInput,
    AdminRelatedProductRuleFilterInput,
    AdminRelatedProductRuleOutput,
    AdminRelatedProductRules,
    AdminRelatedProductRuleUpdateInput,
    AdminSetProductLinksOutput,
    ProductRelationEnum,
    RelatedProductRuleExplanation,
    RelatedProductRuleOutcome,
    RelatedProductsExplanation,
    rule_uid,
)
from graph.uids import decode_uid, encode_uid
from models import CatalogProductEntity, CustomerEntity, MagentoTargetruleProduct
from models.groups import NOT_LOGGED_IN_GROUP_ID
from models.targetrule import ApplyTo, LinkType
from resolvers.access import require_admin
from resolvers.inputs import decode_uids, uids_of_filter


async def _present(found: list[service.RuleDetails]) -> list[AdminRelatedProductRule]:
    ids = [f.rule.rule_id for f in found] or [0]
    counts: dict[int, int] = {}
    for rule_id in cast(
        list[Any],
        await MagentoTargetruleProduct.filter(rule_id__in=ids).values_list("rule_id", flat=True),
    ):
        counts[int(rule_id)] = counts.get(int(rule_id), 0) + 1
    return [
        AdminRelatedProductRule(
            uid=rule_uid(f.rule.rule_id),
            id=f.rule.rule_id,
            name=f.rule.name or "",
            is_active=bool(f.rule.is_active),
            apply_to=ProductRelationEnum.of_apply_to(f.rule.apply_to),
            from_date=f.rule.from_date,
            to_date=f.rule.to_date,
            sort_order=f.rule.sort_order or 0,
            positions_limit=f.rule.positions_limit,
            customer_segment_uids=[strawberry.ID(encode_uid(s)) for s in f.segment_ids],
            conditions_serialized=dump_match(f.match),
            actions_serialized=dump_display(f.display),
            matched_product_count=counts.get(f.rule.rule_id, 0),
        )
        for f in found
    ]


def _given(value: object) -> bool:
    return value is not strawberry.UNSET


def _apply_to(value: ProductRelationEnum) -> ApplyTo:
    return value.list_type.apply_to


def _changes(
    input: AdminRelatedProductRuleCreateInput | AdminRelatedProductRuleUpdateInput,
) -> service.RuleChanges:
    creating = isinstance(input, AdminRelatedProductRuleCreateInput)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    if _given(input.name):
        values["name"] = input.name or ""
    for name in ("is_active", "sort_order", "positions_limit"):
        value = getattr(input, name)
        if _given(value) and value is not None:
            values[name] = value
    for name in ("from_date", "to_date"):
        value = getattr(input, name)
        if _given(value):
            values[name] = value
    if _given(input.apply_to) and input.apply_to is not None:
        values["apply_to"] = _apply_to(input.apply_to)
    if _given(input.customer_segment_uids):
        try:
            values["segment_ids"] = tuple(
                decode_uids(input.customer_segment_uids or [], "input.customer_segment_uids")
            )
        except DomainError as error:
            problems.extend(error.problems)
    for name in ("conditions_serialized", "actions_serialized"):
        value = getattr(input, name)
        if _given(value) and (value is not None or not creating):
            values[name] = value or ""
    if problems:
        raise InputInvalid(problems)
    return service.RuleChanges(**values)


async def _sku_map(ids: list[int] | tuple[int, ...]) -> dict[int, str]:
    return {
        int(i): str(s)
        for i, s in cast(
            list[Any],
            await CatalogProductEntity.filter(entity_id__in=list(ids) or [0]).values_list(
                "entity_id", "sku"
            ),
        )
    }


async def _skus(ids: list[int] | tuple[int, ...]) -> list[str]:
    found = await _sku_map(ids)
    return [found[i] for i in ids if i in found]


async def _product_id(sku: str, path: str) -> int:
    row = await CatalogProductEntity.get_or_none(sku=sku)
    if row is None:
        raise InputInvalid(links.not_found(path))
    return row.entity_id


def _link_type(value: ProductRelationEnum) -> LinkType:
    return value.list_type.link_type


@strawberry.type
class Query:
    @strawberry.field(description="One related product rule by uid (admin token required).")
    async def adminRelatedProductRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description=("The `uid` of the related product rule to return.")),
        ],
    ) -> AdminRelatedProductRule | None:
        await require_admin(info)
        return (await _present([await service.get(decode_uid(uid))]))[0]

    @strawberry.field(
        description="Related product rules by priority, filtered and paginated (admin token "
        "required)."
    )
    async def adminRelatedProductRules(
        self,
        info: Info,
        filter: Annotated[
            AdminRelatedProductRuleFilterInput | None,
            strawberry.argument(description=("Conditions the related product rules must meet.")),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> AdminRelatedProductRules:
        await require_admin(info)
        filter_ = service.RuleFilter(
            name_contains=filter.name.match if filter and filter.name else None,
            ids=uids_of_filter(filter.uid if filter else None, "filter.uid"),
            is_active=filter.is_active if filter else None,
            apply_to=_apply_to(filter.apply_to) if filter and filter.apply_to else None,
        )
        page = await service.page(filter_, PageRequest(pageSize, currentPage))
        return AdminRelatedProductRules(
            items=await _present(await service.details(page.items)),
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="A product's manual links of one type (or of every type), by position "
        "(admin token required)."
    )
    async def adminProductLinks(
        self,
        info: Info,
        sku: Annotated[str, strawberry.argument(metadata=SKU, description="The product.")],
        link_type: Annotated[
            ProductRelationEnum | None,
            strawberry.argument(description="Only this list; omitted: every list."),
        ] = None,
    ) -> list[AdminProductLink] | None:
        await require_admin(info)
        product_id = await _product_id(sku, "sku")
        kinds = [link_type] if link_type is not None else list(ProductRelationEnum)
        found = await links.load_links([(product_id, _link_type(k)) for k in kinds])
        flat = [link for entry in found for link in entry]
        skus = await _sku_map([link.linked_product_id for link in flat])
        return [
            AdminProductLink(
                sku=sku,
                link_type=ProductRelationEnum.of_link_type(link.link_type),
                linked_sku=skus.get(link.linked_product_id, ""),
                position=link.position,
            )
            for link in flat
        ]

    @strawberry.field(
        description="Why a product shows these products in one list to one shopper: every rule "
        "in the order Magento runs them, applied with what it added or the first reason it did "
        "not, the manual links and where the list was cut (admin token required). The shopper is "
        "a customer (`customer_uid`), the owner of a cart (`cart_id`), or a guest with neither; "
        "the store view is the request's."
    )
    async def adminExplainRelatedProducts(
        self,
        info: Info,
        sku: Annotated[str, strawberry.argument(metadata=SKU, description="The product.")],
        list_type: Annotated[
            ProductRelationEnum, strawberry.argument(description="Which list to explain.")
        ],
        customer_uid: Annotated[
            strawberry.ID | None, strawberry.argument(description="The customer shopping.")
        ] = None,
        cart_id: Annotated[
            str | None,
            strawberry.argument(metadata=CART_ID, description="A cart whose owner is shopping."),
        ] = None,
    ) -> RelatedProductsExplanation | None:
        await require_admin(info)
        product_id = await _product_id(sku, "sku")
        store = await info.context.store()
        stores = await info.context.stores()
        customer_id: int | None = None
        quote_id = visitor_id = None
        if customer_uid is not None:
            customer_id = decode_uid(customer_uid, "customer_uid")
        elif cart_id is not None:
            owner = await explaining.cart_shopper(cart_id)
            customer_id, quote_id, visitor_id = owner.customer_id, owner.quote_id, owner.visitor_id
        group_id = NOT_LOGGED_IN_GROUP_ID
        if customer_id is not None:
            customer = await CustomerEntity.get_or_none(entity_id=customer_id)
            if customer is None:
                raise InputInvalid(
                    Problem(
                        ProblemCode.NOT_FOUND,
                        f'Could not find a customer with ID "{customer_id}"',
                        "customer_uid",
                    )
                )
            group_id = customer.group_id  # type: ignore[attr-defined]
        shopper = lists.Shopper(
            store_id=store.store_id,
            website_id=store.website.website_id,
            timezone=store.website.timezone,
            group_id=group_id,
            customer_id=customer_id,
            visitor_id=visitor_id,
            now=info.context.services.clock.now(),
        )
        found = await explaining.explain(
            product_id, list_type.list_type, shopper, stores, quote_id=quote_id
        )
        rules = []
        for step in found.rules:
            rules.append(
                RelatedProductRuleExplanation(
                    rule_uid=rule_uid(step.rule.rule_id),
                    name=step.rule.name,
                    sort_order=step.rule.sort_order,
                    segment_uid=strawberry.ID(encode_uid(step.segment_pass))
                    if step.segment_pass
                    else None,
                    outcome=RelatedProductRuleOutcome(step.outcome),
                    condition_path=step.failure.path if step.failure else None,
                    condition=step.failure.sentence if step.failure else None,
                    contributed_skus=await _skus(step.contributed),
                )
            )
        return RelatedProductsExplanation(
            list_type=list_type,
            customer_group_uid=strawberry.ID(encode_uid(found.group_id)),
            customer_segment_uids=[strawberry.ID(encode_uid(s)) for s in sorted(found.segment_ids)],
            position_behavior=found.settings.behavior.value,
            position_limit=found.settings.limit,
            rotation_mode=found.settings.rotation.value,
            rules=rules,
            rule_based_skus=await _skus(found.rule_based),
            manual_skus=await _skus(found.manual),
            cut_skus=await _skus(found.cut),
            shown_skus=await _skus(found.shown),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a related product rule and index it at once (admin token required)."
    )
    async def adminCreateRelatedProductRule(
        self,
        info: Info,
        input: Annotated[
            AdminRelatedProductRuleCreateInput,
            strawberry.argument(
                description=(
                    "The new rule: list it applies to, dates, priority, positions limit, "
                    "segments and both condition trees."
                )
            ),
        ],
    ) -> AdminRelatedProductRuleOutput:
        await require_admin(info)
        try:
            found = await service.create(_changes(input))
        except DomainError as error:
            return AdminRelatedProductRuleOutput(rule=None, user_errors=UserError.from_error(error))
        return AdminRelatedProductRuleOutput(rule=(await _present([found]))[0], user_errors=[])

    @strawberry.mutation(
        description="Change a related product rule; it is re-indexed at once (admin token "
        "required)."
    )
    async def adminUpdateRelatedProductRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description=("The `uid` of the related product rule to change.")),
        ],
        input: Annotated[
            AdminRelatedProductRuleUpdateInput,
            strawberry.argument(
                description="The rule's new values; omitted fields stay as they are."
            ),
        ],
    ) -> AdminRelatedProductRuleOutput:
        await require_admin(info)
        try:
            found = await service.update(decode_uid(uid), _changes(input))
        except DomainError as error:
            return AdminRelatedProductRuleOutput(rule=None, user_errors=UserError.from_error(error))
        return AdminRelatedProductRuleOutput(rule=(await _present([found]))[0], user_errors=[])

    @strawberry.mutation(description="Delete a related product rule (admin token required).")
    async def adminDeleteRelatedProductRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description=("The `uid` of the related product rule to delete.")),
        ],
    ) -> AdminDeleteRelatedProductRuleOutput:
        await require_admin(info)
        try:
            found = await service.delete(decode_uid(uid))
        except DomainError as error:
            return AdminDeleteRelatedProductRuleOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return AdminDeleteRelatedProductRuleOutput(
            deleted_uid=rule_uid(found.rule.rule_id), user_errors=[]
        )

    @strawberry.mutation(
        description="Rebuild the related product rules' Products to Match index from every "
        "rule and product, in one transaction (admin token required)."
    )
    async def adminReindexRelatedProductRules(
        self, info: Info
    ) -> AdminReindexRelatedProductRulesOutput:
        await require_admin(info)
        async with in_transaction():
            summary = await index.reindex_all()
        return AdminReindexRelatedProductRulesOutput(
            rule_count=summary.rules,
            product_count=summary.products,
            row_count=summary.rows,
            user_errors=[],
        )

    @strawberry.mutation(
        description="Set manual product links: each entry replaces one product's whole list of "
        "one type (related, up-sell, cross-sell), in one transaction; every entry is checked "
        "first and nothing is written if one is wrong (admin token required)."
    )
    async def adminSetProductLinks(
        self,
        info: Info,
        input: Annotated[
            list[AdminProductLinksInput],
            strawberry.argument(
                description=(
                    "For each product and link type, the whole list of linked products with"
                    " their positions."
                )
            ),
        ],
    ) -> AdminSetProductLinksOutput:
        await require_admin(info)
        entries = [
            links.LinkList(
                sku=entry.sku,
                link_type=_link_type(entry.link_type),
                items=tuple(links.LinkedItem(i.sku, i.position) for i in entry.items),
            )
            for entry in input
        ]
        try:
            written = await links.set_links(entries)
        except DomainError as error:
            return AdminSetProductLinksOutput(links=None, user_errors=UserError.from_error(error))
        ids = sorted({w.product_id for w in written} | {w.linked_product_id for w in written})
        skus = await _sku_map(ids)
        return AdminSetProductLinksOutput(
            links=[
                AdminProductLink(
                    sku=skus[w.product_id],
                    link_type=ProductRelationEnum.of_link_type(w.link_type),
                    linked_sku=skus[w.linked_product_id],
                    position=w.position,
                )
                for w in written
            ],
            user_errors=[],
        )
