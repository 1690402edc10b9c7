"""Dynamic blocks: the storefront's `dynamicBlocks`, and admin CRUD."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import carts, dynamic_blocks, views
from engine.auth import GUEST, ViewerKind
from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.pagination import PageRequest
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.dynamic_blocks import (
    AdminDeleteDynamicBlockOutput,
    AdminDynamicBlock,
    AdminDynamicBlockContentInput,
    AdminDynamicBlockCreateInput,
    AdminDynamicBlockFilterInput,
    AdminDynamicBlockOutput,
    AdminDynamicBlocks,
    AdminDynamicBlockUpdateInput,
    DynamicBlock,
    DynamicBlocks,
    DynamicBlocksFilterInput,
)
from graph.errors import UserError
from graph.uids import decode_uid, encode_uid
from graph.wishlists import visitor_session
from models import MagentoBanner
from models.stores import ADMIN_STORE_ID
from resolvers.access import require_admin
from resolvers.groups import viewer_group_id
from resolvers.inputs import decode_uids, uids_of_filter

INPUT_MISSING = 'Required parameter "input" is missing'


async def _shopper(info: Info) -> dynamic_blocks.Shopper:
    """The caller as the storefront sees them; an admin token is served as a guest."""
    viewer = await info.context.viewer()
    store = await info.context.store()
    customer_id = viewer.customer_id if viewer.kind is ViewerKind.CUSTOMER else None
    visitor_id = None
    if customer_id is None:
        visitor = await views.find_visitor(visitor_session(info))
        visitor_id = None if visitor is None else visitor.visitor_id
    return dynamic_blocks.Shopper(
        store_id=store.store_id,
        website_id=store.website.website_id,
        timezone=store.website.timezone,
        group_id=await viewer_group_id(info),
        customer_id=customer_id,
        visitor_id=visitor_id,
        now=info.context.services.clock.now(),
    )


async def _query(info: Info, input: DynamicBlocksFilterInput | None) -> dynamic_blocks.BlockQuery:
    if input is None:
        raise InputInvalid(Problem(ProblemCode.REQUIRED, INPUT_MISSING, "input"))
    uids = [uid for uid in input.dynamic_block_uids or () if uid is not None]
    cart = None
    if input.cart_id:
        viewer = await info.context.viewer()
        if viewer.kind is ViewerKind.ADMIN:  # served as a guest (see `_shopper`)
            viewer = GUEST
        quote = await carts.cart_for_caller(input.cart_id, viewer, await info.context.store())
        cart = dynamic_blocks.CartScope.of(quote)
    return dynamic_blocks.BlockQuery(
        type=input.type.block_type,
        locations=[loc.location for loc in input.locations or () if loc is not None],
        banner_ids=decode_uids(uids, "input.dynamic_block_uids") if uids else None,
        cart=cart,
        product_id=None
        if input.product_uid is None
        else decode_uid(input.product_uid, "input.product_uid"),
    )


async def _present(rows: list[MagentoBanner]) -> list[AdminDynamicBlock]:
    return [AdminDynamicBlock.of(item) for item in await dynamic_blocks.details(rows)]


def _contents(
    contents: list[AdminDynamicBlockContentInput] | None,
) -> tuple[list[dynamic_blocks.ContentDraft] | None, list[Problem]]:
    if contents is None:
        return None, []
    drafts: list[dynamic_blocks.ContentDraft] = []
    problems: list[Problem] = []
    for index, content in enumerate(contents):
        store_id = ADMIN_STORE_ID
        if content.store_uid is not None:
            try:
                store_id = decode_uid(content.store_uid, f"input.contents.{index}.store_uid")
            except DomainError as error:
                problems.extend(error.problems)
                continue
        drafts.append(dynamic_blocks.ContentDraft(store_id, content.html))
    return drafts, problems


def _changes(
    input: AdminDynamicBlockCreateInput | AdminDynamicBlockUpdateInput,
) -> dynamic_blocks.BlockChanges:
    """Input as engine values; every malformed uid is reported at once."""
    contents, problems = _contents(input.contents)
    decoded: dict[str, list[int] | None] = {}
    for field in ("segment_uids", "cart_rule_uids", "catalog_rule_uids"):
        uids: list[strawberry.ID] | None = getattr(input, field)
        decoded[field] = None
        if uids is not None:
            try:
                decoded[field] = decode_uids(uids, f"input.{field}")
            except DomainError as error:
                problems.extend(error.problems)
    if problems:
        raise InputInvalid(problems)
    return dynamic_blocks.BlockChanges(
        name=input.name,
        is_enabled=input.is_enabled,
        sort_order=input.sort_order,
        locations=None if input.locations is None else [loc.location for loc in input.locations],
        contents=contents,
        segment_ids=decoded["segment_uids"],
        cart_rule_ids=decoded["cart_rule_uids"],
        catalog_rule_ids=decoded["catalog_rule_uids"],
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Return a list of dynamic blocks filtered by type, location, or UIDs: the "
        "enabled blocks the caller may see in this store view (segment targeting evaluated "
        "live; a guest's visitor is the one the `X-Magento-Visitor` header names)."
    )
    async def dynamicBlocks(
        self,
        info: Info,
        input: Annotated[
            DynamicBlocksFilterInput | None,
            strawberry.argument(
                description="Defines the filter for returning matching dynamic blocks."
            ),
        ] = None,
        pageSize: Annotated[int | None, PAGE_SIZE] = 20,
        currentPage: Annotated[int | None, CURRENT_PAGE] = 1,
    ) -> DynamicBlocks:
        shopper = await _shopper(info)
        request = PageRequest(
            20 if pageSize is None else pageSize, 1 if currentPage is None else currentPage
        )
        query = await _query(info, input)
        page = await dynamic_blocks.storefront_blocks(query, shopper, request)
        return DynamicBlocks(
            items=[DynamicBlock.of(block) for block in page.items],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(description="Dynamic blocks, filtered and paginated (admin token required).")
    async def adminDynamicBlocks(
        self,
        info: Info,
        filter: Annotated[
            AdminDynamicBlockFilterInput | None,
            strawberry.argument(description="Conditions the dynamic blocks must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> AdminDynamicBlocks:
        await require_admin(info)
        filter_ = dynamic_blocks.BlockFilter(
            name_contains=filter.name.match if filter and filter.name else None,
            ids=uids_of_filter(filter.uid if filter else None, "filter.uid"),
            is_enabled=filter.is_enabled if filter else None,
        )
        page = await dynamic_blocks.page(filter_, PageRequest(pageSize, currentPage))
        return AdminDynamicBlocks(
            items=await _present(page.items),
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="One dynamic block by uid (admin token required); null with an error when "
        "there is no such block."
    )
    async def adminDynamicBlock(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the dynamic block to return."),
        ],
    ) -> AdminDynamicBlock | None:
        await require_admin(info)
        row = await dynamic_blocks.get(decode_uid(uid))
        return (await _present([row]))[0]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a dynamic block (admin token required).")
    async def adminCreateDynamicBlock(
        self,
        info: Info,
        input: Annotated[
            AdminDynamicBlockCreateInput,
            strawberry.argument(
                description="The new dynamic block: name, type, content, segments and rules."
            ),
        ],
    ) -> AdminDynamicBlockOutput:
        await require_admin(info)
        try:
            row = await dynamic_blocks.create(_changes(input), await info.context.stores())
        except DomainError as error:
            return AdminDynamicBlockOutput(
                dynamic_block=None, user_errors=UserError.from_error(error)
            )
        return AdminDynamicBlockOutput(dynamic_block=(await _present([row]))[0], user_errors=[])

    @strawberry.mutation(description="Change a dynamic block (admin token required).")
    async def adminUpdateDynamicBlock(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the dynamic block to change."),
        ],
        input: Annotated[
            AdminDynamicBlockUpdateInput,
            strawberry.argument(description="The dynamic block's new values."),
        ],
    ) -> AdminDynamicBlockOutput:
        await require_admin(info)
        try:
            row = await dynamic_blocks.update(
                decode_uid(uid), _changes(input), await info.context.stores()
            )
        except DomainError as error:
            return AdminDynamicBlockOutput(
                dynamic_block=None, user_errors=UserError.from_error(error)
            )
        return AdminDynamicBlockOutput(dynamic_block=(await _present([row]))[0], user_errors=[])

    @strawberry.mutation(
        description="Delete a dynamic block with its contents and links (admin token required)."
    )
    async def adminDeleteDynamicBlock(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the dynamic block to delete."),
        ],
    ) -> AdminDeleteDynamicBlockOutput:
        await require_admin(info)
        try:
            row = await dynamic_blocks.delete(decode_uid(uid))
        except DomainError as error:
            return AdminDeleteDynamicBlockOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return AdminDeleteDynamicBlockOutput(
            deleted_uid=strawberry.ID(encode_uid(row.banner_id)), user_errors=[]
        )
