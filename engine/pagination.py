"""Magento's `pageSize` / `currentPage` pagination, with its validation messages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from engine.errors import InputInvalid, Problem, ProblemCode

M = TypeVar("M", bound=Model)
T = TypeVar("T")

MAX_PAGE_SIZE = 300


@dataclass(frozen=True)
class PageRequest:
    page_size: int
    current_page: int

    def validate(self) -> None:
        if self.current_page < 1:
            raise InputInvalid(
                Problem(
                    ProblemCode.INVALID, "currentPage value must be greater than 0.", "currentPage"
                )
            )
        if self.page_size < 1:
            raise InputInvalid(
                Problem(ProblemCode.INVALID, "pageSize value must be greater than 0.", "pageSize")
            )
        if self.page_size > MAX_PAGE_SIZE:
            raise InputInvalid(
                Problem(
                    ProblemCode.INVALID,
                    f"pageSize value must not be greater than {MAX_PAGE_SIZE}.",
                    "pageSize",
                )
            )


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total_count: int
    page_size: int
    current_page: int

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total_count / self.page_size) if self.total_count else 0


def check_page_exists(request: PageRequest, total: int) -> None:
    """As Magento, asking past the last page is an input error (page 1 of nothing is fine)."""
    request.validate()
    pages = math.ceil(total / request.page_size) if total else 0
    if request.current_page > max(pages, 1):
        raise InputInvalid(
            Problem(
                ProblemCode.INVALID,
                f"currentPage value {request.current_page} specified is greater than the "
                f"{pages} page(s) available.",
                "currentPage",
            )
        )


async def paginate(query: QuerySet[M], request: PageRequest) -> Page[M]:
    """One page of `query`."""
    total = await query.count()
    check_page_exists(request, total)
    offset = (request.current_page - 1) * request.page_size
    items = await query.offset(offset).limit(request.page_size)
    return Page(items, total, request.page_size, request.current_page)


def page_of_list(rows: Sequence[M], request: PageRequest) -> Page[M]:
    """One page of rows already loaded (a DataLoader's), with `paginate`'s rules."""
    check_page_exists(request, len(rows))
    start = (request.current_page - 1) * request.page_size
    return Page(
        list(rows[start : start + request.page_size]),
        len(rows),
        request.page_size,
        request.current_page,
    )
