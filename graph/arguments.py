"""Argument annotations shared by many fields, so that each is described once."""

from __future__ import annotations

import strawberry

PAGE_SIZE = strawberry.argument(description="The maximum number of results to return at once.")
CURRENT_PAGE = strawberry.argument(description="The page of results to return, counting from 1.")
