"""Coupon codes of cart rules: auto generation as Magento's
`SalesRule\\Model\\Coupon\\Massgenerator`, the admin list of a rule's codes, and deleting
generated codes.

Generation (`Massgenerator::generateCode` / `generatePool`):
- characters by format (`Helper\\Coupon::getCharset`): alphanumeric `A-Z0-9`, alphabetical `A-Z`,
  numeric `0-9`, drawn uniformly with a cryptographic generator;
- a dash (the delimiter) before every `dash`-th character (`$i % $split === 0`, not before the
  first), then `prefix + code + suffix`;
- the length grows until `quantity / charset^length` is at most 0.25 (MAX_PROBABILITY_OF_GUESSING),
  so codes stay hard to guess;
- a code already taken (in the database or in the batch) is drawn again, at most 10 times
  (MAX_GENERATE_ATTEMPTS), else "We cannot create the requested Coupon Qty. Please check your
  settings and try again.";
- each code: `usage_limit` = uses per coupon, `usage_per_customer` = uses per customer (0: NULL,
  unlimited), `expiration_date` = the given one or the rule's end date, `type` 1 (generated).
Only rules with auto generation (AUTO, or SPECIFIC with "Use Auto Generation") take generated
codes; otherwise Magento's "The rule coupon settings changed. Please save the rule before using
auto-generation."."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from engine import clock
from engine.errors import InputInvalid, NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from engine.pagination import Page, PageRequest, paginate
from engine.salesrules.admin import get as get_rule
from models import Salesrule, SalesruleCoupon
from models.salesrules import CouponCreationType, CouponType

MAX_PROBABILITY_OF_GUESSING = Decimal("0.25")
MAX_GENERATE_ATTEMPTS = 10
MAX_QUANTITY = 10_000
MAX_LENGTH = 32
DELIMITER = "-"
CANNOT_CREATE = (
    "We cannot create the requested Coupon Qty. Please check your settings and try again."
)
SETTINGS_CHANGED = (
    "The rule coupon settings changed. Please save the rule before using auto-generation."
)


class CouponFormat(StrEnum):
    """`promo/auto_generated_coupon_codes/format`."""

    ALPHANUMERIC = "alphanum"
    ALPHABETICAL = "alpha"
    NUMERIC = "num"


CHARSETS = {
    CouponFormat.ALPHANUMERIC: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    CouponFormat.ALPHABETICAL: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    CouponFormat.NUMERIC: "0123456789",
}


@dataclass(frozen=True)
class GenerateRequest:
    """Magento's "Manage Coupon Codes" form. `uses_per_customer` None: the rule's."""

    quantity: int
    length: int = 12
    format: CouponFormat = CouponFormat.ALPHANUMERIC
    prefix: str = ""
    suffix: str = ""
    dash_every: int = 0
    uses_per_coupon: int | None = None
    uses_per_customer: int | None = None
    expiration_date: date | None = None


def effective_length(quantity: int, length: int, charset_size: int) -> int:
    """`generatePool`'s length: grown until guessing a code has a chance of at most 25%."""
    length = max(1, length)
    while Decimal(quantity) / (Decimal(charset_size) ** length) > MAX_PROBABILITY_OF_GUESSING:
        length += 1
    return length


def generate_code(request: GenerateRequest, length: int) -> str:
    """One code (`Massgenerator::generateCode`)."""
    charset = CHARSETS[request.format]
    split = max(0, request.dash_every)
    code = ""
    for index in range(length):
        char = secrets.choice(charset)
        if split > 0 and index % split == 0 and index != 0:
            char = DELIMITER + char
        code += char
    return request.prefix + code + request.suffix


def _check(request: GenerateRequest) -> None:
    problems = Problems()
    if request.quantity < 1:
        problems.add(ProblemCode.INVALID, "Coupon Qty must be greater than 0.", "input.quantity")
    elif request.quantity > MAX_QUANTITY:
        problems.add(
            ProblemCode.INVALID,
            f"At most {MAX_QUANTITY} codes can be generated at once.",
            "input.quantity",
        )
    if request.length < 1 or request.length > MAX_LENGTH:
        problems.add(
            ProblemCode.INVALID,
            f"Code Length must be between 1 and {MAX_LENGTH}.",
            "input.length",
        )
    if request.dash_every < 0:
        problems.add(
            ProblemCode.INVALID, "Dash Every X Characters must be 0 or greater.", "input.dash_every"
        )
    for name in ("uses_per_coupon", "uses_per_customer"):
        value = getattr(request, name)
        if value is not None and value < 0:
            problems.add(ProblemCode.INVALID, "Must be 0 or greater.", f"input.{name}")
    for name in ("prefix", "suffix"):
        if len(getattr(request, name)) > 64:
            problems.add(ProblemCode.TOO_LONG, "At most 64 characters.", f"input.{name}")
    problems.raise_if_any()


