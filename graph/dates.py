"""How Magento's GraphQL writes a moment: its database format, `YYYY-MM-DD HH:MM:SS`, in UTC.
One function, so every `created_at` / `updated_at` / `added_at` of the API reads the same way."""

from __future__ import annotations

from datetime import UTC, datetime


def magento_datetime(value: datetime) -> str:
    """`YYYY-MM-DD HH:MM:SS` in UTC; a naive value is already UTC (as the database keeps it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def magento_datetime_or_none(value: datetime | None) -> str | None:
    return None if value is None else magento_datetime(value)
