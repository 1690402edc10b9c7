"""Migration operations tortoise lacks. Imported by migration files only."""

from __future__ import annotations

from copy import deepcopy
from typing import Any, cast

from tortoise.fields import Field
from tortoise.migrations.exceptions import IncompatibleStateError
from tortoise.migrations.operations import FieldLike, TortoiseOperation
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State


class AddFields(TortoiseOperation):
    """Several `AddField` on one model (plain columns, no relations) with one state reload.
    tortoise 1.1.9 re-renders every model related to the changed one, recursively, after each
    `AddField`: forty columns on `sales_order` cost some 20 s of CPU on every migrate, once."""

    def __init__(self, model_name: str, fields: list[tuple[str, FieldLike]]) -> None:
        self.model_name = model_name
        self.fields = fields

    def describe(self) -> str:
        names = ", ".join(name for name, _ in self.fields)
        return f"Add fields {names} to {self.model_name}"

    def state_forward(self, app_label: str, state: State) -> None:
        model_state = self.get_model_state(state, app_label, self.model_name)
        for name, field in self.fields:
            if name in model_state.fields:
                raise IncompatibleStateError(
                    f"Field {name} already present on model {app_label}.{self.model_name}"
                )
            model_state.fields[name] = cast("Field[Any]", deepcopy(field))
        state.reload_models({(app_label, self.model_name)})

    async def database_forward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        if not state_editor:
            return
        model = new_state.apps.get_model(f"{app_label}.{self.model_name}")
        for name, _ in self.fields:
            await state_editor.add_field(model, name)

    async def database_backward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        if not state_editor:
            return
        model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
        for name, _ in reversed(self.fields):
            await state_editor.remove_field(model, model._meta.fields_map[name])
