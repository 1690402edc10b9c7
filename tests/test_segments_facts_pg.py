"""On PostgreSQL `load_facts` reads everything in one statement (`engine/segments/facts_pg.py`);
the per-source queries of `facts._load` (the SQLite path) are its referee: for random trees over
the varied population of the equivalence test, every customer's and every cart's facts are equal,
value for value and in the same order (their reprs too), with and without the products' own
rows. PostgreSQL only (MAGESEG_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import random
from typing import Any

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st
from tortoise import Tortoise

from engine.segments import facts
from engine.segments.tree import Combine
from models import Quote
from tests.conftest import PG_URL
from tests.test_segments_equivalence import SETTINGS, _population, trees

pytestmark = [
    pytest.mark.skipif(PG_URL is None, reason="needs MAGESEG_TEST_DATABASE_URL"),
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

SEED = int(os.environ.get("SEGMENTS_FACTS_SEED") or random.SystemRandom().randrange(2**32))


async def test_one_statement_reads_what_the_per_source_queries_read(db: Any) -> None:
    pop = await _population(SEED)
    drawn: list[Combine] = []

    @SETTINGS
    @seed(SEED)
    @given(data=st.data())
    def run(data: Any) -> None:
        drawn.append(data.draw(trees(pop)))

    run()
    conn = Tortoise.get_connection("default")
    rows = await Quote.all().order_by("entity_id")
    quotes = [(q.entity_id, q.visitor_id) for q in rows]  # type: ignore[attr-defined]
    callers: list[tuple[int | None, int | None, int | None]] = [
        (customer_id, None, None) for customer_id in pop.customers
    ]
    callers += [(None, quote_id, visitor_id) for quote_id, visitor_id in quotes]
    callers += [(None, None, 1), (None, 10**6, None), (10**6, None, None)]
    compared = 0
    for tree in drawn:
        for product_row in (False, True):
            needs = facts.needs_of(tree, pop.scope)
            needs.product_row = product_row
            for customer_id, quote_id, visitor_id in callers:
                expected = await facts._load(needs, pop.scope, customer_id, quote_id, visitor_id)
                found = await facts._load_postgres(
                    conn, needs, pop.scope, customer_id, quote_id, visitor_id
                )
                assert found == expected, (SEED, tree, customer_id, quote_id, visitor_id)
                assert repr(found) == repr(expected), (SEED, tree, customer_id, quote_id)
                compared += 1
    assert compared >= len(drawn) * 2 * len(callers)
