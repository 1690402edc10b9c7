"""`mageseg import customers FILE` with the CSV files Magento's export writes (their header rows
exactly as Magento writes them), customers signing in with the Magento password hashes they were
exported with, and `mageseg import views|wishlists`."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from argon2.low_level import Type, hash_secret_raw

from engine.activity_import import Kind, import_activity
from engine.customer_import import HeaderInvalid, import_customers
from engine.passwords import PasswordHasher, magento_hash_problem, verify_magento_hash
from engine.stores import load_snapshot
from models import (
    BackendType,
    CustomerAddressEntity,
    CustomerEntity,
    CustomerEntityInt,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
    MagentoCustomerbalance,
    NewsletterSubscriber,
    ReportViewedProductIndex,
    SubscriberStatus,
    WishlistItem,
)
from tests.graphql import gql
from tests.test_cli import run
from tests.test_orders_support import make_product

SIGN_IN = """
mutation ($email: String!, $password: String!) {
  generateCustomerToken(email: $email, password: $password) { token }
}
"""
WHO = "{ customer { email firstname group { uid } } }"

# Customers Main File, as Magento 2.4's System > Export writes it (custom attributes in
# alphabetical order among the others: `loyalty_tier` here).
MAIN_HEADER = (
    "email,_website,_store,confirmation,created_at,created_in,disable_auto_group_change,dob,"
    "firstname,gender,group_id,lastname,loyalty_tier,middlename,password_hash,prefix,rp_token,"
    "rp_token_created_at,store_id,suffix,taxvat,website_id,password"
)
ADDRESS_HEADER = (
    '"_website","_email","_entity_id","city","company","country_id","fax","firstname",'
    '"lastname","middlename","postcode","prefix","region","region_id","street","suffix",'
    '"telephone","vat_id","vat_is_valid","vat_request_date","vat_request_id",'
    '"vat_request_success","_address_default_billing_","_address_default_shipping_"'
)
COMPOSITE_HEADER = (
    '"email","_website","_store","confirmation","created_at","created_in",'
    '"disable_auto_group_change","dob","firstname","gender","group_id","lastname","middlename",'
    '"password_hash","prefix","rp_token","rp_token_created_at","store_id","suffix","taxvat",'
    '"website_id","password","_address_city","_address_company","_address_country_id",'
    '"_address_fax","_address_firstname","_address_lastname","_address_middlename",'
    '"_address_postcode","_address_prefix","_address_region","_address_street",'
    '"_address_suffix","_address_telephone","_address_vat_id","_address_default_billing_",'
    '"_address_default_shipping_"'
)
FINANCE_HEADER = "_email,_website,_finance_website,store_credit,reward_points"

# A hash Magento 2.4 wrote (Argon2id13, version 3 with its libsodium parameters) and its password.
ARGON_HASH = (
    "abf1de8d537a1270237b9b56c8db9c67aeece6d89639a64d5ffd7264262541ab:"
    "PNK7gwTSnTc9L8AXZEvgZQ4SA66qirus:3_32_2_67108864"
)
ARGON_PASSWORD = "Password@2022"
SALT = "Xj3pQ9sLm2Vb7Nc4Kf8Hd1Rt6Yw0Za5E"


def sha256_hash(password: str, salt: str = SALT) -> str:
    """Magento's version 1: sha256(salt . password), hex."""
    return f"{hashlib.sha256((salt + password).encode()).hexdigest()}:{salt}:1"


def upgraded_hash(password: str, salt: str = SALT) -> str:
    """A SHA-256 hash Magento upgraded to Argon2id in place (`hash:salt:1:3_32_2_67108864`):
    Argon2id over the SHA-256 hex, salt cut to 16 bytes."""
    inner = hashlib.sha256((salt + password).encode()).hexdigest()
    outer = hash_secret_raw(
        inner.encode(), salt.encode()[:16], 2, 65536, 1, 32, Type.ID, version=19
    ).hex()
    return f"{outer}:{salt}:1:3_32_2_67108864"


