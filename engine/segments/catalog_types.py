"""The shapes of the condition catalogue: what an attribute is, where its value lives, which
operators it takes. The entries themselves are declared once in `engine/segments/catalog.py`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from engine.segments.tree import InputType, Operator


class Subject(StrEnum):
    """Whose attribute a condition reads; each has one main table."""

    CUSTOMER = "customer"  # customer_entity
    ADDRESS = "customer_address"  # customer_address_entity
    PRODUCT = "product"  # catalog_product_entity
    ORDER_ADDRESS = "order_address"  # sales_order_address


class Storage(StrEnum):
    """The SQL type a value is stored as, so both evaluators convert the condition value alike."""

    INT = "int"
    DECIMAL = "decimal"
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"


@dataclass(frozen=True)
class StaticColumn:
    """A column of the subject's main table."""

    column: str
    storage: Storage


@dataclass(frozen=True)
class EavColumn:
    """A custom attribute in a typed value table `(entity_id, attribute_id, value)`; product
    values are read for store 0 (the admin scope)."""

    table: str
    attribute_id: int
    storage: Storage


class DerivedKind(StrEnum):
    DEFAULT_ADDRESS_EXISTS = "default_address_exists"  # customer default_billing/_shipping
    CATEGORY_IDS = "category_ids"  # product, through catalog_category_product


@dataclass(frozen=True)
class Derived:
    """A value computed from other rows rather than read from one column."""

    kind: DerivedKind
    column: str = ""


AttributeSource = StaticColumn | EavColumn | Derived


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class AttributeSpec:
    """One condition attribute: the single declaration validation, both evaluators and the
    `segmentConditionCatalog` query read."""

    subject: Subject
    code: str
    label: str
    input_type: InputType
    source: AttributeSource
    operators: tuple[Operator, ...]
    options: tuple[Option, ...] = ()
    """Allowed values for select/multiselect/boolean; empty means any value of the input type."""


@dataclass(frozen=True)
class Catalog:
    """The static entries plus the custom attributes flagged for segments / promo rules, as read
    from the database at one moment."""

    attributes: Mapping[tuple[Subject, str], AttributeSpec] = field(default_factory=dict)
    order_statuses: tuple[Option, ...] = ()

    def attribute(self, subject: Subject, code: str) -> AttributeSpec | None:
        return self.attributes.get((subject, code))

    def of(self, subject: Subject) -> tuple[AttributeSpec, ...]:
        return tuple(spec for (owner, _), spec in self.attributes.items() if owner == subject)
