"""Reading segments' stored trees: `conditions_serialized` through `magento_json` and
`validate.build_tree`, failing closed. A tree that no longer parses or validates (a class removed,
an attribute no longer flagged, a referenced segment deleted) raises `CorruptTree`; it is never
skipped or partly read, since a dropped condition would make the segment match more."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.segments import magento_json
from engine.segments.catalog_types import Catalog
from engine.segments.drafts import ConditionDraft, ConditionType
from engine.segments.tree import Combine, Node
from engine.segments.validate import build_tree, referenced_segment_ids
from models.segments import MagentoCustomersegmentSegment, MagentoCustomersegmentWebsite

STORED_PATH = "conditions_serialized"


class CorruptTree(DomainError):
    """A stored condition tree that cannot be read back: the segment must not be evaluated."""


def _draft_references(draft: ConditionDraft) -> frozenset[int]:
    found: set[int] = set()
    stack = [draft]
    while stack:
        node = stack.pop()
        if node.type == ConditionType.SEGMENT and isinstance(node.value, str):
            text = node.value.strip()
            if text.isdigit():
                found.add(int(text))
        stack.extend(node.conditions)
    return frozenset(found)


def _references_of(text: str | None) -> frozenset[int]:
    if not text:
        return frozenset()
    try:
        return _draft_references(magento_json.loads(text, STORED_PATH))
    except InputInvalid:
        return frozenset()


async def reference_graph() -> dict[int, frozenset[int]]:
    """Every segment id with the ids its stored tree refers to (for cycle and existence checks
    in `build_tree`). A tree that does not parse refers to nothing here; it fails on load."""
    rows = await MagentoCustomersegmentSegment.all().values_list(
        "segment_id", "conditions_serialized"
    )
    return {int(segment_id): _references_of(text) for segment_id, text in rows}


async def load_tree(
    segment: MagentoCustomersegmentSegment,
    catalog: Catalog,
    *,
    references: Mapping[int, frozenset[int]] | None = None,
) -> Combine:
    """The segment's typed tree; an empty `conditions_serialized` is an empty root (matches
    everyone, as Magento). `references` defaults to `reference_graph()` (one query)."""
    text = segment.conditions_serialized
    if not text or not text.strip():
        return Combine()
    if references is None:
        references = await reference_graph()
    try:
        draft = magento_json.loads(text, STORED_PATH)
        return build_tree(
            draft,
            catalog,
            apply_to=segment.apply_to,
            segment_id=segment.segment_id,
            references=references,
            path=STORED_PATH,
            known_options_only=False,
        )
    except InputInvalid as error:
        raise CorruptTree(_corrupt(segment.segment_id, error.problems)) from None


def _corrupt(segment_id: int, problems: Iterable[Problem]) -> list[Problem]:
    return [
        Problem(
            ProblemCode.INVALID,
            f"Segment {segment_id} has corrupt conditions: {problem.message}",
            problem.path,
        )
        for problem in problems
    ]


async def referenced_trees(
    tree: Combine, website_id: int, catalog: Catalog
) -> dict[int, Node | None]:
    """The trees of the segments `tree` refers to, directly or through them: `None` for an
    inactive segment or one not assigned to `website_id`. A referenced segment that no longer
    exists, or whose tree is corrupt, raises `CorruptTree`. One round of queries per level."""
    found: dict[int, Node | None] = {}
    pending = set(referenced_segment_ids(tree))
    graph: dict[int, frozenset[int]] | None = None
    while pending:
        ids = sorted(pending)
        segments = {
            s.segment_id: s for s in await MagentoCustomersegmentSegment.filter(segment_id__in=ids)
        }
        assigned = {
            int(row[0])
            for row in await MagentoCustomersegmentWebsite.filter(
                segment_id__in=ids, website_id=website_id
            ).values_list("segment_id")
        }
        missing = [i for i in ids if i not in segments]
        if missing:
            raise CorruptTree(
                [
                    Problem(
                        ProblemCode.INVALID,
                        f"Referenced segment {i} does not exist.",
                        STORED_PATH,
                    )
                    for i in missing
                ]
            )
        pending = set()
        for segment_id in ids:
            segment = segments[segment_id]
            if not segment.is_active or segment_id not in assigned:
                found[segment_id] = None
                continue
            if graph is None:
                graph = await reference_graph()
            loaded = await load_tree(segment, catalog, references=graph)
            found[segment_id] = loaded
            pending |= {i for i in referenced_segment_ids(loaded) if i not in found}
    return found
