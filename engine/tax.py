"""Tax rates: Magento's `tax_calculation_rate` and its links to tax classes in `tax_calculation`,
the rate that applies to a cart line, and admin CRUD on rates.

Magento's tax rules are reduced to their links: a rate applies to a line when it is linked to the
customer's tax class (from their group; guests are NOT LOGGED IN) and the product's tax class, and
its country, region (0 = any) and postcode (`*` = any, `787*` a prefix, else exact) match the tax
address. When several rates match, the most specific one wins (a region beats any region, a
postcode beats `*`; ties go to the lower rate id), as Magento's rate query orders them. Prices are
entered excluding tax and shipping is not taxed (Magento's defaults: `price_includes_tax` 0 and
shipping tax class None).

Rounding is Magento's default `TOTAL_BASE_CALCULATION`: each row's tax is rounded to cents and
the rounding remainder is carried to the next row of the same rate, so the total tax of a rate is
the rounded tax of its total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tortoise.transactions import in_transaction

from engine.errors import NoSuchEntity, Problem, ProblemCode, Problems
from engine.pagination import Page, PageRequest, paginate
from models import DirectoryCountryRegion, TaxCalculation, TaxCalculationRate, TaxClass

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ANY_POSTCODE = "*"
CODE_MAX_LENGTH = 255
POSTCODE_MAX_LENGTH = 21


def round_money(amount: Decimal) -> Decimal:
    """Magento's `PriceCurrency::round`: 2 decimals, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TaxAddress:
    """Where tax is computed for: a country, a region id (0 = none) and a postcode."""

    country_id: str
    region_id: int = 0
    postcode: str = ""


@dataclass(frozen=True)
class Rate:
    rate_id: int
    code: str
    country_id: str
    region_id: int
    postcode: str
    percent: Decimal

    def matches(self, address: TaxAddress) -> bool:
        if self.country_id != address.country_id:
            return False
        if self.region_id not in (0, address.region_id):
            return False
        return postcode_matches(self.postcode, address.postcode)

    def specificity(self) -> tuple[int, int, int]:
        """Higher is more specific; the lower id wins a tie."""
        postcode = 0 if self.postcode in ("", ANY_POSTCODE) else 1 + len(self.postcode)
        return (1 if self.region_id else 0, postcode, -self.rate_id)


def _normal_postcode(value: str) -> str:
    return value.replace(" ", "").upper()


def postcode_matches(pattern: str, postcode: str) -> bool:
    pattern = _normal_postcode(pattern)
    if pattern in ("", ANY_POSTCODE):
        return True
    code = _normal_postcode(postcode)
    if pattern.endswith(ANY_POSTCODE):
        return code.startswith(pattern[:-1])
    return code == pattern


@dataclass(frozen=True)
class RateTable:
    """The rates linked to one customer tax class, by product tax class."""

    by_product_class: dict[int, tuple[Rate, ...]] = field(default_factory=dict)

    def rate_for(self, product_tax_class_id: int | None, address: TaxAddress) -> Rate | None:
        if product_tax_class_id is None:
            return None
        candidates = [
            r for r in self.by_product_class.get(product_tax_class_id, ()) if r.matches(address)
        ]
        return max(candidates, key=Rate.specificity, default=None)


def _rate(row: TaxCalculationRate) -> Rate:
    return Rate(
        rate_id=row.tax_calculation_rate_id,
        code=row.code,
        country_id=row.tax_country_id,
        region_id=row.tax_region_id,
        postcode=row.tax_postcode,
        percent=Decimal(row.rate),
    )


async def rate_table(customer_tax_class_id: int | None) -> RateTable:
    if customer_tax_class_id is None:
        return RateTable()
    links = await TaxCalculation.filter(customer_tax_class_id=customer_tax_class_id).values(
        "tax_calculation_rate_id", "product_tax_class_id"
    )
    if not links:
        return RateTable()
    rows = {
        r.tax_calculation_rate_id: _rate(r)
        for r in await TaxCalculationRate.filter(
            tax_calculation_rate_id__in=sorted({link["tax_calculation_rate_id"] for link in links})
        )
    }
    by_class: dict[int, list[Rate]] = {}
    for link in links:
        by_class.setdefault(link["product_tax_class_id"], []).append(
            rows[link["tax_calculation_rate_id"]]
        )
    return RateTable({k: tuple(v) for k, v in by_class.items()})


