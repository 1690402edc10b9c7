"""Catalog price rules: admin CRUD and Magento's "Apply Rules"."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import strawberry

from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.pagination import PageRequest
from engine.pricing import catalog_rules
from engine.rules.drafts import TreeKind, dump_tree, empty_draft
from engine.rules.magento_json import choose_draft, dump_catalog_conditions
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.catalog_rules import (
    ApplyCatalogRulesOutput,
    CatalogRule,
    CatalogRuleActionEnum,
    CatalogRuleCreateInput,
    CatalogRuleFilterInput,
    CatalogRuleOutput,
    CatalogRules,
    CatalogRuleUpdateInput,
    DeleteCatalogRuleOutput,
    rule_uid,
)
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.errors import UserError
from graph.rule_conditions import RuleCondition, draft_of
from graph.uids import decode_uid, encode_uid
from models.pricing import CatalogRuleAction
from resolvers.access import require_admin
from resolvers.inputs import decode_uids, uids_of_filter


def present(found: catalog_rules.CatalogRuleDetails) -> CatalogRule:
    rule = found.rule
    return CatalogRule(
        uid=rule_uid(rule.rule_id),
        id=rule.rule_id,
        name=rule.name,
        description=rule.description,
        is_active=rule.is_active,
        website_uids=[strawberry.ID(encode_uid(w)) for w in found.website_ids],
        customer_group_uids=[strawberry.ID(encode_uid(g)) for g in found.customer_group_ids],
        from_date=rule.from_date,
        to_date=rule.to_date,
        sort_order=rule.sort_order,
        stop_rules_processing=rule.stop_rules_processing,
        simple_action=CatalogRuleActionEnum(str(CatalogRuleAction(rule.simple_action).value)),
        discount_amount=float(Decimal(str(rule.discount_amount))),
        conditions=RuleCondition.of(dump_tree(found.conditions)),
        conditions_serialized=dump_catalog_conditions(found.conditions),
    )


def _given(value: object) -> bool:
    return value is not strawberry.UNSET


def _amount(value: float, path: str, problems: list[Problem]) -> Decimal:
    amount = Decimal(repr(value))
    if not amount.is_finite():
        problems.append(Problem(ProblemCode.INVALID, catalog_rules.NOT_NEGATIVE, path))
        return Decimal(0)
    return amount


def _conditions(
    input: CatalogRuleCreateInput | CatalogRuleUpdateInput,
    creating: bool,
    values: dict[str, Any],
    problems: list[Problem],
) -> None:
    """The conditions draft, from the typed input or Magento's JSON (not both); on update, null
    in either removes the conditions."""
    typed, serialized = input.conditions, input.conditions_serialized
    if not _given(typed) and not _given(serialized):
        if creating:
            values["conditions"] = empty_draft()
        return
    typed = typed if _given(typed) else None
    serialized = serialized if _given(serialized) else None
    try:
        draft = choose_draft(
            draft_of(typed),
            serialized,
            TreeKind.CATALOG_CONDITIONS,
            path="input.conditions",
            serialized_path="input.conditions_serialized",
        )
    except DomainError as error:
        problems.extend(error.problems)
        return
    values["conditions"] = draft if draft is not None else empty_draft()
    values["conditions_path"] = (
        "input.conditions_serialized" if serialized is not None else "input.conditions"
    )


def _changes(
    input: CatalogRuleCreateInput | CatalogRuleUpdateInput,
) -> catalog_rules.CatalogRuleChanges:
    """Engine changes from an input: UNSET (or, on create, an omitted field) stays `KEEP`."""
    creating = isinstance(input, CatalogRuleCreateInput)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    if _given(input.name):
        values["name"] = input.name or ""
    if _given(input.description):
        values["description"] = input.description
    for name in ("is_active", "sort_order", "stop_rules_processing"):
        value = getattr(input, name)
        if _given(value) and value is not None:
            values[name] = value
    for name in ("from_date", "to_date"):
        value = getattr(input, name)
        if _given(value):
            values[name] = value
    for name, target in (
        ("website_uids", "website_ids"),
        ("customer_group_uids", "customer_group_ids"),
    ):
        uids = getattr(input, name)
        if _given(uids):
            try:
                values[target] = tuple(decode_uids(uids or [], f"input.{name}"))
            except DomainError as error:
                problems.extend(error.problems)
    if _given(input.simple_action) and input.simple_action is not None:
        values["simple_action"] = CatalogRuleAction(str(input.simple_action.value))
    if _given(input.discount_amount) and input.discount_amount is not None:
        values["discount_amount"] = _amount(
            input.discount_amount, "input.discount_amount", problems
        )
    _conditions(input, creating, values, problems)
    if problems:
        raise InputInvalid(problems)
    return catalog_rules.CatalogRuleChanges(**values)


@strawberry.type
class Query:
    @strawberry.field(
        description="Catalog price rules, filtered and paginated (admin token required)."
    )
    async def adminCatalogRules(
        self,
        info: Info,
        filter: Annotated[
            CatalogRuleFilterInput | None,
            strawberry.argument(description="Conditions the catalog price rules must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> CatalogRules:
        await require_admin(info)
        website_uid = filter.website_uid if filter else None
        filter_ = catalog_rules.CatalogRuleFilter(
            name_contains=filter.name.match if filter and filter.name else None,
            ids=uids_of_filter(filter.uid if filter else None, "filter.uid"),
            is_active=filter.is_active if filter else None,
            website_id=None
            if website_uid is None
            else decode_uid(website_uid, "filter.website_uid"),
        )
        page = await catalog_rules.page(filter_, PageRequest(pageSize, currentPage))
        found = await catalog_rules.details(page.items)
        return CatalogRules(
            items=[present(f) for f in found],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="One catalog price rule by uid (admin token required); an unknown uid is a "
        "`graphql-no-such-entity` error."
    )
    async def adminCatalogRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the catalog rule to return."),
        ],
    ) -> CatalogRule | None:
        await require_admin(info)
        return present(await catalog_rules.get(decode_uid(uid)))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a catalog price rule and apply it at once (admin token required)."
    )
    async def adminCreateCatalogRule(
        self,
        info: Info,
        input: Annotated[
            CatalogRuleCreateInput,
            strawberry.argument(
                description=(
                    "The new catalog price rule: websites, groups, dates, conditions and action."
                )
            ),
        ],
    ) -> CatalogRuleOutput:
        await require_admin(info)
        try:
            found = await catalog_rules.create(_changes(input))
        except DomainError as error:
            return CatalogRuleOutput(catalog_rule=None, user_errors=UserError.from_error(error))
        return CatalogRuleOutput(catalog_rule=present(found), user_errors=[])

    @strawberry.mutation(
        description="Change a catalog price rule; prices follow at once (admin token required)."
    )
    async def adminUpdateCatalogRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the catalog rule to change."),
        ],
        input: Annotated[
            CatalogRuleUpdateInput,
            strawberry.argument(description="The catalog price rule's new values."),
        ],
    ) -> CatalogRuleOutput:
        await require_admin(info)
        try:
            found = await catalog_rules.update(decode_uid(uid), _changes(input))
        except DomainError as error:
            return CatalogRuleOutput(catalog_rule=None, user_errors=UserError.from_error(error))
        return CatalogRuleOutput(catalog_rule=present(found), user_errors=[])

    @strawberry.mutation(
        description="Delete a catalog price rule; the prices it made are withdrawn "
        "(admin token required)."
    )
    async def adminDeleteCatalogRule(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the catalog rule to delete."),
        ],
    ) -> DeleteCatalogRuleOutput:
        await require_admin(info)
        try:
            found = await catalog_rules.delete(decode_uid(uid))
        except DomainError as error:
            return DeleteCatalogRuleOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return DeleteCatalogRuleOutput(deleted_uid=rule_uid(found.rule.rule_id), user_errors=[])

    @strawberry.mutation(
        description="Apply Rules: rebuild the catalog-rule index and prices from every rule, "
        "in one transaction (admin token required)."
    )
    async def adminApplyCatalogRules(self, info: Info) -> ApplyCatalogRulesOutput:
        await require_admin(info)
        summary = await catalog_rules.apply_all()
        return ApplyCatalogRulesOutput(
            rule_count=summary.rules,
            rule_product_count=summary.rule_products,
            product_count=summary.products,
            price_count=summary.prices,
            user_errors=[],
        )
