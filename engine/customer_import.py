"""Importing customers from the CSV files Magento's System > Data Transfer > Export writes
(`Magento\\CustomerImportExport`, and Adobe Commerce's `Magento\\CustomerFinance`), recognised by
their header row:

- Customers Main File (`customer`): `email`, `_website`, `_store`, `created_at`, `group_id`,
  `dob`, `gender`, `password_hash`, ... and one column per custom customer attribute;
- Customer Addresses (`customer_address`): `_website`, `_email`, `_entity_id`, `city`, ...,
  `_address_default_billing_`, `_address_default_shipping_`;
- Customers and Addresses (`customer_composite`): the main file's columns and the address
  columns prefixed `_address_`; a row without an e-mail is one more address of the customer
  above it;
- Customer Finances (`customer_finance`): `_email`, `_website`, `_finance_website`,
  `store_credit`, `reward_points`.

A customer is identified by e-mail and website, as Magento's import does; an address by its
content (an address equal in every field to one the customer has is not added again), since
Magento's address ids mean nothing here. So a file imported twice leaves the same state: what
exists unchanged is skipped and counted. Rows are written in batches, one transaction each, set
by set (no model instance per row); a refused row is reported with its line and reason and the
others go on. Segment membership follows each batch as after any customer save
(`membership.customers_changed`: re-evaluated per customer, or a refresh queued for big batches).

Passwords: `password_hash` is kept as Magento wrote it (checked by
`passwords.magento_hash_problem`) and replaced by our own hash at the customer's first sign-in;
a plain `password` column is hashed here. An account whose hash is already ours (the customer
signed in or changed the password since) keeps it."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from engine import attributes, balance, newsletter
from engine.addresses import REQUIRED_FIELDS as ADDRESS_REQUIRED
from engine.balance import BalanceChange
from engine.customers import GENDERS, MAX_LENGTHS, normalize_email, website_store
from engine.invalidation import Topic, touch
from engine.order_import import DEFAULT_BATCH_SIZE, ErrorSink, ImportSummary
from engine.passwords import PasswordHasher, is_magento_hash, magento_hash_problem
from engine.segments import events, membership
from engine.segments.snapshot import website_segments
from engine.segments.sql import dialect_of, placeholders
from engine.stores import StoresSnapshot
from models import (
    CustomerAddressEntity,
    CustomerEntity,
    CustomerGroup,
    DirectoryCountryRegion,
    EavAttribute,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
)
from models.groups import NOT_LOGGED_IN_GROUP_ID
from models.stores import ADMIN_STORE_ID, ADMIN_WEBSITE_ID

WarningSink = Callable[[str], None]


class CsvFormat(Enum):
    """Magento's customer export entity types."""

    CUSTOMERS = "customer"
    ADDRESSES = "customer_address"
    COMPOSITE = "customer_composite"
    FINANCES = "customer_finance"


class HeaderInvalid(Exception):
    """A header row that is none of Magento's customer export formats."""


# Magento's `CustomerComposite::COLUMN_ADDRESS_PREFIX` and default-address columns.
ADDRESS_PREFIX = "_address_"
DEFAULT_BILLING = "_address_default_billing_"
DEFAULT_SHIPPING = "_address_default_shipping_"
# Magento's import default group (`Customer::DEFAULT_GROUP_ID`).
DEFAULT_GROUP_ID = 1

CUSTOMER_COLUMNS = frozenset(
    {
        "email",
        "_website",
        "_store",
        "confirmation",
        "created_at",
        "created_in",
        "dob",
        "firstname",
        "gender",
        "group_id",
        "lastname",
        "middlename",
        "password_hash",
        "password",
        "prefix",
        "suffix",
        "taxvat",
        # Not in Magento's export: the newsletter state, from the Newsletter Subscribers grid.
        "is_subscribed",
    }
)
# Columns Magento exports that mean nothing here (tokens, Magento's own ids, bookkeeping).
CUSTOMER_IGNORED = frozenset(
    {
        "rp_token",
        "rp_token_created_at",
        "disable_auto_group_change",
        "updated_at",
        "store_id",
        "website_id",
        "default_billing",
        "default_shipping",
        "failures_num",
        "first_failure",
        "lock_expires",
        "reward_update_notification",
        "reward_warning_notification",
    }
)
ADDRESS_FIELDS = (
    "firstname",
    "lastname",
    "middlename",
    "prefix",
    "suffix",
    "company",
    "street",
    "city",
    "region",
    "region_id",
    "postcode",
    "country_id",
    "telephone",
    "fax",
    "vat_id",
)
ADDRESS_IGNORED = frozenset(
    {"vat_is_valid", "vat_request_date", "vat_request_id", "vat_request_success"}
)
FINANCE_COLUMNS = frozenset({"_email", "_website", "_finance_website", "store_credit"})
ADDRESS_MAX_LENGTHS = {"prefix": 40, "suffix": 40}
GENDER_LABELS = {"male": 1, "female": 2, "not specified": None, "1": 1, "2": 2, "3": None}
YES = frozenset({"1", "yes", "true"})
NO = frozenset({"0", "no", "false", ""})
EMAIL_TWICE = "This email is found more than once in the import file."
NO_CUSTOMER = "We can't find that email and website combination."


