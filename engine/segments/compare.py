"""The reference meaning of every operator on every kind of value. The SQL compiler must agree.

`compare(storage, input_type, operator, actual, expected, timezone=...)` answers one leaf: `actual`
is the value read from the database (None for NULL), `expected` the condition's typed value.

1. NULL. A NULL `actual` satisfies `<=>` (is undefined) and nothing else: not the negative
   operators `!=`, `!{}`, `!()`, `![]` either (Magento's SQL: a comparison with NULL is never
   true). Price rules, which Magento checks in PHP, pass `null_passes_negatives=True`: there a
   NULL satisfies the negative operators. `<=>` also holds for an empty text ('' stored as
   text). A non-NULL value satisfies `<=>` never.
2. Domain by storage. Values are compared in the domain of the column that stores them:
   INT, DECIMAL and BOOL columns as numbers (Decimal; booleans are 1/0; an option value such as
   "3" is read as the number 3, and a text that is not a number matches no `==`/`()` and every
   `!=`/`!()`), TEXT columns as lowered strings (case-insensitive, as MySQL's `_ci` collations),
   DATE columns as dates, DATETIME columns as instants read in the website's timezone.
   A TEXT column under a numeric input type (a number kept as text) is compared as a number
   (SQL: CAST); a text that is not a number there is treated as NULL.
   A number's `{}` / `!{}` (product conditions, Magento's LIKE on the stored value) read the
   number as text: decimals with 6 places as `decimal(20,6)` stores them ("100.000000"),
   integers plainly.
3. Operators.
   - `==` / `!=`: equal / not equal in the domain. With a tuple value they act as `()` / `!()`.
   - `>=`, `<=`, `>`, `<`: ordering in the domain (numbers, dates, lowered strings).
   - `{}` / `!{}`: the lowered text contains / does not contain the lowered value (substring;
     SQL: `LIKE '%x%'` with `%`, `_` and `\\` escaped).
   - `()` / `!()`: in / not in the set of values (each converted to the domain).
   - `[]` / `![]` (multiselect): the stored text is a comma-separated list of option ids;
     `[]` = it holds every given id, `![]` = not `[]`. For multiselects `==` = the same set of
     ids and `!=` = not the same set; `{}` / `!{}` (product multiselects) = `[]` / `![]`;
     `()` = it holds one of the given ids, `!()` = none of them. Ids are compared as trimmed,
     lowered strings; empty items are ignored, so '' is the empty set.
4. Dates. A DATE column compares as a date. A DATETIME column compared with a day `d` (the
   condition value is a date) is read as its local calendar day in the website's timezone, which is
   the same as comparing the instant with day boundaries:
   `== d`  ⇔  start(d) <= actual < start(d + 1 day)
   `>= d`  ⇔  actual >= start(d)            `> d`  ⇔  actual >= start(d + 1 day)
   `<= d`  ⇔  actual <  start(d + 1 day)    `< d`  ⇔  actual <  start(d)
   where start(d) is local midnight of d in the website's timezone, as a UTC instant
   (`day_start`). Naive datetimes read from the database are UTC.
5. Booleans compare as numbers 1/0 (`expected` "1"/"0").

`compare` raises `ValueError` for a combination the catalogue never offers (for example `{}` on
a number): validation rejects those before a tree exists, so reaching one is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from engine.segments.catalog_types import Storage
from engine.segments.tree import NEGATIVE_OPERATORS, InputType, Operator, Value

NOT_A_VALUE = object()
"""A text that cannot be read in the column's domain (e.g. "abc" as a number)."""

_ORDERING = {
    Operator.GREATER_OR_EQUAL,
    Operator.LESS_OR_EQUAL,
    Operator.GREATER,
    Operator.LESS,
}


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def day_start(day: date, timezone: str) -> datetime:
    """Local midnight of `day` in `timezone`, as an aware UTC instant."""
    return datetime.combine(day, time(0), tzinfo=_zone(timezone)).astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC instant; naive datetimes from the database are UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    if moment.tzinfo is UTC:  # already (the database's timestamps): the same instant
        return moment
    return moment.astimezone(UTC)


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar day `moment` falls on in `timezone`."""
    return as_utc(moment).astimezone(_zone(timezone)).date()


def today(now: datetime, timezone: str) -> date:
    return local_date(now, timezone)


def up_to_date_threshold(now: datetime, days: int, timezone: str) -> datetime:
    """Uptodate's threshold: the start of (today in the website's timezone - `days`), in UTC."""
    return day_start(today(now, timezone) - timedelta(days=days), timezone)


def in_date_range(moment: datetime, start: date, end: date, timezone: str) -> bool:
    """Daterange: start(start) <= moment < start(end + 1 day), whole local days, both ends in."""
    instant = as_utc(moment)
    return day_start(start, timezone) <= instant < day_start(end + timedelta(days=1), timezone)


def order(operator: Operator, left: object, right: object) -> bool:
    """`left <operator> right` for `==`, `!=` and the four orderings, values in one domain."""
    if operator is Operator.IS:
        return left == right
    if operator is Operator.IS_NOT:
        return left != right
    if operator is Operator.GREATER_OR_EQUAL:
        return bool(left >= right)  # type: ignore[operator]
    if operator is Operator.LESS_OR_EQUAL:
        return bool(left <= right)  # type: ignore[operator]
    if operator is Operator.GREATER:
        return bool(left > right)  # type: ignore[operator]
    if operator is Operator.LESS:
        return bool(left < right)  # type: ignore[operator]
    raise ValueError(f"{operator.value} is not a comparison")


def _number(value: object) -> Decimal | object:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return NOT_A_VALUE
        return number if number.is_finite() else NOT_A_VALUE
    return NOT_A_VALUE


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).lower()


def to_date(value: object) -> date | object:
    """A date from a date, a datetime's date part or an ISO string; `NOT_A_VALUE` otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return NOT_A_VALUE
    return NOT_A_VALUE


