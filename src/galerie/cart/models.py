"""A cart holds offers (not products) for one storefront and one visitor: a session or a user.

A guest cart is found through a random token kept in the session (or sent by an API client);
a user's cart is unique per storefront. `unit_price_at_add` lets the cart say when a price moved.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core.bounds import bounds_constraint, bounds_validators
from galerie.core.models import TimeStampedModel
from galerie.core.money import MONEY_FIELD
from galerie.orders.limits import LINE_QUANTITY_MAX
from galerie.sellers.limits import OFFER_PRICE_MAX, OFFER_PRICE_MIN

# A line holds 1…LINE_QUANTITY_MAX units at the offer's price when added (an offer's price range).
LINE_BOUNDS = {
    "quantity": (1, LINE_QUANTITY_MAX),
    "unit_price_at_add": (OFFER_PRICE_MIN, OFFER_PRICE_MAX),
}


def new_cart_token() -> str:
    return secrets.token_urlsafe(24)


class Cart(TimeStampedModel):
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.CASCADE,
        related_name="carts",
        verbose_name=_("boutique"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="carts",
        null=True,
        blank=True,
        verbose_name=_("client"),
    )
    # Unguessable: it is the only credential of a guest's cart (session or API header).
    token = models.CharField(max_length=64, unique=True, default=new_cart_token, editable=False)
    # The voucher code entered (galerie.promotions.vouchers), checked when entered and again by
    # every quote and at order placement.
    voucher_code = models.CharField(_("bon d'achat"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("panier")
        verbose_name_plural = _("paniers")
        constraints = [
            models.UniqueConstraint(
                fields=["storefront", "user"],
                condition=models.Q(user__isnull=False),
                name="cart_one_per_user_and_storefront",
            )
        ]

    def __str__(self) -> str:
        return _("Panier %(pk)s (%(storefront)s)") % {"pk": self.pk, "storefront": self.storefront}


class CartLine(TimeStampedModel):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(
        "sellers.Offer",
        on_delete=models.CASCADE,
        related_name="cart_lines",
        verbose_name=_("offre"),
    )
    quantity = models.PositiveIntegerField(
        _("quantité"), validators=bounds_validators(LINE_BOUNDS, "quantity")
    )
    unit_price_at_add = models.DecimalField(
        _("prix unitaire à l'ajout"),
        validators=bounds_validators(LINE_BOUNDS, "unit_price_at_add"),
        **MONEY_FIELD,
    )
    # What a line needs beyond offer and quantity: a trip's travellers and options
    # ({"adults", "children", "options"}), a subscription's renewal choice ({"auto_renew"}).
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("ligne de panier")
        verbose_name_plural = _("lignes de panier")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "offer"], name="cart_line_offer_unique"),
            bounds_constraint(LINE_BOUNDS, "quantity", constraint="cart_line_qty_range"),
            bounds_constraint(LINE_BOUNDS, "unit_price_at_add", constraint="cart_line_price_range"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.offer_id}"
