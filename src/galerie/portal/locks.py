"""Row locks of the portal's writes (one place for every select_for_update of this domain)."""

from galerie.core.errors import NotFound
from galerie.sellers.models import Offer, Seller


def seller_offer_lock(*, seller: Seller, offer_id: int) -> Offer:
    """Lock one of the seller's offers (call inside a transaction).

    The seller's read-modify-write of an offer must not overwrite a concurrent reservation's
    stock decrement: `offer_update` saves every column, so the row is locked first. Another
    seller's offer id answers NotFound, exactly like a missing one.
    """
    offer = (
        Offer.objects.select_for_update()
        .filter(pk=offer_id, seller=seller)
        .select_related("product__product_type")
        .first()
    )
    if offer is None:
        raise NotFound("Offre introuvable.", code="offer_not_found")
    return offer
