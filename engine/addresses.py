"""Customer addresses: Magento's AddressRepository, street lines and default flags.

Validation follows Magento's address model and its GraphQL resolvers: required attributes
(firstname, lastname, street, city, country_id, telephone), at most `customer/address/street_lines`
street lines, a pre-defined region for countries that have them (its name filled from the
directory), free text elsewhere, and custom attribute values of entity type CUSTOMER_ADDRESS.
Every write is one transaction; a refused input writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from engine import attributes
from engine.attributes import AttributeValueData, StoredValue
from engine.config import ConfigPath
from engine.errors import (
    DomainError,
    InputInvalid,
    NoSuchEntity,
    NotAuthorized,
    Problem,
    ProblemCode,
    Problems,
)
from engine.segments import events, membership
from engine.stores import StoresSnapshot, StoreView
from models import CustomerAddressEntity, CustomerEntity, DirectoryCountryRegion, EntityType

# Magento's required address attributes, in its attribute order (the order of its message).
REQUIRED_FIELDS = ("firstname", "lastname", "street", "city", "country_id", "telephone")
TEXT_FIELDS = (
    "firstname",
    "lastname",
    "middlename",
    "prefix",
    "suffix",
    "company",
    "city",
    "postcode",
    "telephone",
    "fax",
    "vat_id",
)
# Column widths of `customer_address_entity`; longer values are refused, never truncated.
MAX_LENGTHS = {"prefix": 40, "suffix": 40}
DEFAULT_MAX_LENGTH = 255


@dataclass(frozen=True)
class RegionData:
    region: str | None = None
    region_code: str | None = None
    region_id: int | None = None


@dataclass(frozen=True)
class AddressData:
    """What a client sends; `None` means "not sent" (kept as it is on update)."""

    firstname: str | None = None
    lastname: str | None = None
    middlename: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    company: str | None = None
    city: str | None = None
    postcode: str | None = None
    telephone: str | None = None
    fax: str | None = None
    vat_id: str | None = None
    street: tuple[str | None, ...] | None = None
    country_id: str | None = None
    region: RegionData | None = None
    default_billing: bool | None = None
    default_shipping: bool | None = None
    custom_attributes: tuple[AttributeValueData, ...] | None = None
    legacy_custom_attributes: tuple[AttributeValueData, ...] | None = None

    def is_empty(self) -> bool:
        return self == AddressData()


@dataclass(frozen=True)
class AddressDetails:
    """What presenting addresses needs beyond their rows: custom attribute values by address id
    and the directory code of each pre-defined region id."""

    attributes: dict[int, list[StoredValue]] = field(default_factory=dict)
    region_codes: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Saved:
    """An address after a write, with its owner as written (for the default flags)."""

    address: CustomerAddressEntity
    customer: CustomerEntity


def street_lines(stored: str | None) -> list[str]:
    """Magento stores street lines joined by newlines."""
    return stored.split("\n") if stored else []


async def load_for_customers(customer_ids: Sequence[int]) -> list[list[CustomerAddressEntity]]:
    """DataLoader batch: each customer's addresses, oldest first."""
    by_customer: dict[int, list[CustomerAddressEntity]] = {cid: [] for cid in customer_ids}
    rows = await CustomerAddressEntity.filter(parent_id__in=list(customer_ids)).order_by(
        "entity_id"
    )
    for row in rows:
        by_customer[row.parent_id].append(row)  # type: ignore[attr-defined]
    return [by_customer[cid] for cid in customer_ids]


async def load_details(rows: Sequence[CustomerAddressEntity]) -> AddressDetails:
    ids = [row.entity_id for row in rows]
    region_ids = sorted({row.region_id for row in rows if row.region_id is not None})
    values = await attributes.load(EntityType.CUSTOMER_ADDRESS, ids)
    codes: dict[int, str] = {}
    if region_ids:
        for region in await DirectoryCountryRegion.filter(region_id__in=region_ids):
            codes[region.region_id] = region.code
    return AddressDetails(attributes=values, region_codes=codes)


