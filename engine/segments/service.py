"""The admin's operations on customer segments: save (validated, with events and a queued
refresh, in one transaction), delete, list, members, preview, explain, report and export.

Transaction boundaries: `create`, `update`, `delete` and `queue_refresh` each run in one
transaction; `refresh.mark_queued` runs inside it and `refresh.notify_queued` after the commit,
so a worker never sees a queued segment whose save was rolled back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from tortoise import connections
from tortoise.transactions import in_transaction

from engine.errors import (
    DomainError,
    InputInvalid,
    NoSuchEntity,
    Problem,
    ProblemCode,
    Problems,
)
from engine.invalidation import Topic, touch
from engine.pagination import Page, PageRequest, check_page_exists, paginate
from engine.segments import catalog as catalog_module
from engine.segments import evaluate, events, facts, magento_json, refresh, sql, stored, validate
from engine.segments.catalog_types import Catalog
from engine.segments.drafts import ConditionDraft, ConditionType
from engine.segments.scope_loader import build_scope
from engine.segments.tree import Combine, Node
from models import (
    ApplyTo,
    CustomerEntity,
    MagentoCustomersegmentCustomer,
    MagentoCustomersegmentEvent,
    MagentoCustomersegmentSegment,
    MagentoCustomersegmentWebsite,
    Quote,
    QuoteIdMask,
    StoreWebsite,
)
from models.stores import ADMIN_WEBSITE_ID

NAME_MAX_LENGTH = 255
EXPORT_BATCH = 1000
EMPTY_ROOT = ConditionDraft(type=ConditionType.COMBINE, aggregator="all", value="1")


@dataclass(frozen=True)
class SegmentChanges:
    """What an admin sends; `None` leaves a value as it is. At most one of `conditions` and
    `conditions_serialized` (Magento's JSON text)."""

    name: str | None = None
    description: str | None = None
    is_active: bool | None = None
    apply_to: ApplyTo | None = None
    website_ids: Sequence[int] | None = None
    conditions: ConditionDraft | None = None
    conditions_serialized: str | None = None


@dataclass(frozen=True)
class SegmentFilter:
    name_contains: str | None = None
    ids: Sequence[int] | None = None
    is_active: bool | None = None


class ReportMode(StrEnum):
    UNION = "union"
    INTERSECTION = "intersect"


@dataclass(frozen=True)
class Member:
    """One membership row (or a preview match, without dates) with its customer."""

    customer_id: int
    email: str
    firstname: str | None
    lastname: str | None
    website_id: int
    added_date: datetime | None = None
    updated_date: datetime | None = None


@dataclass(frozen=True)
class ReportRow:
    segment_id: int
    name: str
    customer_count: int


@dataclass(frozen=True)
class Report:
    mode: ReportMode
    rows: list[ReportRow]
    customer_count: int


def not_found(segment_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f'The segment with ID "{segment_id}" does not exist.', path)
    )


async def get(segment_id: int, path: str = "uid") -> MagentoCustomersegmentSegment:
    segment = await MagentoCustomersegmentSegment.get_or_none(segment_id=segment_id)
    if segment is None:
        raise not_found(segment_id, path)
    return segment


async def page(filter_: SegmentFilter, request: PageRequest) -> Page[MagentoCustomersegmentSegment]:
    query = MagentoCustomersegmentSegment.all().order_by("segment_id")
    if filter_.name_contains:
        query = query.filter(name__icontains=filter_.name_contains)
    if filter_.ids is not None:
        query = query.filter(segment_id__in=list(filter_.ids))
    if filter_.is_active is not None:
        query = query.filter(is_active=filter_.is_active)
    return await paginate(query, request)


async def website_ids(segment_ids: Sequence[int]) -> dict[int, list[int]]:
    rows = await MagentoCustomersegmentWebsite.filter(segment_id__in=list(segment_ids)).order_by(
        "website_id"
    )
    result: dict[int, list[int]] = {segment_id: [] for segment_id in segment_ids}
    for row in rows:
        result[row.segment_id].append(row.website_id)  # type: ignore[attr-defined]
    return result


