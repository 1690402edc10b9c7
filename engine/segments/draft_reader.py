"""Reading condition drafts (strings as sent, Magento's node shape) into typed values, with every
problem reported at its path: shared by segment conditions (`validate.py`) and promotion-rule
conditions (`engine/rules/drafts.py`), so both answer bad input with the same codes and words."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from engine.errors import ProblemCode, Problems
from engine.segments.tree import Aggregator, Operator, Scalar, Value

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

RawValue = str | tuple[str, ...] | None


class Invalid(Exception):
    """A field was reported; the node cannot be built."""


class DraftReader:
    """Collects problems; each reader raises `Invalid` after reporting one."""

    def __init__(self) -> None:
        self.problems = Problems()

    def fail(self, code: ProblemCode, message: str, path: str) -> Invalid:
        self.problems.add(code, message, path)
        return Invalid()

    def scalar(self, raw: RawValue, path: str) -> str:
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            raise self.fail(ProblemCode.REQUIRED, "A value is required.", path)
        if isinstance(raw, tuple):
            if len(raw) != 1:
                raise self.fail(ProblemCode.INVALID_VALUE, "One value is expected.", path)
            return self.scalar(raw[0], path)
        return raw

    def aggregator(self, raw: str | None, path: str) -> Aggregator:
        if raw is None or raw == "":
            return Aggregator.ALL
        try:
            return Aggregator(raw.lower())
        except ValueError:
            raise self.fail(
                ProblemCode.INVALID_VALUE, f"Unknown aggregator '{raw}'; use all or any.", path
            ) from None

    def operator(
        self,
        raw: str | None,
        allowed: tuple[Operator, ...],
        path: str,
        *,
        default: Operator | None = None,
    ) -> Operator:
        if raw is None or raw == "":
            if default is not None:
                return default
            raise self.fail(ProblemCode.REQUIRED, "An operator is required.", path)
        try:
            op = Operator(raw)
        except ValueError:
            raise self.fail(
                ProblemCode.INVALID_OPERATOR, f"Unknown operator '{raw}'.", path
            ) from None
        if op not in allowed:
            names = ", ".join(o.value for o in allowed)
            raise self.fail(
                ProblemCode.INVALID_OPERATOR,
                f"Operator '{raw}' is not allowed here; use one of {names}.",
                path,
            )
        return op

    def decimal(self, text: str, path: str) -> Decimal:
        text = text.strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.fail(ProblemCode.INVALID_VALUE, f"'{text}' is not a number.", path) from None
        if not value.is_finite():
            raise self.fail(ProblemCode.INVALID_VALUE, f"'{text}' is not a number.", path)
        return value

    def day(self, text: str, path: str) -> date:
        text = text.strip()
        try:
            if not DATE.match(text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            raise self.fail(
                ProblemCode.INVALID_VALUE, f"'{text}' is not a date (YYYY-MM-DD).", path
            ) from None


# --- back to drafts ------------------------------------------------------------------------------


def dump_scalar(value: Scalar) -> str:
    """A typed condition value as a draft string (numbers plain, dates ISO)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def dump_value(value: Value) -> str | tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(dump_scalar(v) for v in value)
    return dump_scalar(value)


def dump_flag(value: bool) -> str:
    return "1" if value else "0"
