"""Promotions: the Omnibus reference price, the reduced price of an offer, and the service that
holds offers at their promotional price (and restores them) through the offer services.

Omnibus (art. L112-1-1 Code de la consommation, directive 2019/2161): an announced reduction is
computed from the lowest price the offer had in the 30 days before the reduction starts. A page
shows "−N %" and the crossed-out reference only when the reduced price is below that reference.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from galerie.catalog.selectors import category_descendant_ids
from galerie.core import clock
from galerie.core.money import CENT
from galerie.pricing.services import book_price_range
from galerie.promotions.errors import PromotionError
from galerie.promotions.models import Promotion, ReductionKind
from galerie.sellers.models import Condition, Offer, OfferPriceChange
from galerie.sellers.services import offer_promotion_set
from galerie.storefronts.selectors import storefront_category_ids

OMNIBUS_WINDOW = dt.timedelta(days=30)
HUNDRED = Decimal("100")


def reference_from_history(
    changes: Iterable[tuple[dt.datetime, Decimal]], *, at: dt.datetime
) -> Decimal | None:
    """The lowest price in force during the 30 days before `at`, from (when, price) changes: the
    price in force when the window opens (the last change before it) and every change inside it.
    None when the offer had no price before `at`."""
    since = at - OMNIBUS_WINDOW
    opening: tuple[dt.datetime, Decimal] | None = None
    lowest: Decimal | None = None
    for when, price in changes:
        if when >= at:
            continue
        if when <= since:
            if opening is None or when >= opening[0]:
                opening = (when, price)
        elif lowest is None or price < lowest:
            lowest = price
    candidates = [p for p in (lowest, opening and opening[1]) if p is not None]
    return min(candidates) if candidates else None


def reference_price(*, offer: Offer, at: dt.datetime) -> Decimal | None:
    """The Omnibus reference price of `offer` for a reduction starting at `at`."""
    since = at - OMNIBUS_WINDOW
    history = OfferPriceChange.objects.filter(offer_id=offer.pk)
    opening = history.filter(at__lte=since).order_by("-at", "-pk").values_list("at", "price")[:1]
    inside = history.filter(at__gt=since, at__lt=at).values_list("at", "price")
    return reference_from_history([*opening, *inside], at=at)


def reduced_price(
    *, regular: Decimal, kind: str, value: Decimal, floor: Decimal | None = None
) -> Decimal:
    """`regular` reduced by a percentage or an amount, to the cent, never below `floor` (a new
    book's 95 % of its publisher's price, loi Lang) nor below one cent."""
    if kind == ReductionKind.PERCENT:
        price = (regular * (HUNDRED - value) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        price = regular - value
    price = max(price, CENT)
    if floor is not None:
        price = max(price, floor)
    return min(price, regular)


def book_floor(offer: Offer) -> Decimal | None:
    """The lowest price the loi Lang allows a new book offer (None when the law does not apply)."""
    product = offer.product
    if offer.condition != Condition.NEW or not product.product_type.is_book:
        return None
    if product.publisher_price is None:
        return offer.regular_price or offer.price  # no lawful reduction without the set price
    return book_price_range(product.publisher_price)[0]


def promotion_offers(promotion: Promotion):
    """The offers a promotion covers (every scope field set must match)."""
    offers = Offer.objects.all()
    if promotion.offer_id:
        offers = offers.filter(pk=promotion.offer_id)
    if promotion.seller_id:
        offers = offers.filter(seller_id=promotion.seller_id)
    if promotion.category_id:
        offers = offers.filter(
            product__category_id__in=category_descendant_ids([promotion.category_id])
        )
    if promotion.storefront_id:
        offers = offers.filter(
            product__category_id__in=storefront_category_ids(promotion.storefront)
        )
    return offers.select_related("product__product_type")


def promotions_active(*, now: dt.datetime):
    return Promotion.objects.filter(is_active=True, starts_at__lte=now, ends_at__gt=now)


@transaction.atomic
def promotions_apply(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Hold every offer covered by an active promotion at its best promotional price (the best
    for the shopper wins, promotions never stack) and restore the others to their regular price.
    Idempotent; run by the `promotions-apply` command/task and whenever a promotion is saved.

    A seller's price change during a promotion becomes the offer's regular price (the offer
    services drop the hold); the next run holds the offer again from that new price, with the
    reference price still computed from the history before the promotion started."""
    now = now or clock.now()
    best: dict[int, tuple[Decimal, Promotion, Offer]] = {}
    for promotion in promotions_active(now=now).select_related("storefront"):
        for offer in promotion_offers(promotion):
            regular = offer.price if offer.regular_price is None else offer.regular_price
            price = reduced_price(
                regular=regular, kind=promotion.kind, value=promotion.value, floor=book_floor(offer)
            )
            if price < regular and (offer.pk not in best or price < best[offer.pk][0]):
                best[offer.pk] = (price, promotion, offer)
    counts = {"held": 0, "restored": 0}
    for offer in Offer.objects.filter(regular_price__isnull=False).order_by("pk"):
        if offer.pk in best:  # filtered here: an IN list of a whole storefront's offers is too long
            continue
        offer_promotion_set(
            offer=offer, price=offer.regular_price, regular_price=None, reference_price=None
        )
        counts["restored"] += 1
    for price, promotion, offer in best.values():
        regular = offer.price if offer.regular_price is None else offer.regular_price
        reference = reference_price(offer=offer, at=promotion.starts_at)
        if (offer.price, offer.regular_price, offer.reference_price) != (
            price,
            regular,
            reference,
        ):
            offer_promotion_set(
                offer=offer, price=price, regular_price=regular, reference_price=reference
            )
            counts["held"] += 1
    return counts


@transaction.atomic
def promotion_save(*, promotion: Promotion, now: dt.datetime | None = None) -> Promotion:
    """Create or change a promotion, then apply the promotions at once."""
    promotion_check(promotion=promotion)
    promotion.save()
    promotions_apply(now=now)
    return promotion


def promotion_check(*, promotion: Promotion) -> None:
    """What a promotion must be to be saved (the admin's form shows the same errors)."""
    if not any(
        (promotion.storefront_id, promotion.category_id, promotion.seller_id, promotion.offer_id)
    ):
        raise PromotionError(
            _("Choisissez au moins une portée : vitrine, catégorie, vendeur ou offre."),
            field="storefront",
        )
    if promotion.kind not in ReductionKind.values:
        raise PromotionError(_("Type de réduction inconnu."), field="kind")
    if promotion.value is None or promotion.value <= 0:
        raise PromotionError(_("La réduction doit être supérieure à 0."), field="value")
    if promotion.kind == ReductionKind.PERCENT and promotion.value >= HUNDRED:
        raise PromotionError(_("Un pourcentage de réduction est inférieur à 100."), field="value")
    if promotion.starts_at is None or promotion.ends_at is None:
        raise PromotionError(_("Indiquez le début et la fin."), field="starts_at")
    if promotion.ends_at <= promotion.starts_at:
        raise PromotionError(_("La fin doit être postérieure au début."), field="ends_at")


def promotion_book_warning(promotion: Promotion) -> str | None:
    """A message when the promotion covers new books, whose reduction the loi Lang caps."""
    books = promotion_offers(promotion).filter(
        Q(condition=Condition.NEW) & Q(product__product_type__is_book=True)
    )
    if books.exists():
        return _(
            "Prix unique du livre (loi Lang) : la réduction des livres neufs est plafonnée à 5 %% "
            "du prix éditeur."
        )
    return None