class RowInvalid(Exception):
    """A row that cannot be imported: the column at fault and why."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}" if column else message)


def detect(header: Sequence[str]) -> CsvFormat:
    columns = set(header)
    if "_finance_website" in columns:
        return CsvFormat.FINANCES
    address_columns = {c for c in columns if c.startswith(ADDRESS_PREFIX)}
    if "email" in columns and address_columns - {DEFAULT_BILLING, DEFAULT_SHIPPING}:
        return CsvFormat.COMPOSITE
    if "email" in columns:
        return CsvFormat.CUSTOMERS
    if "_email" in columns:
        return CsvFormat.ADDRESSES
    raise HeaderInvalid(
        "the header row is none of Magento's customer export formats (Customers Main File, "
        "Customer Addresses, Customers and Addresses, Customer Finances): it has no "
        '"email" or "_email" column'
    )


# Reading values ----------------------------------------------------------------------------

_US_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m/%d/%y %H:%M", "%m/%d/%y")


def parse_moment(text: str, column: str) -> datetime:
    """A date as Magento writes it in exports (`2024-03-05 10:11:12`, ISO 8601) or as its
    import reads it with `strtotime` from a spreadsheet (`3/5/2024 10:11`, month first).
    Naive values are UTC, as Magento stores them."""
    raw = text.strip()
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        for pattern in _US_FORMATS:
            try:
                parsed = datetime.strptime(raw, pattern)
                break
            except ValueError:
                continue
        else:
            raise RowInvalid(column, f'"{text}" is not a date') from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _flag(text: str, column: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowInvalid(column, f'"{text}" is not 0 or 1')


def _text(row: dict[str, str], column: str, limit: int = 255) -> str | None:
    value = (row.get(column) or "").strip()
    if len(value) > limit:
        raise RowInvalid(column, f"is longer than {limit} characters")
    return value or None


def _required(row: dict[str, str], column: str, limit: int = 255) -> str:
    value = _text(row, column, limit)
    if value is None:
        raise RowInvalid(column, "is required")
    return value


# Rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressRow:
    key: tuple[Any, ...]  # the values of ADDRESS_FIELDS, in order: what identifies the address
    default_billing: bool = False
    default_shipping: bool = False


@dataclass(frozen=True)
class CustomerRow:
    email: str
    website_id: int
    fields: dict[str, Any]  # customer_entity columns to write
    attributes: tuple[tuple[EavAttribute, Any], ...] = ()
    password: str | None = None
    is_subscribed: bool | None = None
    addresses: tuple[tuple[int, AddressRow | str], ...] = ()


@dataclass(frozen=True)
class AddressFileRow:
    email: str
    website_id: int
    address: AddressRow


@dataclass(frozen=True)
class FinanceRow:
    email: str
    website_id: int
    finance_website_id: int
    store_credit: Decimal | None


@dataclass
class Directory:
    """What rows are checked against, read once per import."""

    stores: StoresSnapshot
    groups: set[int]
    customer_attributes: dict[str, EavAttribute]
    option_ids: dict[int, dict[str, int]]  # attribute id -> lowercase label or id -> option id
    regions: dict[str, dict[str, tuple[int, str]]]  # country -> lowercase name/code -> region

    @classmethod
    async def load(cls, stores: StoresSnapshot) -> Directory:
        custom = {
            a.attribute_code: a
            for a in await EavAttribute.filter(
                entity_type_id=EntityType.CUSTOMER, is_user_defined=True
            )
        }
        options: dict[int, dict[str, int]] = {a.attribute_id: {} for a in custom.values()}
        for row in await EavAttributeOptionValue.filter(
            option__attribute_id__in=list(options), store_id=0
        ).values("option_id", "value", "option__attribute_id"):
            by_label = options[row["option__attribute_id"]]
            by_label.setdefault(str(row["value"]).strip().lower(), int(row["option_id"]))
            by_label[str(row["option_id"])] = int(row["option_id"])
        regions: dict[str, dict[str, tuple[int, str]]] = {}
        for region in await DirectoryCountryRegion.all():
            known = regions.setdefault(region.country_id, {})
            known[region.default_name.lower()] = (region.region_id, region.default_name)
            known.setdefault(region.code.lower(), (region.region_id, region.default_name))
        groups = set(await CustomerGroup.all().values_list("customer_group_id", flat=True))
        return cls(stores, {int(g) for g in groups}, custom, options, regions)  # type: ignore[call-overload]

    def website_id(self, row: dict[str, str], column: str) -> int:
        code = (row.get(column) or "").strip()
        if not code:
            raise RowInvalid(column, "is required")
        for website in self.stores.websites:
            if website.code == code and website.website_id != ADMIN_WEBSITE_ID:
                return website.website_id
        raise RowInvalid(column, f'no website has the code "{code}"')

    def store_id(self, code: str, website_id: int) -> int | None:
        """The customer's store view; Magento's `admin` (or none) becomes the website's
        default store view."""
        if code in {"", "admin"}:
            return website_store(website_id, self.stores).store_id
        for store in self.stores.stores:
            if store.code == code and store.store_id != ADMIN_STORE_ID:
                if store.website.website_id != website_id:
                    raise RowInvalid("_store", f'store "{code}" is not in the customer\'s website')
                return store.store_id
        raise RowInvalid("_store", "Invalid value in Store column (store does not exists?)")

    def attribute_value(self, attribute: EavAttribute, text: str) -> Any:
        """A custom attribute's cell as stored: option labels (what Magento exports) or ids
        for selects, `attributes.parse_scalar` for the rest; empty is no value."""
        raw = text.strip()
        code = attribute.attribute_code
        if not raw:
            return None
        kind = attribute.frontend_input
        if kind in (FrontendInput.SELECT, FrontendInput.MULTISELECT):
            known = self.option_ids.get(attribute.attribute_id, {})
            parts = [raw] if kind is FrontendInput.SELECT else [p for p in raw.split(",") if p]
            ids = []
            for part in parts:
                option = known.get(part.strip().lower())
                if option is None:
                    raise RowInvalid(code, f'"{part.strip()}" is not an option of "{code}"')
                ids.append(option)
            return ids[0] if kind is FrontendInput.SELECT else ",".join(str(i) for i in ids)
        if kind is FrontendInput.BOOLEAN:
            return int(_flag(raw, code))
        if kind in (FrontendInput.DATE, FrontendInput.DATETIME):
            moment = parse_moment(raw, code)
            if kind is FrontendInput.DATE:
                return datetime.combine(moment.date(), datetime.min.time(), tzinfo=UTC)
            return moment
        try:
            return attributes.parse_scalar(attribute, raw)
        except ValueError as error:
            raise RowInvalid(code, f'"{raw}" {error}') from None

    def address(self, row: dict[str, str], prefix: str = "") -> AddressRow:
        def cell(name: str) -> str:
            return (row.get(prefix + name) or "").strip()

        for name in ADDRESS_REQUIRED:
            if not cell(name):
                raise RowInvalid(prefix + name, "is required")
        values: dict[str, Any] = {}
        for name in ADDRESS_FIELDS:
            limit = ADDRESS_MAX_LENGTHS.get(name, 255)
            value = cell(name)
            if name != "street" and len(value) > limit:
                raise RowInvalid(prefix + name, f"is longer than {limit} characters")
            values[name] = value or None
        country = str(values["country_id"]).upper()
        if len(country) != 2 or not country.isalpha():
            raise RowInvalid(
                prefix + "country_id", f'"{values["country_id"]}" is not a country code'
            )
        values["country_id"] = country
        # Magento's region ids are its own directory's: the region is found here by its name
        # or code; a country without pre-defined regions keeps the text.
        values["region_id"] = None
        known = self.regions.get(country, {})
        if values["region"] is not None and known:
            found = known.get(str(values["region"]).lower())
            if found is not None:
                values["region_id"], values["region"] = found
        street = "\n".join(line.strip() for line in cell("street").splitlines() if line.strip())
        values["street"] = street
        return AddressRow(
            tuple(values[name] for name in ADDRESS_FIELDS),
            default_billing=_flag(row.get(DEFAULT_BILLING) or "", DEFAULT_BILLING),
            default_shipping=_flag(row.get(DEFAULT_SHIPPING) or "", DEFAULT_SHIPPING),
        )

    def customer(self, row: dict[str, str]) -> CustomerRow:
        raw_email = (row.get("email") or "").strip()
        if not raw_email:
            raise RowInvalid("email", "is required")
        email = normalize_email(raw_email)
        if email is None or len(email) > MAX_LENGTHS["email"]:
            raise RowInvalid("email", f'"{raw_email}" is not a valid email address')
        website_id = self.website_id(row, "_website")
        fields: dict[str, Any] = {
            "store_id": self.store_id((row.get("_store") or "").strip(), website_id),
            "firstname": _required(row, "firstname"),
            "lastname": _required(row, "lastname"),
        }
        for name in ("prefix", "middlename", "suffix", "taxvat"):
            fields[name] = _text(row, name, MAX_LENGTHS[name])
        fields["created_in"] = _text(row, "created_in")
        fields["confirmation"] = _text(row, "confirmation", 64)
        created = (row.get("created_at") or "").strip()
        fields["created_at"] = parse_moment(created, "created_at") if created else None
        dob = (row.get("dob") or "").strip()
        fields["dob"] = parse_moment(dob, "dob").date() if dob else None
        if fields["dob"] is not None and fields["dob"] > date.today():
            raise RowInvalid("dob", "The Date of Birth should not be greater than today.")
        gender = (row.get("gender") or "").strip().lower()
        if gender and gender not in GENDER_LABELS:
            raise RowInvalid("gender", f'"{row["gender"]}" is not Male, Female or Not Specified')
        fields["gender"] = GENDER_LABELS.get(gender)
        assert fields["gender"] in (None, *GENDERS)
        group = (row.get("group_id") or "").strip()
        if group and not group.isdigit():
            raise RowInvalid("group_id", f'"{group}" is not a customer group id')
        group_id = int(group) if group and int(group) else DEFAULT_GROUP_ID
        if group_id == NOT_LOGGED_IN_GROUP_ID or group_id not in self.groups:
            raise RowInvalid("group_id", f"No such entity with groupId = {group_id}")
        fields["group_id"] = group_id
        password_hash = (row.get("password_hash") or "").strip()
        if password_hash:
            problem = magento_hash_problem(password_hash)
            if problem is not None or len(password_hash) > 255:
                raise RowInvalid("password_hash", problem or "is longer than 255 characters")
        fields["password_hash"] = password_hash or None
        password = row.get("password") or None
        if password is not None and not 6 <= len(password) <= 256:
            raise RowInvalid("password", "Please enter a password with a valid length.")
        values = tuple(
            (attribute, self.attribute_value(attribute, row[code]))
            for code, attribute in self.customer_attributes.items()
            if code in row
        )
        subscribed = row.get("is_subscribed")
        return CustomerRow(
            email=email,
            website_id=website_id,
            fields=fields,
            attributes=values,
            password=password,
            is_subscribed=None if subscribed is None else _flag(subscribed, "is_subscribed"),
        )

    def address_file_row(self, row: dict[str, str]) -> AddressFileRow:
        email = normalize_email((row.get("_email") or "").strip())
        if email is None:
            raise RowInvalid("_email", "is required and must be a valid email address")
        return AddressFileRow(email, self.website_id(row, "_website"), self.address(row))

    def finance_row(self, row: dict[str, str]) -> FinanceRow:
        email = normalize_email((row.get("_email") or "").strip())
        if email is None:
            raise RowInvalid("_email", "is required and must be a valid email address")
        amount = (row.get("store_credit") or "").strip()
        credit: Decimal | None = None
        if amount:
            try:
                credit = Decimal(amount)
            except InvalidOperation:
                raise RowInvalid("store_credit", f'"{amount}" is not a number') from None
            if not credit.is_finite() or credit < 0 or credit >= balance.MAX_AMOUNT:
                raise RowInvalid("store_credit", f'"{amount}" is not a valid balance')
        return FinanceRow(
            email,
            self.website_id(row, "_website"),
            self.website_id(row, "_finance_website"),
            credit,
        )


# Reading the file --------------------------------------------------------------------------


def read_rows(lines: Iterable[str]) -> Iterator[tuple[int, list[str], dict[str, str]]]:
    """The header, then each record with the file line it starts on (a quoted value may span
    lines); blank records are skipped."""
    numbered = iter(lines)
    reader = csv.reader(_strip_bom(numbered))
    header: list[str] | None = None
    last = 0
    for cells in reader:
        start, last = last + 1, reader.line_num
        if header is None:
            header = [c.strip() for c in cells]
            yield start, header, {}
            continue
        if not any(c.strip() for c in cells):
            continue
        yield start, header, dict(zip(header, cells, strict=False))


def _strip_bom(lines: Iterator[str]) -> Iterator[str]:
    first = True
    for line in lines:
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        yield line


def unknown_columns(header: Sequence[str], kind: CsvFormat, directory: Directory) -> list[str]:
    """Columns the import does not read: reported once as a warning, not as an error, since
    Magento exports attributes mageseg does not keep."""
    custom = set(directory.customer_attributes)
    known: set[str]
    if kind is CsvFormat.FINANCES:
        known = set(FINANCE_COLUMNS) | {"reward_points"}
    elif kind is CsvFormat.ADDRESSES:
        known = {"_website", "_email", "_entity_id", DEFAULT_BILLING, DEFAULT_SHIPPING}
        known |= set(ADDRESS_FIELDS) | ADDRESS_IGNORED
    else:
        known = set(CUSTOMER_COLUMNS) | CUSTOMER_IGNORED | custom
        if kind is CsvFormat.COMPOSITE:
            known |= {ADDRESS_PREFIX + n for n in (*ADDRESS_FIELDS, *ADDRESS_IGNORED)}
            known |= {DEFAULT_BILLING, DEFAULT_SHIPPING}
    return [c for c in header if c and c not in known and c not in CUSTOMER_IGNORED]


# Writing -----------------------------------------------------------------------------------

_CUSTOMER_COMPARED = (
    "store_id",
    "group_id",
    "created_in",
    "prefix",
    "firstname",
    "middlename",
    "lastname",
    "suffix",
    "dob",
    "taxvat",
    "confirmation",
    "gender",
)


def _conn() -> Any:
    return CustomerEntity._meta.db


async def _execute_many(sql: str, rows: list[list[Any]]) -> None:
    if rows:
        conn = _conn()
        await conn.execute_many(placeholders(sql, dialect_of(conn)), rows)


async def _customers_by_key(
    keys: Iterable[tuple[str, int]],
) -> dict[tuple[str, int], dict[str, Any]]:
    wanted = set(keys)
    emails = sorted({email for email, _ in wanted})
    found: dict[tuple[str, int], dict[str, Any]] = {}
    if not emails:
        return found
    rows = await CustomerEntity.filter(email__in=emails).values(
        "entity_id", "email", "website_id", "created_at", "password_hash", *_CUSTOMER_COMPARED
    )
    for row in rows:
        key = (row["email"], row["website_id"])
        if key in wanted:
            found[key] = row
    return found


async def _stored_attributes(
    customer_ids: Sequence[int], used: Sequence[EavAttribute]
) -> dict[tuple[int, int], Any]:
    stored: dict[tuple[int, int], Any] = {}
    if not customer_ids or not used:
        return stored
    for backend, table in attributes.VALUE_TABLES[EntityType.CUSTOMER].items():
        ids = [a.attribute_id for a in used if a.backend_type is backend]
        if not ids:
            continue
        for row in await table.filter(
            entity_id__in=list(customer_ids), attribute_id__in=ids
        ).values("entity_id", "attribute_id", "value"):
            stored[(row["entity_id"], row["attribute_id"])] = row["value"]
    return stored


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, datetime) and isinstance(right, datetime):
        return left.astimezone(UTC).replace(microsecond=0) == right.astimezone(UTC).replace(
            microsecond=0
        )
    if isinstance(left, date) and isinstance(right, str):
        return left.isoformat() == right
    return bool(left == right)


async def _write_attributes(
    values: dict[int, list[tuple[EavAttribute, Any]]],
) -> None:
    """Each customer's imported custom values replace what it had for those attributes."""
    tables = attributes.VALUE_TABLES[EntityType.CUSTOMER]
    for backend, table in tables.items():
        ids_by_customer = {
            customer_id: [a.attribute_id for a, _ in items if a.backend_type is backend]
            for customer_id, items in values.items()
        }
        doomed = [(c, a) for c, ids in ids_by_customer.items() for a in ids]
        name = table._meta.db_table
        await _execute_many(
            f'DELETE FROM "{name}" WHERE entity_id = ? AND attribute_id = ?',
            [[c, a] for c, a in doomed],
        )
        await _execute_many(
            f'INSERT INTO "{name}" (entity_id, attribute_id, value) VALUES (?, ?, ?)',
            [
                [c, a.attribute_id, v]
                for c, items in values.items()
                for a, v in items
                if a.backend_type is backend and v is not None
            ],
        )


