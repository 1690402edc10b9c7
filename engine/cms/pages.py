"""CMS pages (`cms_page`, `cms_page_store`): reads for a store view and admin writes.

A page shows in a store view when it is active and assigned to that view or to all (store 0);
when both a page for all views and one for the view have the identifier, the view's own wins,
as Magento's `GetPageByIdentifier`. Writes keep the page's `url_rewrite` rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from tortoise.transactions import in_transaction

from engine.errors import NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from engine.routing import rewrites
from models import CmsPage, CmsPageStore, Store, UrlEntityType

PAGE_NOT_FOUND = 'The CMS page with the "{}" ID doesn\'t exist.'
IDENTIFIER_TAKEN = "A page URL key for specified store already exists."
IDENTIFIER_INVALID = "The page URL key contains capital letters or disallowed symbols."
IDENTIFIER_NUMERIC = "The page URL key cannot be made of only numbers."
UNKNOWN_STORE = 'Store view with ID "{}" doesn\'t exist.'
IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9_\-/.]*$")
PAGE_LAYOUTS = ("empty", "1column", "2columns-left", "2columns-right", "3columns", "cms-full-width")


async def page_for_store(identifier: str, store_id: int) -> CmsPage | None:
    """The active page with this identifier in the store view (its own before an all-views one)."""
    rows = await CmsPage.filter(
        identifier=identifier, is_active=True, stores__store_id__in=[0, store_id]
    ).values_list("page_id", "stores__store_id")
    if not rows:
        return None
    page_id = max(rows, key=lambda r: int(r[1]))[0]
    return await CmsPage.get(page_id=page_id)


async def page_by_id(page_id: int, store_id: int) -> CmsPage | None:
    page = await CmsPage.get_or_none(page_id=page_id, is_active=True)
    if page is None or not await CmsPageStore.exists(page_id=page_id, store_id__in=[0, store_id]):
        return None
    return page


@dataclass(frozen=True)
class PageData:
    """A page as an admin writes it (every field; an update sends the whole page)."""

    identifier: str
    title: str
    content: str | None = None
    content_heading: str | None = None
    page_layout: str | None = "1column"
    meta_title: str | None = None
    meta_keywords: str | None = None
    meta_description: str | None = None
    is_active: bool = True
    sort_order: int = 0
    store_ids: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class PageDetails:
    page: CmsPage
    store_ids: tuple[int, ...]


async def _validate(data: PageData, page_id: int | None, path: str) -> None:
    problems = Problems()
    identifier = data.identifier.strip()
    if not identifier:
        problems.add(ProblemCode.REQUIRED, "The page URL key is required.", f"{path}.identifier")
    elif identifier.isdigit():
        problems.add(ProblemCode.INVALID, IDENTIFIER_NUMERIC, f"{path}.identifier")
    elif not IDENTIFIER.match(identifier) or len(identifier) > 100:
        problems.add(ProblemCode.INVALID, IDENTIFIER_INVALID, f"{path}.identifier")
    if not data.title.strip():
        problems.add(ProblemCode.REQUIRED, "The page title is required.", f"{path}.title")
    if data.page_layout is not None and data.page_layout not in PAGE_LAYOUTS:
        problems.add(
            ProblemCode.INVALID,
            f"The page layout must be one of {', '.join(PAGE_LAYOUTS)}.",
            f"{path}.page_layout",
        )
    known = {int(i) for i in cast(list[Any], await Store.all().values_list("store_id", flat=True))}
    for index, store_id in enumerate(data.store_ids):
        if store_id not in known:
            problems.add(
                ProblemCode.NOT_FOUND, UNKNOWN_STORE.format(store_id), f"{path}.store_ids.{index}"
            )
    if not data.store_ids:
        problems.add(
            ProblemCode.REQUIRED, "A page needs at least one store view.", f"{path}.store_ids"
        )
    if identifier and not problems:
        others = CmsPage.filter(identifier=identifier)
        if page_id is not None:
            others = others.exclude(page_id=page_id)
        taken = {
            int(i)
            for i in cast(
                list[Any],
                await CmsPageStore.filter(
                    page_id__in=[p.page_id for p in await others]
                ).values_list("store_id", flat=True),
            )
        }
        if taken & set(data.store_ids) or (taken and 0 in data.store_ids) or (0 in taken):
            problems.add(ProblemCode.ALREADY_EXISTS, IDENTIFIER_TAKEN, f"{path}.identifier")
    problems.raise_if_any()


async def _write(page: CmsPage, data: PageData) -> PageDetails:
    page.identifier = data.identifier.strip()
    page.title = data.title.strip()
    page.content = data.content  # type: ignore[assignment]
    page.content_heading = data.content_heading
    page.page_layout = data.page_layout
    page.meta_title = data.meta_title
    page.meta_keywords = data.meta_keywords  # type: ignore[assignment]
    page.meta_description = data.meta_description  # type: ignore[assignment]
    page.is_active = data.is_active
    page.sort_order = data.sort_order
    await page.save()
    await CmsPageStore.filter(page_id=page.page_id).delete()
    stores = tuple(sorted(set(data.store_ids)))
    for store_id in stores:
        await CmsPageStore.create(page_id=page.page_id, store_id=store_id)
    await rewrites.refresh_cms_pages([page.page_id])
    touch(Topic.SEGMENTS)
    return PageDetails(page, stores)


async def create_page(data: PageData) -> PageDetails:
    async with in_transaction():
        await _validate(data, None, "input")
        return await _write(CmsPage(), data)


async def update_page(page_id: int, data: PageData) -> PageDetails:
    async with in_transaction():
        page = await CmsPage.get_or_none(page_id=page_id)
        if page is None:
            raise NoSuchEntity(
                Problem(ProblemCode.NOT_FOUND, PAGE_NOT_FOUND.format(page_id), "uid")
            )
        await _validate(data, page_id, "input")
        return await _write(page, data)


async def delete_page(page_id: int) -> None:
    async with in_transaction():
        deleted = await CmsPage.filter(page_id=page_id).delete()
        if not deleted:
            raise NoSuchEntity(
                Problem(ProblemCode.NOT_FOUND, PAGE_NOT_FOUND.format(page_id), "uid")
            )
        await rewrites.remove(UrlEntityType.CMS_PAGE, [page_id])
        touch(Topic.SEGMENTS)


async def page_details(pages: Sequence[CmsPage]) -> list[PageDetails]:
    links: dict[int, list[int]] = {}
    for page_id, store_id in await CmsPageStore.filter(
        page_id__in=[p.page_id for p in pages]
    ).values_list("page_id", "store_id"):
        links.setdefault(int(page_id), []).append(int(store_id))
    return [PageDetails(p, tuple(sorted(links.get(p.page_id, [])))) for p in pages]