async def regions(country_id: str) -> list[DirectoryCountryRegion]:
    """A country's pre-defined regions, by name; empty for countries with free-text regions."""
    return await DirectoryCountryRegion.filter(country_id=country_id).order_by(
        "default_name", "region_id"
    )


def not_found(address_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f'Could not find an address with ID "{address_id}"', path)
    )


async def get(
    address_id: int, owner_id: int | None = None, path: str = "uid"
) -> CustomerAddressEntity:
    """The address; with `owner_id`, only if that customer owns it (Magento's permission error
    otherwise)."""
    address = await CustomerAddressEntity.get_or_none(entity_id=address_id)
    if address is None:
        raise not_found(address_id, path)
    if owner_id is not None and address.parent_id != owner_id:  # type: ignore[attr-defined]
        raise NotAuthorized(
            Problem(
                ProblemCode.PROTECTED,
                f'Current customer does not have permission to address with ID "{address_id}"',
                path,
            )
        )
    return address


def street_line_limit(
    stores: StoresSnapshot, customer: CustomerEntity, store: StoreView | None = None
) -> int:
    """`customer/address/street_lines` at `store` (the storefront's current store view) or, for
    admins, at the customer's own store view (else its website's default one)."""
    return stores.config_int(ConfigPath.STREET_LINES, store or _store_of(stores, customer))


def _store_of(stores: StoresSnapshot, customer: CustomerEntity) -> StoreView | None:
    store_id = customer.store_id  # type: ignore[attr-defined]
    website_id = customer.website_id  # type: ignore[attr-defined]
    by_id = next((s for s in stores.stores if s.store_id == store_id), None)
    if by_id is not None:
        return by_id
    return next(
        (s for s in stores.stores if s.website.website_id == website_id and s.is_default_store),
        None,
    )


def _blank(value: str | None) -> bool:
    return value is None or value.strip() == ""


@dataclass
class _Draft:
    """The address as it will be written: the stored values with the input applied."""

    values: dict[str, str | None]
    street: list[str]
    country_id: str
    region: str | None
    region_id: int | None


def _draft(address: CustomerAddressEntity | None, data: AddressData) -> _Draft:
    values: dict[str, str | None] = {
        name: getattr(address, name) if address is not None else None for name in TEXT_FIELDS
    }
    for name in TEXT_FIELDS:
        sent = getattr(data, name)
        if sent is not None:
            values[name] = sent
    street = street_lines(address.street) if address is not None else []
    if data.street is not None:
        street = [line or "" for line in data.street]
    return _Draft(
        values=values,
        street=street,
        country_id=data.country_id or (address.country_id if address is not None else ""),
        region=address.region if address is not None else None,
        region_id=address.region_id if address is not None else None,
    )


REQUIRED_PATHS = {
    "input.country_code" if name == "country_id" else f"input.{name}": name
    for name in REQUIRED_FIELDS
}


def required_message(names: Sequence[str]) -> str:
    return f"Required parameters are missing: {', '.join(names)}"


def as_storefront_error(error: DomainError) -> DomainError:
    """Magento's storefront stops at its first check and names every missing required attribute
    in one message; admins get each problem separately."""
    missing = [
        REQUIRED_PATHS[p.path]
        for p in error.problems
        if p.code is ProblemCode.REQUIRED and p.path in REQUIRED_PATHS
    ]
    if not missing:
        return error
    first = next(p for p in error.problems if p.path in REQUIRED_PATHS)
    return InputInvalid(Problem(ProblemCode.REQUIRED, required_message(missing), first.path))


def _check_required(data: AddressData, draft: _Draft, creating: bool, problems: Problems) -> None:
    """Magento refuses missing required attributes on create, and required attributes sent empty
    on update."""
    for name in REQUIRED_FIELDS:
        if name == "street":
            sent = data.street is not None
            empty = not any(not _blank(line) for line in draft.street)
            path = "input.street"
        elif name == "country_id":
            sent = data.country_id is not None
            empty = draft.country_id == ""
            path = "input.country_code"
        else:
            sent = getattr(data, name) is not None
            empty = _blank(draft.values[name])
            path = f"input.{name}"
        if empty and (creating or sent):
            problems.add(ProblemCode.REQUIRED, required_message([name]), path)


