"""The schema contract: the checked-in SDL matches the code, and everything is described."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from graph.schema import build_schema, schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_checked_in_schema_matches_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql is stale: run `make schema` (mageseg export-schema) and commit it"
    )


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    schema = build_schema()._schema
    missing = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if name not in ("Query", "Mutation", "Subscription") and not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in kind.fields.items() if not field.description]
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            missing += [
                f"{name}.{f}({a})"
                for f, field in kind.fields.items()
                for a, argument in field.args.items()
                if not argument.description
            ]
        if isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
    assert missing == []


def test_root_fields_keep_magento_names() -> None:
    schema = build_schema()._schema
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    queries = set(schema.query_type.fields)
    mutations = set(schema.mutation_type.fields)
    assert {"customerGroup", "storeConfig"} <= queries
    assert {"generateCustomerToken", "revokeCustomerToken"} <= mutations
