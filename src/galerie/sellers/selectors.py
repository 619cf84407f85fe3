"""Reads about offers that every page and the API share: what a shopper may see and buy, and the
one rule that ranks a product's offers (the first-ranked offer is the buy box).

The ranking rule is data (`OFFER_RANKING`): the code sorts by it and the storefront's page
« Comment nous classons les offres » lists it, so the explanation owed to shoppers and sellers
(EU P2B Regulation 2019/1150 art. 5, Code de la consommation art. L.111-7) cannot drift from
what the code does.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from galerie.sellers.models import (
    OFFER_PURCHASABLE,
    OFFER_VISIBLE,
    Condition,
    Offer,
    Seller,
    SellerStatus,
)


def offers_purchasable() -> QuerySet[Offer]:
    """Active, in-stock offers of verified sellers: the only offers a shopper may see or buy."""
    return Offer.objects.filter(OFFER_PURCHASABLE)


def offers_visible() -> QuerySet[Offer]:
    """Active offers of verified sellers, in stock or not (storefronts showing sold-out items)."""
    return Offer.objects.filter(OFFER_VISIBLE)


# --- ranking --------------------------------------------------------------------------------

# Best condition first: a shopper looking at a product expects it new unless no new copy can be
# bought; a cheaper used copy is one row further down, never the featured offer.
CONDITION_ORDER: tuple[str, ...] = (Condition.NEW, Condition.REFURBISHED, Condition.USED)
_CONDITION_RANK = {condition: rank for rank, condition in enumerate(CONDITION_ORDER)}


def _condition_rank(offer: Offer) -> int:
    return _CONDITION_RANK.get(offer.condition, len(CONDITION_ORDER))


def _total_price(offer: Offer) -> Decimal:
    return offer.total_price


def _lead_time(offer: Offer) -> int:
    return offer.lead_time_days


def _seller_standing(offer: Offer) -> tuple:
    """Professionals before private individuals (a trader owes the legal guarantee of
    conformity), then the operator before third parties, then the longest-registered seller
    (created first, lowest id: the final, deterministic tie-break)."""
    seller = offer.seller
    return (not seller.is_trader, not seller.is_operator, seller.created_at, seller.pk)


@dataclass(frozen=True)
class RankingCriterion:
    """One parameter of the ranking: `key(offer)` sorts ascending, best first."""

    code: str
    label: Promise
    explanation: Promise
    key: Callable[[Offer], object]


# In order of importance: each criterion only separates offers equal on every criterion above.
OFFER_RANKING: tuple[RankingCriterion, ...] = (
    RankingCriterion(
        "condition",
        _("État du produit"),
        _(
            "Neuf d'abord, puis reconditionné, puis occasion. Une offre d'occasion n'est mise en "
            "avant que si aucune offre neuve ni reconditionnée n'est disponible, même si elle est "
            "moins chère : elle reste proposée dans la liste des autres offres."
        ),
        _condition_rank,
    ),
    RankingCriterion(
        "total_price",
        _("Prix total, frais de port compris"),
        _(
            "À état égal, l'offre la moins chère une fois les frais de port ajoutés au prix "
            "passe devant."
        ),
        _total_price,
    ),
    RankingCriterion(
        "lead_time",
        _("Délai d'expédition"),
        _("À état et prix total égaux, l'offre expédiée le plus vite passe devant."),
        _lead_time,
    ),
    RankingCriterion(
        "seller_standing",
        _("Statut du vendeur"),
        _(
            "En dernier recours : les vendeurs professionnels (qui vous doivent la garantie "
            "légale de conformité) avant les particuliers, puis la galerie elle-même avant les "
            "vendeurs tiers, puis le vendeur inscrit depuis le plus longtemps."
        ),
        _seller_standing,
    ),
)


def offer_rank_key(offer: Offer) -> tuple:
    """The sort key of `OFFER_RANKING`; the offer's id last, for two identical offers of one
    seller. The offer's seller must be loaded (select_related) to avoid a query per offer."""
    return (*(criterion.key(offer) for criterion in OFFER_RANKING), offer.pk)


def offers_ranked(offers: Iterable[Offer]) -> list[Offer]:
    """`offers` in ranking order, best first (see OFFER_RANKING)."""
    return sorted(offers, key=offer_rank_key)


def offers_for_product(product_id: int) -> list[Offer]:
    """Purchasable offers of one product in ranking order: the first one is the buy box.
    A press subscription's plan (an offer extension, reverse one-to-one) comes in the same query."""
    return offers_ranked(
        offers_purchasable()
        .filter(product_id=product_id)
        .select_related("seller", "subscription_plan")
    )


@dataclass(frozen=True)
class ConditionFrom:
    """The lowest total price (delivery included) among some offers of one condition."""

    condition: str
    label: str
    total: Decimal


def offers_lowest_totals(offers: Iterable[Offer]) -> list[ConditionFrom]:
    """Per condition present in `offers`, in CONDITION_ORDER, the lowest price + delivery.

    Totals, not bare prices, so that « neuf dès … livraison comprise » under a buy box compares
    like with like: the buy box has the lowest total of its own condition (OFFER_RANKING), so
    no other offer of that condition can ever be announced as cheaper than it.
    """
    lowest: dict[str, Decimal] = {}
    for offer in offers:
        total = offer.total_price
        if offer.condition not in lowest or total < lowest[offer.condition]:
            lowest[offer.condition] = total
    labels = dict(Condition.choices)
    return [
        ConditionFrom(condition, str(labels.get(condition, condition)), lowest[condition])
        for condition in sorted(lowest, key=lambda c: _CONDITION_RANK.get(c, len(CONDITION_ORDER)))
    ]


def sellers_applied() -> QuerySet[Seller]:
    """Applications waiting for the operator's decision (verify or reject)."""
    return Seller.objects.filter(status=SellerStatus.APPLIED)
