"""The live-membership benchmark's pieces, small and fast: its 100 segments save and answer
through HTTP, the rows it adds are removed, the open-loop generator times from the schedule
(a stall shows in every request it delays), wrk's report is read and its Lua script rotates the
tokens (skipped without wrk), and its Markdown section replaces only itself."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from tortoise.context import TortoiseContext

from bench import live
from bench.seeding import CHEAP_HASHER
from seeds.loader import load
from tests.graphql import gql

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:4000/graphql
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.05ms    3.10ms  41.07ms   95.12%
    Req/Sec     7.99k   512.33     8.61k    80.00%
  Latency Distribution
     50%  848.00us
     75%    1.20ms
     90%    2.55ms
     99%   21.04ms
  24032 requests in 3.02s, 5.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   7946.12
Transfer/sec:      1.66MB
"""


async def test_the_hundred_segments_save_and_answer(db: TortoiseContext, client: Any) -> None:
    await load(60, progress=False, hasher=CHEAP_HASHER)
    conn = db.connections.get("default")
    marks = await live.record_marks(conn)

    ids = await live.create_segments(conn)
    shoppers = await live.pick_shoppers(conn, cold=3, mutating=2)
    answers = [
        await gql(client, live.SEGMENTS_QUERY, {"cart": ""}, token=token)
        for token in [shoppers.hot, *shoppers.cold, *shoppers.mutating]
    ]

    assert len(ids) == 100
    kinds = Counter(s.kind for s in live.live_segments([3, 4], [10, 11]))
    assert kinds == {
        "customer attribute": 15,
        "address": 15,
        "order aggregate, relative period": 20,
        "order count, relative period": 10,
        "product history": 10,
        "cart": 15,
        "nested": 10,
        "newsletter / store credit": 5,
    }
    assert all(answer.errors == [] for answer in answers)
    # Some shopper is in some segment: the segments are not all empty for this population.
    assert any(answer.data["customerSegments"] for answer in answers)  # type: ignore[index]
    # The run's rows go again: segments by name, tokens above the marks.
    await conn.execute_script(
        f"DELETE FROM magento_customersegment_segment WHERE name LIKE '{live.NAME_PREFIX}%'"
    )
    await live.remove_added_rows(conn, marks)
    assert await live.record_marks(conn) == marks


def test_wrk_output_is_read() -> None:
    result = live.parse_wrk(WRK_OUTPUT)
    assert result == live.LoadResult(7946.12, 0.848, 21.04, 24032, 7)


async def _serve(aiohttp_server: Any, app: web.Application) -> str:
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}/graphql"


async def test_the_open_loop_times_from_the_schedule(aiohttp_server: Any) -> None:
    calls = 0

    async def stalls_once(request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        if calls == 10:
            await asyncio.sleep(0.3)
        return web.Response(body=b'{"data": {}}', content_type="application/json")

    app = web.Application()
    app.router.add_post("/graphql", stalls_once)
    url = await _serve(aiohttp_server, app)

    result = await live.open_loop(url, b"{}", ["a", "b"], rate=100, duration=1, connections=1)

    assert (result.requests, result.errors, result.unanswered) == (100, 0, 0)
    # One 300 ms stall on one connection delays the ~30 requests scheduled behind it: measured
    # from their scheduled send time, p99 shows it (a closed loop would show one slow request).
    assert result.p99_ms >= 200
    assert result.p50_ms < 100


async def test_wrk_rotates_the_tokens(aiohttp_server: Any, tmp_path: Path) -> None:
    if live.wrk_binary() is None:
        pytest.skip(live.WRK_INSTALL)
    seen: Counter[str] = Counter()

    async def record(request: web.Request) -> web.Response:
        await request.read()
        seen[request.headers.get("Authorization", "")] += 1
        return web.Response(body=b'{"data": {}}', content_type="application/json")

    app = web.Application()
    app.router.add_post("/graphql", record)
    url = await _serve(aiohttp_server, app)
    tokens = tmp_path / "tokens.txt"
    tokens.write_text("".join(f"t{i}\n" for i in range(200_000)), encoding="utf-8")

    result = await live.run_wrk(
        url, b"{}", tmp_path, duration=1, connections=2, threads=1, tokens_file=tokens, offset=5
    )

    assert result.requests > 0
    assert result.errors == 0
    # Every request carried another token, from the offset on (wrk builds one request when
    # it starts, which may take the first one).
    assert max(seen.values()) == 1
    first = min(int(token.removeprefix("Bearer t")) for token in seen)
    assert first in (5, 6)


def test_the_section_replaces_only_itself() -> None:
    args = live.parser().parse_args(["--rounds", "1", "--duration", "2", "--redis-url", ""])
    case = live.CaseResult(
        "bare", [live.LoadResult(1000, 1, 2, 2000, 0)], [live.LoadResult(1000, 1, 3, 2000, 0)]
    )
    slow = live.CaseResult(
        "cold", [live.LoadResult(10, 100, 200, 20, 0)], [live.LoadResult(50, 900, 4000, 2000, 0, 5)]
    )
    timings = live.MutationTimings([0.010, 0.012], [0.020, 0.022])
    baseline = live.MutationTimings([0.008, 0.008], [0.015, 0.016])
    report = live.Report("SQLite", 60, 300, 100, [case, slow], timings, baseline, 3, 20, args)

    section = live.render(report)

    assert section.startswith(f"{live.SECTION} (SQLite 60 customers / 300 orders, 100 active")
    assert "| bare | 1,000 | 1.00 | 1.00 | 2.00 | 1,000 | 1.00 | 3.00 | 0 |" in section
    assert "| cold | 10 | 0.01 | 100.00 | 200.00 | 50 | >= 900.00 | >= 4000.00 | 0 |" in section
    assert "| `addProductsToCart` | 11.0 | 8.0 | +3.0 | 12.0 | 8.0 | +4.0 |" in section
    document = "# Benchmarks\n\n## Seed\n\nrows\n\n## Segment refresh (x)\n\ns\n"
    first = live.replace_section(document, section)
    assert first == document + "\n" + section
    assert live.replace_section(first, f"{live.SECTION} (2)\n") == (
        document + f"\n{live.SECTION} (2)\n"
    )
    assert live.keep_section(first, document) == first
    assert live.keep_section(document, document) == document