_ADDRESS_COLUMNS = ", ".join(f'"{n}"' for n in ADDRESS_FIELDS)


def _address_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[name] for name in ADDRESS_FIELDS)


async def _write_addresses(items: Sequence[tuple[int, AddressRow]], moment: datetime) -> set[int]:
    """Add each address its customer does not have yet, and point the customer's default billing
    and shipping at the rows flagged so. Returns the customers that got a new address."""
    if not items:
        return set()
    customer_ids = sorted({customer_id for customer_id, _ in items})

    async def current() -> dict[tuple[int, tuple[Any, ...]], int]:
        rows = await CustomerAddressEntity.filter(parent_id__in=customer_ids).values(
            "entity_id", "parent_id", *ADDRESS_FIELDS
        )
        return {(row["parent_id"], _address_key(row)): row["entity_id"] for row in rows}

    existing = await current()
    new: list[list[Any]] = []
    seen: set[tuple[int, tuple[Any, ...]]] = set()
    for customer_id, address in items:
        key = (customer_id, address.key)
        if key in existing or key in seen:
            continue
        seen.add(key)
        new.append([customer_id, moment, moment, True, *address.key])
    await _execute_many(
        "INSERT INTO customer_address_entity "
        f"(parent_id, created_at, updated_at, is_active, {_ADDRESS_COLUMNS}) "
        f"VALUES (?, ?, ?, ?, {', '.join('?' for _ in ADDRESS_FIELDS)})",
        new,
    )
    defaults = [(c, a) for c, a in items if a.default_billing or a.default_shipping]
    if defaults:
        ids = await current() if new else existing
        billing = {c: ids[(c, a.key)] for c, a in defaults if a.default_billing}
        shipping = {c: ids[(c, a.key)] for c, a in defaults if a.default_shipping}
        await _execute_many(
            "UPDATE customer_entity SET default_billing = ? WHERE entity_id = ?",
            [[a, c] for c, a in billing.items()],
        )
        await _execute_many(
            "UPDATE customer_entity SET default_shipping = ? WHERE entity_id = ?",
            [[a, c] for c, a in shipping.items()],
        )
    return {row[0] for row in new}