DECIMAL_PLACES = Decimal("0.000001")
"""Magento's `decimal(20,6)` value columns: a number's text for `{}` has 6 places."""


def number_text(storage: Storage, actual: object) -> str | None:
    """A number as the text Magento's LIKE reads (None when it is not a number)."""
    number = _number(actual)
    if not isinstance(number, Decimal):
        return None
    if storage is Storage.DECIMAL:
        return format(number.quantize(DECIMAL_PLACES), "f")
    if storage is Storage.TEXT:
        return _text(actual)
    return format(number.to_integral_value(), "f")


def numeric_domain(storage: Storage, input_type: InputType) -> bool:
    """Whether values of this storage and input type compare as numbers (the SQL side casts)."""
    if storage in (Storage.INT, Storage.DECIMAL, Storage.BOOL):
        return True
    return storage is Storage.TEXT and input_type is InputType.NUMERIC


def _in_domain(storage: Storage, input_type: InputType, value: object, timezone: str) -> object:
    """`value` (an actual or an expected scalar) converted to the column's domain."""
    if numeric_domain(storage, input_type):
        return _number(value)
    if storage is Storage.DATE:
        return to_date(value)
    if storage is Storage.DATETIME:
        if isinstance(value, datetime):
            return local_date(value, timezone)
        return to_date(value)
    return _text(value)


def domain_value(storage: Storage, input_type: InputType, value: object, timezone: str) -> object:
    """`value` as `compare` reads it for `==` and "is one of" (`NOT_A_VALUE` when it cannot be
    read in the domain), for shortcuts that must agree with `compare` (the cart-rule
    prefilter): with `actual` not None and a non-multiselect input, `compare(IS or ONE_OF)` is
    `domain_value(actual)` in the set of the expected items' domain values."""
    return _in_domain(storage, input_type, value, timezone)


def _items(value: Value) -> tuple[object, ...]:
    if isinstance(value, tuple):
        return value
    return () if value is None else (value,)


def _option_ids(value: object) -> frozenset[str]:
    if isinstance(value, tuple | list | frozenset | set):
        parts: Iterable[object] = value
    else:
        parts = _text(value).split(",")
    return frozenset(p for p in (_text(part).strip() for part in parts) if p)


def is_undefined(storage: Storage, actual: object) -> bool:
    """`<=>`: NULL, or an empty text."""
    return actual is None or (storage is Storage.TEXT and actual == "")


def compare(
    storage: Storage,
    input_type: InputType,
    operator: Operator,
    actual: object,
    expected: Value,
    *,
    timezone: str,
    null_passes_negatives: bool = False,
) -> bool:
    """Whether `actual <operator> expected` holds (see the module docstring).

    `null_passes_negatives`: price rules, which Magento checks in PHP (`validateAttribute`), where
    a missing value does satisfy `!=`, `!{}`, `!()`; segments, checked by SQL, leave it False."""
    missing = null_passes_negatives and operator in NEGATIVE_OPERATORS
    if operator is Operator.UNDEFINED:
        return is_undefined(storage, actual)
    if actual is None:
        return missing

    if input_type is InputType.MULTISELECT:
        have = _option_ids(actual)
        want = _option_ids(_items(expected))
        if operator is Operator.IS:
            return have == want
        if operator is Operator.IS_NOT:
            return have != want
        if operator in (Operator.MULTI_CONTAINS, Operator.CONTAINS):
            return want <= have
        if operator in (Operator.MULTI_NOT_CONTAINS, Operator.NOT_CONTAINS):
            return not want <= have
        if operator is Operator.ONE_OF:
            return bool(have & want)
        if operator is Operator.NOT_ONE_OF:
            return not have & want
        raise ValueError(f"{operator.value} does not apply to a multiselect")

    if operator in (Operator.CONTAINS, Operator.NOT_CONTAINS):
        if storage in (Storage.DATE, Storage.DATETIME):
            raise ValueError(f"{operator.value} applies to text only")
        if numeric_domain(storage, input_type):
            text = number_text(storage, actual)
            if text is None:
                return missing
        else:
            text = _text(actual)
        found = _text(expected) in text
        return found if operator is Operator.CONTAINS else not found

    have_value = _in_domain(storage, input_type, actual, timezone)
    if have_value is NOT_A_VALUE:
        # A value that cannot be read in the domain (a text that is not a number) is NULL.
        return missing

    if isinstance(expected, tuple) or operator in (Operator.ONE_OF, Operator.NOT_ONE_OF):
        wanted = {_in_domain(storage, input_type, item, timezone) for item in _items(expected)}
        wanted.discard(NOT_A_VALUE)
        if operator in (Operator.IS, Operator.ONE_OF):
            return have_value in wanted
        if operator in (Operator.IS_NOT, Operator.NOT_ONE_OF):
            return have_value not in wanted
        raise ValueError(f"{operator.value} does not take a list")

    want_value = _in_domain(storage, input_type, expected, timezone)
    if operator in _ORDERING or operator in (Operator.IS, Operator.IS_NOT):
        if want_value is NOT_A_VALUE:
            return operator is Operator.IS_NOT
        return order(operator, have_value, want_value)
    raise ValueError(f"{operator.value} does not apply to {input_type.value}")
