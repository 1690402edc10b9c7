"""CMS types: the storefront's `CmsPage` (routable) and `CmsBlocks`, and the admin's pages and
blocks with their inputs and outputs."""

from __future__ import annotations

import strawberry

from engine.cms import blocks, content, pages
from graph.context import Info
from graph.errors import UserError
from graph.limits import length
from graph.routing import RoutableInterface, UrlRewriteEntityTypeEnum
from graph.uids import encode_uid
from models import CmsBlock as CmsBlockRow
from models import CmsPage as CmsPageRow


async def rendered(info: Info, text: str | None) -> str | None:
    """CMS content with its directives rendered for the request's store view."""
    store = await info.context.store()

    async def block_content(identifier: str) -> str | None:
        block = await blocks.block_for_store(identifier, store.store_id)
        return None if block is None else block.content

    return await content.render(
        text,
        media_base_url=info.context.services.media.base_url,
        store_id=store.store_id,
        block_content=block_content,
    )


async def _page_content(root: CmsPage, info: Info) -> str | None:
    return await rendered(info, root.row.content)


@strawberry.type(description="Contains details about a CMS page.")
class CmsPage(RoutableInterface):
    row: strawberry.Private[CmsPageRow]
    content: str | None = strawberry.field(
        resolver=_page_content, description="The content of the CMS page in raw HTML."
    )
    content_heading: str | None = strawberry.field(
        description="The heading that displays at the top of the CMS page."
    )
    identifier: str | None = strawberry.field(description="The ID of a CMS page.")
    meta_description: str | None = strawberry.field(
        description="A brief description of the page for search results listings."
    )
    meta_keywords: str | None = strawberry.field(
        description="A brief description of the page for search results listings."
    )
    meta_title: str | None = strawberry.field(
        description="A page title that is indexed by search engines and appears in search "
        "results listings."
    )
    page_layout: str | None = strawberry.field(
        description="The design layout of the page, indicating the number of columns and "
        "navigation features used on the page."
    )
    title: str | None = strawberry.field(
        description="The name that appears in the breadcrumb trail navigation and in the "
        "browser title bar and tab."
    )
    url_key: str | None = strawberry.field(
        description="The URL key of the CMS page, which is often based on the `content_heading`."
    )

    @classmethod
    def of(
        cls, row: CmsPageRow, redirect_code: int = 0, relative_url: str | None = None
    ) -> CmsPage:
        return cls(
            row=row,
            content_heading=row.content_heading,
            identifier=row.identifier,
            meta_description=row.meta_description,
            meta_keywords=row.meta_keywords,
            meta_title=row.meta_title,
            page_layout=row.page_layout,
            title=row.title,
            url_key=row.identifier,
            redirect_code=redirect_code,
            relative_url=relative_url if relative_url is not None else row.identifier,
            type=UrlRewriteEntityTypeEnum.CMS_PAGE,
        )


async def _block_content(root: CmsBlock, info: Info) -> str | None:
    return await rendered(info, root.row.content)


@strawberry.type(description="Contains details about a specific CMS block.")
class CmsBlock:
    row: strawberry.Private[CmsBlockRow]
    content: str | None = strawberry.field(
        resolver=_block_content, description="The content of the CMS block in raw HTML."
    )
    identifier: str | None = strawberry.field(description="The CMS block identifier.")
    title: str | None = strawberry.field(description="The title assigned to the CMS block.")

    @classmethod
    def of(cls, row: CmsBlockRow) -> CmsBlock:
        return cls(row=row, identifier=row.identifier, title=row.title)


@strawberry.type(description="Contains an array CMS block items.")
class CmsBlocks:
    items: list[CmsBlock | None] | None = strawberry.field(description="An array of CMS blocks.")


# --- admin --------------------------------------------------------------------------------------


@strawberry.type(description="A CMS page as admins manage it (content as stored).")
class AdminCmsPage:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the page.")
    id: int = strawberry.field(description="Magento's numeric `page_id`.")
    identifier: str = strawberry.field(description="The URL key the page is reached at.")
    title: str = strawberry.field(description="The page title.")
    content: str | None = strawberry.field(description="The content, directives unrendered.")
    content_heading: str | None = strawberry.field(description="The heading above the content.")
    page_layout: str | None = strawberry.field(description="The page layout (`1column`, ...).")
    meta_title: str | None = strawberry.field(description="The meta title.")
    meta_keywords: str | None = strawberry.field(description="The meta keywords.")
    meta_description: str | None = strawberry.field(description="The meta description.")
    is_active: bool = strawberry.field(description="Whether the storefront shows it.")
    sort_order: int = strawberry.field(description="The sort order.")
    store_ids: list[int] = strawberry.field(
        description="The store views showing it; 0 means all of them."
    )

    @classmethod
    def of(cls, details: pages.PageDetails) -> AdminCmsPage:
        p = details.page
        return cls(
            uid=strawberry.ID(encode_uid(p.page_id)),
            id=p.page_id,
            identifier=p.identifier or "",
            title=p.title or "",
            content=p.content,
            content_heading=p.content_heading,
            page_layout=p.page_layout,
            meta_title=p.meta_title,
            meta_keywords=p.meta_keywords,
            meta_description=p.meta_description,
            is_active=p.is_active,
            sort_order=p.sort_order,
            store_ids=list(details.store_ids),
        )


