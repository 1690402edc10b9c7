"""Custom (EAV) attributes of customers, addresses and products: their values, validated against the
attribute's metadata and stored in the typed value table Magento uses for its backend type.

Value semantics: text and textarea as sent; `int`/`decimal` parsed; boolean "0"/"1"; date and
datetime ISO 8601; select stores one option id, multiselect a comma-separated list of option ids,
as Magento does. An empty value (or empty selection) deletes the stored value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.models import Model

from engine.errors import Problem, ProblemCode
from models import (
    BackendType,
    CatalogProductEntityDatetime,
    CatalogProductEntityDecimal,
    CatalogProductEntityInt,
    CatalogProductEntityText,
    CatalogProductEntityVarchar,
    CustomerAddressEntityDatetime,
    CustomerAddressEntityDecimal,
    CustomerAddressEntityInt,
    CustomerAddressEntityText,
    CustomerAddressEntityVarchar,
    CustomerEntityDatetime,
    CustomerEntityDecimal,
    CustomerEntityInt,
    CustomerEntityText,
    CustomerEntityVarchar,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
)

VALUE_TABLES: dict[EntityType, dict[BackendType, type[Model]]] = {
    EntityType.CUSTOMER: {
        BackendType.VARCHAR: CustomerEntityVarchar,
        BackendType.INT: CustomerEntityInt,
        BackendType.DECIMAL: CustomerEntityDecimal,
        BackendType.DATETIME: CustomerEntityDatetime,
        BackendType.TEXT: CustomerEntityText,
    },
    EntityType.CUSTOMER_ADDRESS: {
        BackendType.VARCHAR: CustomerAddressEntityVarchar,
        BackendType.INT: CustomerAddressEntityInt,
        BackendType.DECIMAL: CustomerAddressEntityDecimal,
        BackendType.DATETIME: CustomerAddressEntityDatetime,
        BackendType.TEXT: CustomerAddressEntityText,
    },
    # Product values are per store view in Magento; mageseg writes and reads store 0 (admin).
    EntityType.CATALOG_PRODUCT: {
        BackendType.VARCHAR: CatalogProductEntityVarchar,
        BackendType.INT: CatalogProductEntityInt,
        BackendType.DECIMAL: CatalogProductEntityDecimal,
        BackendType.DATETIME: CatalogProductEntityDatetime,
        BackendType.TEXT: CatalogProductEntityText,
    },
}


@dataclass(frozen=True)
class AttributeValueData:
    """One value as a client sends it: `value` for scalar inputs, option ids for selects."""

    attribute_code: str
    value: str | None = None
    selected_options: tuple[str, ...] | None = None


@dataclass(frozen=True)
class StoredValue:
    """One stored value: `options` is set (value, label pairs) for select and multiselect."""

    code: str
    value: str | None
    options: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class ParsedValue:
    attribute: EavAttribute
    value: Any  # None deletes


async def _attributes(entity_type: EntityType) -> dict[str, EavAttribute]:
    rows = await EavAttribute.filter(entity_type_id=entity_type, is_user_defined=True)
    return {row.attribute_code: row for row in rows}


async def _option_ids(attribute_ids: Sequence[int]) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {attribute_id: set() for attribute_id in attribute_ids}
    for option in await EavAttributeOption.filter(attribute_id__in=list(attribute_ids)):
        result[option.attribute_id].add(str(option.option_id))  # type: ignore[attr-defined]
    return result


def parse_scalar(attribute: EavAttribute, raw: str) -> Any:
    kind = attribute.frontend_input
    if kind is FrontendInput.BOOLEAN:
        if raw not in {"0", "1"}:
            raise ValueError("takes 0 or 1")
        return int(raw)
    if attribute.backend_type is BackendType.INT:
        return int(raw)
    if attribute.backend_type is BackendType.DECIMAL:
        try:
            return Decimal(raw)
        except InvalidOperation:
            raise ValueError("takes a number") from None
    if attribute.backend_type is BackendType.DATETIME:
        if kind is FrontendInput.DATE:
            return datetime.combine(date.fromisoformat(raw), time(), tzinfo=UTC)
        parsed = datetime.fromisoformat(raw)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if attribute.backend_type is BackendType.VARCHAR and len(raw) > 255:
        raise ValueError("is longer than 255 characters")
    return raw


async def validate(
    entity_type: EntityType, values: Sequence[AttributeValueData], path: str, *, creating: bool
) -> tuple[list[ParsedValue], list[Problem]]:
    """Parsed values ready for `save`, and every problem with them. Unknown codes, values outside
    the options, and required attributes missing on creation are all reported."""
    attributes = await _attributes(entity_type)
    options = await _option_ids([a.attribute_id for a in attributes.values()])
    parsed: list[ParsedValue] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, item in enumerate(values):
        where = f"{path}.{index}"
        attribute = attributes.get(item.attribute_code)
        if attribute is None:
            problems.append(
                Problem(
                    ProblemCode.NOT_FOUND,
                    f'Attribute "{item.attribute_code}" is not a custom attribute of this entity.',
                    f"{where}.attribute_code",
                )
            )
            continue
        seen.add(item.attribute_code)
        kind = attribute.frontend_input
        if kind in (FrontendInput.SELECT, FrontendInput.MULTISELECT):
            chosen = list(item.selected_options or ())
            if not chosen and item.value:
                chosen = [v for v in item.value.split(",") if v]
            unknown = [v for v in chosen if v not in options[attribute.attribute_id]]
            if unknown or (kind is FrontendInput.SELECT and len(chosen) > 1):
                problems.append(
                    Problem(
                        ProblemCode.INVALID,
                        f'"{",".join(chosen)}" is not a valid option of '
                        f'"{attribute.attribute_code}".',
                        f"{where}.selected_options",
                    )
                )
                continue
            if kind is FrontendInput.SELECT:
                parsed.append(ParsedValue(attribute, int(chosen[0]) if chosen else None))
            else:
                parsed.append(ParsedValue(attribute, ",".join(chosen) or None))
            continue
        if item.value is None or item.value == "":
            parsed.append(ParsedValue(attribute, None))
            continue
        try:
            parsed.append(ParsedValue(attribute, parse_scalar(attribute, item.value)))
        except ValueError as error:
            problems.append(
                Problem(
                    ProblemCode.INVALID,
                    f'"{item.value}" is not a valid value of '
                    f'"{attribute.attribute_code}": {error}.',
                    f"{where}.value",
                )
            )
    required_missing = [
        a for a in attributes.values() if a.is_required and a.attribute_code not in seen
    ]
    empty_required = [p.attribute for p in parsed if p.attribute.is_required and p.value is None]
    for attribute in (required_missing if creating else []) + empty_required:
        problems.append(
            Problem(
                ProblemCode.REQUIRED,
                f'"{attribute.frontend_label}" is a required value.',
                path,
            )
        )
    return parsed, problems


async def save(entity_type: EntityType, entity_id: int, parsed: Sequence[ParsedValue]) -> None:
    """Write values checked by `validate`; callers run this inside their transaction."""
    tables = VALUE_TABLES[entity_type]
    for item in parsed:
        table = tables[item.attribute.backend_type]
        existing = table.filter(entity_id=entity_id, attribute_id=item.attribute.attribute_id)
        if item.value is None:
            await existing.delete()
        elif await existing.exists():
            await existing.update(value=item.value)
        else:
            await table.create(
                entity_id=entity_id, attribute_id=item.attribute.attribute_id, value=item.value
            )


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


async def load(
    entity_type: EntityType, entity_ids: Sequence[int], codes: Sequence[str] | None = None
) -> dict[int, list[StoredValue]]:
    """Each entity's stored custom values, in attribute sort order, optionally only `codes`."""
    attributes = await _attributes(entity_type)
    if codes is not None:
        attributes = {c: a for c, a in attributes.items() if c in set(codes)}
    by_id = {a.attribute_id: a for a in attributes.values()}
    result: dict[int, list[StoredValue]] = {entity_id: [] for entity_id in entity_ids}
    if not by_id or not entity_ids:
        return result
    labels = {
        str(row.option_id): row.value  # type: ignore[attr-defined]
        for row in await EavAttributeOptionValue.filter(
            option__attribute_id__in=list(by_id), store_id=0
        )
    }
    raw: dict[int, dict[int, Any]] = {entity_id: {} for entity_id in entity_ids}
    for table in VALUE_TABLES[entity_type].values():
        query = table.filter(entity_id__in=list(entity_ids), attribute_id__in=list(by_id))
        if "store_id" in table._meta.fields_map:
            query = query.filter(store_id=0)
        for row in await query.values("entity_id", "attribute_id", "value"):
            if row["value"] is not None:
                raw[row["entity_id"]][row["attribute_id"]] = row["value"]
    ordered = sorted(by_id.values(), key=lambda a: a.attribute_id)
    for entity_id, values in raw.items():
        for attribute in ordered:
            if attribute.attribute_id not in values:
                continue
            value = values[attribute.attribute_id]
            if attribute.frontend_input in (FrontendInput.SELECT, FrontendInput.MULTISELECT):
                ids = [v for v in str(value).split(",") if v]
                result[entity_id].append(
                    StoredValue(
                        attribute.attribute_code,
                        ",".join(ids),
                        tuple((i, labels.get(i, i)) for i in ids),
                    )
                )
            else:
                result[entity_id].append(StoredValue(attribute.attribute_code, _text(value)))
    return result