async def generate(rule_id: int, request: GenerateRequest) -> list[SalesruleCoupon]:
    """Generate `request.quantity` codes for the rule, in one transaction."""
    _check(request)
    async with in_transaction():
        rule = await get_rule(rule_id, "rule_uid")
        if not rule.use_auto_generation and rule.coupon_type is not CouponType.AUTO:
            raise InputInvalid(Problem(ProblemCode.INVALID, SETTINGS_CHANGED, "rule_uid"))
        length = effective_length(request.quantity, request.length, len(CHARSETS[request.format]))
        batch: list[str] = []
        taken: set[str] = set()
        for _ in range(request.quantity):
            for _attempt in range(MAX_GENERATE_ATTEMPTS):
                code = generate_code(request, length)
                if code not in taken:
                    break
            else:
                raise InputInvalid(Problem(ProblemCode.INVALID, CANNOT_CREATE, "input.quantity"))
            taken.add(code)
            batch.append(code)
        # Codes already in the database are drawn again (one query per round of clashes).
        for _round in range(MAX_GENERATE_ATTEMPTS):
            found: list[Any] = list(
                await SalesruleCoupon.filter(code__in=batch).values_list("code", flat=True)
            )
            clashes = {str(code) for code in found}
            if not clashes:
                break
            for index, code in enumerate(batch):
                if code in clashes:
                    fresh = generate_code(request, length)
                    while fresh in taken:
                        fresh = generate_code(request, length)
                    taken.add(fresh)
                    batch[index] = fresh
        else:
            raise InputInvalid(Problem(ProblemCode.INVALID, CANNOT_CREATE, "input.quantity"))
        expiration = request.expiration_date or rule.to_date
        uses_per_coupon = (
            request.uses_per_coupon if request.uses_per_coupon is not None else rule.uses_per_coupon
        )
        uses_per_customer = (
            request.uses_per_customer
            if request.uses_per_customer is not None
            else rule.uses_per_customer
        )
        now = clock.now().replace(microsecond=0)
        rows = [
            SalesruleCoupon(
                rule_id=rule.rule_id,
                code=code,
                usage_limit=uses_per_coupon or None,
                usage_per_customer=uses_per_customer or None,
                times_used=0,
                expiration_date=datetime.combine(expiration, time(0), tzinfo=UTC)
                if expiration
                else None,
                is_primary=None,
                created_at=now,
                type=CouponCreationType.GENERATED,
                generated_by_dotdigital=False,
            )
            for code in batch
        ]
        await SalesruleCoupon.bulk_create(rows, batch_size=500)
        touch(Topic.PROMOTIONS)
    return list(await SalesruleCoupon.filter(code__in=batch).order_by("coupon_id"))


@dataclass(frozen=True)
class CouponFilter:
    code_contains: str | None = None
    generated_only: bool = False
    used: bool | None = None


async def page(rule_id: int, filter_: CouponFilter, request: PageRequest) -> Page[SalesruleCoupon]:
    """The rule's codes, oldest first."""
    await get_rule(rule_id, "rule_uid")
    query = SalesruleCoupon.filter(rule_id=rule_id).order_by("coupon_id")
    if filter_.code_contains:
        query = query.filter(code__icontains=filter_.code_contains)
    if filter_.generated_only:
        query = query.filter(type=CouponCreationType.GENERATED)
    if filter_.used is True:
        query = query.filter(times_used__gt=0)
    elif filter_.used is False:
        query = query.filter(times_used=0)
    return await paginate(query, request)


async def delete(coupon_ids: Sequence[int]) -> list[int]:
    """Delete generated codes (one transaction); the primary code of a Specific Coupon rule is
    changed on the rule instead. Every unknown or protected id is reported."""
    problems = Problems()
    async with in_transaction():
        rows = {
            c.coupon_id: c for c in await SalesruleCoupon.filter(coupon_id__in=list(coupon_ids))
        }
        for index, coupon_id in enumerate(coupon_ids):
            row = rows.get(coupon_id)
            if row is None:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'The coupon with the "{coupon_id}" ID wasn\'t found.',
                    f"uids.{index}",
                )
            elif row.is_primary:
                problems.add(
                    ProblemCode.PROTECTED,
                    "The rule's own coupon code is changed or removed on the rule.",
                    f"uids.{index}",
                )
        if problems.items:
            kinds = {p.code for p in problems.items}
            if kinds == {ProblemCode.NOT_FOUND}:
                raise NoSuchEntity(problems.items)
            raise InputInvalid(problems.items)
        ids = sorted(set(coupon_ids))
        await SalesruleCoupon.filter(coupon_id__in=ids).delete()
        touch(Topic.PROMOTIONS)
    return ids


async def rules_of(coupons: Sequence[SalesruleCoupon]) -> dict[int, Salesrule]:
    ids = sorted({c.rule_id for c in coupons})  # type: ignore[attr-defined]
    return {r.rule_id: r for r in await Salesrule.filter(rule_id__in=ids)}
