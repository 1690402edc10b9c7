"""Small typed factories for test data, written straight to the database."""

from __future__ import annotations

from datetime import timedelta

from engine.auth import issue_customer_token
from engine.passwords import PasswordHasher
from models import CustomerAddressEntity, CustomerEntity

PASSWORD = "Secret-Pass1"
_hasher = PasswordHasher(time_cost=1, memory_kib=1024)
_password_hash = _hasher.hash(PASSWORD)


async def make_customer(
    email: str = "ann@example.com",
    *,
    firstname: str = "Ann",
    lastname: str = "Lee",
    group_id: int = 1,
    website_id: int = 1,
    store_id: int | None = 1,
    password: str | None = PASSWORD,
    **extra: object,
) -> CustomerEntity:
    password_hash = (
        _password_hash if password == PASSWORD else (_hasher.hash(password) if password else None)
    )
    return await CustomerEntity.create(
        email=email,
        firstname=firstname,
        lastname=lastname,
        group_id=group_id,
        website_id=website_id,
        store_id=store_id,
        password_hash=password_hash,
        **extra,
    )


async def make_address(
    customer: CustomerEntity,
    *,
    street: str = "1 Main St",
    city: str = "Austin",
    country_id: str = "US",
    region_id: int | None = 57,
    region: str | None = "Texas",
    postcode: str = "78701",
    telephone: str = "5550100",
    **extra: object,
) -> CustomerAddressEntity:
    return await CustomerAddressEntity.create(
        parent_id=customer.entity_id,
        firstname=customer.firstname,
        lastname=customer.lastname,
        street=street,
        city=city,
        country_id=country_id,
        region_id=region_id,
        region=region,
        postcode=postcode,
        telephone=telephone,
        **extra,
    )


async def token_for(customer: CustomerEntity, lifetime: timedelta = timedelta(hours=1)) -> str:
    return await issue_customer_token(customer.entity_id, lifetime)
