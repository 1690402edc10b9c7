"""Writing a generated batch: tortoise's `bulk_create` in general, asyncpg's binary COPY on
PostgreSQL (about 5x faster there, see the stack notes).

Each batch is one transaction, so an interrupted load leaves whole customers behind, never a
customer without its addresses."""

from __future__ import annotations

from typing import Any, Protocol

from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models import CustomerEntity
from seeds.generate import Batch, NextIds
from seeds.tables import ADDRESSES, BALANCES, CUSTOMERS, TABLES, Table


class Writer(Protocol):
    async def write(self, batch: Batch) -> None: ...


def _client() -> BaseDBAsyncClient:
    return CustomerEntity._meta.db


def is_postgres() -> bool:
    """PostgreSQL through asyncpg, the driver whose COPY the seed uses."""
    return isinstance(_client(), AsyncpgDBClient)


async def next_ids() -> NextIds:
    """Keys after the largest in use: a load appends to what the database holds."""

    async def after(table: Table) -> int:
        assert table.assigned_key is not None
        rows = await _client().execute_query_dict(
            f'SELECT COALESCE(MAX("{table.assigned_key}"), 0) AS last FROM "{table.name}"'
        )
        return int(rows[0]["last"]) + 1

    return NextIds(
        customer=await after(CUSTOMERS),
        address=await after(ADDRESSES),
        balance=await after(BALANCES),
    )


class OrmWriter:
    """`bulk_create` through the models, so values go through the ORM's own conversions."""

    async def write(self, batch: Batch) -> None:
        async with in_transaction():
            for table in TABLES:
                rows = batch.rows[table]
                if rows:
                    model = table.model
                    columns = table.columns
                    await model.bulk_create(
                        [model(**dict(zip(columns, row, strict=True))) for row in rows]
                    )


class CopyWriter:
    """asyncpg `copy_records_to_table` on the transaction's own connection."""

    async def write(self, batch: Batch) -> None:
        async with in_transaction() as transaction, transaction.acquire_connection() as raw:
            connection: Any = raw
            for table in TABLES:
                rows = batch.rows[table]
                if rows:
                    await connection.copy_records_to_table(
                        table.name, records=rows, columns=list(table.columns)
                    )
            # Explicit keys do not advance PostgreSQL's identity sequences; move them past the
            # rows just written, in the same transaction.
            for table in TABLES:
                if table.assigned_key and batch.rows[table]:
                    await connection.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', "
                        f"'{table.assigned_key}'), (SELECT MAX(\"{table.assigned_key}\") "
                        f'FROM "{table.name}"))'
                    )


def writer() -> Writer:
    return CopyWriter() if is_postgres() else OrmWriter()