async def event_names(segment_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = await MagentoCustomersegmentEvent.filter(segment_id__in=list(segment_ids)).order_by(
        "event"
    )
    result: dict[int, list[str]] = {segment_id: [] for segment_id in segment_ids}
    for row in rows:
        result[row.segment_id].append(row.event)  # type: ignore[attr-defined]
    return result


async def typed_conditions(
    segments: Sequence[MagentoCustomersegmentSegment],
) -> dict[int, ConditionDraft | None]:
    """Each stored tree as checked drafts (Magento's node shape with comma lists split and values
    normalized, as `build_tree` reads them), for display; `None` when the stored tree is corrupt
    (the segment stays readable so an admin can replace it)."""
    catalog = await catalog_module.load_catalog()
    references = await stored.reference_graph()
    result: dict[int, ConditionDraft | None] = {}
    for segment in segments:
        try:
            tree = await stored.load_tree(segment, catalog, references=references)
        except stored.CorruptTree:
            result[segment.segment_id] = None
        else:
            result[segment.segment_id] = validate.dump_tree(tree)
    return result


def serialized_of(segment: MagentoCustomersegmentSegment) -> str:
    return segment.conditions_serialized or magento_json.dumps(EMPTY_ROOT)


# --- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    tree: Combine
    serialized: str


async def _reference_graph() -> Mapping[int, frozenset[int]]:
    return await stored.reference_graph()


async def _check_conditions(
    problems: Problems,
    changes: SegmentChanges,
    apply_to: ApplyTo,
    segment_id: int | None,
    catalog: Catalog,
    path: str = "input",
) -> _Checked | None:
    """The tree the input describes, or `None` with the problems added."""
    if changes.conditions is not None and changes.conditions_serialized is not None:
        problems.add(
            ProblemCode.INVALID,
            "Give either conditions or conditions_serialized, not both.",
            f"{path}.conditions_serialized",
        )
        return None
    try:
        if changes.conditions_serialized is not None:
            draft_path = f"{path}.conditions_serialized"
            draft = magento_json.loads(changes.conditions_serialized, draft_path)
        else:
            draft_path = f"{path}.conditions"
            draft = changes.conditions or EMPTY_ROOT
        tree = validate.build_tree(
            draft,
            catalog,
            apply_to=apply_to,
            segment_id=segment_id,
            references=await _reference_graph(),
            path=draft_path,
        )
    except DomainError as error:
        problems.items.extend(error.problems)
        return None
    if changes.conditions_serialized is not None:
        # Kept as pasted, so a Magento export reads back unchanged.
        serialized = changes.conditions_serialized
    else:
        serialized = magento_json.dumps(validate.dump_tree(tree))
    return _Checked(tree, serialized)


async def _check_fields(
    problems: Problems, changes: SegmentChanges, creating: bool, path: str = "input"
) -> None:
    if changes.name is not None or creating:
        name = (changes.name or "").strip()
        if not name:
            problems.add(
                ProblemCode.REQUIRED, '"name" is required. Enter and try again.', "input.name"
            )
        elif len(name) > NAME_MAX_LENGTH:
            problems.add(
                ProblemCode.TOO_LONG,
                f"Name is more than {NAME_MAX_LENGTH} characters. Enter a shorter name.",
                f"{path}.name",
            )
    if changes.website_ids is not None:
        known = {
            cast(int, w)
            for w in await StoreWebsite.exclude(website_id=ADMIN_WEBSITE_ID).values_list(
                "website_id", flat=True
            )
        }
        for index, website_id in enumerate(changes.website_ids):
            if website_id not in known:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'Could not find a website with ID "{website_id}"',
                    f"{path}.website_uids.{index}",
                )


async def _referenced_for_events(
    segment_id: int, tree: Combine, catalog: Catalog
) -> dict[int, Node | None]:
    """The trees of the segments `tree` names, on any of the segment's websites, so that their
    events count as the segment's own."""
    if not validate.referenced_segment_ids(tree):
        return {}
    found: dict[int, Node | None] = {}
    website_ids = await MagentoCustomersegmentWebsite.filter(segment_id=segment_id).values_list(
        "website_id", flat=True
    )
    for website_id in website_ids:
        for key, node in (
            await stored.referenced_trees(tree, cast(int, website_id), catalog)
        ).items():
            if found.get(key) is None:
                found[key] = node
    return found


async def _save_relations(
    segment: MagentoCustomersegmentSegment,
    checked: _Checked | None,
    website_ids: Sequence[int] | None,
    catalog: Catalog,
) -> None:
    segment_id = segment.segment_id
    if website_ids is not None:
        await MagentoCustomersegmentWebsite.filter(segment_id=segment_id).delete()
        for website_id in sorted(set(website_ids)):
            await MagentoCustomersegmentWebsite.create(segment_id=segment_id, website_id=website_id)
        # Members of websites the segment left are no longer members.
        await (
            MagentoCustomersegmentCustomer.filter(segment_id=segment_id)
            .exclude(website_id__in=sorted(set(website_ids)) or [-1])
            .delete()
        )
    if checked is not None:
        await MagentoCustomersegmentEvent.filter(segment_id=segment_id).delete()
        referenced = await _referenced_for_events(segment_id, checked.tree, catalog)
        names = events.events_of(checked.tree, ApplyTo(segment.apply_to), referenced=referenced)
        for name in sorted(names):
            await MagentoCustomersegmentEvent.create(segment_id=segment_id, event=name)


