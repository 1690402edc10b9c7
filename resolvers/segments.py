"""Customer segments, for admins: CRUD, refresh, preview, explain, members, reports and the
condition catalogue."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import carts
from engine.auth import ViewerKind
from engine.errors import DomainError, InputInvalid, NotAuthorized, Problem, ProblemCode
from engine.pagination import Page, PageRequest
from engine.segments import catalog as segment_catalog
from engine.segments import service
from engine.segments.catalog_types import Option
from engine.segments.drafts import ConditionDraft
from engine.segments.tree import Operator
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.dates import magento_datetime_or_none
from graph.errors import UserError
from graph.limits import CART_ID
from graph.segments import (
    CustomerSegmentStorefront,
    DeleteSegmentOutput,
    Segment,
    SegmentApplyTo,
    SegmentCondition,
    SegmentConditionAttribute,
    SegmentConditionOperator,
    SegmentConditionOption,
    SegmentConditionType,
    SegmentConditionTypeInfo,
    SegmentConditionValueKind,
    SegmentCreateInput,
    SegmentExplanation,
    SegmentExplanationNode,
    SegmentFilterInput,
    SegmentMember,
    SegmentMembers,
    SegmentOutput,
    SegmentPreview,
    SegmentPreviewInput,
    SegmentRefresh,
    SegmentRefreshStatus,
    SegmentReport,
    SegmentReportMode,
    SegmentReportRow,
    Segments,
    SegmentSeenValue,
    SegmentsRefreshOutput,
    SegmentUpdateInput,
    current_segments,
    segment_uid,
)
from graph.uids import decode_uid, encode_uid
from models import ApplyTo, MagentoCustomersegmentSegment
from resolvers.access import CUSTOMER_NOT_AUTHORIZED, require_admin
from resolvers.inputs import decode_uids, uids_of_filter


async def present(rows: list[MagentoCustomersegmentSegment]) -> list[Segment]:
    ids = [row.segment_id for row in rows]
    websites = await service.website_ids(ids)
    events = await service.event_names(ids)
    conditions = await service.typed_conditions(rows)
    return [
        Segment(
            uid=segment_uid(row.segment_id),
            id=row.segment_id,
            name=row.name,
            description=row.description,
            is_active=row.is_active,
            apply_to=SegmentApplyTo(int(row.apply_to)),
            website_uids=[strawberry.ID(encode_uid(w)) for w in websites[row.segment_id]],
            conditions=_conditions(conditions[row.segment_id]),
            conditions_serialized=service.serialized_of(row),
            refresh=SegmentRefresh(
                status=SegmentRefreshStatus(str(row.refresh_status)),
                matched_count=row.matched_count,
                duration_ms=row.refresh_duration_ms,
                queued_at=magento_datetime_or_none(row.refresh_queued_at),
                started_at=magento_datetime_or_none(row.refresh_started_at),
                finished_at=magento_datetime_or_none(row.refresh_finished_at),
                error=row.refresh_error,
            ),
            events=events[row.segment_id],
            created_at=magento_datetime_or_none(row.created_at),
            updated_at=magento_datetime_or_none(row.updated_at),
        )
        for row in rows
    ]


def _conditions(draft: ConditionDraft | None) -> SegmentCondition | None:
    return None if draft is None else SegmentCondition.of(draft)


def _member(member: service.Member) -> SegmentMember:
    return SegmentMember(
        customer_uid=strawberry.ID(encode_uid(member.customer_id)),
        customer_id=member.customer_id,
        email=member.email,
        firstname=member.firstname,
        lastname=member.lastname,
        website_uid=strawberry.ID(encode_uid(member.website_id)),
        added_date=magento_datetime_or_none(member.added_date),
        updated_date=magento_datetime_or_none(member.updated_date),
    )


def _page_info(page: Page[service.Member]) -> SearchResultPageInfo:
    return SearchResultPageInfo(
        current_page=page.current_page, page_size=page.page_size, total_pages=page.total_pages
    )


def _changes(
    input: SegmentCreateInput | SegmentUpdateInput | SegmentPreviewInput,
) -> service.SegmentChanges:
    """Input as engine values; every malformed uid is reported at once."""
    problems: list[Problem] = []
    website_ids = None
    uids = getattr(input, "website_uids", None)
    if uids is not None:
        try:
            website_ids = decode_uids(uids, "input.website_uids")
        except DomainError as error:
            problems.extend(error.problems)
    if problems:
        raise InputInvalid(problems)
    return service.SegmentChanges(
        name=getattr(input, "name", None),
        description=getattr(input, "description", None),
        is_active=getattr(input, "is_active", None),
        apply_to=None if input.apply_to is None else ApplyTo(int(str(input.apply_to.value))),
        website_ids=website_ids,
        conditions=None if input.conditions is None else input.conditions.draft(),
        conditions_serialized=input.conditions_serialized,
    )


def _options(items: tuple[Option, ...]) -> list[SegmentConditionOption]:
    return [SegmentConditionOption(value=o.value, label=o.label) for o in items]


def _operators(items: tuple[Operator, ...]) -> list[SegmentConditionOperator]:
    return [SegmentConditionOperator(o.value) for o in items]


def _catalog_info(entry: segment_catalog.NodeTypeDescription) -> SegmentConditionTypeInfo:
    return SegmentConditionTypeInfo(
        type=SegmentConditionType(entry.type.value),
        group=entry.group,
        label=entry.label,
        sentence=entry.sentence,
        attributes=[
            SegmentConditionAttribute(
                code=a.code,
                label=a.label,
                input_type=None if a.input_type is None else a.input_type.value,
                operators=_operators(a.operators),
                options=_options(a.options),
            )
            for a in entry.attributes
        ],
        operators=_operators(entry.operators),
        value_kind=SegmentConditionValueKind(entry.value_kind.value),
        value_options=_options(entry.value_options),
        takes_aggregator=entry.takes_aggregator,
        child_types=[SegmentConditionType(t.value) for t in entry.child_types],
        available_for_visitors=entry.available_for_visitors,
        visitor_values=list(entry.visitor_values),
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Customer segments associated with the current customer or guest/visitor, "
        "evaluated live: a customer token gives the customer's segments; a guest sends the "
        "masked id of their cart (and the `X-Magento-Visitor` header for viewed products)."
    )
    async def customerSegments(
        self,
        info: Info,
        cartId: Annotated[
            str,
            strawberry.argument(
                metadata=CART_ID,
                description=(
                    "The masked ID of the shopper's cart, which identifies a guest (and a "
                    "signed-in customer's cart)."
                ),
            ),
        ],
    ) -> list[CustomerSegmentStorefront | None] | None:
        viewer = await info.context.viewer()
        if viewer.kind is ViewerKind.ADMIN:
            raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
        if viewer.customer_id is not None:
            return await current_segments(info, customer_id=viewer.customer_id)
        if not cartId.strip():
            raise InputInvalid(
                Problem(ProblemCode.REQUIRED, 'Required parameter "cartId" is missing', "cartId")
            )
        quote = await carts.cart_for_caller(cartId, viewer, await info.context.store())
        return await current_segments(
            info,
            customer_id=None,
            quote_id=quote.entity_id,
            visitor_id=quote.visitor_id,  # type: ignore[attr-defined]
        )

    @strawberry.field(description="One customer segment by uid (admin token required).")
    async def adminSegment(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the segment to return.")
        ],
    ) -> Segment | None:
        await require_admin(info)
        return (await present([await service.get(decode_uid(uid))]))[0]

    @strawberry.field(
        description="Customer segments, filtered and paginated (admin token required)."
    )
    async def adminSegments(
        self,
        info: Info,
        filter: Annotated[
            SegmentFilterInput | None,
            strawberry.argument(description="Conditions the segments must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> Segments:
        await require_admin(info)
        filter_ = service.SegmentFilter(
            name_contains=filter.name.match if filter and filter.name else None,
            ids=uids_of_filter(filter.uid if filter else None, "filter.uid"),
            is_active=filter.is_active if filter else None,
        )
        page = await service.page(filter_, PageRequest(pageSize, currentPage))
        return Segments(
            items=await present(page.items),
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="The customers a segment matched at its last refresh, ordered by website "
        "and customer id (admin token required)."
    )
    async def adminSegmentMembers(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the segment whose members to return."),
        ],
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> SegmentMembers | None:
        await require_admin(info)
        page = await service.members(decode_uid(uid), PageRequest(pageSize, currentPage))
        return SegmentMembers(
            items=[_member(m) for m in page.items],
            page_info=_page_info(page),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="How many customers unsaved conditions match on a website, and a page of "
        "them ordered by customer id; nothing is saved (admin token required)."
    )
    async def adminPreviewSegment(
        self,
        info: Info,
        input: Annotated[
            SegmentPreviewInput,
            strawberry.argument(description="The website and the unsaved conditions to evaluate."),
        ],
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> SegmentPreview:
        await require_admin(info)
        try:
            website_id = decode_uid(input.website_uid, "input.website_uid")
            page = await service.preview(
                _changes(input), website_id, PageRequest(pageSize, currentPage)
            )
        except DomainError as error:
            if not all(p.path.startswith("input") for p in error.problems):
                raise
            return SegmentPreview(
                total_count=None, items=[], page_info=None, user_errors=UserError.from_error(error)
            )
        return SegmentPreview(
            total_count=page.total_count,
            items=[_member(m) for m in page.items],
            page_info=_page_info(page),
            user_errors=[],
        )

    @strawberry.field(
        description="Why a registered customer, or a guest cart (masked id), is or is not in a "
        "segment on a website: every node with its result and the values it saw "
        "(admin token required)."
    )
    async def adminExplainSegment(
        self,
        info: Info,
        uid: Annotated[strawberry.ID, strawberry.argument(description="The `uid` of the segment.")],
        website_uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the website to evaluate the segment on."),
        ],
        customer_uid: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description=(
                    "The `uid` of the registered customer to explain; give this or `cart_id`."
                )
            ),
        ] = None,
        cart_id: Annotated[
            str | None,
            strawberry.argument(
                metadata=CART_ID,
                description=(
                    "The masked ID of the guest cart to explain; give this or `customer_uid`."
                ),
            ),
        ] = None,
    ) -> SegmentExplanation | None:
        await require_admin(info)
        problems: list[Problem] = []
        ids: dict[str, int | None] = {"uid": None, "website_uid": None, "customer_uid": None}
        for name, value in (
            ("uid", uid),
            ("website_uid", website_uid),
            ("customer_uid", customer_uid),
        ):
            if value is None:
                continue
            try:
                ids[name] = decode_uid(value, name)
            except DomainError as error:
                problems.extend(error.problems)
        if problems:
            raise InputInvalid(problems)
        segment_id, website_id = ids["uid"], ids["website_uid"]
        assert segment_id is not None
        assert website_id is not None
        explained = await service.explain(
            segment_id, website_id, customer_id=ids["customer_uid"], cart_id=cart_id
        )
        return SegmentExplanation(
            matched=explained.matched,
            nodes=[
                SegmentExplanationNode(
                    path=n.path,
                    type=SegmentConditionType(n.type.value),
                    sentence=n.sentence,
                    result=n.result,
                    seen=[SegmentSeenValue(name=k, value=v) for k, v in n.seen],
                )
                for n in explained.nodes
            ],
        )

    @strawberry.field(
        description="Distinct customers of each segment and of their union or intersection, "
        "from the stored members (admin token required)."
    )
    async def adminSegmentReport(
        self,
        info: Info,
        uids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="The `uid`s of the segments to count."),
        ],
        mode: Annotated[
            SegmentReportMode,
            strawberry.argument(
                description="Whether to count the union or the intersection of the segments."
            ),
        ] = SegmentReportMode.UNION,
    ) -> SegmentReport | None:
        await require_admin(info)
        result = await service.report(
            decode_uids(uids, "uids"), service.ReportMode(str(mode.value))
        )
        return SegmentReport(
            mode=mode,
            segments=[
                SegmentReportRow(
                    segment_uid=segment_uid(r.segment_id),
                    name=r.name,
                    customer_count=r.customer_count,
                )
                for r in result.rows
            ],
            customer_count=result.customer_count,
        )

    @strawberry.field(
        description="Every condition type, attribute, operator and value option a segment may "
        "use, for rule-builder UIs (admin token required)."
    )
    async def adminSegmentConditionCatalog(self, info: Info) -> list[SegmentConditionTypeInfo]:
        await require_admin(info)
        catalog = await segment_catalog.load_catalog()
        return [_catalog_info(e) for e in segment_catalog.describe_node_types(catalog)]


def _refused(error: DomainError) -> SegmentOutput:
    return SegmentOutput(segment=None, user_errors=UserError.from_error(error))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a segment; its members are refreshed in the background "
        "(admin token required)."
    )
    async def adminCreateSegment(
        self,
        info: Info,
        input: Annotated[
            SegmentCreateInput,
            strawberry.argument(
                description="The new segment: name, websites, Apply To, active flag and conditions."
            ),
        ],
    ) -> SegmentOutput:
        await require_admin(info)
        try:
            row = await service.create(_changes(input))
        except DomainError as error:
            return _refused(error)
        return SegmentOutput(segment=(await present([row]))[0], user_errors=[])

    @strawberry.mutation(
        description="Change a segment; its members are refreshed in the background. Apply To "
        "cannot change (admin token required)."
    )
    async def adminUpdateSegment(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the segment to change.")
        ],
        input: Annotated[
            SegmentUpdateInput,
            strawberry.argument(description="The segment's new values (Apply To cannot change)."),
        ],
    ) -> SegmentOutput:
        await require_admin(info)
        try:
            row = await service.update(decode_uid(uid), _changes(input))
        except DomainError as error:
            return _refused(error)
        return SegmentOutput(segment=(await present([row]))[0], user_errors=[])

    @strawberry.mutation(
        description="Delete a segment with its members and events; refused while other "
        "segments' conditions name it (admin token required)."
    )
    async def adminDeleteSegment(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the segment to delete.")
        ],
    ) -> DeleteSegmentOutput:
        await require_admin(info)
        try:
            row = await service.delete(decode_uid(uid))
        except DomainError as error:
            return DeleteSegmentOutput(deleted_uid=None, user_errors=UserError.from_error(error))
        return DeleteSegmentOutput(deleted_uid=segment_uid(row.segment_id), user_errors=[])

    @strawberry.mutation(
        description="Queue a full refresh of a segment's members (admin token required)."
    )
    async def adminRefreshSegment(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the segment to refresh.")
        ],
    ) -> SegmentOutput:
        await require_admin(info)
        try:
            rows = await service.queue_refresh([decode_uid(uid)])
        except DomainError as error:
            return _refused(error)
        return SegmentOutput(segment=(await present(rows))[0], user_errors=[])

    @strawberry.mutation(
        description="Queue a full refresh of the given segments, or of every segment with "
        "`all: true` (admin token required)."
    )
    async def adminRefreshSegments(
        self,
        info: Info,
        uids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="The `uid`s of the segments to refresh."),
        ] = None,
        all: Annotated[
            bool,
            strawberry.argument(
                description="Refresh every segment instead of the ones `uids` names."
            ),
        ] = False,
    ) -> SegmentsRefreshOutput:
        await require_admin(info)
        try:
            if all == (uids is not None):
                raise InputInvalid(
                    Problem(ProblemCode.REQUIRED, "Give either uids or all: true.", "uids")
                )
            rows = await service.queue_refresh(None if all else decode_uids(uids or [], "uids"))
        except DomainError as error:
            return SegmentsRefreshOutput(segments=[], user_errors=UserError.from_error(error))
        return SegmentsRefreshOutput(segments=await present(rows), user_errors=[])