@strawberry.input(description="A CMS page: every field is written (an update replaces the page).")
class CmsPageInput:
    identifier: str = strawberry.field(
        metadata=length(100),
        description="The URL key: lowercase letters, digits, `-`, `_`, `/`, `.`; unique per "
        "store view.",
    )
    title: str = strawberry.field(metadata=length(255), description="The page title.")
    content: str | None = strawberry.field(
        default=None, description="The HTML content; may hold `{{widget}}`, `{{media}}` directives."
    )
    content_heading: str | None = strawberry.field(
        metadata=length(255), default=None, description="The heading."
    )
    page_layout: str | None = strawberry.field(
        metadata=length(255), default="1column", description="The page layout."
    )
    meta_title: str | None = strawberry.field(
        metadata=length(255), default=None, description="The meta title."
    )
    meta_keywords: str | None = strawberry.field(default=None, description="The meta keywords.")
    meta_description: str | None = strawberry.field(
        default=None, description="The meta description."
    )
    is_active: bool = strawberry.field(default=True, description="Shown on the storefront.")
    sort_order: int = strawberry.field(default=0, description="The sort order.")
    store_ids: list[int] = strawberry.field(
        default_factory=lambda: [0], description="The store views; 0 (all) by default."
    )

    def data(self) -> pages.PageData:
        return pages.PageData(
            identifier=self.identifier,
            title=self.title,
            content=self.content,
            content_heading=self.content_heading,
            page_layout=self.page_layout,
            meta_title=self.meta_title,
            meta_keywords=self.meta_keywords,
            meta_description=self.meta_description,
            is_active=self.is_active,
            sort_order=self.sort_order,
            store_ids=tuple(self.store_ids),
        )


@strawberry.type(description="The result of an admin mutation on a CMS page.")
class CmsPageOutput:
    page: AdminCmsPage | None = strawberry.field(
        description="The page after the change; null when refused or deleted."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


@strawberry.type(description="A CMS block as admins manage it (content as stored).")
class AdminCmsBlock:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the block.")
    id: int = strawberry.field(description="Magento's numeric `block_id`.")
    identifier: str = strawberry.field(description="The identifier storefronts ask for.")
    title: str = strawberry.field(description="The block title.")
    content: str | None = strawberry.field(description="The content, directives unrendered.")
    is_active: bool = strawberry.field(description="Whether the storefront shows it.")
    store_ids: list[int] = strawberry.field(
        description="The store views showing it; 0 means all of them."
    )

    @classmethod
    def of(cls, details: blocks.BlockDetails) -> AdminCmsBlock:
        b = details.block
        return cls(
            uid=strawberry.ID(encode_uid(b.block_id)),
            id=b.block_id,
            identifier=b.identifier,
            title=b.title,
            content=b.content,
            is_active=b.is_active,
            store_ids=list(details.store_ids),
        )


@strawberry.input(description="A CMS block: every field is written (an update replaces it).")
class CmsBlockInput:
    identifier: str = strawberry.field(
        metadata=length(255), description="The identifier; unique per store view."
    )
    title: str = strawberry.field(metadata=length(255), description="The block title.")
    content: str | None = strawberry.field(default=None, description="The HTML content.")
    is_active: bool = strawberry.field(default=True, description="Shown on the storefront.")
    store_ids: list[int] = strawberry.field(
        default_factory=lambda: [0], description="The store views; 0 (all) by default."
    )

    def data(self) -> blocks.BlockData:
        return blocks.BlockData(
            identifier=self.identifier,
            title=self.title,
            content=self.content,
            is_active=self.is_active,
            store_ids=tuple(self.store_ids),
        )


@strawberry.type(description="The result of an admin mutation on a CMS block.")
class CmsBlockOutput:
    block: AdminCmsBlock | None = strawberry.field(
        description="The block after the change; null when refused or deleted."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")
