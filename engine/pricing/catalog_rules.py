"""Catalog price rules for admins: Magento's `CatalogRuleRepository` with the checks of
`Rule\\Model\\AbstractModel::validateData` and `CatalogRule\\Model\\Rule::validateData`.

Every save or delete re-matches the rule and rebuilds the prices of the products it matched
before or matches now, inside the same transaction (`rule_index.reindex_rules`), so the
storefront never sees a rule that is saved but not applied (Magento needs "Apply Rules" or the
indexer for that; `apply_all` is that button and rebuilds everything)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from tortoise.transactions import in_transaction

from engine.catalog import KEEP, Keep
from engine.errors import DomainError, NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from engine.pagination import Page, PageRequest, paginate
from engine.pricing import rule_index
from engine.rules.drafts import RuleConditionDraft, check_catalog_conditions
from engine.rules.magento_json import dump_catalog_conditions
from engine.rules.tree import ProductCombine
from models import (
    Catalogrule,
    CatalogruleCustomerGroup,
    CatalogruleProduct,
    CatalogruleWebsite,
    CustomerGroup,
    StoreWebsite,
)
from models.pricing import CatalogRuleAction
from models.stores import ADMIN_WEBSITE_ID

T = TypeVar("T")

NAME_MAX_LENGTH = 255
PERCENT_ACTIONS = frozenset({CatalogRuleAction.BY_PERCENT, CatalogRuleAction.TO_PERCENT})

# Magento's messages (`Rule\Model\AbstractModel::validateData`, `CatalogRule\Model\Rule`).
DATES_OUT_OF_ORDER = "End Date must follow Start Date."
NO_WEBSITE = "Please specify a website."
NO_GROUPS = "Please specify Customer Groups."
PERCENT_RANGE = "Percentage discount should be between 0 and 100."
NOT_NEGATIVE = "Discount value should be 0 or greater."
NAME_REQUIRED = '"name" is required. Enter and try again.'
RULE_NOT_FOUND = "The rule with the specified ID wasn't found. Verify the ID and try again."


@dataclass(frozen=True)
class CatalogRuleChanges:
    """What an admin sends; `KEEP` leaves a value as it is, `None` clears a nullable one.
    Lists replace what is stored."""

    name: str | Keep = KEEP
    description: str | Keep | None = KEEP
    is_active: bool | Keep = KEEP
    website_ids: tuple[int, ...] | Keep = KEEP
    customer_group_ids: tuple[int, ...] | Keep = KEEP
    from_date: date | Keep | None = KEEP
    to_date: date | Keep | None = KEEP
    sort_order: int | Keep = KEEP
    stop_rules_processing: bool | Keep = KEEP
    simple_action: CatalogRuleAction | Keep = KEEP
    discount_amount: Decimal | Keep = KEEP
    conditions: RuleConditionDraft | Keep = KEEP
    """The product conditions as sent (typed input or Magento's JSON, read into a draft); checked
    against the catalogue and the existing categories at save."""
    conditions_path: str = "input.conditions"


@dataclass(frozen=True)
class CatalogRuleDetails:
    """A rule with its websites, groups and parsed conditions."""

    rule: Catalogrule
    website_ids: tuple[int, ...]
    customer_group_ids: tuple[int, ...]
    conditions: ProductCombine


@dataclass(frozen=True)
class CatalogRuleFilter:
    name_contains: str | None = None
    ids: Sequence[int] | None = None
    is_active: bool | None = None
    website_id: int | None = None


def not_found(rule_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(Problem(ProblemCode.NOT_FOUND, RULE_NOT_FOUND, path))


def conditions_of(rule: Catalogrule) -> ProductCombine:
    """The rule's stored conditions (an empty tree when none: every product)."""
    text = rule.conditions_serialized
    return rule_index.stored_conditions(text)


async def details(rules: Sequence[Catalogrule]) -> list[CatalogRuleDetails]:
    ids = [r.rule_id for r in rules] or [0]
    websites: dict[int, list[int]] = {r.rule_id: [] for r in rules}
    for rule_id, website_id in (
        await CatalogruleWebsite.filter(rule_id__in=ids)
        .order_by("website_id")
        .values_list("rule_id", "website_id")
    ):
        websites[int(rule_id)].append(int(website_id))
    groups: dict[int, list[int]] = {r.rule_id: [] for r in rules}
    for rule_id, group_id in (
        await CatalogruleCustomerGroup.filter(rule_id__in=ids)
        .order_by("customer_group_id")
        .values_list("rule_id", "customer_group_id")
    ):
        groups[int(rule_id)].append(int(group_id))
    return [
        CatalogRuleDetails(
            rule=r,
            website_ids=tuple(websites[r.rule_id]),
            customer_group_ids=tuple(groups[r.rule_id]),
            conditions=conditions_of(r),
        )
        for r in rules
    ]


async def get(rule_id: int, path: str = "uid") -> CatalogRuleDetails:
    rule = await Catalogrule.get_or_none(rule_id=rule_id)
    if rule is None:
        raise not_found(rule_id, path)
    return (await details([rule]))[0]


async def page(filter_: CatalogRuleFilter, request: PageRequest) -> Page[Catalogrule]:
    query = Catalogrule.all().order_by("rule_id")
    if filter_.name_contains:
        query = query.filter(name__icontains=filter_.name_contains)
    if filter_.ids is not None:
        query = query.filter(rule_id__in=list(filter_.ids) or [0])
    if filter_.is_active is not None:
        query = query.filter(is_active=filter_.is_active)
    if filter_.website_id is not None:
        query = query.filter(websites__website_id=filter_.website_id).distinct()
    return await paginate(query, request)


@dataclass(frozen=True)
class _Merged:
    """The rule as it will be after the change."""

    name: str
    from_date: date | None
    to_date: date | None
    simple_action: CatalogRuleAction
    discount_amount: Decimal
    website_ids: tuple[int, ...]
    customer_group_ids: tuple[int, ...]


def _pick(change: T | Keep, current: T) -> T:
    return current if isinstance(change, Keep) else change


async def _ids(query: Any) -> set[int]:
    return {int(v) for v in await query}


async def _validate(
    changes: CatalogRuleChanges, merged: _Merged
) -> tuple[Problems, ProductCombine | None]:
    """Every problem of the merged rule, and the checked conditions when they were sent."""
    problems = Problems()
    conditions: ProductCombine | None = None
    if isinstance(changes.conditions, RuleConditionDraft):
        try:
            conditions = await check_catalog_conditions(changes.conditions, changes.conditions_path)
        except DomainError as error:
            problems.items.extend(error.problems)
    if not merged.name.strip():
        problems.add(ProblemCode.REQUIRED, NAME_REQUIRED, "input.name")
    elif len(merged.name.strip()) > NAME_MAX_LENGTH:
        problems.add(
            ProblemCode.TOO_LONG,
            f"Name is more than {NAME_MAX_LENGTH} characters. Enter a shorter name.",
            "input.name",
        )
    if (
        merged.from_date is not None
        and merged.to_date is not None
        and merged.to_date < merged.from_date
    ):
        problems.add(ProblemCode.INVALID, DATES_OUT_OF_ORDER, "input.to_date")
    amount = merged.discount_amount
    if merged.simple_action in PERCENT_ACTIONS:
        if amount < 0 or amount > 100:
            problems.add(ProblemCode.INVALID, PERCENT_RANGE, "input.discount_amount")
    elif amount < 0:
        problems.add(ProblemCode.INVALID, NOT_NEGATIVE, "input.discount_amount")
    if not merged.website_ids:
        problems.add(ProblemCode.REQUIRED, NO_WEBSITE, "input.website_uids")
    elif isinstance(changes.website_ids, tuple):
        known = await _ids(
            StoreWebsite.exclude(website_id=ADMIN_WEBSITE_ID).values_list("website_id", flat=True)
        )
        for index, website_id in enumerate(changes.website_ids):
            if website_id not in known:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'Could not find a website with ID "{website_id}"',
                    f"input.website_uids.{index}",
                )
    if not merged.customer_group_ids:
        problems.add(ProblemCode.REQUIRED, NO_GROUPS, "input.customer_group_uids")
    elif isinstance(changes.customer_group_ids, tuple):
        known = await _ids(
            CustomerGroup.filter(
                customer_group_id__in=list(changes.customer_group_ids)
            ).values_list("customer_group_id", flat=True)
        )
        for index, group_id in enumerate(changes.customer_group_ids):
            if group_id not in known:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f"No such entity with id = {group_id}",
                    f"input.customer_group_uids.{index}",
                )
    return problems, conditions