async def _dependents(segment_id: int) -> list[int]:
    """Segments whose conditions read this one, directly or through others."""
    graph = await _reference_graph()
    found: set[int] = set()
    todo = [segment_id]
    while todo:
        current = todo.pop()
        for owner, referenced in graph.items():
            if current in referenced and owner not in found and owner != segment_id:
                found.add(owner)
                todo.append(owner)
    return sorted(found)


# --- mutations --------------------------------------------------------------------------------


async def create(changes: SegmentChanges) -> MagentoCustomersegmentSegment:
    apply_to = changes.apply_to if changes.apply_to is not None else ApplyTo.BOTH
    catalog = await catalog_module.load_catalog()
    async with in_transaction():
        problems = Problems()
        await _check_fields(problems, changes, creating=True)
        checked = await _check_conditions(problems, changes, apply_to, None, catalog)
        problems.raise_if_any()
        assert checked is not None
        segment = await MagentoCustomersegmentSegment.create(
            name=(changes.name or "").strip(),
            description=changes.description,
            is_active=True if changes.is_active is None else changes.is_active,
            apply_to=apply_to,
            conditions_serialized=checked.serialized,
            processing_frequency=1,
        )
        await _save_relations(segment, checked, changes.website_ids or (), catalog)
        touch(Topic.SEGMENTS)
        await refresh.mark_queued([segment.segment_id])
    await refresh.notify_queued()
    return await get(segment.segment_id)


async def update(segment_id: int, changes: SegmentChanges) -> MagentoCustomersegmentSegment:
    catalog = await catalog_module.load_catalog()
    async with in_transaction():
        segment = await get(segment_id)
        problems = Problems()
        apply_to = ApplyTo(segment.apply_to)
        if changes.apply_to is not None and changes.apply_to != apply_to:
            problems.add(
                ProblemCode.PROTECTED,
                "Apply To cannot be changed after the segment is created.",
                "input.apply_to",
            )
        await _check_fields(problems, changes, creating=False)
        checked = None
        if changes.conditions is not None or changes.conditions_serialized is not None:
            checked = await _check_conditions(problems, changes, apply_to, segment_id, catalog)
        problems.raise_if_any()
        if changes.name is not None:
            segment.name = changes.name.strip()
        if changes.description is not None:
            segment.description = changes.description
        if changes.is_active is not None:
            segment.is_active = changes.is_active
        if checked is not None:
            segment.conditions_serialized = checked.serialized
        await segment.save()
        await _save_relations(segment, checked, changes.website_ids, catalog)
        touch(Topic.SEGMENTS)
        await refresh.mark_queued([segment_id, *await _dependents(segment_id)])
    await refresh.notify_queued()
    return await get(segment_id)


async def delete(segment_id: int) -> MagentoCustomersegmentSegment:
    """Delete a segment with its websites, members and events (cascade). A segment that others'
    conditions name is refused: their trees would be left pointing at nothing."""
    async with in_transaction():
        segment = await get(segment_id)
        graph = await _reference_graph()
        users = sorted(owner for owner, refs in graph.items() if segment_id in refs)
        if users:
            raise InputInvalid(
                Problem(
                    ProblemCode.IN_USE,
                    f"The segment is used by the conditions of segment(s) "
                    f"{', '.join(str(u) for u in users)}.",
                    "uid",
                )
            )
        await MagentoCustomersegmentCustomer.filter(segment_id=segment_id).delete()
        await MagentoCustomersegmentEvent.filter(segment_id=segment_id).delete()
        await MagentoCustomersegmentWebsite.filter(segment_id=segment_id).delete()
        await segment.delete()
        touch(Topic.SEGMENTS)
    return segment


