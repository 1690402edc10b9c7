"""Related product rules for admins (Magento's `TargetRule\\Model\\Rule` save with the admin
form's checks). A save or delete re-matches the rule in the same transaction
(`index.reindex_rules`) and bumps `RELATIONS`, so the storefront never shows a rule that is saved
but not indexed. Both condition trees arrive as Magento's JSON and are checked against the
catalogue (attributes, operators, options, categories) before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from tortoise.transactions import in_transaction

from engine.catalog import KEEP, Keep
from engine.errors import DomainError, NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from engine.pagination import Page, PageRequest, paginate
from engine.rules.tree import ProductCombine
from engine.targetrule import index
from engine.targetrule.conditions import (
    check_rule_trees,
    dump_display,
    dump_match,
    parse_display,
    parse_match,
)
from engine.targetrule.tree import DisplayCombine
from models import (
    MagentoCustomersegmentSegment,
    MagentoTargetrule,
    MagentoTargetruleCustomersegment,
)
from models.targetrule import ApplyTo

T = TypeVar("T")

NAME_MAX_LENGTH = 255
MAX_POSITIONS = 20
"""`Helper\\Data::MAX_PRODUCT_LIST_RESULT`: a rule shows at most 20 products; 0 means 20."""

NAME_REQUIRED = '"name" is required. Enter and try again.'
DATES_OUT_OF_ORDER = "End Date must follow Start Date."
LIMIT_RANGE = "Result Limit must be a whole number from 0 to 20 (0 means 20)."
RULE_NOT_FOUND = "The rule with the specified ID wasn't found. Verify the ID and try again."


@dataclass(frozen=True)
class RuleChanges:
    """What an admin sends; `KEEP` leaves a value as it is, `None` clears a date. An empty
    segment list is "All" (no `magento_targetrule_customersegment` rows)."""

    name: str | Keep = KEEP
    is_active: bool | Keep = KEEP
    apply_to: ApplyTo | Keep = KEEP
    from_date: date | Keep | None = KEEP
    to_date: date | Keep | None = KEEP
    sort_order: int | Keep = KEEP
    positions_limit: int | Keep = KEEP
    segment_ids: tuple[int, ...] | Keep = KEEP
    conditions_serialized: str | Keep = KEEP
    actions_serialized: str | Keep = KEEP


@dataclass(frozen=True)
class RuleDetails:
    rule: MagentoTargetrule
    segment_ids: tuple[int, ...]
    match: ProductCombine
    display: DisplayCombine


@dataclass(frozen=True)
class RuleFilter:
    name_contains: str | None = None
    ids: Sequence[int] | None = None
    is_active: bool | None = None
    apply_to: ApplyTo | None = None


def not_found(path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(Problem(ProblemCode.NOT_FOUND, RULE_NOT_FOUND, path))


def positions(rule: MagentoTargetrule) -> int:
    """The rule's result limit (`Rule::getPositionsLimit`: 0 or empty is 20)."""
    return rule.positions_limit or MAX_POSITIONS


