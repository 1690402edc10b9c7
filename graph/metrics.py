"""Tells the metrics what an operation was: its name and whether it failed (for the request
timing, recorded by the wiring's middleware) and the category of each error it returned."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from engine.metrics import metrics


class OperationMetrics(SchemaExtension):
    """Outermost extension: it sees the errors after `MagentoErrors` gave them their category."""

    def on_operation(self) -> Iterator[None]:
        failed = True
        try:
            yield
            failed = False
        finally:
            context = self.execution_context.context
            # A refused document's result carries the pre-execution errors themselves.
            errors = (
                getattr(self.execution_context.result, "errors", None)
                or self.execution_context.pre_execution_errors
                or []
            )
            counter = metrics().errors
            for error in errors:
                category = (getattr(error, "extensions", None) or {}).get("category", "internal")
                counter.labels(category).inc()
            if hasattr(context, "operation_name"):
                context.operation_name = self.execution_context.operation_name
                context.operation_failed = failed or bool(errors)
