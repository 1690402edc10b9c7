"""Generated rows, with no I/O: the same seed, catalog, ids and day give the same rows.

Faker (en_US, seeded) fills pools of names, streets, cities and ZIP codes once; every row is then
drawn from one `random.Random(seed)`, which is far faster than calling Faker per row and keeps
memory flat however many customers are generated. Dates are offsets back from `today`, so a
demo loaded today has customers registered "in the last 30 days"."""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from faker import Faker

from models import BalanceAction, SubscriberStatus
from models.groups import GENERAL_GROUP_ID
from seeds import tables
from seeds.activity import Activity, Address, Shop, Shopper
from seeds.draws import Weighted
from seeds.structure import RETAILER_GROUP_ID, WHOLESALE_GROUP_ID, Catalog, Region, WebsiteSlot
from seeds.tables import Table

T = TypeVar("T")
Row = tuple[Any, ...]

MALE, FEMALE, NOT_SPECIFIED = 1, 2, 3
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
HISTORY_INFO = "By admin: demo seed."
DELIVERY_INSTRUCTIONS = (
    "Leave at the front door.",
    "Leave with the concierge.",
    "Ring the bell twice.",
    "Deliver to the loading dock, weekdays 8am-4pm.",
    "Do not leave packages unattended.",
    "Side entrance, gate code 1234.",
    "Call on arrival.",
    "Place behind the planter on the porch.",
)
THREE_YEARS_SECONDS = 3 * 365 * 86_400


@dataclass(frozen=True)
class Pools:
    male_names: tuple[str, ...]
    female_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[str, ...]
    companies: tuple[str, ...]
    zip_codes: dict[str, tuple[str, ...]]
    first_names: tuple[str, ...] = ()

    @classmethod
    def build(cls, seed: int, regions: Sequence[Region]) -> Pools:
        return _pools(seed, tuple(region.code for region in regions))


@functools.lru_cache(maxsize=4)
def _pools(seed: int, region_codes: tuple[str, ...]) -> Pools:
    """Built once per seed and process: Faker takes about a tenth of a second for these."""
    fake = Faker("en_US")
    fake.seed_instance(seed)

    def pool(make: Any, size: int) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(make()) for _ in range(size)))

    zip_codes = {}
    for code in region_codes:
        try:
            zip_codes[code] = pool(lambda code=code: fake.zipcode_in_state(code), 12)
        except Exception:  # Faker has no ZIP range for this region: any US ZIP code
            zip_codes[code] = pool(fake.zipcode, 12)
    male_names = pool(fake.first_name_male, 500)
    female_names = pool(fake.first_name_female, 500)
    return Pools(
        male_names=male_names,
        female_names=female_names,
        first_names=male_names + female_names,
        last_names=pool(fake.last_name, 800),
        streets=pool(fake.street_name, 800),
        cities=pool(fake.city, 400),
        companies=pool(fake.company, 150),
        zip_codes=zip_codes,
    )


@dataclass
class NextIds:
    """The next primary key of each table whose keys the seed assigns."""

    customer: int = 1
    address: int = 1
    balance: int = 1
    visitor: int = 1
    quote: int = 1
    wishlist: int = 1
    order: int = 1
    # The next `sequence_order` value, which the order increment id is made of.
    increment: int = 1


@dataclass
class Batch:
    rows: dict[Table, list[Row]] = field(default_factory=lambda: {t: [] for t in tables.TABLES})

    def counts(self) -> dict[str, int]:
        return {table.name: len(rows) for table, rows in self.rows.items()}


