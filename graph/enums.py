"""Building GraphQL enums from data (ISO code lists, engine enums), each value described."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry


def described_enum(name: str, values: Mapping[str, tuple[str, str]], description: str) -> Any:
    """An enum `name` whose members map NAME -> (value, description)."""
    members = {
        key: strawberry.enum_value(value, description=text) for key, (value, text) in values.items()
    }
    enum_class: Any = Enum(name, members)  # type: ignore[misc]
    return strawberry.enum(enum_class, description=description)