def csv_file(tmp_path: Path, name: str, header: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


async def loyalty_tier() -> dict[str, int]:
    attribute = await EavAttribute.create(
        entity_type_id=EntityType.CUSTOMER,
        attribute_code="loyalty_tier",
        backend_type=BackendType.INT,
        frontend_input=FrontendInput.SELECT,
        frontend_label="Loyalty tier",
        is_user_defined=True,
    )
    options = {}
    for label in ("Silver", "Gold"):
        option = await EavAttributeOption.create(attribute=attribute)
        await EavAttributeOptionValue.create(option=option, store_id=0, value=label)
        options[label] = option.option_id
    return options


async def sign_in(client: Any, email: str, password: str) -> str | None:
    response = await gql(client, SIGN_IN, {"email": email, "password": password})
    data = response.data or {}
    token = (data.get("generateCustomerToken") or {}).get("token")
    return str(token) if token else None


async def test_main_file_imports_customers_who_sign_in_with_their_magento_passwords(
    client: Any, database_url: str, tmp_path: Path
) -> None:
    options = await loyalty_tier()
    file = csv_file(
        tmp_path,
        "customer_main.csv",
        MAIN_HEADER,
        "Ann@Example.com,base,default,,2019-03-04 10:20:30,Default Store View,0,1980-02-01,Ann,"
        f"Female,2,Lee,Gold,,{sha256_hash('Ann-Passw0rd!')},,,,1,,,1,",
        "bob@example.com,base,admin,,5/6/2012 15:53,Admin,0,,Bob,Male,1,Ray,,,"
        f"{ARGON_HASH},,,,0,,,1,",
        "cat@example.com,base,default,,2020-01-02 03:04:05,Default Store View,0,,Cat,,,Kim,Silver,,"
        f"{ARGON_HASH.rsplit(':', 1)[0]}:2,,,,1,,,1,",
        "dan@example.com,base,default,,2021-06-07 08:09:10,Default Store View,0,,Dan,,1,Fox,,,"
        f"{upgraded_hash('Dan-Passw0rd!')},,,,1,,,1,",
        "eve@example.com,nope,default,,,,0,,Eve,,1,Oak,,,,,,,1,,,1,",
        "fay@example.com,base,default,,,,0,,Fay,Robot,1,Ash,,,,,,,1,,,1,",
        "gus@example.com,base,default,,,,0,,Gus,,1,Elm,,,d41d8cd98f00b204e9800998ecf8427e:ab:9,,,,1,,,1,",
    )

    first = await run("import", "customers", str(file), "--database-url", database_url)

    assert first.returncode == 1, first.stderr
    assert first.stdout.strip() == "Imported 4, skipped 0, failed 3."
    assert [line for line in first.stderr.splitlines() if line.startswith("line ")] == [
        'line 6: _website: no website has the code "nope"',
        'line 7: gender: "Robot" is not Male, Female or Not Specified',
        'line 8: password_hash: has an unknown hash version "9"',
    ]
    ann = await CustomerEntity.get(email="ann@example.com")
    assert (ann.website_id, ann.store_id, ann.group_id, ann.gender) == (1, 1, 2, 2)  # type: ignore[attr-defined]
    assert ann.created_at == datetime(2019, 3, 4, 10, 20, 30, tzinfo=UTC)
    assert (ann.dob, ann.created_in, ann.firstname) == (
        date(1980, 2, 1),
        "Default Store View",
        "Ann",
    )
    bob = await CustomerEntity.get(email="bob@example.com")
    # Magento's `admin` store: the website's default store view here; US dates month first.
    assert (bob.store_id, bob.gender, bob.created_at) == (  # type: ignore[attr-defined]
        1,
        1,
        datetime(2012, 5, 6, 15, 53, tzinfo=UTC),
    )
    tiers = await CustomerEntityInt.all().order_by("entity_id").values_list("entity_id", "value")
    cat = await CustomerEntity.get(email="cat@example.com")
    assert tiers == [(ann.entity_id, options["Gold"]), (cat.entity_id, options["Silver"])]
    assert cat.group_id == 1  # type: ignore[attr-defined]

    passwords = {
        "ann@example.com": "Ann-Passw0rd!",
        "bob@example.com": ARGON_PASSWORD,
        "cat@example.com": ARGON_PASSWORD,
        "dan@example.com": "Dan-Passw0rd!",
    }
    assert await sign_in(client, "ann@example.com", "Ann-Passw0rd?") is None
    for email, password in passwords.items():
        token = await sign_in(client, email, password)
        assert token is not None, email
        who = await gql(client, WHO, token=token)
        assert who.data["customer"]["email"] == email  # type: ignore[index]
        customer = await CustomerEntity.get(email=email)
        assert customer.password_hash is not None
        assert customer.password_hash.startswith("$argon2id$"), email
        assert await sign_in(client, email, password) is not None, email

    again = await run("import", "customers", str(file), "--database-url", database_url)

    assert again.returncode == 1, again.stderr
    assert again.stdout.strip() == "Imported 0, skipped 4, failed 3."
    assert await CustomerEntity.all().count() == 4
    # The hashes made at sign-in stay: the file's Magento hash is the same password.
    assert (await CustomerEntity.get(email="bob@example.com")).password_hash.startswith(  # type: ignore[union-attr]
        "$argon2id$"
    )


async def test_addresses_composite_and_finances(db: Any) -> None:
    stores = await load_snapshot()
    hasher = PasswordHasher(1, 1024)
    errors: list[tuple[int, str]] = []
    warnings: list[str] = []

    async def load(header: str, *rows: str) -> str:
        summary = await import_customers(
            "\n".join((header, *rows, "")).splitlines(keepends=True),  # as a file reads
            stores,
            hasher,
            on_error=lambda n, reason: errors.append((n, reason)),
            on_warning=warnings.append,
            batch_size=2,
        )
        return str(summary)

    composite = (
        '"AnnLee@example.com","base","default",,"2018-01-02 03:04:05","Default Store View",0,,'
        '"Ann","Female",1,"Lee",,,,,,1,,,1,,"Austin",,"US",,"Ann","Lee",,"78701",,"Texas",'
        '"1 Main St\nSuite 2",,"512-555-0100",,1,1',
        ',,,,,,,,,,,,,,,,,,,,,,"Dallas",,"US",,"Ann","Lee",,"75201",,"Texas","9 Elm St",,'
        '"214-555-0100",,,',
        '"bob@example.com","base","default",,,,0,,"Bob","Male",1,"Ray",,,,,,1,,,1,,,,,,,,,,,,,,,,,',
        '"cy@example.com","base","default",,,,0,,"Cy","Male",1,"",,,,,,1,,,1,,,,,,,,,,,,,,,,,',
        ',,,,,,,,,,,,,,,,,,,,,,"Reno",,"US",,"Cy","Ho",,"89501",,"Nevada","2 Oak St",,"775",,,',
    )
    # Ann's street spans two lines of the file (a quoted value), so Cy starts on line 6.
    assert await load(COMPOSITE_HEADER, *composite) == "Imported 3, skipped 0, failed 2."
    assert errors == [
        (6, "lastname: is required"),
        (7, "skipped: its customer (line 6) was refused"),
    ]
    ann = await CustomerEntity.get(email="annlee@example.com")
    addresses = await CustomerAddressEntity.filter(parent_id=ann.entity_id).order_by("entity_id")
    assert [(a.city, a.street, a.region, a.region_id) for a in addresses] == [
        ("Austin", "1 Main St\nSuite 2", "Texas", 57),
        ("Dallas", "9 Elm St", "Texas", 57),
    ]
    assert (ann.default_billing, ann.default_shipping) == (addresses[0].entity_id,) * 2

    errors.clear()
    assert await load(COMPOSITE_HEADER, *composite) == "Imported 0, skipped 3, failed 2."

    errors.clear()
    address_rows = (
        '"base","bob@example.com",17,"Paris",,"FR",,"Bob","Ray",,"75001",,"Île-de-France",,'
        '"5 Rue de Rivoli",,"0102030405",,,,,,1,0',
        '"base","nobody@example.com",18,"Paris",,"FR",,"No","Body",,"75001",,,,"1 Rue",,"01",'
        ",,,,,0,0",
        '"base","bob@example.com",19,"Lyon",,"FR",,"Bob","Ray",,"69001",,,,"",,"0102030405",'
        ",,,,,0,1",
    )
    assert await load(ADDRESS_HEADER, *address_rows) == "Imported 1, skipped 0, failed 2."
    assert errors == [
        (3, "_email: We can't find that email and website combination."),
        (4, "street: is required"),
    ]
    bob = await CustomerEntity.get(email="bob@example.com")
    paris = await CustomerAddressEntity.get(parent_id=bob.entity_id)
    assert (paris.region, paris.region_id, paris.country_id) == ("Île-de-France", None, "FR")
    assert (bob.default_billing, bob.default_shipping) == (paris.entity_id, None)

    errors.clear()
    finances = ('"annlee@example.com","base","base",25.50,100', '"bob@example.com","base","base",,')
    assert await load(FINANCE_HEADER, *finances) == "Imported 1, skipped 1, failed 0."
    assert warnings[-1] == (
        "reward_points: mageseg keeps no reward points; only store_credit is imported"
    )
    credit = await MagentoCustomerbalance.get(customer_id=ann.entity_id)
    assert credit.amount == Decimal("25.5")
    assert await load(FINANCE_HEADER, *finances) == "Imported 0, skipped 2, failed 0."
    assert errors == []


async def test_newsletter_state_and_unknown_columns(db: Any) -> None:
    stores = await load_snapshot()
    warnings: list[str] = []
    summary = await import_customers(
        [
            "email,_website,_store,firstname,lastname,is_subscribed,amazon_user_id\n",
            "ann@example.com,base,default,Ann,Lee,1,x\n",
            "bob@example.com,base,default,Bob,Ray,0,\n",
        ],
        stores,
        PasswordHasher(1, 1024),
        on_error=lambda n, r: None,
        on_warning=warnings.append,
    )
    assert str(summary) == "Imported 2, skipped 0, failed 0."
    assert warnings == ["columns not imported (no such attribute here): amazon_user_id"]
    rows = await NewsletterSubscriber.all().values_list("subscriber_email", "subscriber_status")
    assert rows == [("ann@example.com", SubscriberStatus.SUBSCRIBED)]


async def test_a_file_that_is_no_magento_export(db: Any) -> None:
    with pytest.raises(HeaderInvalid):
        await import_customers(
            ["name,mail\n"],
            await load_snapshot(),
            PasswordHasher(1, 1024),
            on_error=lambda n, r: None,
            on_warning=lambda m: None,
        )


@pytest.mark.parametrize(
    ("stored", "problem"),
    [
        (ARGON_HASH, None),
        ("abc:salt:1", None),
        ("abc:salt", None),
        ("abc:salt:1:2", None),
        ("abc", "is not a Magento password hash (hash:salt:version)"),
        ("xyz:salt:1", "is not a Magento password hash (hash:salt:version)"),
        ("abc:salt:3", 'has an unknown hash version "3"'),
        ("abc:salt:3_32_2_1", 'has Argon2id parameters out of range ("3_32_2_1")'),
    ],
)
def test_magento_hash_formats(stored: str, problem: str | None) -> None:
    assert magento_hash_problem(stored) == problem


def test_magento_hash_versions_verify() -> None:
    assert verify_magento_hash(sha256_hash("secret"), "secret")
    assert not verify_magento_hash(sha256_hash("secret"), "Secret")
    md5 = hashlib.md5(b"ab" + b"secret").hexdigest()
    assert verify_magento_hash(f"{md5}:ab:0", "secret")
    # Magento 2.0-2.1's `hash:salt`, SHA-256 then MD5.
    assert verify_magento_hash(f"{md5}:ab", "secret")
    assert verify_magento_hash(upgraded_hash("secret"), "secret")
    hasher = PasswordHasher(1, 1024)
    assert hasher.needs_rehash(sha256_hash("secret"))
    assert not hasher.needs_rehash(hasher.hash("secret"))


async def test_views_and_wishlist_items_import_with_their_dates(
    database_url: str, db: Any, tmp_path: Path
) -> None:
    from tests.factories import make_customer

    ann = await make_customer("ann@example.com")
    await make_product("SKU-A")
    await make_product("SKU-B")
    views = tmp_path / "views.jsonl"
    views.write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in (
                {
                    "customer_email": "Ann@example.com",
                    "sku": "SKU-A",
                    "viewed_at": "2026-11-20T10:00:00Z",
                },
                {"customer_email": "ann@example.com", "sku": "SKU-A", "viewed_at": "2026-11-01"},
                {
                    "customer_email": "ann@example.com",
                    "sku": "SKU-B",
                    "viewed_at": "2026-11-02",
                    "store_code": "default",
                },
                {"customer_email": "zed@example.com", "sku": "SKU-B", "viewed_at": "2026-11-02"},
                {"customer_email": "ann@example.com", "sku": "NOPE", "viewed_at": "2026-11-02"},
                {"customer_email": "ann@example.com", "sku": "SKU-B"},
            )
        ),
        encoding="utf-8",
    )
    result = await run("import", "views", str(views), "--database-url", database_url)
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == "Imported 2, skipped 1, failed 3."
    assert [line for line in result.stderr.splitlines() if line.startswith("line ")] == [
        "line 4: customer_email: no customer with this email in the website",
        'line 5: sku: no product with SKU "NOPE"',
        "line 6: viewed_at: is required",
    ]
    rows = await ReportViewedProductIndex.filter(customer_id=ann.entity_id).order_by("added_at")
    assert [(r.product_id, r.added_at) for r in rows] == [  # type: ignore[attr-defined]
        (rows[0].product_id, datetime(2026, 11, 2, tzinfo=UTC)),  # type: ignore[attr-defined]
        (rows[1].product_id, datetime(2026, 11, 20, 10, tzinfo=UTC)),  # type: ignore[attr-defined]
    ]

    wish = json.dumps(
        {
            "customer_email": "ann@example.com",
            "sku": "SKU-A",
            "added_at": "2026-10-05T08:00:00",
            "qty": 2,
        }
    )
    stores = await load_snapshot()
    first, again = [
        await import_activity(Kind.WISHLISTS, [wish], stores, on_error=lambda n, r: None)
        for _ in range(2)
    ]
    assert (str(first), str(again)) == (
        "Imported 1, skipped 0, failed 0.",
        "Imported 0, skipped 1, failed 0.",
    )
    item = await WishlistItem.get()
    assert (item.added_at, item.qty) == (datetime(2026, 10, 5, 8, tzinfo=UTC), Decimal(2))