class Generator:
    def __init__(
        self,
        seed: int,
        catalog: Catalog,
        *,
        today: date,
        loaded_at: datetime,
        password_hash: str,
        shop: Shop | None = None,
    ) -> None:
        """Without a `shop`, customers only: no carts, wish lists, views or orders."""
        self.rng = random.Random(seed)
        self.catalog = catalog
        self.pools = Pools.build(seed, catalog.regions)
        self.anchor = datetime.combine(today, time(), UTC)
        self.today = today
        self.loaded_at = loaded_at
        self.password_hash = password_hash
        c = catalog
        self.websites = Weighted([(c.base, 75), (c.wholesale, 25)])
        self.groups = {
            c.base.website_id: Weighted(
                [
                    (GENERAL_GROUP_ID, 70),
                    (RETAILER_GROUP_ID, 12),
                    (c.vip_group_id, 12),
                    (c.employee_group_id, 6),
                ]
            ),
            c.wholesale.website_id: Weighted(
                [(WHOLESALE_GROUP_ID, 75), (c.vip_group_id, 15), (GENERAL_GROUP_ID, 10)]
            ),
        }
        self.genders = Weighted([(MALE, 48), (FEMALE, 48), (NOT_SPECIFIED, 4)])
        self.address_counts = Weighted([(0, 15), (1, 45), (2, 28), (3, 12)])
        self.tiers = Weighted(list(zip(c.loyalty_option_ids, (50, 30, 15, 5), strict=True)))
        self.vip_tiers = Weighted(list(zip(c.loyalty_option_ids[2:], (70, 30), strict=True)))
        # First e-mail generated per website: printed so a demo user can sign in.
        self.sample_emails: dict[str, str] = {}
        self.activity = (
            Activity(seed, shop, catalog, self.pools, anchor=self.anchor, loaded_at=loaded_at)
            if shop is not None
            else None
        )

    def _pick(self, values: Sequence[T]) -> T:
        return values[int(self.rng.random() * len(values))]

    def _moment_after(self, start: datetime) -> datetime:
        """A moment between `start` and the anchor, to the second. One `random()` call whatever
        the span, so which rows exist never depends on the day the seed runs."""
        span = (self.anchor - start).total_seconds()
        return start + timedelta(seconds=int(self.rng.random() * span))

    def batch(self, count: int, ids: NextIds) -> Batch:
        """`count` customers and their rows; advances `ids` past the keys it used."""
        batch = Batch()
        for _ in range(count):
            self._customer(batch, ids)
        if self.activity is not None:
            self.activity.finish(batch, ids)
        return batch

    def _customer(self, batch: Batch, ids: NextIds) -> None:
        rng = self.rng
        c = self.catalog
        customer_id = ids.customer
        ids.customer += 1
        website: WebsiteSlot = self.websites.draw(rng)
        group_id: int = self.groups[website.website_id].draw(rng)
        gender: int = self.genders.draw(rng)
        if gender == MALE or (gender == NOT_SPECIFIED and rng.random() < 0.5):
            firstname = self._pick(self.pools.male_names)
            prefix = "Mr." if rng.random() < 0.08 else None
            suffix = self._pick(("Jr.", "Sr.", "III")) if rng.random() < 0.03 else None
        else:
            firstname = self._pick(self.pools.female_names)
            prefix = self._pick(("Ms.", "Mrs.")) if rng.random() < 0.08 else None
            suffix = None
        lastname = self._pick(self.pools.last_names)
        middlename = f"{self._pick('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.15 else None
        local = re.sub(r"[^a-z.]", "", f"{firstname}.{lastname}".lower())
        email = f"{local}{customer_id}@{self._pick(EMAIL_DOMAINS)}"
        self.sample_emails.setdefault(website.code, email)
        created_at = self.anchor - timedelta(seconds=int(rng.random() * THREE_YEARS_SECONDS))
        dob = (
            self.today - timedelta(days=rng.randrange(18 * 365, 80 * 365))
            if rng.random() < 0.85
            else None
        )
        wholesale = website is c.wholesale
        taxvat = (
            f"{rng.randrange(10, 99)}-{rng.randrange(1_000_000, 9_999_999)}"
            if wholesale and rng.random() < 0.4
            else None
        )

        address_ids = []
        for position in range(self.address_counts.draw(rng)):
            address_id = ids.address
            ids.address += 1
            address_ids.append(address_id)
            # A wholesale account's first address is its business address.
            company = self._pick(self.pools.companies) if wholesale and position == 0 else None
            self._address(batch, address_id, customer_id, created_at, firstname, lastname, company)
        billing = address_ids[0] if address_ids else None
        shipping = address_ids[1] if len(address_ids) > 1 and rng.random() < 0.3 else billing

        batch.rows[tables.CUSTOMERS].append(
            (
                customer_id,
                website.website_id,
                website.store_id,
                email,
                group_id,
                created_at,
                self.loaded_at,
                True,
                website.store_name,
                prefix,
                firstname,
                middlename,
                lastname,
                suffix,
                dob,
                self.password_hash,
                billing,
                shipping,
                taxvat,
                None,
                gender,
                rng.random() < 0.08,
                0,
                None,
                None,
            )
        )

        tier: int | None = None
        if group_id == c.vip_group_id:
            tier = self.vip_tiers.draw(rng)
        elif rng.random() < 0.6:
            tier = self.tiers.draw(rng)
        if tier is not None:
            batch.rows[tables.CUSTOMER_INTS].append((c.loyalty_tier_id, customer_id, tier))
            since = self._moment_after(created_at).replace(hour=0, minute=0, second=0)
            batch.rows[tables.CUSTOMER_DATETIMES].append(
                (c.membership_since_id, customer_id, since)
            )
        if rng.random() < 0.7:
            calls = 1 if rng.random() < 0.35 else 0
            batch.rows[tables.CUSTOMER_INTS].append(
                (c.accepts_marketing_calls_id, customer_id, calls)
            )

        if rng.random() < 0.3:
            batch.rows[tables.SUBSCRIBERS].append(
                (
                    website.store_id,
                    customer_id,
                    self._moment_after(created_at),
                    email,
                    int(SubscriberStatus.SUBSCRIBED),
                    f"{rng.getrandbits(128):032x}",
                )
            )

        if rng.random() < 0.2:
            balance_id = ids.balance
            ids.balance += 1
            amount = Decimal(rng.randrange(500, 50_000)) / 100
            batch.rows[tables.BALANCES].append(
                (balance_id, customer_id, website.website_id, amount, "USD")
            )
            batch.rows[tables.BALANCE_HISTORY].append(
                (
                    balance_id,
                    self._moment_after(created_at),
                    int(BalanceAction.CREATED),
                    amount,
                    amount,
                    HISTORY_INFO,
                )
            )

        if self.activity is not None:
            addresses = (
                {row[0]: row for row in batch.rows[tables.ADDRESSES][-len(address_ids) :]}
                if address_ids
                else {}
            )
            self.activity.customer(
                batch,
                ids,
                Shopper(
                    customer_id=customer_id,
                    website=website,
                    group_id=group_id,
                    email=email,
                    firstname=firstname,
                    lastname=lastname,
                    created_at=created_at,
                    billing=Address.from_row(addresses[billing]) if billing else None,
                    shipping=Address.from_row(addresses[shipping]) if shipping else None,
                ),
            )

    def _address(
        self,
        batch: Batch,
        address_id: int,
        customer_id: int,
        customer_created_at: datetime,
        firstname: str,
        lastname: str,
        company: str | None,
    ) -> None:
        rng = self.rng
        pools = self.pools
        if rng.random() < 0.1:  # a gift or second-household address
            firstname = self._pick(pools.first_names)
            lastname = self._pick(pools.last_names)
        if company is None and rng.random() < 0.1:
            company = self._pick(pools.companies)
        region = self._pick(self.catalog.regions)
        street = f"{rng.randrange(1, 9999)} {self._pick(pools.streets)}"
        if rng.random() < 0.25:
            street += f"\n{self._pick(('Apt.', 'Suite', 'Unit'))} {rng.randrange(1, 999)}"
        telephone = (
            f"({rng.randrange(201, 990)}) {rng.randrange(200, 1000)}-{rng.randrange(10_000):04d}"
        )
        batch.rows[tables.ADDRESSES].append(
            (
                address_id,
                customer_id,
                self._moment_after(customer_created_at),
                self.loaded_at,
                True,
                self._pick(pools.cities),
                company,
                "US",
                None,
                firstname,
                lastname,
                None,
                self._pick(pools.zip_codes[region.code]),
                None,
                region.name,
                region.region_id,
                street,
                None,
                telephone,
                None,
            )
        )
        if rng.random() < 0.25:
            batch.rows[tables.ADDRESS_VARCHARS].append(
                (
                    self.catalog.delivery_instructions_id,
                    address_id,
                    self._pick(DELIVERY_INSTRUCTIONS),
                )
            )