@dataclass
class _Outcome:
    """What one batch did, per line: None imported, "updated", "skipped", or the refusal."""

    by_line: dict[int, str | None] = field(default_factory=dict)
    changed_customers: list[int] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)


class CustomerWriter:
    def __init__(self, directory: Directory, hasher: PasswordHasher, now: datetime) -> None:
        self.directory = directory
        self.hasher = hasher
        self.now = now

    async def customers(self, rows: Sequence[tuple[int, CustomerRow]]) -> _Outcome:
        outcome = _Outcome()
        keys: dict[tuple[str, int], int] = {}
        batch: list[tuple[int, CustomerRow]] = []
        for line, row in rows:
            key = (row.email, row.website_id)
            if key in keys:
                outcome.by_line[line] = f"email: {EMAIL_TWICE}"
                continue
            keys[key] = line
            batch.append((line, row))
        existing = await _customers_by_key(keys)
        used = sorted(
            {a.attribute_id: a for _, r in batch for a, _ in r.attributes}.values(),
            key=lambda a: a.attribute_id,
        )
        stored = await _stored_attributes([e["entity_id"] for e in existing.values()], used)
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        ids: dict[tuple[str, int], int] = {}
        status: dict[int, str | None] = {}
        for line, row in batch:
            key = (row.email, row.website_id)
            current = existing.get(key)
            fields = dict(row.fields)
            fields["password_hash"] = self._password(row, current)
            if current is None:
                inserts.append(self._insert_values(row, fields))
                status[line] = None
                continue
            customer_id = int(current["entity_id"])
            ids[key] = customer_id
            if fields["created_at"] is None:
                fields["created_at"] = current["created_at"]
            entity_changed = any(
                not _same(fields[name], current[name])
                for name in (*_CUSTOMER_COMPARED, "created_at", "password_hash")
            )
            attributes_changed = any(
                not _same(value, stored.get((customer_id, a.attribute_id)))
                for a, value in row.attributes
            )
            if entity_changed:
                updates.append(
                    [
                        *(fields[n] for n in (*_CUSTOMER_COMPARED, "created_at", "password_hash")),
                        self.now,
                        customer_id,
                    ]
                )
            status[line] = "updated" if entity_changed or attributes_changed else "skipped"
        columns = ("website_id", "email", "updated_at", "is_active", *_INSERTED)
        await _execute_many(
            f"INSERT INTO customer_entity ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            inserts,
        )
        sets = ", ".join(f"{n} = ?" for n in (*_CUSTOMER_COMPARED, "created_at", "password_hash"))
        await _execute_many(
            f"UPDATE customer_entity SET {sets}, updated_at = ? WHERE entity_id = ?", updates
        )
        if inserts:
            created = await _customers_by_key(k for k in keys if k not in ids)
            ids.update({k: int(v["entity_id"]) for k, v in created.items()})
        await _write_attributes(
            {ids[(r.email, r.website_id)]: list(r.attributes) for _, r in batch if r.attributes}
        )
        addresses = [
            (line, ids[(r.email, r.website_id)], a)
            for _, r in batch
            for line, a in r.addresses
            if isinstance(a, AddressRow)
        ]
        added = await _write_addresses([(c, a) for _, c, a in addresses], self.now)
        if addresses:
            outcome.fired.add(events.ADDRESS_SAVE)
        subscriptions = [
            (ids[(r.email, r.website_id)], r.is_subscribed)
            for _, r in batch
            if r.is_subscribed is not None
        ]
        if subscriptions:
            await self._subscribe(subscriptions)
            outcome.fired.add(events.NEWSLETTER_SAVE)
        for line, row in batch:
            customer_id = ids[(row.email, row.website_id)]
            result = status[line]
            if result == "skipped" and customer_id in added:
                result = "updated"
            outcome.by_line[line] = result
            if result != "skipped":
                outcome.changed_customers.append(customer_id)
        outcome.fired.add(events.CUSTOMER_SAVE)
        return outcome

    def _password(self, row: CustomerRow, current: dict[str, Any] | None) -> str | None:
        stored = None if current is None else current["password_hash"]
        if row.password is not None:
            if stored and self.hasher.verify(stored, row.password):
                return str(stored)
            return self.hasher.hash(row.password)
        wanted = row.fields["password_hash"]
        if stored and not is_magento_hash(stored):
            return str(stored)  # ours since the customer signed in: the password is the same
        return wanted if wanted is not None else stored

    def _insert_values(self, row: CustomerRow, fields: dict[str, Any]) -> list[Any]:
        created = fields["created_at"] or self.now
        values = {**fields, "created_at": created}
        return [row.website_id, row.email, self.now, True, *(values[n] for n in _INSERTED)]

    async def _subscribe(self, subscriptions: Sequence[tuple[int, bool]]) -> None:
        stores = self.directory.stores
        wanted = dict(subscriptions)
        for customer in await CustomerEntity.filter(entity_id__in=list(wanted)):
            store = website_store(customer.website_id, stores, customer.store_id)  # type: ignore[attr-defined]
            await newsletter.set_customer_subscription(
                customer, wanted[customer.entity_id], store, stores
            )

    async def addresses(self, rows: Sequence[tuple[int, AddressFileRow]]) -> _Outcome:
        outcome = _Outcome()
        found = await _customers_by_key((r.email, r.website_id) for _, r in rows)
        items: list[tuple[int, AddressRow]] = []
        for line, row in rows:
            current = found.get((row.email, row.website_id))
            if current is None:
                outcome.by_line[line] = f"_email: {NO_CUSTOMER}"
                continue
            items.append((int(current["entity_id"]), row.address))
        before = await CustomerAddressEntity.filter(
            parent_id__in=[c for c, _ in items]
        ).values_list("parent_id", *ADDRESS_FIELDS)
        have = {(r[0], tuple(r[1:])) for r in before}
        await _write_addresses(items, self.now)
        index = 0
        for line, _ in rows:
            if line in outcome.by_line:
                continue
            customer_id, address = items[index]
            index += 1
            new = (customer_id, address.key) not in have
            have.add((customer_id, address.key))
            outcome.by_line[line] = None if new else "skipped"
            if new or address.default_billing or address.default_shipping:
                outcome.changed_customers.append(customer_id)
        outcome.fired.add(events.ADDRESS_SAVE)
        return outcome

    async def finances(self, rows: Sequence[tuple[int, FinanceRow]]) -> _Outcome:
        outcome = _Outcome()
        found = await _customers_by_key((r.email, r.website_id) for _, r in rows)
        for line, row in rows:
            current = found.get((row.email, row.website_id))
            if current is None:
                outcome.by_line[line] = f"_email: {NO_CUSTOMER}"
                continue
            if row.store_credit is None:
                outcome.by_line[line] = "skipped"
                continue
            customer_id = int(current["entity_id"])
            before = await balance.balances([customer_id], self.directory.stores)
            amounts = {b.website_id: b.amount for b in before[customer_id]}
            if amounts.get(row.finance_website_id) == row.store_credit:
                outcome.by_line[line] = "skipped"
                continue
            await balance.apply(
                customer_id,
                [
                    BalanceChange(
                        row.finance_website_id, balance=row.store_credit, comment="Imported"
                    )
                ],
                int(current["website_id"]),
                self.directory.stores,
            )
            outcome.by_line[line] = None if row.finance_website_id not in amounts else "updated"
            outcome.changed_customers.append(customer_id)
        outcome.fired.add(events.BALANCE_SAVE)
        return outcome


