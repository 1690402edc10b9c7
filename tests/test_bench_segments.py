"""The segment benchmark's own checks: its hand-written SQL and the compiler agree on a small
seeded population (so the benchmark compares equal work), and its Markdown section replaces
only itself in BENCHMARKS.md."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.context import TortoiseContext

from bench import segments as bench
from bench.seeding import CHEAP_HASHER
from engine.segments.scope_loader import build_scope
from engine.segments.sql import Dialect, compile_members
from seeds.loader import load


async def _ids(conn: Any, sql: str, params: list[Any]) -> set[int]:
    rows = await conn.execute_query_dict(f"SELECT q.customer_id AS id FROM ({sql}) AS q", params)
    return {int(row["id"]) for row in rows}


async def test_hand_written_sql_matches_the_compiler(db: TortoiseContext) -> None:
    await load(200, progress=False, hasher=CHEAP_HASHER)
    conn = db.connections.get("default")
    is_postgres = conn.capabilities.dialect == "postgres"
    dialect = Dialect.POSTGRES if is_postgres else Dialect.SQLITE
    facts = await bench._facts(conn, is_postgres, datetime.now(UTC))
    sizes = {}
    for segment in bench.segments(facts):
        sql, params = segment.hand_sql(facts)
        hand = await _ids(
            conn,
            bench.numbered(sql, is_postgres),
            list(params) if is_postgres else bench.sqlite_params(params),
        )
        scope = await build_scope(bench.WEBSITE_ID, segment.tree, now=facts.now)
        query = compile_members(segment.tree, scope, dialect)
        compiled = await _ids(conn, query.sql, list(query.params))
        assert compiled == hand, segment.key
        sizes[segment.key] = len(hand)
    # Every segment selects some customers of the 200 and leaves some out.
    assert all(0 < size < 200 for size in sizes.values()), sizes


def test_the_section_replaces_only_itself() -> None:
    document = "# Benchmarks\n\n## Seed\n\nrows\n\n## GraphQL latency\n\nms\n"
    first = bench.replace_section(document, f"{bench.SECTION} (1)\n\nold\n")
    assert first == document + f"\n{bench.SECTION} (1)\n\nold\n"
    second = bench.replace_section(first, f"{bench.SECTION} (2)\n\nnew\n")
    assert second == document + f"\n{bench.SECTION} (2)\n\nnew\n"
    middle = bench.replace_section(
        "# B\n\n" + f"{bench.SECTION} (1)\n\nold\n\n## Later\n\nx\n", f"{bench.SECTION} (2)\n"
    )
    assert middle == "# B\n\n" + f"{bench.SECTION} (2)\n\n## Later\n\nx\n"
    # The full `python -m bench` rewrites the file and carries the section over.
    assert bench.keep_section(second, document) == second
    assert bench.keep_section(document, document) == document
