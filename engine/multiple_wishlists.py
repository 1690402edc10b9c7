"""Several named wish lists per customer, as Adobe Commerce's `Magento_MultipleWishlist` (its
`WishlistEditor` and `MultipleWishlistGraphQl` resolvers), over Open Source's lists
(`engine.wishlists`).

- `wishlist/general/active` off: every wish list read and write answers Magento's "The wishlist
  configuration is currently disabled." (an input error, as Magento's resolvers).
- `wishlist/general/multiple_enabled` off (Magento's default): a customer has one list, the
  default one (their first), and creating another is refused with Magento's message;
  `Customer.wishlists` answers only the default list, whatever lists were kept from a time the
  setting was on.
- Creating: a name is required ("Provide the wish list name."), unique among the customer's
  lists (`Wish list "X" already exists.`), and the customer may hold at most
  `wishlist/general/multiple_wishlist_number` lists, counting the default one ("Only 3 wish
  list(s) can be created."). The count is taken with the customer's row locked, in the creating
  transaction, so two concurrent creations cannot both take the last place.
- Updating: name and visibility of one of the customer's own lists; another customer's list or
  an unknown id is refused with Magento's "can't be edited" message. A name or visibility left
  out is kept (Magento's resolver passes the current one)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from engine import wishlists
from engine.config import ConfigPath
from engine.errors import InputInvalid, NotAuthorized, Problem, ProblemCode
from engine.stores import StoresSnapshot, StoreView
from engine.wishlists import ItemPage, collection_page
from models import Wishlist

DISABLED = "The wishlist configuration is currently disabled."
MULTIPLE_DISABLED = "The multiple wishlist configuration is currently disabled."
NAME_REQUIRED = "Provide the wish list name."
NOT_YOURS = "The wish list is not assigned to your account and can't be edited."
NAME_MAX_LENGTH = 255


@dataclass(frozen=True)
class ListSettings:
    """The three settings, read for one store view."""

    enabled: bool
    multiple: bool
    limit: int

    @classmethod
    def of(cls, stores: StoresSnapshot, store: StoreView) -> ListSettings:
        limit = stores.config_value(ConfigPath.MULTIPLE_WISHLISTS_NUMBER, store).strip()
        return cls(
            enabled=stores.config_flag(ConfigPath.WISHLIST_ACTIVE, store),
            multiple=stores.config_flag(ConfigPath.MULTIPLE_WISHLISTS_ENABLED, store),
            # Magento's `getWishlistLimit()` is `(int)` of the setting.
            limit=int(limit) if limit.isdigit() else 0,
        )

    def require_enabled(self) -> None:
        if not self.enabled:
            raise InputInvalid(Problem(ProblemCode.INVALID, DISABLED))

    def require_multiple(self) -> None:
        self.require_enabled()
        if not self.multiple:
            raise InputInvalid(Problem(ProblemCode.INVALID, MULTIPLE_DISABLED))


def _name(name: str, path: str) -> str:
    """The name as stored: Magento trims nothing, but a blank name is no name."""
    if not name.strip():
        raise InputInvalid(Problem(ProblemCode.REQUIRED, NAME_REQUIRED, path))
    if len(name) > NAME_MAX_LENGTH:
        raise InputInvalid(
            Problem(
                ProblemCode.TOO_LONG,
                f"The wish list name cannot be longer than {NAME_MAX_LENGTH} characters.",
                path,
            )
        )
    return name


async def _refuse_duplicate(customer_id: int, name: str, except_id: int | None, path: str) -> None:
    same = Wishlist.filter(customer_id=customer_id, name=name)
    if except_id is not None:
        same = same.exclude(wishlist_id=except_id)
    if await same.exists():
        raise InputInvalid(
            Problem(ProblemCode.ALREADY_EXISTS, f'Wish list "{name}" already exists.', path)
        )


async def create(customer_id: int, name: str, public: bool, settings: ListSettings) -> Wishlist:
    """`createWishlist` (see the module for every rule); one transaction."""
    settings.require_multiple()
    name = _name(name, "input.name")
    async with in_transaction():
        await wishlists.lock_customer(customer_id)
        await _refuse_duplicate(customer_id, name, None, "input.name")
        # Magento's `isWishlistLimitReached`: the lists held, the default one included.
        if await Wishlist.filter(customer_id=customer_id).count() >= settings.limit:
            raise InputInvalid(
                Problem(
                    ProblemCode.INVALID,
                    f"Only {settings.limit} wish list(s) can be created.",
                    "input",
                )
            )
        return await Wishlist.create(
            customer_id=customer_id,
            name=name,
            visibility=public,
            sharing_code=wishlists.sharing_code(),
        )


async def update(
    customer_id: int,
    wishlist_id: str,
    name: str | None,
    public: bool | None,
    settings: ListSettings,
) -> Wishlist:
    """`updateWishlist` (see the module); one transaction."""
    settings.require_multiple()
    parsed = wishlists.parse_id(wishlist_id)
    async with in_transaction():
        row = (
            None
            if parsed is None
            else await Wishlist.select_for_update().get_or_none(wishlist_id=parsed)
        )
        if row is None or row.customer_id != customer_id:  # type: ignore[attr-defined]
            raise NotAuthorized(Problem(ProblemCode.PROTECTED, NOT_YOURS, "wishlistId"))
        fields: list[str] = []
        if name is not None:
            row.name = _name(name, "name")
            await _refuse_duplicate(customer_id, row.name, row.wishlist_id, "name")
            fields.append("name")
        if public is not None:
            row.visibility = public
            fields.append("visibility")
        if fields:
            await row.save(update_fields=[*fields, "updated_at"])
    return row


@dataclass(frozen=True)
class ListPage:
    lists: list[Wishlist]
    shape: ItemPage


async def customer_lists(
    customer_id: int, settings: ListSettings, page_size: int | None, current_page: int | None
) -> ListPage:
    """`Customer.wishlists`: the customer's lists, oldest first, paged as Magento's collection
    (a page past the last gives the last). The default list is created on first read, as Open
    Source's; with multiple lists off only it is shown."""
    settings.require_enabled()
    default = await wishlists.of_customer(customer_id)
    assert default is not None
    if not settings.multiple:
        return ListPage([default], collection_page(1, page_size, current_page))
    query = Wishlist.filter(customer_id=customer_id)
    shape = collection_page(await query.count(), page_size, current_page)
    rows = (
        await query.order_by("wishlist_id")
        .offset((shape.current_page - 1) * shape.page_size)
        .limit(shape.page_size)
    )
    return ListPage(rows, shape)
