"""CMS blocks (`cms_block`, `cms_block_store`): reads for a store view and admin writes.

`cmsBlocks(identifiers)` answers active blocks assigned to the store view or to all (store 0),
by identifier or by numeric id, in the order asked; an identifier with no such block is an
error, as Magento's `Blocks` resolver ("The CMS block with the "x" ID doesn't exist")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from tortoise.transactions import in_transaction

from engine.errors import NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from models import CmsBlock, CmsBlockStore, Store

BLOCK_NOT_FOUND = 'The CMS block with the "{}" ID doesn\'t exist.'
IDENTIFIER_TAKEN = (
    "A block identifier with the same properties already exists in the selected store."
)


async def block_for_store(identifier: str, store_id: int) -> CmsBlock | None:
    """The active block with this identifier (or numeric id) in the store view, its own first."""
    by = {"block_id": int(identifier)} if identifier.isdigit() else {"identifier": identifier}
    rows = await CmsBlock.filter(
        **by, is_active=True, stores__store_id__in=[0, store_id]
    ).values_list("block_id", "stores__store_id")
    if not rows:
        return None
    block_id = max(rows, key=lambda r: int(r[1]))[0]
    return await CmsBlock.get(block_id=block_id)


async def blocks_for_store(identifiers: Sequence[str], store_id: int) -> list[CmsBlock]:
    blocks = []
    for index, identifier in enumerate(identifiers):
        block = await block_for_store(identifier, store_id)
        if block is None:
            raise NoSuchEntity(
                Problem(
                    ProblemCode.NOT_FOUND,
                    BLOCK_NOT_FOUND.format(identifier),
                    f"identifiers.{index}",
                )
            )
        blocks.append(block)
    return blocks


@dataclass(frozen=True)
class BlockData:
    identifier: str
    title: str
    content: str | None = None
    is_active: bool = True
    store_ids: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class BlockDetails:
    block: CmsBlock
    store_ids: tuple[int, ...]


async def _validate(data: BlockData, block_id: int | None, path: str) -> None:
    problems = Problems()
    identifier = data.identifier.strip()
    if not identifier:
        problems.add(
            ProblemCode.REQUIRED, "The block identifier is required.", f"{path}.identifier"
        )
    if not data.title.strip():
        problems.add(ProblemCode.REQUIRED, "The block title is required.", f"{path}.title")
    known = {int(i) for i in cast(list[Any], await Store.all().values_list("store_id", flat=True))}
    for index, store_id in enumerate(data.store_ids):
        if store_id not in known:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'Store view with ID "{store_id}" doesn\'t exist.',
                f"{path}.store_ids.{index}",
            )
    if not data.store_ids:
        problems.add(
            ProblemCode.REQUIRED, "A block needs at least one store view.", f"{path}.store_ids"
        )
    if identifier and not problems:
        others = CmsBlock.filter(identifier=identifier)
        if block_id is not None:
            others = others.exclude(block_id=block_id)
        taken = {
            int(i)
            for i in cast(
                list[Any],
                await CmsBlockStore.filter(
                    block_id__in=[b.block_id for b in await others]
                ).values_list("store_id", flat=True),
            )
        }
        if taken & set(data.store_ids) or (taken and 0 in data.store_ids) or (0 in taken):
            problems.add(ProblemCode.ALREADY_EXISTS, IDENTIFIER_TAKEN, f"{path}.identifier")
    problems.raise_if_any()


async def _write(block: CmsBlock, data: BlockData) -> BlockDetails:
    block.identifier = data.identifier.strip()
    block.title = data.title.strip()
    block.content = data.content  # type: ignore[assignment]
    block.is_active = data.is_active
    await block.save()
    await CmsBlockStore.filter(block_id=block.block_id).delete()
    stores = tuple(sorted(set(data.store_ids)))
    for store_id in stores:
        await CmsBlockStore.create(block_id=block.block_id, store_id=store_id)
    touch(Topic.SEGMENTS)
    return BlockDetails(block, stores)


async def create_block(data: BlockData) -> BlockDetails:
    async with in_transaction():
        await _validate(data, None, "input")
        return await _write(CmsBlock(), data)


async def update_block(block_id: int, data: BlockData) -> BlockDetails:
    async with in_transaction():
        block = await CmsBlock.get_or_none(block_id=block_id)
        if block is None:
            raise NoSuchEntity(
                Problem(ProblemCode.NOT_FOUND, BLOCK_NOT_FOUND.format(block_id), "uid")
            )
        await _validate(data, block_id, "input")
        return await _write(block, data)


async def delete_block(block_id: int) -> None:
    async with in_transaction():
        if not await CmsBlock.filter(block_id=block_id).delete():
            raise NoSuchEntity(
                Problem(ProblemCode.NOT_FOUND, BLOCK_NOT_FOUND.format(block_id), "uid")
            )
        touch(Topic.SEGMENTS)


async def block_details(blocks: Sequence[CmsBlock]) -> list[BlockDetails]:
    links: dict[int, list[int]] = {}
    for block_id, store_id in await CmsBlockStore.filter(
        block_id__in=[b.block_id for b in blocks]
    ).values_list("block_id", "store_id"):
        links.setdefault(int(block_id), []).append(int(store_id))
    return [BlockDetails(b, tuple(sorted(links.get(b.block_id, [])))) for b in blocks]