def _check_lengths(data: AddressData, problems: Problems) -> None:
    for name in TEXT_FIELDS:
        value = getattr(data, name)
        limit = MAX_LENGTHS.get(name, DEFAULT_MAX_LENGTH)
        if value is not None and len(value) > limit:
            problems.add(
                ProblemCode.TOO_LONG,
                f'"{name}" length must be equal or less than {limit} characters.',
                f"input.{name}",
            )


def _check_street(data: AddressData, limit: int, problems: Problems) -> None:
    if data.street is None:
        return
    if len(data.street) > limit:
        problems.add(
            ProblemCode.INVALID,
            f'"Street Address" cannot contain more than {limit} lines.',
            f"input.street.{limit}",
        )


async def _resolve_region(data: AddressData, draft: _Draft, problems: Problems) -> None:
    """Fill `draft.region` / `draft.region_id` as Magento's region validation and GraphQL region
    lookup do: a country with pre-defined regions needs one of them (by id or code, name taken
    from the directory); any other country takes free text and no region id."""
    if not draft.country_id:
        return
    country_changed = data.country_id is not None
    sent = data.region
    known = await DirectoryCountryRegion.filter(country_id=draft.country_id)
    if not known:
        if sent is not None:
            draft.region = sent.region if sent.region is not None else sent.region_code
        draft.region_id = None
        return
    by_id = {r.region_id: r for r in known}
    by_code = {r.code.upper(): r for r in known}
    region_id: int | None = draft.region_id
    path = "input.region.region_id"
    if sent is not None:
        region_id = sent.region_id
        if region_id is None and not _blank(sent.region_code):
            path = "input.region.region_code"
            found = by_code.get((sent.region_code or "").strip().upper())
            region_id = found.region_id if found is not None else None
    elif country_changed and region_id not in by_id:
        region_id = None
    if region_id is None:
        problems.add(ProblemCode.REQUIRED, '"regionId" is required. Enter and try again.', path)
        return
    region = by_id.get(region_id)
    if region is None:
        if await DirectoryCountryRegion.exists(region_id=region_id):
            problems.add(
                ProblemCode.INVALID,
                "The region_id does not match the selected country or region",
                path,
            )
        else:
            problems.add(
                ProblemCode.INVALID,
                f'Invalid value of "{region_id}" provided for the regionId field.',
                path,
            )
        return
    draft.region_id = region.region_id
    draft.region = region.default_name


async def _validate(
    address: CustomerAddressEntity | None, data: AddressData, street_limit: int
) -> tuple[_Draft, list[attributes.ParsedValue], Problems]:
    creating = address is None
    draft = _draft(address, data)
    problems = Problems()
    _check_required(data, draft, creating, problems)
    _check_lengths(data, problems)
    _check_street(data, street_limit, problems)
    await _resolve_region(data, draft, problems)
    parsed: list[attributes.ParsedValue] = []
    v2 = list(data.custom_attributes or ())
    legacy = list(data.legacy_custom_attributes or ())
    if creating or data.custom_attributes is not None or data.legacy_custom_attributes is not None:
        path = "input.custom_attributesV2"
        parsed, found = await attributes.validate(
            EntityType.CUSTOMER_ADDRESS, v2 + legacy, path, creating=creating
        )
        for problem in found:
            problems.items.append(_legacy_path(problem, path, len(v2)))
    return draft, parsed, problems


def _legacy_path(problem: Problem, path: str, v2_count: int) -> Problem:
    """Values of the deprecated `custom_attributes` are validated after the V2 ones; point their
    problems back at their own list."""
    prefix = f"{path}."
    if not problem.path.startswith(prefix):
        return problem
    index, _, rest = problem.path[len(prefix) :].partition(".")
    if not index.isdigit() or int(index) < v2_count:
        return problem
    where = f"input.custom_attributes.{int(index) - v2_count}"
    return Problem(problem.code, problem.message, f"{where}.{rest}" if rest else where)


