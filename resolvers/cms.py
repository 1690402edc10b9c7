"""CMS: the storefront's `cmsPage` and `cmsBlocks`, and admin CRUD of pages and blocks."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine.cms import blocks, pages
from engine.errors import DomainError, InputInvalid, NoSuchEntity, Problem, ProblemCode
from graph.cms import (
    AdminCmsBlock,
    AdminCmsPage,
    CmsBlock,
    CmsBlockInput,
    CmsBlockOutput,
    CmsBlocks,
    CmsPage,
    CmsPageInput,
    CmsPageOutput,
)
from graph.context import Info
from graph.errors import UserError
from graph.uids import decode_uid
from models import CmsBlock as CmsBlockRow
from models import CmsPage as CmsPageRow
from resolvers.access import require_admin

PAGE_ID_MISSING = "Page id/identifier should be specified"
BLOCK_IDS_MISSING = '"identifiers" of CMS blocks should be specified'


@strawberry.type
class Query:
    @strawberry.field(description="Return details about a CMS page.")
    async def cmsPage(
        self,
        info: Info,
        id: Annotated[
            int | None,
            strawberry.argument(
                description="The ID of the CMS page (deprecated: use `identifier`)."
            ),
        ] = None,
        identifier: Annotated[
            str | None, strawberry.argument(description="The identifier of the CMS page.")
        ] = None,
    ) -> CmsPage | None:
        await info.context.viewer()
        store = await info.context.store()
        if identifier is not None and identifier != "":
            page = await pages.page_for_store(identifier, store.store_id)
            asked: object = identifier
        elif id is not None:
            page = await pages.page_by_id(id, store.store_id)
            asked = id
        else:
            raise InputInvalid(Problem(ProblemCode.REQUIRED, PAGE_ID_MISSING, "identifier"))
        if page is None:
            raise NoSuchEntity(
                Problem(ProblemCode.NOT_FOUND, pages.PAGE_NOT_FOUND.format(asked), "identifier")
            )
        return CmsPage.of(page)

    @strawberry.field(description="Return information about CMS blocks.")
    async def cmsBlocks(
        self,
        info: Info,
        identifiers: Annotated[
            list[str | None] | None, strawberry.argument(description="An array of CMS block IDs.")
        ] = None,
    ) -> CmsBlocks | None:
        await info.context.viewer()
        wanted = [i for i in identifiers or [] if i]
        if not wanted:
            raise InputInvalid(Problem(ProblemCode.REQUIRED, BLOCK_IDS_MISSING, "identifiers"))
        store = await info.context.store()
        rows = await blocks.blocks_for_store(wanted, store.store_id)
        return CmsBlocks(items=[CmsBlock.of(row) for row in rows])

    @strawberry.field(description="Every CMS page, active or not (admin token required).")
    async def adminCmsPages(self, info: Info) -> list[AdminCmsPage]:
        await require_admin(info)
        rows = await CmsPageRow.all().order_by("page_id")
        return [AdminCmsPage.of(d) for d in await pages.page_details(rows)]

    @strawberry.field(description="Every CMS block, active or not (admin token required).")
    async def adminCmsBlocks(self, info: Info) -> list[AdminCmsBlock]:
        await require_admin(info)
        rows = await CmsBlockRow.all().order_by("block_id")
        return [AdminCmsBlock.of(d) for d in await blocks.block_details(rows)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a CMS page (admin token required).")
    async def adminCreateCmsPage(
        self,
        info: Info,
        input: Annotated[
            CmsPageInput,
            strawberry.argument(
                description="The new page's identifier, title, content and store views."
            ),
        ],
    ) -> CmsPageOutput:
        await require_admin(info)
        try:
            details = await pages.create_page(input.data())
        except DomainError as error:
            return CmsPageOutput(page=None, user_errors=UserError.from_error(error))
        return CmsPageOutput(page=AdminCmsPage.of(details), user_errors=[])

    @strawberry.mutation(description="Replace a CMS page (admin token required).")
    async def adminUpdateCmsPage(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the CMS page to change.")
        ],
        input: Annotated[
            CmsPageInput,
            strawberry.argument(
                description=(
                    "The page's identifier, title, content and store views, replacing the old ones."
                )
            ),
        ],
    ) -> CmsPageOutput:
        await require_admin(info)
        try:
            details = await pages.update_page(decode_uid(uid), input.data())
        except DomainError as error:
            return CmsPageOutput(page=None, user_errors=UserError.from_error(error))
        return CmsPageOutput(page=AdminCmsPage.of(details), user_errors=[])

    @strawberry.mutation(description="Delete a CMS page and its URLs (admin token required).")
    async def adminDeleteCmsPage(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the CMS page to delete.")
        ],
    ) -> CmsPageOutput:
        await require_admin(info)
        try:
            await pages.delete_page(decode_uid(uid))
        except DomainError as error:
            return CmsPageOutput(page=None, user_errors=UserError.from_error(error))
        return CmsPageOutput(page=None, user_errors=[])

    @strawberry.mutation(description="Create a CMS block (admin token required).")
    async def adminCreateCmsBlock(
        self,
        info: Info,
        input: Annotated[
            CmsBlockInput,
            strawberry.argument(
                description="The new block's identifier, title, content and store views."
            ),
        ],
    ) -> CmsBlockOutput:
        await require_admin(info)
        try:
            details = await blocks.create_block(input.data())
        except DomainError as error:
            return CmsBlockOutput(block=None, user_errors=UserError.from_error(error))
        return CmsBlockOutput(block=AdminCmsBlock.of(details), user_errors=[])

    @strawberry.mutation(description="Replace a CMS block (admin token required).")
    async def adminUpdateCmsBlock(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the CMS block to change.")
        ],
        input: Annotated[
            CmsBlockInput,
            strawberry.argument(
                description=(
                    "The block's identifier, title, content and store views, replacing the "
                    "old ones."
                )
            ),
        ],
    ) -> CmsBlockOutput:
        await require_admin(info)
        try:
            details = await blocks.update_block(decode_uid(uid), input.data())
        except DomainError as error:
            return CmsBlockOutput(block=None, user_errors=UserError.from_error(error))
        return CmsBlockOutput(block=AdminCmsBlock.of(details), user_errors=[])

    @strawberry.mutation(description="Delete a CMS block (admin token required).")
    async def adminDeleteCmsBlock(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the CMS block to delete.")
        ],
    ) -> CmsBlockOutput:
        await require_admin(info)
        try:
            await blocks.delete_block(decode_uid(uid))
        except DomainError as error:
            return CmsBlockOutput(block=None, user_errors=UserError.from_error(error))
        return CmsBlockOutput(block=None, user_errors=[])
