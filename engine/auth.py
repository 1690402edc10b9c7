"""Who is calling: opaque bearer tokens for customers (Magento's customer tokens) and for admin
integrations. Tokens are random, shown once, and stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from engine.errors import (
    AlreadyExists,
    AuthenticationFailed,
    InputInvalid,
    NoSuchEntity,
    Problem,
    ProblemCode,
)
from engine.invalidation import Topic, touch
from engine.segments import events, membership
from models import Integration, OauthToken, UserType


class ViewerKind(Enum):
    GUEST = "guest"
    CUSTOMER = "customer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Viewer:
    kind: ViewerKind
    customer_id: int | None = None
    integration_id: int | None = None
    token_id: int | None = None


GUEST = Viewer(ViewerKind.GUEST)

INVALID_TOKEN = "The request is not authorized: the token is invalid, revoked or expired."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


async def _issue_token(
    user_type: UserType,
    *,
    customer_id: int | None = None,
    integration_id: int | None = None,
    expires_at: datetime | None = None,
) -> str:
    token = secrets.token_urlsafe(32)
    await OauthToken.create(
        user_type=user_type,
        customer_id=customer_id,
        integration_id=integration_id,
        token_hash=_digest(token),
        expires_at=expires_at,
    )
    return token


async def issue_customer_token(customer_id: int, lifetime: timedelta) -> str:
    """A sign-in: the token, and Magento's `customer_login` (every active segment listens)."""
    async with in_transaction():
        token = await _issue_token(
            UserType.CUSTOMER, customer_id=customer_id, expires_at=now() + lifetime
        )
        await membership.customer_event(customer_id, events.CUSTOMER_LOGIN)
    return token


async def authenticate(bearer: str | None) -> Viewer:
    """The viewer a bearer token stands for; no token is a guest, a bad one an error."""
    if bearer is None:
        return GUEST
    row = await OauthToken.get_or_none(token_hash=_digest(bearer), revoked=False)
    if row is None or (row.expires_at is not None and row.expires_at <= now()):
        raise AuthenticationFailed(Problem(ProblemCode.INVALID_CREDENTIALS, INVALID_TOKEN))
    if row.user_type == UserType.CUSTOMER:
        return Viewer(ViewerKind.CUSTOMER, customer_id=row.customer_id, token_id=row.entity_id)  # type: ignore[attr-defined]
    return Viewer(ViewerKind.ADMIN, integration_id=row.integration_id, token_id=row.entity_id)  # type: ignore[attr-defined]


async def revoke_token(token_id: int) -> None:
    """Revoke one token; a customer's cached answers for it die with it."""
    async with in_transaction():
        owners = await OauthToken.filter(entity_id=token_id).values_list("customer_id", flat=True)
        await OauthToken.filter(entity_id=token_id).update(revoked=True)
    for customer_id in owners:
        if customer_id is not None:
            touch(Topic.CUSTOMER, customer_id)


async def revoke_customer_tokens(customer_id: int, keep_token_id: int | None = None) -> None:
    """Magento revokes every token of a customer whose password or e-mail changes."""
    query = OauthToken.filter(customer_id=customer_id, revoked=False)
    if keep_token_id is not None:
        query = query.exclude(entity_id=keep_token_id)
    await query.update(revoked=True)
    touch(Topic.CUSTOMER, customer_id)


@dataclass(frozen=True)
class IntegrationToken:
    integration_id: int
    name: str
    created_at: datetime
    active_tokens: int


async def create_integration_token(name: str) -> str:
    """A new admin integration and its token. The name is unique; the token is returned once."""
    name = name.strip()
    if not name:
        raise InputInvalid(
            Problem(ProblemCode.REQUIRED, "An integration name is required.", "name")
        )
    async with in_transaction():
        if await Integration.exists(name=name):
            raise AlreadyExists(
                Problem(ProblemCode.ALREADY_EXISTS, f'Integration "{name}" already exists.', "name")
            )
        integration = await Integration.create(name=name)
        return await _issue_token(UserType.INTEGRATION, integration_id=integration.integration_id)


async def _integration_named(name: str) -> Integration:
    integration = await Integration.get_or_none(name=name)
    if integration is None:
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f'Could not find an integration named "{name}"', "name")
        )
    return integration


async def rotate_integration_token(name: str) -> str:
    """A new token for an existing integration (its other tokens stay as they are)."""
    integration = await _integration_named(name)
    return await _issue_token(UserType.INTEGRATION, integration_id=integration.integration_id)


async def revoke_integration(name: str) -> int:
    """Revoke every token of the integration; returns how many were active."""
    integration = await _integration_named(name)
    return await OauthToken.filter(
        Q(integration_id=integration.integration_id) & Q(revoked=False)
    ).update(revoked=True)


async def list_integrations() -> list[IntegrationToken]:
    result = []
    for integration in await Integration.all().order_by("name"):
        active = await OauthToken.filter(
            integration_id=integration.integration_id, revoked=False
        ).count()
        result.append(
            IntegrationToken(
                integration.integration_id, integration.name, integration.created_at, active
            )
        )
    return result