class RowTax:
    """Tax of successive rows with Magento's total-based rounding: the remainder of each rounded
    row is carried to the next row of the same rate."""

    def __init__(self) -> None:
        self._delta: dict[int, Decimal] = {}

    def of(self, amount: Decimal, rate: Rate | None) -> Decimal:
        if rate is None or rate.percent == 0:
            return Decimal("0.00")
        exact = amount * rate.percent / HUNDRED + self._delta.get(rate.rate_id, Decimal(0))
        rounded = round_money(exact)
        self._delta[rate.rate_id] = exact - rounded
        return rounded


# --- admin --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateData:
    """What an admin sends; `None` leaves a value as it is on update."""

    code: str | None = None
    tax_country_id: str | None = None
    tax_region_id: int | None = None
    tax_postcode: str | None = None
    rate: str | None = None
    customer_tax_class_ids: Sequence[int] | None = None
    product_tax_class_ids: Sequence[int] | None = None


@dataclass(frozen=True)
class SavedRate:
    row: TaxCalculationRate
    customer_tax_class_ids: list[int]
    product_tax_class_ids: list[int]


def not_found(rate_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f"No such entity with taxRateId = {rate_id}", path)
    )


def _required(field_name: str) -> str:
    return f'"{field_name}" is required. Enter and try again.'


def _invalid(value: object, field_name: str) -> str:
    return f'Invalid value of "{value}" provided for the {field_name} field.'


async def class_links(rate_ids: Sequence[int]) -> dict[int, tuple[list[int], list[int]]]:
    """Each rate's linked customer and product tax classes, sorted."""
    result: dict[int, tuple[set[int], set[int]]] = {r: (set(), set()) for r in rate_ids}
    rows = await TaxCalculation.filter(tax_calculation_rate_id__in=list(rate_ids)).values(
        "tax_calculation_rate_id", "customer_tax_class_id", "product_tax_class_id"
    )
    for row in rows:
        customers, products = result[row["tax_calculation_rate_id"]]
        customers.add(row["customer_tax_class_id"])
        products.add(row["product_tax_class_id"])
    return {k: (sorted(c), sorted(p)) for k, (c, p) in result.items()}


async def page(request: PageRequest, country_id: str | None = None) -> Page[TaxCalculationRate]:
    query = TaxCalculationRate.all().order_by("code", "tax_calculation_rate_id")
    if country_id:
        query = query.filter(tax_country_id=country_id)
    return await paginate(query, request)


async def get(rate_id: int, path: str = "uid") -> SavedRate:
    row = await TaxCalculationRate.get_or_none(tax_calculation_rate_id=rate_id)
    if row is None:
        raise not_found(rate_id, path)
    customers, products = (await class_links([rate_id]))[rate_id]
    return SavedRate(row, customers, products)


async def _check_classes(
    ids: Sequence[int] | None, class_type: str, path: str, problems: Problems
) -> None:
    if ids is None:
        return
    known = {
        row.class_id for row in await TaxClass.filter(class_id__in=list(ids), class_type=class_type)
    }
    for index, class_id in enumerate(ids):
        if class_id not in known:
            problems.add(ProblemCode.NOT_FOUND, _invalid(class_id, "taxClassId"), f"{path}.{index}")


