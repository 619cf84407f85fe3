"""Checkout: turn a cart into an order and start its payment — one flow for pages and API.

The idempotency key is issued when the recap is shown (or by the API client): a double click or
a retried request places one order. Placing is ONE transaction that locks the cart row first
(two submits of the same cart wait for each other), then places the order, empties the cart and
opens the payment: a refused order (stock gone at the last second, …) leaves the cart as it was,
and no order ever exists without its payment session or beside a still-full cart. E-mails and
webhooks run once it has committed (transaction.on_commit).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from galerie.accounts.addresses import address_clean
from galerie.cart.locks import cart_lock
from galerie.cart.models import Cart
from galerie.cart.selectors import cart_lines_and_details
from galerie.cart.services import cart_clear
from galerie.checkout.errors import CheckoutIncomplete, InvalidPaymentMethod
from galerie.core.errors import DomainError
from galerie.orders.errors import EmptyOrder, IdempotencyConflict
from galerie.orders.models import Order
from galerie.orders.services import order_place_or_replay
from galerie.payments.errors import OrderNotPayable
from galerie.payments.services import payment_method_check, payment_start

PAYMENT_METHOD_CODES = ("card", "transfer")


@dataclass
class CheckoutResult:
    order: object
    payment: object | None
    replayed: bool = False


def _order_replayed(*, idempotency_key: str, email: str, user, shipping: dict, billing: dict):
    """The order this key already placed, if the retried request matches what we can still see.

    The cart is empty by then, so the lines cannot be compared; e-mail, customer and addresses
    can. A mismatch is the same key reused for another order: an idempotency conflict.
    """

    order = Order.objects.filter(idempotency_key=idempotency_key).first()
    if order is None:
        return None
    try:
        same = (
            order.email == email.strip().lower()
            and order.user_id == getattr(user, "pk", None)
            and order.shipping_address == address_clean(shipping, which="")
            and order.billing_address == address_clean(billing or shipping, which="")
        )
    except DomainError:
        same = False
    if not same:
        raise IdempotencyConflict(
            _("Cette clé d'idempotence a déjà servi pour une autre commande.")
        )
    return order


def checkout_place(
    *,
    storefront,
    cart: Cart | None,
    email: str,
    user=None,
    delivery_choices: dict[int, int],
    shipping_address: dict,
    billing_address: dict,
    idempotency_key: str,
    payment_method: str,
    return_url: str | None = None,
    expected_total: Decimal | None = None,
    buyer: dict | None = None,
) -> CheckoutResult:
    """Place the order of `cart` and start its payment.

    `return_url` defaults to the order's page; `buyer` is a business buyer's identity
    ({"buyer_company", "buyer_siren", "buyer_vat_number"}, all optional). Raises the orders
    domain's errors unchanged (OrderError subclasses) and CheckoutError for a missing e-mail or
    unknown payment method.
    """

    if payment_method not in PAYMENT_METHOD_CODES:
        raise InvalidPaymentMethod(_("Choisissez un moyen de paiement."), field="payment_method")
    payment_method_check(payment_method)
    if not email:
        raise CheckoutIncomplete(_("Indiquez votre adresse e-mail."), field="email")
    with transaction.atomic():
        if cart is not None:
            # Lock order: the cart, then (order_place) the voucher, then stock rows by key.
            cart = cart_lock(cart_id=cart.pk)
        lines, details = cart_lines_and_details(cart)
        try:
            placement = order_place_or_replay(
                storefront=storefront,
                email=email,
                user=user,
                lines=lines,
                details=details,
                delivery_choices=delivery_choices,
                shipping_address=shipping_address,
                billing_address=billing_address,
                idempotency_key=idempotency_key,
                expected_total=expected_total,
                **(buyer or {}),
                voucher_code=cart.voucher_code if cart is not None else "",
            )
            # replayed: the key's order already existed, or a concurrent request with this key
            # created it while we waited; either way this request did not create it.
            order, replayed = placement.order, placement.replayed
        except (EmptyOrder, IdempotencyConflict):
            # A double click whose first request already placed the order and emptied the cart:
            # the second one sees an empty cart, so answer with the order the key already made.
            if lines:
                raise
            order = _order_replayed(
                idempotency_key=idempotency_key,
                email=email,
                user=user,
                shipping=shipping_address,
                billing=billing_address,
            )
            if order is None:
                raise
            replayed = True
        if cart is not None and not replayed:
            cart_clear(cart=cart)
        try:
            payment = payment_start(
                order=order,
                method=payment_method,
                return_url=return_url or order.get_absolute_url(),
            )
        except OrderNotPayable:
            if not replayed:
                raise
            # The order of this key was already paid (or cancelled): show it, start nothing.
            payment = None
        return CheckoutResult(order=order, payment=payment, replayed=replayed)