async def _save(
    rule: Catalogrule, changes: CatalogRuleChanges, conditions: ProductCombine | None
) -> None:
    if isinstance(changes.name, str):
        rule.name = changes.name.strip()
    for name in (
        "description",
        "is_active",
        "from_date",
        "to_date",
        "sort_order",
        "stop_rules_processing",
        "simple_action",
        "discount_amount",
    ):
        value = getattr(changes, name)
        if not isinstance(value, Keep):
            setattr(rule, name, value)
    if conditions is not None:
        rule.conditions_serialized = dump_catalog_conditions(conditions)
    await rule.save()
    rule_id = rule.rule_id
    if isinstance(changes.website_ids, tuple):
        await CatalogruleWebsite.filter(rule_id=rule_id).delete()
        for website_id in sorted(set(changes.website_ids)):
            await CatalogruleWebsite.create(rule_id=rule_id, website_id=website_id)
    if isinstance(changes.customer_group_ids, tuple):
        await CatalogruleCustomerGroup.filter(rule_id=rule_id).delete()
        for group_id in sorted(set(changes.customer_group_ids)):
            await CatalogruleCustomerGroup.create(rule_id=rule_id, customer_group_id=group_id)


async def create(changes: CatalogRuleChanges) -> CatalogRuleDetails:
    """Create a rule and apply it. Omitted: active, no dates, priority 0, discard subsequent
    rules (the table's default), `by_percent`, amount 0, no conditions (every product)."""
    merged = _Merged(
        name=_pick(changes.name, ""),
        from_date=_pick(changes.from_date, None),
        to_date=_pick(changes.to_date, None),
        simple_action=_pick(changes.simple_action, CatalogRuleAction.BY_PERCENT),
        discount_amount=_pick(changes.discount_amount, Decimal(0)),
        website_ids=_pick(changes.website_ids, ()),
        customer_group_ids=_pick(changes.customer_group_ids, ()),
    )
    async with in_transaction():
        problems, conditions = await _validate(changes, merged)
        problems.raise_if_any()
        rule = Catalogrule(
            name="",
            is_active=True,
            stop_rules_processing=True,
            sort_order=0,
            simple_action=CatalogRuleAction.BY_PERCENT,
            discount_amount=Decimal(0),
            conditions_serialized=dump_catalog_conditions(ProductCombine()),
        )
        await _save(rule, changes, conditions)
        await rule_index.reindex_rules([rule.rule_id])
        touch(Topic.PROMOTIONS)
    return await get(rule.rule_id)


