"""Reads about offers that every page and the API share: what a shopper may see and buy."""

from django.db.models import QuerySet

from galerie.sellers.models import Offer, SellerStatus


def offers_purchasable() -> QuerySet[Offer]:
    """Active, in-stock offers of verified sellers: the only offers a shopper may see or buy."""
    return Offer.objects.filter(is_active=True, stock__gt=0, seller__status=SellerStatus.VERIFIED)


def offers_visible() -> QuerySet[Offer]:
    """Active offers of verified sellers, in stock or not (storefronts showing sold-out items)."""
    return Offer.objects.filter(is_active=True, seller__status=SellerStatus.VERIFIED)


def offers_for_product(product_id: int) -> list[Offer]:
    """Purchasable offers of one product, best first: price + delivery, then lead time."""
    offers = list(offers_purchasable().filter(product_id=product_id).select_related("seller"))
    offers.sort(
        key=lambda o: (o.price + o.delivery_price, o.lead_time_days, not o.seller.is_operator, o.pk)
    )
    return offers
