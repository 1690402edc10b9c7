"""Every GraphQL operation runs inside `engine.invalidation.tracking`: the versions its writes
touched are bumped, and its after-commit callbacks run, before the result leaves the schema (so
before the HTTP response is sent: a client that got a mutation's answer reads the new data from
any process). The extension also tells the tracker which root fields a query selected and whether
the result failed, which is what the full-response cache needs to decide if it may keep it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import FieldNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from engine.clock import using
from engine.invalidation import Tracker, tracking


def query_root_fields(execution_context: Any) -> frozenset[str] | None:
    """The root field names a query selects; None when it is not a query or selects through
    fragments (which the response cache does not look into)."""
    if execution_context.operation_type is not OperationType.QUERY:
        return None
    document = execution_context.graphql_document
    if document is None:
        return None
    name = execution_context.operation_name
    operations = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (name is None or (d.name is not None and d.name.value == name))
    ]
    if len(operations) != 1:
        return None
    names: set[str] = set()
    for selection in operations[0].selection_set.selections:
        if not isinstance(selection, FieldNode):
            return None
        names.add(selection.name.value)
    return frozenset(names)


class OperationTracking(SchemaExtension):
    """Opens the tracking block of one operation (joining the view's when it opened one)."""

    async def on_operation(self) -> AsyncIterator[None]:
        services = getattr(self.execution_context.context, "services", None)
        if services is None:  # executed without our context (a bare `schema.execute`)
            yield
            return
        with using(services.clock):
            async with tracking(services.cache) as tracker:
                try:
                    yield
                except BaseException:
                    tracker.failed = True
                    raise
                self._describe(tracker)

    def _describe(self, tracker: Tracker) -> None:
        result = self.execution_context.result
        if getattr(result, "errors", None) or self.execution_context.pre_execution_errors:
            tracker.failed = True
        try:
            tracker.query_fields = query_root_fields(self.execution_context)
        except Exception:  # an operation strawberry could not resolve: not cacheable
            tracker.query_fields = None