async def queue_refresh(segment_ids: Sequence[int] | None) -> list[MagentoCustomersegmentSegment]:
    """Queue a full refresh of these segments (every segment when `None`)."""
    async with in_transaction():
        if segment_ids is None:
            ids = [
                cast(int, i)
                for i in await MagentoCustomersegmentSegment.all()
                .order_by("segment_id")
                .values_list("segment_id", flat=True)
            ]
        else:
            found = {
                cast(int, i)
                for i in await MagentoCustomersegmentSegment.filter(
                    segment_id__in=list(segment_ids)
                ).values_list("segment_id", flat=True)
            }
            problems = Problems()
            for index, segment_id in enumerate(segment_ids):
                if segment_id not in found:
                    problems.add(
                        ProblemCode.NOT_FOUND,
                        f'The segment with ID "{segment_id}" does not exist.',
                        f"uids.{index}",
                    )
            problems.raise_if_any()
            ids = list(dict.fromkeys(segment_ids))
        if ids:
            await refresh.mark_queued(ids)
    if ids:
        await refresh.notify_queued()
    rows = await MagentoCustomersegmentSegment.filter(segment_id__in=ids)
    by_id = {row.segment_id: row for row in rows}
    return [by_id[i] for i in ids]


# --- members ----------------------------------------------------------------------------------


async def _query(sql_text: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    connection = connections.get("default")
    sql_text = sql.placeholders(sql_text, sql.dialect_of(connection))
    return list(await connection.execute_query_dict(sql_text, list(params)))


_MEMBER_COLUMNS = (
    "m.customer_id AS customer_id, c.email AS email, c.firstname AS firstname, "
    "c.lastname AS lastname, m.website_id AS website_id, m.added_date AS added_date, "
    "m.updated_date AS updated_date"
)


def _member(row: Mapping[str, Any]) -> Member:
    return Member(
        customer_id=int(row["customer_id"]),
        email=row["email"],
        firstname=row.get("firstname"),
        lastname=row.get("lastname"),
        website_id=int(row["website_id"]),
        added_date=_as_datetime(row.get("added_date")),
        updated_date=_as_datetime(row.get("updated_date")),
    )


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


async def members(segment_id: int, request: PageRequest) -> Page[Member]:
    """A page of members, ordered by website then customer (the membership key's order)."""
    await get(segment_id)
    request.validate()
    total = await MagentoCustomersegmentCustomer.filter(segment_id=segment_id).count()
    check_page_exists(request, total)
    rows = await _query(
        f"SELECT {_MEMBER_COLUMNS} FROM magento_customersegment_customer m "
        "JOIN customer_entity c ON c.entity_id = m.customer_id WHERE m.segment_id = ? "
        "ORDER BY m.website_id, m.customer_id LIMIT ? OFFSET ?",
        (segment_id, request.page_size, (request.current_page - 1) * request.page_size),
    )
    return Page([_member(r) for r in rows], total, request.page_size, request.current_page)


async def export_members(segment_id: int, batch: int | None = None) -> AsyncIterator[Member]:
    """Every member, read in batches by keyset on (website_id, customer_id): memory stays flat
    whatever the segment's size. The caller checks the segment exists first (`get`)."""
    batch = batch or EXPORT_BATCH
    last_website, last_customer = -1, -1
    while True:
        rows = await _query(
            f"SELECT {_MEMBER_COLUMNS} FROM magento_customersegment_customer m "
            "JOIN customer_entity c ON c.entity_id = m.customer_id WHERE m.segment_id = ? "
            "AND (m.website_id > ? OR (m.website_id = ? AND m.customer_id > ?)) "
            "ORDER BY m.website_id, m.customer_id LIMIT ?",
            (segment_id, last_website, last_website, last_customer, batch),
        )
        for row in rows:
            yield _member(row)
        if len(rows) < batch:
            return
        last_website, last_customer = int(rows[-1]["website_id"]), int(rows[-1]["customer_id"])


async def report(segment_ids: Sequence[int], mode: ReportMode) -> Report:
    """Distinct customers per segment, and in the union or intersection of the segments."""
    problems = Problems()
    unique = list(dict.fromkeys(segment_ids))
    rows = {
        s.segment_id: s for s in await MagentoCustomersegmentSegment.filter(segment_id__in=unique)
    }
    if not unique:
        problems.add(ProblemCode.REQUIRED, "Choose at least one segment.", "uids")
    for index, segment_id in enumerate(segment_ids):
        if segment_id not in rows:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'The segment with ID "{segment_id}" does not exist.',
                f"uids.{index}",
            )
    problems.raise_if_any()
    marks = ", ".join("?" for _ in unique)
    counts = {
        int(r["segment_id"]): int(r["n"])
        for r in await _query(
            "SELECT segment_id, COUNT(DISTINCT customer_id) AS n "
            f"FROM magento_customersegment_customer WHERE segment_id IN ({marks}) "
            "GROUP BY segment_id",
            unique,
        )
    }
    having = "" if mode is ReportMode.UNION else "HAVING COUNT(DISTINCT segment_id) = ?"
    params: list[Any] = [*unique] + ([] if mode is ReportMode.UNION else [len(unique)])
    combined = await _query(
        "SELECT COUNT(*) AS n FROM (SELECT customer_id FROM magento_customersegment_customer "
        f"WHERE segment_id IN ({marks}) GROUP BY customer_id {having}) AS matched",
        params,
    )
    return Report(
        mode,
        [ReportRow(i, rows[i].name, counts.get(i, 0)) for i in unique],
        int(combined[0]["n"]),
    )