async def update(rule_id: int, changes: CatalogRuleChanges) -> CatalogRuleDetails:
    async with in_transaction():
        rule = await Catalogrule.get_or_none(rule_id=rule_id)
        if rule is None:
            raise not_found(rule_id)
        current = (await details([rule]))[0]
        merged = _Merged(
            name=_pick(changes.name, rule.name),
            from_date=_pick(changes.from_date, rule.from_date),
            to_date=_pick(changes.to_date, rule.to_date),
            simple_action=_pick(changes.simple_action, CatalogRuleAction(rule.simple_action)),
            discount_amount=_pick(changes.discount_amount, Decimal(str(rule.discount_amount))),
            website_ids=_pick(changes.website_ids, current.website_ids),
            customer_group_ids=_pick(changes.customer_group_ids, current.customer_group_ids),
        )
        problems, conditions = await _validate(changes, merged)
        problems.raise_if_any()
        await _save(rule, changes, conditions)
        await rule_index.reindex_rules([rule_id])
        touch(Topic.PROMOTIONS)
    return await get(rule_id)


async def delete(rule_id: int) -> CatalogRuleDetails:
    """Delete a rule; the prices of the products it matched are rebuilt without it."""
    async with in_transaction():
        rule = await Catalogrule.get_or_none(rule_id=rule_id)
        if rule is None:
            raise not_found(rule_id)
        gone = (await details([rule]))[0]
        matched = sorted(
            await _ids(
                CatalogruleProduct.filter(rule_id=rule_id)
                .distinct()
                .values_list("product_id", flat=True)
            )
        )
        await rule.delete()  # its websites, groups and index rows cascade
        if matched:
            await rule_index.rebuild_prices(product_ids=matched)
        touch(Topic.PROMOTIONS)
    return gone


async def apply_all() -> rule_index.IndexSummary:
    """Magento's "Apply Rules": rebuild both index tables from every rule, in one transaction."""
    async with in_transaction():
        return await rule_index.reindex_all()
