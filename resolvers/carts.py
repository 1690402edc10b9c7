"""Carts: Magento's storefront cart queries and mutations, and admin CRUD on tax rates.

Every cart operation names its cart by masked id and goes through `engine.carts.cart_for_caller`
(Magento's `GetCartForUser`), so only the cart's owner reads or changes it: a guest cart's holder,
or the customer whose token it is."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import strawberry

from engine import carts, gift_messages, tax
from engine.auth import Viewer, ViewerKind
from engine.carts import CartRef
from engine.errors import DomainError, InputInvalid, NotAuthorized, Problem, ProblemCode
from engine.pagination import PageRequest
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.carts import (
    AddConfigurableProductsToCartInput,
    AddConfigurableProductsToCartOutput,
    AddProductsToCartOutput,
    AddSimpleProductsToCartInput,
    AddSimpleProductsToCartOutput,
    BillingAddressInput,
    Cart,
    CartAddressInput,
    CartItemInput,
    CartUserInputError,
    CartUserInputErrorType,
    CreateEmptyCartInput,
    CreateGuestCartInput,
    CreateGuestCartOutput,
    DeleteTaxRateOutput,
    RemoveItemFromCartInput,
    RemoveItemFromCartOutput,
    SetBillingAddressOnCartInput,
    SetBillingAddressOnCartOutput,
    SetGiftOptionsOnCartInput,
    SetGiftOptionsOnCartOutput,
    SetGuestEmailOnCartInput,
    SetGuestEmailOnCartOutput,
    SetPaymentMethodOnCartInput,
    SetPaymentMethodOnCartOutput,
    SetShippingAddressesOnCartInput,
    SetShippingAddressesOnCartOutput,
    SetShippingMethodsOnCartInput,
    SetShippingMethodsOnCartOutput,
    ShippingAddressInput,
    TaxRate,
    TaxRateInput,
    TaxRateOutput,
    TaxRates,
    UpdateCartItemsInput,
    UpdateCartItemsOutput,
    errors_of,
)
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.errors import UserError
from graph.iso_codes import COUNTRY_CODES, CountryCodeEnum
from graph.limits import CART_ID
from graph.uids import decode_uid, encode_uid
from graph.wishlists import VISITOR_HEADER, visitor_session
from resolvers.access import CUSTOMER_NOT_AUTHORIZED, require_admin, require_customer

CUSTOMER_CART_ONLY = "The request is allowed for logged in customer"


def _given(value: Any) -> Any:
    return None if value is strawberry.UNSET else value


def _decimal(value: float) -> Decimal:
    """GraphQL `Float` quantities, read as the decimal the client wrote."""
    return Decimal(repr(value))


async def _shopper(info: Info) -> Viewer:
    """A guest or a customer: admin tokens are refused on the storefront's cart operations."""
    viewer = await info.context.viewer()
    if viewer.kind is ViewerKind.ADMIN:
        raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
    return viewer


async def _ref(info: Info, cart_id: str) -> CartRef:
    return CartRef(cart_id, await _shopper(info), await info.context.store())


def _required(message: str, path: str) -> InputInvalid:
    return InputInvalid(Problem(ProblemCode.REQUIRED, message, path))


def _check_cart_id(cart_id: str, path: str = "input.cart_id") -> None:
    if not cart_id:
        raise _required('Required parameter "cart_id" is missing', path)


def _address_data(input: CartAddressInput, path: str) -> carts.CartAddressData:
    country = input.country_code.strip().upper()
    if country and country not in COUNTRY_CODES:
        raise InputInvalid(
            Problem(
                ProblemCode.INVALID,
                f'Invalid value of "{input.country_code}" provided for the countryId field.',
                f"{path}.country_code",
            )
        )
    return carts.CartAddressData(
        firstname=input.firstname,
        lastname=input.lastname,
        city=input.city,
        country_code=country,
        telephone=input.telephone,
        street=tuple(input.street),
        company=_given(input.company),
        middlename=_given(input.middlename),
        prefix=_given(input.prefix),
        suffix=_given(input.suffix),
        postcode=_given(input.postcode),
        fax=_given(input.fax),
        vat_id=_given(input.vat_id),
        region=_given(input.region),
        region_id=_given(input.region_id),
    )