def _apply(address: CustomerAddressEntity, draft: _Draft) -> None:
    for name, value in draft.values.items():
        setattr(address, name, value)
    address.street = "\n".join(draft.street)
    address.country_id = draft.country_id
    address.region = draft.region
    address.region_id = draft.region_id


async def _apply_defaults(customer: CustomerEntity, address_id: int, data: AddressData) -> None:
    changed: list[str] = []
    for name, flag in (
        ("default_billing", data.default_billing),
        ("default_shipping", data.default_shipping),
    ):
        current = getattr(customer, name)
        if flag is True and current != address_id:
            setattr(customer, name, address_id)
            changed.append(name)
        elif flag is False and current == address_id:
            setattr(customer, name, None)
            changed.append(name)
    if changed:
        await customer.save(update_fields=changed)


async def _customer(customer_id: int, path: str) -> CustomerEntity:
    customer = await CustomerEntity.get_or_none(entity_id=customer_id)
    if customer is None:
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f"No such entity with customerId = {customer_id}", path)
        )
    return customer


async def create(
    customer_id: int,
    data: AddressData,
    stores: StoresSnapshot,
    store: StoreView | None = None,
    customer_path: str = "",
) -> Saved:
    async with in_transaction():
        customer = await _customer(customer_id, customer_path)
        draft, parsed, problems = await _validate(
            None, data, street_line_limit(stores, customer, store)
        )
        problems.raise_if_any()
        address = CustomerAddressEntity(parent_id=customer_id)
        _apply(address, draft)
        await address.save()
        await attributes.save(EntityType.CUSTOMER_ADDRESS, address.entity_id, parsed)
        await _apply_defaults(customer, address.entity_id, data)
        await membership.customer_event(customer.entity_id, events.ADDRESS_SAVE)
    return Saved(address, customer)


async def update(
    address_id: int,
    data: AddressData,
    stores: StoresSnapshot,
    owner_id: int | None,
    store: StoreView | None = None,
    path: str = "uid",
) -> Saved:
    """Change an address; `owner_id` restricts it to that customer's addresses. `path` names
    the argument that gave the address (`id` for the deprecated mutations)."""
    async with in_transaction():
        address = await get(address_id, owner_id, path)
        customer = await _customer(address.parent_id, "uid")  # type: ignore[attr-defined]
        draft, parsed, problems = await _validate(
            address, data, street_line_limit(stores, customer, store)
        )
        problems.raise_if_any()
        _apply(address, draft)
        await address.save()
        await attributes.save(EntityType.CUSTOMER_ADDRESS, address.entity_id, parsed)
        await _apply_defaults(customer, address.entity_id, data)
        await membership.customer_event(customer.entity_id, events.ADDRESS_SAVE)
    return Saved(address, customer)


async def delete(
    address_id: int, owner_id: int | None, *, keep_defaults: bool, path: str = "uid"
) -> Saved:
    """Delete an address. With `keep_defaults` (the storefront, as Magento), a default billing or
    shipping address is refused; otherwise (admins) the customer's default ids are cleared."""
    async with in_transaction():
        address = await get(address_id, owner_id, path)
        customer = await _customer(address.parent_id, path)  # type: ignore[attr-defined]
        for name, label in (("default_billing", "billing"), ("default_shipping", "shipping")):
            if getattr(customer, name) != address_id:
                continue
            if keep_defaults:
                raise InputInvalid(
                    Problem(
                        ProblemCode.PROTECTED,
                        f"Customer Address {address_id} is set as default {label} address "
                        "and cannot be deleted",
                        path,
                    )
                )
            setattr(customer, name, None)
            await customer.save(update_fields=[name])
        await address.delete()
        await membership.customer_event(customer.entity_id, events.ADDRESS_DELETE)
    return Saved(address, customer)