_INSERTED = (
    "store_id",
    "group_id",
    "created_at",
    "created_in",
    "prefix",
    "firstname",
    "middlename",
    "lastname",
    "suffix",
    "dob",
    "password_hash",
    "taxvat",
    "confirmation",
    "gender",
)

Parsed = CustomerRow | AddressFileRow | FinanceRow


async def customers_saved(
    customer_ids: Sequence[int], fired: Sequence[str], stores: StoresSnapshot
) -> None:
    """Membership after a batch, as `membership.customers_changed`; when no active segment of
    any website listens to the events (a shop importing before it defines segments), only the
    customers' cached answers are marked changed, which is all that call would do, without its
    per-customer lookups."""
    if not customer_ids:
        return
    names = membership.expand(fired)
    for website in stores.websites:
        if website.website_id == ADMIN_WEBSITE_ID:
            continue
        if (await website_segments(website.website_id)).listening(names, customers=True):
            await membership.customers_changed(customer_ids, fired)
            return
    for customer_id in dict.fromkeys(customer_ids):
        touch(Topic.CUSTOMER, customer_id)


async def _write_batch(
    writer: CustomerWriter, kind: CsvFormat, rows: Sequence[tuple[int, Any]]
) -> _Outcome:
    """One transaction: the rows, then the segment membership of the customers they changed."""
    async with in_transaction():
        if kind is CsvFormat.ADDRESSES:
            outcome = await writer.addresses(rows)
        elif kind is CsvFormat.FINANCES:
            outcome = await writer.finances(rows)
        else:
            outcome = await writer.customers(rows)
        await customers_saved(
            outcome.changed_customers, sorted(outcome.fired), writer.directory.stores
        )
    return outcome


