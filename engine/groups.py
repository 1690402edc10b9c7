"""Customer groups, as Magento's GroupRepository and GroupManagement: code ≤ 32 characters and
unique, a customer tax class, excluded websites, and groups 0 and the default one read-only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from engine.config import ConfigPath
from engine.errors import InputInvalid, NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from engine.pagination import Page, PageRequest, paginate
from engine.pricing import rule_index
from engine.segments import events, membership
from engine.stores import StoresSnapshot
from models import CustomerEntity, CustomerGroup, CustomerGroupExcludedWebsite, TaxClass
from models.groups import GROUP_CODE_MAX_LENGTH, NOT_LOGGED_IN_GROUP_ID
from models.stores import ADMIN_WEBSITE_ID


@dataclass(frozen=True)
class GroupChanges:
    """What an admin sends; `None` leaves a value as it is."""

    code: str | None = None
    tax_class_id: int | None = None
    excluded_website_ids: Sequence[int] | None = None


@dataclass(frozen=True)
class GroupFilter:
    code_contains: str | None = None
    ids: Sequence[int] | None = None


def not_found(group_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f"No such entity with id = {group_id}", path)
    )


async def get(group_id: int, path: str = "uid") -> CustomerGroup:
    group = await CustomerGroup.get_or_none(customer_group_id=group_id)
    if group is None:
        raise not_found(group_id, path)
    return group


async def by_ids(group_ids: Sequence[int]) -> dict[int, CustomerGroup]:
    rows = await CustomerGroup.filter(customer_group_id__in=list(group_ids))
    return {row.customer_group_id: row for row in rows}


async def page(filter_: GroupFilter, request: PageRequest) -> Page[CustomerGroup]:
    query = CustomerGroup.all().order_by("customer_group_id")
    if filter_.code_contains:
        query = query.filter(customer_group_code__icontains=filter_.code_contains)
    if filter_.ids is not None:
        query = query.filter(customer_group_id__in=list(filter_.ids))
    return await paginate(query, request)


async def excluded_website_ids(group_ids: Sequence[int]) -> dict[int, list[int]]:
    rows = await CustomerGroupExcludedWebsite.filter(
        customer_group_id__in=list(group_ids)
    ).order_by("website_id")
    result: dict[int, list[int]] = {group_id: [] for group_id in group_ids}
    for row in rows:
        result[row.customer_group_id].append(row.website_id)  # type: ignore[attr-defined]
    return result


def default_group_ids(stores: StoresSnapshot) -> set[int]:
    """Every group configured as the default for new accounts, at any scope."""
    ids = {stores.config_int(ConfigPath.DEFAULT_GROUP)}
    ids.update(stores.config_int(ConfigPath.DEFAULT_GROUP, store) for store in stores.stores)
    return ids


async def _validate(
    changes: GroupChanges, stores: StoresSnapshot, group_id: int | None, creating: bool
) -> Problems:
    problems = Problems()
    if changes.code is not None or creating:
        code = (changes.code or "").strip()
        if not code:
            problems.add(
                ProblemCode.REQUIRED, '"code" is required. Enter and try again.', "input.code"
            )
        elif len(code) > GROUP_CODE_MAX_LENGTH:
            problems.add(
                ProblemCode.TOO_LONG,
                f"Code is more than {GROUP_CODE_MAX_LENGTH} characters. Enter a shorter code.",
                "input.code",
            )
        else:
            clash = CustomerGroup.filter(customer_group_code=code)
            if group_id is not None:
                clash = clash.exclude(customer_group_id=group_id)
            if await clash.exists():
                problems.add(
                    ProblemCode.ALREADY_EXISTS, "Customer Group already exists.", "input.code"
                )
        if group_id == NOT_LOGGED_IN_GROUP_ID and changes.code is not None:
            problems.add(
                ProblemCode.PROTECTED,
                'The code of the "NOT LOGGED IN" group cannot be changed.',
                "input.code",
            )
    if changes.tax_class_id is not None and not await TaxClass.exists(
        class_id=changes.tax_class_id, class_type="CUSTOMER"
    ):
        problems.add(
            ProblemCode.NOT_FOUND,
            f'Invalid value of "{changes.tax_class_id}" provided for the taxClassId field.',
            "input.tax_class_id",
        )
    known = {w.website_id for w in stores.websites if w.website_id != ADMIN_WEBSITE_ID}
    for index, website_id in enumerate(changes.excluded_website_ids or ()):
        if website_id not in known:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'Could not find a website with ID "{website_id}"',
                f"input.excluded_website_uids.{index}",
            )
    return problems


async def _replace_exclusions(group_id: int, website_ids: Sequence[int]) -> None:
    await CustomerGroupExcludedWebsite.filter(customer_group_id=group_id).delete()
    for website_id in sorted(set(website_ids)):
        await CustomerGroupExcludedWebsite.create(customer_group_id=group_id, website_id=website_id)


async def create(
    changes: GroupChanges, stores: StoresSnapshot, tax_class_default: int
) -> CustomerGroup:
    async with in_transaction():
        (await _validate(changes, stores, None, creating=True)).raise_if_any()
        group = await CustomerGroup.create(
            customer_group_code=(changes.code or "").strip(),
            tax_class_id=changes.tax_class_id or tax_class_default,
        )
        await _replace_exclusions(group.customer_group_id, changes.excluded_website_ids or ())
        touch(Topic.SEGMENTS)  # the group options segment conditions are read with
    return group


async def update(group_id: int, changes: GroupChanges, stores: StoresSnapshot) -> CustomerGroup:
    async with in_transaction():
        group = await get(group_id)
        (await _validate(changes, stores, group_id, creating=False)).raise_if_any()
        if changes.code is not None:
            group.customer_group_code = changes.code.strip()
        if changes.tax_class_id is not None:
            group.tax_class_id = changes.tax_class_id
        await group.save()
        if changes.excluded_website_ids is not None:
            await _replace_exclusions(group_id, changes.excluded_website_ids)
            await rule_index.reindex_group(group_id)  # excluded pairs get no catalog rule
        touch(Topic.SEGMENTS)
    return group


async def delete(group_id: int, stores: StoresSnapshot) -> CustomerGroup:
    """Delete a group; its customers move to the default group, as in Magento."""
    async with in_transaction():
        group = await get(group_id)
        defaults = default_group_ids(stores)
        if group_id == NOT_LOGGED_IN_GROUP_ID or group_id in defaults:
            raise_protected(group_id)
        moved = [
            int(row[0])
            for row in await CustomerEntity.filter(group_id=group_id).values_list("entity_id")
        ]
        await CustomerEntity.filter(group_id=group_id).update(
            group_id=stores.config_int(ConfigPath.DEFAULT_GROUP)
        )
        await group.delete()
        await rule_index.forget_group(group_id)
        touch(Topic.SEGMENTS)
        # Their group changed: as a customer save each (queued refreshes when very many).
        await membership.customers_changed(moved, events.CUSTOMER_SAVE)
    return group


def raise_protected(group_id: int) -> None:
    raise InputInvalid(
        Problem(
            ProblemCode.PROTECTED,
            f"Cannot delete group {group_id}: the NOT LOGGED IN group and the default group "
            "for new accounts are read-only.",
            "uid",
        )
    )