async def _validate(
    data: RateData, current: TaxCalculationRate | None
) -> tuple[dict[str, Any], Problems]:
    """Magento's `RateRepository::validate` and `Rate::beforeSave`, every problem at once."""
    problems = Problems()
    values: dict[str, Any] = {}
    creating = current is None
    code = data.code.strip() if data.code is not None else None
    if code is not None or creating:
        if not code:
            problems.add(ProblemCode.REQUIRED, _required("code"), "input.code")
        elif len(code) > CODE_MAX_LENGTH:
            problems.add(
                ProblemCode.TOO_LONG,
                f'"code" length must be equal or less than {CODE_MAX_LENGTH} characters.',
                "input.code",
            )
        else:
            clash = TaxCalculationRate.filter(code=code)
            if current is not None:
                clash = clash.exclude(tax_calculation_rate_id=current.tax_calculation_rate_id)
            if await clash.exists():
                problems.add(ProblemCode.ALREADY_EXISTS, "Code already exists.", "input.code")
            values["code"] = code
    country = data.tax_country_id or (current.tax_country_id if current is not None else None)
    if data.tax_country_id is not None:
        values["tax_country_id"] = data.tax_country_id
    if not country:
        problems.add(ProblemCode.REQUIRED, _required("country_id"), "input.tax_country_id")
    region_id = data.tax_region_id
    if region_id is None and current is not None and data.tax_country_id is None:
        region_id = current.tax_region_id
    region_id = region_id or 0
    if country and (data.tax_region_id is not None or data.tax_country_id is not None):
        if region_id and not await DirectoryCountryRegion.exists(
            region_id=region_id, country_id=country
        ):
            problems.add(
                ProblemCode.INVALID, _invalid(region_id, "region_id"), "input.tax_region_id"
            )
        values["tax_region_id"] = region_id
    if data.tax_postcode is not None:
        postcode = data.tax_postcode.strip() or ANY_POSTCODE
        if len(postcode) > POSTCODE_MAX_LENGTH:
            problems.add(
                ProblemCode.TOO_LONG,
                f'"postcode" length must be equal or less than {POSTCODE_MAX_LENGTH} characters.',
                "input.tax_postcode",
            )
        values["tax_postcode"] = postcode
    if data.rate is not None or creating:
        try:
            percent = Decimal((data.rate or "").strip())
            if not percent.is_finite() or percent < 0 or percent >= Decimal("100000000"):
                raise InvalidOperation(data.rate)
            values["rate"] = percent.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            if not (data.rate or "").strip():
                problems.add(ProblemCode.REQUIRED, _required("percentage_rate"), "input.rate")
            else:
                problems.add(
                    ProblemCode.INVALID, _invalid(data.rate, "percentage_rate"), "input.rate"
                )
    await _check_classes(
        data.customer_tax_class_ids, "CUSTOMER", "input.customer_tax_class_ids", problems
    )
    await _check_classes(
        data.product_tax_class_ids, "PRODUCT", "input.product_tax_class_ids", problems
    )
    return values, problems


async def _replace_links(rate_id: int, customers: Sequence[int], products: Sequence[int]) -> None:
    await TaxCalculation.filter(tax_calculation_rate_id=rate_id).delete()
    for customer_class in sorted(set(customers)):
        for product_class in sorted(set(products)):
            await TaxCalculation.create(
                tax_calculation_rate_id=rate_id,
                customer_tax_class_id=customer_class,
                product_tax_class_id=product_class,
            )


async def save(rate_id: int | None, data: RateData) -> SavedRate:
    """Create (`rate_id` None) or change a rate and replace its class links when they are sent:
    the rate applies to every pair of a linked customer class and a linked product class."""
    async with in_transaction():
        current = None
        if rate_id is not None:
            current = (await get(rate_id)).row
        values, problems = await _validate(data, current)
        problems.raise_if_any()
        if current is None:
            current = await TaxCalculationRate.create(**values)
        elif values:
            current.update_from_dict(values)
            await current.save()
        rate_id = current.tax_calculation_rate_id
        customers, products = (await class_links([rate_id]))[rate_id]
        if data.customer_tax_class_ids is not None or data.product_tax_class_ids is not None:
            if data.customer_tax_class_ids is not None:
                customers = sorted(set(data.customer_tax_class_ids))
            if data.product_tax_class_ids is not None:
                products = sorted(set(data.product_tax_class_ids))
            await _replace_links(rate_id, customers, products)
    return SavedRate(current, customers, products)


async def delete(rate_id: int) -> SavedRate:
    async with in_transaction():
        saved = await get(rate_id)
        await saved.row.delete()
    return saved
