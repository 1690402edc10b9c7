"""Limits on input values, checked in one place before an operation runs.

Every argument and input field the schema accepts passes through `InputLimits` (a schema
extension): the operation's arguments, with its variables coerced, are walked against the schema
and each scalar is checked against its limit. A limit is declared next to the input, in the
field's or argument's metadata (`strawberry.field(..., metadata=length(32))`); a field without one
gets its type's default:

- `String` and `ID`: no NUL character and no text that is not UTF-8 (PostgreSQL refuses both;
  SQLite would store them), at most `TEXT` characters. An input stored in a `varchar` column that
  the engine does not already check with Magento's message (customer and address attributes,
  names, codes do: `"Name Prefix" length must be equal or less than 40 characters.`) declares its
  length here, so PostgreSQL never sees a value it would refuse.
- `Float`: fits a `decimal(20,6)` column (less than 10^14 in absolute value).
- `Int`: GraphQL's 32 bits already fit every `int` column; `smallint` columns declare `SMALLINT`.
- Input objects nest at most `MAX_OBJECT_DEPTH` levels (typed condition trees), and variables
  at most `MAX_INPUT_DEPTH` levels of JSON, measured before they are coerced, so nothing
  recursive runs on a hostile depth.

A value past its limit refuses the whole operation before any resolver runs (so nothing is
written): one `graphql-input` error per problem, with the argument's path in
`extensions.input_path` (`input.items.0.sku`)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from graph.errors import Category

LIMIT_KEY = "mageseg.limit"
# Magento's `text` column; also the bound for values that are never stored (passwords, searches).
TEXT = 65_535
# Levels of lists and objects in a variable's or a serialized tree's JSON (a condition costs two:
# the node and its list of children).
MAX_INPUT_DEPTH = 64
# Levels of input objects in an argument (a typed condition tree costs one per level).
MAX_OBJECT_DEPTH = 32


@dataclass(frozen=True)
class Limit:
    """What one input value may be: `max_length` characters (String, ID), a decimal column's
    `digits` (precision, scale) (Float), an integer `int_range` (Int), and for a serialized tree
    (Magento's `conditions_serialized`) the JSON nesting `max_depth`."""

    max_length: int | None = TEXT
    digits: tuple[int, int] = (20, 6)
    int_range: tuple[int, int] | None = None
    max_depth: int | None = None


def limit(**fields: Any) -> dict[str, Limit]:
    """Metadata declaring a field's or argument's limit: `metadata=limit(max_length=32)`."""
    return {LIMIT_KEY: Limit(**fields)}


def length(characters: int) -> dict[str, Limit]:
    return limit(max_length=characters)


DEFAULT = Limit()
# A text column, or a value that is never stored.
LONG_TEXT = length(TEXT)
# A serialized condition tree (Magento JSON) in a text column.
SERIALIZED_TREE = limit(max_length=TEXT, max_depth=MAX_INPUT_DEPTH)
# A value the engine checks itself with Magento's message (the layer only refuses NUL and text
# that is not UTF-8): a wish list line's quantity is a line error, not a refused operation.
CHECKED_BY_ENGINE = limit(max_length=TEXT, digits=(309, 0))
# A quantity column: decimal(12,4).
QUANTITY = limit(digits=(12, 4))
SMALLINT = limit(int_range=(-32_768, 32_767))
# A masked cart id (`quote_id_mask.masked_id`, varchar(32)).
CART_ID = length(32)
# A SKU (`catalog_product_entity.sku`, varchar(64)).
SKU = length(64)


def declared(definition: Any) -> Limit:
    """The limit a GraphQL argument or input field declares, or the default."""
    strawberry_definition = (definition.extensions or {}).get("strawberry-definition")
    metadata = getattr(strawberry_definition, "metadata", None) or {}
    found = metadata.get(LIMIT_KEY)
    return found if isinstance(found, Limit) else DEFAULT


@dataclass(frozen=True)
class Refusal:
    message: str
    path: str
    field_path: tuple[str, ...]


def scalar_problem(value: Any, type_name: str, rule: Limit) -> str | None:
    """What is wrong with one scalar value, as the end of a sentence, or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return "contains a NUL character"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "is not valid UTF-8 text"
        if rule.max_length is not None and len(value) > rule.max_length:
            return f"is longer than {rule.max_length} characters"
        if rule.max_depth is not None and json_depth(value) > rule.max_depth:
            return f"is nested deeper than {rule.max_depth} levels"
        return None
    if type_name == "Float" and isinstance(value, int | float):
        precision, scale = rule.digits
        if not math.isfinite(value) or abs(value) >= 10 ** (precision - scale):
            return f"is out of range (less than 10^{precision - scale} in absolute value)"
        return None
    if type_name == "Int" and isinstance(value, int) and rule.int_range is not None:
        low, high = rule.int_range
        if not low <= value <= high:
            return f"is out of range ({low} to {high})"
    return None


def json_depth(text: str) -> int:
    """How deep brackets nest in `text` (outside JSON strings), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def value_depth(value: Any) -> int:
    """How deep lists and objects nest in a decoded JSON value (iteratively)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_INPUT_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def check_value(
    value: Any, type_: GraphQLInputType, rule: Limit, path: str, depth: int = 0
) -> Iterator[tuple[str, str]]:
    """(path, problem) for each value past its limit under `value` of GraphQL type `type_`."""
    if value is None:
        return
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if depth >= MAX_OBJECT_DEPTH and isinstance(type_, GraphQLInputObjectType):
        yield path, f"is nested deeper than {MAX_OBJECT_DEPTH} input objects"
        return
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            yield from check_value(item, type_.of_type, rule, f"{path}.{index}", depth)
        return
    if isinstance(type_, GraphQLInputObjectType):
        if not isinstance(value, Mapping):
            return
        for name, field in type_.fields.items():
            if name in value:
                yield from check_value(
                    value[name], field.type, declared(field), f"{path}.{name}", depth + 1
                )
        return
    if isinstance(type_, GraphQLScalarType):
        problem = scalar_problem(value, type_.name, rule)
        if problem is not None:
            yield path, problem


class _Walker:
    """Every field of one operation (through fragments), with its coerced arguments."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.refusals: list[Refusal] = []

    def walk(
        self,
        selection_set: SelectionSetNode | None,
        parent: Any,
        variables: VariableValues,
        field_path: tuple[str, ...],
        seen: frozenset[str] = frozenset(),
    ) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent, variables, field_path, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = (
                    parent
                    if condition is None
                    else self.schema.get_type(condition.name.value) or parent
                )
                self.walk(selection.selection_set, inner, variables, field_path, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                inner = self.schema.get_type(fragment.type_condition.name.value) or parent
                self.walk(fragment.selection_set, inner, variables, field_path, seen | {name})

    def field(
        self,
        node: FieldNode,
        parent: Any,
        variables: VariableValues,
        field_path: tuple[str, ...],
        seen: frozenset[str],
    ) -> None:
        fields = getattr(parent, "fields", None)
        definition = fields.get(node.name.value) if fields else None
        if definition is None:
            return  # __typename, introspection
        key = (node.alias or node.name).value
        path = (*field_path, key)
        if definition.args:
            try:
                arguments = get_argument_values(definition, node, variables)
            except GraphQLError:
                arguments = {}  # execution reports it
            for name, argument in definition.args.items():
                if name in arguments:
                    for input_path, problem in check_value(
                        arguments[name], argument.type, declared(argument), name
                    ):
                        self.refusals.append(
                            Refusal(f'Value of "{input_path}" {problem}.', input_path, path)
                        )
        self.walk(node.selection_set, get_named_type(definition.type), variables, path, seen)


def refusals(
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> list[Refusal]:
    """Every input value of the operation past its limit (empty when all are within)."""
    if variables and value_depth(variables) > MAX_INPUT_DEPTH:
        return [Refusal(f"Variables are nested deeper than {MAX_INPUT_DEPTH} levels.", "", ())]
    operation = get_operation_ast(document, operation_name)
    if not isinstance(operation, OperationDefinitionNode):
        return []
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {})
    )
    if isinstance(coerced, list):
        return []  # invalid variables: execution reports them
    root = schema.get_root_type(operation.operation)
    if not isinstance(root, GraphQLObjectType):
        return []
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walker = _Walker(schema, fragments)
    walker.walk(operation.selection_set, root, coerced, ())
    return walker.refusals


class InputLimits(SchemaExtension):
    """Refuses an operation with an input value past its limit before anything executes."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            found = refusals(
                context.schema._schema, document, context.operation_name, context.variables
            )
            if found:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            r.message,
                            path=list(r.field_path) or None,
                            extensions={
                                "category": Category.INPUT.value,
                                **({"input_path": r.path} if r.path else {}),
                            },
                        )
                        for r in found
                    ],
                )
        yield