# --- preview and explain ----------------------------------------------------------------------


async def _check_website(problems: Problems, website_id: int, path: str) -> None:
    if website_id == ADMIN_WEBSITE_ID or not await StoreWebsite.exists(website_id=website_id):
        problems.add(
            ProblemCode.NOT_FOUND, f'Could not find a website with ID "{website_id}"', path
        )


async def preview(changes: SegmentChanges, website_id: int, request: PageRequest) -> Page[Member]:
    """How many customers of the website unsaved conditions match, and a page of them, ordered
    by customer id. Nothing is written."""
    apply_to = changes.apply_to if changes.apply_to is not None else ApplyTo.BOTH
    catalog = await catalog_module.load_catalog()
    problems = Problems()
    await _check_website(problems, website_id, "input.website_uid")
    checked = await _check_conditions(problems, changes, apply_to, None, catalog)
    problems.raise_if_any()
    assert checked is not None
    request.validate()
    scope = await build_scope(website_id, checked.tree, catalog=catalog)
    total = await sql.count_members(checked.tree, scope)
    check_page_exists(request, total)
    ids = await sql.member_page(
        checked.tree,
        scope,
        offset=(request.current_page - 1) * request.page_size,
        limit=request.page_size,
    )
    customers = {c.entity_id: c for c in await CustomerEntity.filter(entity_id__in=list(ids))}
    items = [
        Member(
            customer_id=i,
            email=customers[i].email,
            firstname=customers[i].firstname,
            lastname=customers[i].lastname,
            website_id=website_id,
        )
        for i in ids
        if i in customers
    ]
    return Page(items, total, request.page_size, request.current_page)


@dataclass(frozen=True)
class Explained:
    matched: bool
    nodes: list[evaluate.ExplainedNode]
    """Depth first, root first; `children` of each are also in the list."""


async def quote_of_masked_id(masked_id: str, path: str = "cart_id") -> Quote:
    mask = await QuoteIdMask.get_or_none(masked_id=masked_id)
    quote = None if mask is None else await Quote.get_or_none(entity_id=mask.quote_id)  # type: ignore[attr-defined]
    if quote is None:
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f'Could not find a cart with ID "{masked_id}"', path)
        )
    return quote


async def explain(
    segment_id: int,
    website_id: int,
    *,
    customer_id: int | None = None,
    cart_id: str | None = None,
) -> Explained:
    """Every node of the segment's tree, with its result and the values it saw, for one
    registered customer or one guest cart (masked id) on a website."""
    segment = await get(segment_id)
    problems = Problems()
    await _check_website(problems, website_id, "website_uid")
    if (customer_id is None) == (cart_id is None):
        problems.add(
            ProblemCode.REQUIRED, "Give either customer_uid or cart_id, not both.", "customer_uid"
        )
    if customer_id is not None and not await CustomerEntity.exists(entity_id=customer_id):
        problems.add(
            ProblemCode.NOT_FOUND,
            f"No such entity with customerId = {customer_id}",
            "customer_uid",
        )
    problems.raise_if_any()
    quote_id = visitor_id = None
    if cart_id is not None:
        quote = await quote_of_masked_id(cart_id)
        quote_id = quote.entity_id
        visitor_id = quote.visitor_id  # type: ignore[attr-defined]
        if quote.customer_id is not None:  # type: ignore[attr-defined]
            customer_id = quote.customer_id  # type: ignore[attr-defined]
    catalog = await catalog_module.load_catalog()
    tree = await stored.load_tree(segment, catalog)
    scope = await build_scope(website_id, tree, catalog=catalog)
    seen = await facts.load_facts(
        tree,
        scope,
        customer_id=customer_id,
        quote_id=quote_id,
        visitor_id=visitor_id,
        product_rows=True,
    )
    explanation = evaluate.explain(tree, seen, scope)
    return Explained(matched=explanation.result, nodes=list(evaluate.walk(explanation)))