def _choice(input: ShippingAddressInput | BillingAddressInput, path: str) -> carts.AddressChoice:
    address = _given(input.address)
    uid = _given(input.customer_address_uid)
    address_id = (
        decode_uid(uid, f"{path}.customer_address_uid")
        if uid
        else _given(input.customer_address_id)
    )
    return carts.AddressChoice(
        address=None if address is None else _address_data(address, f"{path}.address"),
        customer_address_id=address_id,
    )


def _item_id(uid: Any, legacy: Any, path: str) -> int | None:
    uid, legacy = _given(uid), _given(legacy)
    if uid:
        return decode_uid(uid, path)
    return int(legacy) if legacy else None


@strawberry.type
class Query:
    @strawberry.field(description="Return information about the specified shopping cart.")
    async def cart(
        self,
        info: Info,
        cart_id: Annotated[
            str,
            strawberry.argument(
                metadata=CART_ID, description="The unique ID of the cart to query."
            ),
        ],
    ) -> Cart | None:
        await _shopper(info)
        _check_cart_id(cart_id, "cart_id")
        ref = await _ref(info, cart_id)
        return await Cart.of(
            info, await carts.cart_for_caller(ref.masked_id, ref.viewer, ref.store)
        )

    @strawberry.field(description="Return information about the customer's shopping cart.")
    async def customerCart(self, info: Info) -> Cart:
        viewer = await info.context.viewer()
        if viewer.customer_id is None:
            raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_CART_ONLY))
        quote = await carts.customer_cart(viewer.customer_id, await info.context.store())
        return await Cart.of(info, quote)

    @strawberry.field(
        description="Tax rates with the tax classes they apply to, by code (admin token required)."
    )
    async def adminTaxRates(
        self,
        info: Info,
        country: Annotated[
            CountryCodeEnum | None,
            strawberry.argument(description="Only the rates of this country."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> TaxRates:
        await require_admin(info)
        page = await tax.page(
            PageRequest(pageSize, currentPage), str(country.value) if country else None
        )
        links = await tax.class_links([r.tax_calculation_rate_id for r in page.items])
        return TaxRates(
            items=[
                TaxRate.of(tax.SavedRate(r, *links[r.tax_calculation_rate_id])) for r in page.items
            ],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a new shopping cart")
    async def createGuestCart(
        self,
        info: Info,
        input: Annotated[
            CreateGuestCartInput | None,
            strawberry.argument(
                description="An optional input object that assigns the specified ID to the cart."
            ),
        ] = None,
    ) -> CreateGuestCartOutput | None:
        cart_uid = _given(input.cart_uid) if input is not None else None
        created = await carts.create_guest_cart(
            await _shopper(info),
            await info.context.store(),
            cart_uid,
            visitor_session(info),
        )
        info.context.response_headers[VISITOR_HEADER] = created.visitor_session_id
        return CreateGuestCartOutput(cart=await Cart.of(info, created.quote))

    @strawberry.mutation(
        description="Create an empty shopping cart for a guest or logged in user",
        deprecation_reason="Use `Mutation.createGuestCart` or `Query.customerCart` for logged in "
        "customer",
    )
    async def createEmptyCart(
        self,
        info: Info,
        input: Annotated[
            CreateEmptyCartInput | None,
            strawberry.argument(
                description="An optional input object that assigns the specified ID to the cart."
            ),
        ] = None,
    ) -> str | None:
        cart_id = _given(input.cart_id) if input is not None else None
        masked_id, session_id = await carts.create_empty_cart(
            await _shopper(info), await info.context.store(), cart_id, visitor_session(info)
        )
        if session_id is not None:
            info.context.response_headers[VISITOR_HEADER] = session_id
        return masked_id

    @strawberry.mutation(description="Add any type of product to the cart.")
    async def addProductsToCart(
        self,
        info: Info,
        cartId: Annotated[
            str, strawberry.argument(metadata=CART_ID, description="The cart ID of the shopper.")
        ],
        cartItems: Annotated[
            list[CartItemInput],
            strawberry.argument(
                description="An array that defines the products to add to the cart."
            ),
        ],
    ) -> AddProductsToCartOutput | None:
        await _shopper(info)
        _check_cart_id(cartId, "cartId")
        requests = [
            carts.ItemRequest(
                i.sku,
                _decimal(i.quantity),
                tuple(str(uid) for uid in _given(i.selected_options) or () if uid is not None),
                path=f"cartItems.{index}",
            )
            for index, i in enumerate(cartItems)
        ]
        quote, errors = await carts.add_products(
            await _ref(info, cartId), requests, await info.context.stores()
        )
        return AddProductsToCartOutput(
            cart=await Cart.of(info, quote), user_errors=errors_of(errors)
        )

    @strawberry.mutation(
        description="Add one or more configurable products to the specified cart. We recommend "
        "using `addProductsToCart` instead."
    )
    async def addConfigurableProductsToCart(
        self,
        info: Info,
        input: Annotated[
            AddConfigurableProductsToCartInput | None,
            strawberry.argument(
                description=(
                    "An input object that defines which configurable products to add to the cart."
                )
            ),
        ] = None,
    ) -> AddConfigurableProductsToCartOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        requests = []
        for index, item in enumerate(input.cart_items):
            path = f"input.cart_items.{index}"
            if item is None:
                continue
            # Without a parent the sku is added as it is (a configurable one then asks for its
            # options), as Magento's `SuperAttributeDataProvider`.
            parent_sku = _given(item.parent_sku) or None
            requests.append(
                carts.ItemRequest(
                    item.data.sku,
                    _decimal(item.data.quantity),
                    parent_sku=parent_sku,
                    path=f"{path}.data.sku",
                )
            )
        quote, _ = await carts.add_products(
            await _ref(info, input.cart_id), requests, await info.context.stores(), strict=True
        )
        return AddConfigurableProductsToCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(
        description="Add one or more simple products to the specified cart. We recommend using "
        "`addProductsToCart` instead.",
    )
    async def addSimpleProductsToCart(
        self,
        info: Info,
        input: Annotated[
            AddSimpleProductsToCartInput | None,
            strawberry.argument(description="The cart and the products to add."),
        ] = None,
    ) -> AddSimpleProductsToCartOutput | None:
        """Magento's older add: the first refused line is an error for the whole operation and
        nothing is added (`addProductsToCart` reports line errors instead)."""
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        requests = [
            carts.ItemRequest(
                item.data.sku,
                _decimal(item.data.quantity),
                path=f"input.cart_items.{index}.data.sku",
            )
            for index, item in enumerate(input.cart_items)
            if item is not None
        ]
        quote, _ = await carts.add_products(
            await _ref(info, input.cart_id), requests, await info.context.stores(), strict=True
        )
        return AddSimpleProductsToCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(
        description="Set gift options, including gift messages, gift wrapping, gift receipts, "
        "and printed cards: the cart's gift message (`sales/gift_options/allow_order`); gift "
        "receipts, printed cards and wrapping are not available here."
    )
    async def setGiftOptionsOnCart(
        self,
        info: Info,
        input: Annotated[
            SetGiftOptionsOnCartInput | None,
            strawberry.argument(description="The cart and its gift options."),
        ] = None,
    ) -> SetGiftOptionsOnCartOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        message = _given(input.gift_message)
        wrapping = _given(input.gift_wrapping_id)
        options = gift_messages.GiftOptions(
            message=None if message is None else message.value(),
            gift_receipt_included=input.gift_receipt_included,
            printed_card_included=input.printed_card_included,
            gift_wrapping_id=None if wrapping is None else str(wrapping),
        )
        quote = await gift_messages.set_options(
            await _ref(info, input.cart_id), options, await info.context.stores()
        )
        return SetGiftOptionsOnCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(description="Modify items in the cart.")
    async def updateCartItems(
        self,
        info: Info,
        input: Annotated[
            UpdateCartItemsInput | None,
            strawberry.argument(description="An input object that defines products to be updated."),
        ] = None,
    ) -> UpdateCartItemsOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        updates = []
        for index, item in enumerate(input.cart_items):
            path = f"input.cart_items.{index}"
            if item is None:
                updates.append(carts.ItemUpdate(None, None, path))
                continue
            quantity = _given(item.quantity)
            updates.append(
                carts.ItemUpdate(
                    _item_id(item.cart_item_uid, item.cart_item_id, f"{path}.cart_item_uid"),
                    None if quantity is None else _decimal(quantity),
                    path,
                )
            )
        quote, errors = await carts.update_items(
            await _ref(info, input.cart_id), updates, await info.context.stores()
        )
        return UpdateCartItemsOutput(
            cart=await Cart.of(info, quote),
            errors=[
                CartUserInputError(code=CartUserInputErrorType(e.code.value), message=e.message)
                for e in errors
            ],
        )

    @strawberry.mutation(
        description="Delete the entire quantity of a specified item from the cart. If you remove "
        "all items from the cart, the cart continues to exist."
    )
    async def removeItemFromCart(
        self,
        info: Info,
        input: Annotated[
            RemoveItemFromCartInput | None,
            strawberry.argument(
                description="An input object that defines which products to remove from the cart."
            ),
        ] = None,
    ) -> RemoveItemFromCartOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        item_id = _item_id(input.cart_item_uid, input.cart_item_id, "input.cart_item_uid")
        if item_id is None:
            raise _required('Required parameter "cart_item_id" is missing.', "input.cart_item_uid")
        quote = await carts.remove_item(
            await _ref(info, input.cart_id), item_id, await info.context.stores()
        )
        return RemoveItemFromCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(description="Set one or more shipping addresses on a specific cart.")
    async def setShippingAddressesOnCart(
        self,
        info: Info,
        input: Annotated[
            SetShippingAddressesOnCartInput | None,
            strawberry.argument(
                description=(
                    "An input object that defines one or more shipping addresses to be "
                    "assigned to the cart."
                )
            ),
        ] = None,
    ) -> SetShippingAddressesOnCartOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        choices = [
            _choice(a, f"input.shipping_addresses.{i}")
            for i, a in enumerate(input.shipping_addresses)
            if a is not None
        ]
        quote = await carts.set_shipping_address(
            await _ref(info, input.cart_id), choices, await info.context.stores()
        )
        return SetShippingAddressesOnCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(description="Set the billing address on a specific cart.")
    async def setBillingAddressOnCart(
        self,
        info: Info,
        input: Annotated[
            SetBillingAddressOnCartInput | None,
            strawberry.argument(
                description=(
                    "An input object that defines the billing address to be assigned to the cart."
                )
            ),
        ] = None,
    ) -> SetBillingAddressOnCartOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        billing = input.billing_address
        request = carts.BillingRequest(
            choice=_choice(billing, "input.billing_address"),
            same_as_shipping=bool(_given(billing.same_as_shipping)),
            use_for_shipping=bool(_given(billing.use_for_shipping)),
        )
        quote = await carts.set_billing_address(
            await _ref(info, input.cart_id), request, await info.context.stores()
        )
        return SetBillingAddressOnCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(description="Set one or more delivery methods on a cart.")
    async def setShippingMethodsOnCart(
        self,
        info: Info,
        input: Annotated[
            SetShippingMethodsOnCartInput | None,
            strawberry.argument(
                description="An input object that applies one or more shipping methods to the cart."
            ),
        ] = None,
    ) -> SetShippingMethodsOnCartOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        methods = [m for m in input.shipping_methods if m is not None]
        if not methods:
            raise _required(
                'Required parameter "shipping_methods" is missing', "input.shipping_methods"
            )
        if len(methods) > 1:
            raise InputInvalid(
                Problem(
                    ProblemCode.INVALID,
                    "You cannot specify multiple shipping methods.",
                    "input.shipping_methods",
                )
            )
        method = methods[0]
        if not method.carrier_code:
            raise _required(
                'Required parameter "carrier_code" is missing.',
                "input.shipping_methods.0.carrier_code",
            )
        if not method.method_code:
            raise _required(
                'Required parameter "method_code" is missing.',
                "input.shipping_methods.0.method_code",
            )
        quote = await carts.set_shipping_method(
            await _ref(info, input.cart_id),
            method.carrier_code,
            method.method_code,
            await info.context.stores(),
        )
        return SetShippingMethodsOnCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(description="Apply a payment method to the cart.")
    async def setPaymentMethodOnCart(
        self,
        info: Info,
        input: Annotated[
            SetPaymentMethodOnCartInput | None,
            strawberry.argument(
                description=(
                    "An input object that defines which payment method to apply to the cart."
                )
            ),
        ] = None,
    ) -> SetPaymentMethodOnCartOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        quote = await carts.set_payment_method(
            await _ref(info, input.cart_id),
            input.payment_method.code,
            await info.context.stores(),
        )
        return SetPaymentMethodOnCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(description="Assign the email address of a guest to the cart.")
    async def setGuestEmailOnCart(
        self,
        info: Info,
        input: Annotated[
            SetGuestEmailOnCartInput | None,
            strawberry.argument(description="An input object that defines a guest email address."),
        ] = None,
    ) -> SetGuestEmailOnCartOutput | None:
        await _shopper(info)
        if input is None:
            raise _required('Required parameter "cart_id" is missing', "input.cart_id")
        _check_cart_id(input.cart_id)
        quote = await carts.set_guest_email(await _ref(info, input.cart_id), input.email)
        return SetGuestEmailOnCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(
        description="Transfer the contents of a guest cart into the cart of a logged-in customer."
    )
    async def mergeCarts(
        self,
        info: Info,
        source_cart_id: Annotated[
            str,
            strawberry.argument(
                metadata=CART_ID, description="The guest's cart ID before they login."
            ),
        ],
        destination_cart_id: Annotated[
            str | None,
            strawberry.argument(
                metadata=CART_ID,
                description=(
                    "The cart ID after the guest logs in; the customer's active cart when omitted."
                ),
            ),
        ] = strawberry.UNSET,
    ) -> Cart:
        viewer = await require_customer(info)
        quote = await carts.merge_carts(
            source_cart_id,
            _given(destination_cart_id),
            viewer,
            await info.context.store(),
            await info.context.stores(),
        )
        return await Cart.of(info, quote)

    @strawberry.mutation(
        description="Create a tax rate, or change the one `uid` names; the rate applies to every "
        "pair of a linked customer tax class and a linked product tax class (admin token "
        "required)."
    )
    async def adminSaveTaxRate(
        self,
        info: Info,
        input: Annotated[
            TaxRateInput,
            strawberry.argument(
                description=(
                    "The rate's code, country, region, postcode and percentage, with the "
                    "tax classes it applies to."
                )
            ),
        ],
        uid: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description=(
                    "The `uid` of the tax rate to change; a new rate is created when omitted."
                )
            ),
        ] = None,
    ) -> TaxRateOutput:
        await require_admin(info)
        data = tax.RateData(
            code=input.code,
            tax_country_id=str(input.tax_country_id.value) if input.tax_country_id else None,
            tax_region_id=input.tax_region_id,
            tax_postcode=input.tax_postcode,
            rate=input.rate,
            customer_tax_class_ids=input.customer_tax_class_ids,
            product_tax_class_ids=input.product_tax_class_ids,
        )
        try:
            saved = await tax.save(decode_uid(uid) if uid is not None else None, data)
        except DomainError as error:
            return TaxRateOutput(tax_rate=None, user_errors=UserError.from_error(error))
        return TaxRateOutput(tax_rate=TaxRate.of(saved), user_errors=[])

    @strawberry.mutation(
        description="Delete a tax rate and its class links (admin token required)."
    )
    async def adminDeleteTaxRate(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the tax rate to delete.")
        ],
    ) -> DeleteTaxRateOutput:
        await require_admin(info)
        try:
            saved = await tax.delete(decode_uid(uid))
        except DomainError as error:
            return DeleteTaxRateOutput(deleted_uid=None, user_errors=UserError.from_error(error))
        return DeleteTaxRateOutput(
            deleted_uid=strawberry.ID(encode_uid(saved.row.tax_calculation_rate_id)),
            user_errors=[],
        )