async def import_customers(
    lines: Iterable[str],
    stores: StoresSnapshot,
    hasher: PasswordHasher,
    *,
    on_error: ErrorSink,
    on_warning: WarningSink,
    batch_size: int = DEFAULT_BATCH_SIZE,
    now: datetime | None = None,
) -> ImportSummary:
    """Import a Magento customer export (any of the four formats, told by its header),
    `batch_size` customers per transaction. `on_error` gets each refused line's number and
    reason, in line order; `on_warning` what the import leaves out (columns it does not read).
    Raises `HeaderInvalid` when the first row is no Magento header."""
    summary = ImportSummary()
    rows = read_rows(lines)
    first = next(rows, None)
    if first is None:
        raise HeaderInvalid("the file is empty")
    _, header, _ = first
    kind = detect(header)
    directory = await Directory.load(stores)
    unknown = unknown_columns(header, kind, directory)
    if unknown:
        on_warning(f"columns not imported (no such attribute here): {', '.join(unknown)}")
    if kind is CsvFormat.FINANCES and "reward_points" in header:
        on_warning("reward_points: mageseg keeps no reward points; only store_credit is imported")
    writer = CustomerWriter(directory, hasher, now or datetime.now(UTC))
    pending: list[tuple[int, Any]] = []  # (line, parsed row or reason)

    def parse(line: int, row: dict[str, str]) -> Any:
        try:
            if kind is CsvFormat.ADDRESSES:
                return directory.address_file_row(row)
            if kind is CsvFormat.FINANCES:
                return directory.finance_row(row)
            return directory.customer(row)
        except RowInvalid as error:
            return str(error)

    def composite_address(row: dict[str, str]) -> AddressRow | str | None:
        if not any((row.get(ADDRESS_PREFIX + n) or "").strip() for n in ADDRESS_FIELDS):
            return None
        try:
            return directory.address(row, ADDRESS_PREFIX)
        except RowInvalid as error:
            return str(error)

    async def flush() -> None:
        ready = [(line, row) for line, row in pending if not isinstance(row, str)]
        try:
            outcome = await _write_batch(writer, kind, ready) if ready else _Outcome()
        except IntegrityError:
            # A concurrent writer took a key: each row alone, so only its own line fails.
            outcome = _Outcome()
            for line, row in ready:
                try:
                    outcome.by_line.update(
                        (await _write_batch(writer, kind, [(line, row)])).by_line
                    )
                except IntegrityError as error:
                    outcome.by_line[line] = str(error)
        for line, row in pending:
            reports: list[tuple[int, str | None]] = []
            if isinstance(row, str):
                reports.append((line, row))
            else:
                reports.append((line, outcome.by_line.get(line)))
            if isinstance(row, CustomerRow):
                # A line holding only an address shares its customer's outcome.
                for address_line, _ in row.addresses:
                    if address_line != line:
                        reports.append((address_line, outcome.by_line.get(line)))
            elif isinstance(row, str) and line in orphans:
                reports += [
                    (n, f"skipped: its customer (line {line}) was refused")
                    for n in orphans.pop(line)
                ]
            for number, result in sorted(reports, key=lambda report: report[0]):
                if result is None:
                    summary.imported += 1
                elif result == "updated":
                    summary.updated += 1
                elif result == "skipped":
                    summary.skipped += 1
                else:
                    summary.failed += 1
                    on_error(number, result)
        pending.clear()

    orphans: dict[int, list[int]] = {}
    for line, _, row in rows:
        if kind is CsvFormat.COMPOSITE and not (row.get("email") or "").strip():
            if not pending:
                pending.append((line, "email: is required (no customer row above this address)"))
                continue
            owner_line, owner = pending[-1]
            address = composite_address(row)
            if isinstance(owner, CustomerRow):
                if address is not None:
                    pending[-1] = (
                        owner_line,
                        replace(owner, addresses=(*owner.addresses, (line, address))),
                    )
            else:
                orphans.setdefault(owner_line, []).append(line)
            continue
        if len(pending) >= batch_size:
            await flush()
        parsed = parse(line, row)
        if kind is CsvFormat.COMPOSITE and isinstance(parsed, CustomerRow):
            address = composite_address(row)
            if isinstance(address, str):
                parsed = address  # the row is refused whole, as Magento's composite import
            elif address is not None:
                parsed = replace(parsed, addresses=((line, address),))
        pending.append((line, parsed))
    if pending:
        await flush()
    return summary
