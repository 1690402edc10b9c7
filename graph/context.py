"""The per-request context: who is calling, which store view, and the request's DataLoaders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from engine import addresses, catalog, customers
from engine.auth import Viewer, authenticate
from engine.services import Services
from engine.stores import StoresSnapshot, StoreView, snapshot
from models import CatalogProductEntity, CustomerAddressEntity, CustomerEntity

L = TypeVar("L")


@dataclass
class Loaders:
    """Per-request batching; never shared between requests."""

    customer: DataLoader[int, CustomerEntity | None] = field(
        default_factory=lambda: DataLoader(load_fn=customers.load_many)
    )
    addresses: DataLoader[int, list[CustomerAddressEntity]] = field(
        default_factory=lambda: DataLoader(load_fn=addresses.load_for_customers)
    )
    product: DataLoader[int, CatalogProductEntity | None] = field(
        default_factory=lambda: DataLoader(load_fn=catalog.load_products)
    )


@dataclass
class Context:
    services: Services
    bearer: str | None = None
    store_code: str | None = None
    # Every request header (case-insensitive), and the response's headers, for a resolver to set.
    request_headers: Mapping[str, str] = field(default_factory=dict)
    response_headers: MutableMapping[str, str] = field(default_factory=dict)
    # The client's address as the server sees it (Magento's REMOTE_ADDR), for per-IP limits.
    remote_ip: str = ""
    loaders: Loaders = field(default_factory=Loaders)
    # A domain's own loaders, keyed by their class; see `loaders_for`.
    domain_loaders: dict[Callable[[Context], Any], Any] = field(default_factory=dict)
    # A WebSocket's `connection_init` payload (strawberry sets it; `Authorization` is read there).
    connection_params: dict[str, Any] | None = None
    # Set by `graph.metrics.OperationMetrics` once the operation ran (for the request metrics).
    operation_name: str | None = None
    operation_failed: bool | None = None
    _viewer: Viewer | None = None
    _stores: StoresSnapshot | None = None

    def loaders_for(self, kind: Callable[[Context], L]) -> L:
        """A domain's own DataLoaders (built as `kind(context)`), created once per request."""
        if kind not in self.domain_loaders:
            self.domain_loaders[kind] = kind(self)
        return cast(L, self.domain_loaders[kind])

    async def viewer(self) -> Viewer:
        """The caller, authenticated once per request; a bad token raises on first use."""
        if self._viewer is None:
            self._viewer = await authenticate(self.bearer)
        return self._viewer

    async def stores(self) -> StoresSnapshot:
        if self._stores is None:
            self._stores = await snapshot(self.services.cache)
        return self._stores

    async def store(self) -> StoreView:
        """The store view named by the `Store` header, or the default one."""
        return (await self.stores()).store_by_code(self.store_code)


Info = StrawberryInfo[Context, None]