async def segment_ids_of(rule_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {r: [] for r in rule_ids}
    rows = (
        await MagentoTargetruleCustomersegment.filter(rule_id__in=list(rule_ids) or [0])
        .order_by("segment_id")
        .values_list("rule_id", "segment_id")
    )
    for rule_id, segment_id in cast(list[Any], rows):
        found.setdefault(int(rule_id), []).append(int(segment_id))
    return {r: tuple(ids) for r, ids in found.items()}


async def details(rules: Sequence[MagentoTargetrule]) -> list[RuleDetails]:
    segments = await segment_ids_of([r.rule_id for r in rules])
    return [
        RuleDetails(
            rule=r,
            segment_ids=segments.get(r.rule_id, ()),
            match=parse_match(r.conditions_serialized),
            display=parse_display(r.actions_serialized),
        )
        for r in rules
    ]


async def get(rule_id: int, path: str = "uid") -> RuleDetails:
    rule = await MagentoTargetrule.get_or_none(rule_id=rule_id)
    if rule is None:
        raise not_found(path)
    return (await details([rule]))[0]


async def page(filter_: RuleFilter, request: PageRequest) -> Page[MagentoTargetrule]:
    query = MagentoTargetrule.all().order_by("sort_order", "rule_id")
    if filter_.name_contains:
        query = query.filter(name__icontains=filter_.name_contains)
    if filter_.ids is not None:
        query = query.filter(rule_id__in=list(filter_.ids) or [0])
    if filter_.is_active is not None:
        query = query.filter(is_active=filter_.is_active)
    if filter_.apply_to is not None:
        query = query.filter(apply_to=filter_.apply_to)
    return await paginate(query, request)


def _pick(change: T | Keep, current: T) -> T:
    return current if isinstance(change, Keep) else change


async def _validate(
    changes: RuleChanges, name: str, from_date: date | None, to_date: date | None
) -> tuple[Problems, ProductCombine | None, DisplayCombine | None]:
    problems = Problems()
    match: ProductCombine | None = None
    display: DisplayCombine | None = None
    try:
        match, display = await check_rule_trees(
            None
            if isinstance(changes.conditions_serialized, Keep)
            else changes.conditions_serialized,
            None if isinstance(changes.actions_serialized, Keep) else changes.actions_serialized,
        )
    except DomainError as error:
        problems.items.extend(error.problems)
    if not name.strip():
        problems.add(ProblemCode.REQUIRED, NAME_REQUIRED, "input.name")
    elif len(name.strip()) > NAME_MAX_LENGTH:
        problems.add(
            ProblemCode.TOO_LONG,
            f"Name is more than {NAME_MAX_LENGTH} characters. Enter a shorter name.",
            "input.name",
        )
    if from_date is not None and to_date is not None and to_date < from_date:
        problems.add(ProblemCode.INVALID, DATES_OUT_OF_ORDER, "input.to_date")
    if isinstance(changes.positions_limit, int) and not 0 <= changes.positions_limit <= 20:
        problems.add(ProblemCode.INVALID, LIMIT_RANGE, "input.positions_limit")
    if isinstance(changes.segment_ids, tuple) and changes.segment_ids:
        known = {
            int(i)
            for i in cast(
                list[Any],
                await MagentoCustomersegmentSegment.filter(
                    segment_id__in=list(changes.segment_ids)
                ).values_list("segment_id", flat=True),
            )
        }
        for position, segment_id in enumerate(changes.segment_ids):
            if segment_id not in known:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'Could not find a customer segment with ID "{segment_id}"',
                    f"input.customer_segment_uids.{position}",
                )
    return problems, match, display


async def _save(
    rule: MagentoTargetrule,
    changes: RuleChanges,
    match: ProductCombine | None,
    display: DisplayCombine | None,
) -> None:
    if isinstance(changes.name, str):
        rule.name = changes.name.strip()
    for name in ("is_active", "apply_to", "from_date", "to_date", "sort_order", "positions_limit"):
        value = getattr(changes, name)
        if not isinstance(value, Keep):
            setattr(rule, name, value)
    if match is not None:
        rule.conditions_serialized = dump_match(match)
    if display is not None:
        rule.actions_serialized = dump_display(display)
    await rule.save()
    if isinstance(changes.segment_ids, tuple):
        await MagentoTargetruleCustomersegment.filter(rule_id=rule.rule_id).delete()
        for segment_id in sorted(set(changes.segment_ids)):
            await MagentoTargetruleCustomersegment.create(
                rule_id=rule.rule_id, segment_id=segment_id
            )


async def create(changes: RuleChanges) -> RuleDetails:
    """Create and index a rule. Omitted: inactive (Magento's default), related products, no
    dates, priority 0, limit 0 (20), All segments, empty trees (every product, every
    candidate)."""
    async with in_transaction():
        problems, match, display = await _validate(
            changes,
            _pick(changes.name, ""),
            _pick(changes.from_date, None),
            _pick(changes.to_date, None),
        )
        problems.raise_if_any()
        rule = MagentoTargetrule(
            name="",
            is_active=False,
            apply_to=ApplyTo.RELATED,
            sort_order=0,
            positions_limit=0,
            conditions_serialized=dump_match(ProductCombine()),
            actions_serialized=dump_display(DisplayCombine()),
        )
        await _save(rule, changes, match, display)
        await index.reindex_rules([rule.rule_id])
    return await get(rule.rule_id)


async def update(rule_id: int, changes: RuleChanges) -> RuleDetails:
    async with in_transaction():
        rule = await MagentoTargetrule.get_or_none(rule_id=rule_id)
        if rule is None:
            raise not_found()
        problems, match, display = await _validate(
            changes,
            _pick(changes.name, rule.name or ""),
            _pick(changes.from_date, rule.from_date),
            _pick(changes.to_date, rule.to_date),
        )
        problems.raise_if_any()
        await _save(rule, changes, match, display)
        await index.reindex_rules([rule_id])
    return await get(rule_id)


async def delete(rule_id: int) -> RuleDetails:
    """Delete a rule; its segments and index rows cascade."""
    async with in_transaction():
        rule = await MagentoTargetrule.get_or_none(rule_id=rule_id)
        if rule is None:
            raise not_found()
        gone = (await details([rule]))[0]
        await rule.delete()
        touch(Topic.RELATIONS)
    return gone
