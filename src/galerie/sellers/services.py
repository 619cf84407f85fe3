"""Writes about sellers and offers: publishing and changing offers, keeping product summaries."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from galerie.catalog.models import Product
from galerie.core.cache import catalog_generation_bump
from galerie.core.errors import DomainError
from galerie.core.money import to_money
from galerie.pricing.services import book_price_check
from galerie.sellers.models import Condition, Offer, Seller, SellerStatus


class OfferError(DomainError):
    code = "offer_invalid"


def product_offer_summary_refresh(*, product_ids: Iterable[int]) -> None:
    """Recompute best price, offer count and stock flag of the given products from their offers."""
    ids = list(set(product_ids))
    catalog_generation_bump()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        visible = Q(offers__is_active=True, offers__seller__status=SellerStatus.VERIFIED)
        in_stock = visible & Q(offers__stock__gt=0)
        rows = (
            Product.objects.filter(pk__in=chunk)
            .annotate(
                n=Count("offers", filter=in_stock),
                best=Min("offers__price", filter=in_stock),
                n_visible=Count("offers", filter=visible),
            )
            .values_list("pk", "n", "best", "n_visible", "best_price", "offer_count", "in_stock")
        )
        changed = []
        for pk, n, best, n_visible, old_best, old_count, old_in_stock in rows:
            new = (best, n if n else n_visible, bool(n))
            if new != (old_best, old_count, old_in_stock):
                changed.append(
                    Product(pk=pk, best_price=new[0], offer_count=new[1], in_stock=new[2])
                )
        # One UPDATE … CASE per chunk rather than one per product (bulk price/stock uploads).
        Product.objects.bulk_update(changed, ["best_price", "offer_count", "in_stock"])


def _check_offer(
    *, price: Decimal, condition: str, condition_note: str, stock: int, delivery_price: Decimal
) -> None:
    if price <= 0:
        raise OfferError(_("Le prix doit être supérieur à 0 €."), field="price")
    if delivery_price < 0:
        raise OfferError(_("Les frais de port ne peuvent être négatifs."), field="delivery_price")
    if stock < 0:
        raise OfferError(_("Le stock ne peut être négatif."), field="stock")
    if condition not in Condition.values:
        raise OfferError(_("État inconnu « %(c)s ».") % {"c": condition}, field="condition")
    if condition != Condition.NEW and not condition_note.strip():
        raise OfferError(
            _("Un article d'occasion ou reconditionné doit décrire son état."),
            field="condition_note",
        )


@transaction.atomic
def offer_publish(
    *,
    seller: Seller,
    product: Product,
    price: Decimal,
    stock: int,
    condition: str = Condition.NEW,
    condition_note: str = "",
    delivery_price: Decimal = Decimal("0"),
    lead_time_days: int = 2,
    sku: str = "",
    purchase_cost: Decimal | None = None,
) -> Offer:
    """Create a seller's offer on a product and refresh the product's summary."""
    price, delivery_price = to_money(price), to_money(delivery_price)
    _check_offer(
        price=price,
        condition=condition,
        condition_note=condition_note,
        stock=stock,
        delivery_price=delivery_price,
    )
    book_price_check(product=product, price=price, condition=condition)
    offer = Offer.objects.create(
        seller=seller,
        product=product,
        price=price,
        stock=stock,
        condition=condition,
        condition_note=condition_note,
        delivery_price=delivery_price,
        lead_time_days=lead_time_days,
        sku=sku,
        purchase_cost=None if purchase_cost is None else to_money(purchase_cost),
    )
    product_offer_summary_refresh(product_ids=[product.pk])
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, **changes) -> Offer:
    """Change an offer's price, stock, condition, delivery or active flag."""
    allowed = {
        "price",
        "stock",
        "condition",
        "condition_note",
        "delivery_price",
        "lead_time_days",
        "is_active",
        "sku",
        "purchase_cost",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise OfferError(
            _("Champs non modifiables : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    # Work on the row as it is now, locked: a stock reservation committed since `offer` was read
    # must not be overwritten, and only the fields asked for are written.
    locked = Offer.objects.select_for_update().select_related("product__product_type")
    current = locked.get(pk=offer.pk)
    for name, value in changes.items():
        if name in ("price", "delivery_price") or (name == "purchase_cost" and value is not None):
            value = to_money(value)
        setattr(current, name, value)
    _check_offer(
        price=current.price,
        condition=current.condition,
        condition_note=current.condition_note,
        stock=current.stock,
        delivery_price=current.delivery_price,
    )
    if {"price", "condition"} & set(changes):
        book_price_check(product=current.product, price=current.price, condition=current.condition)
    current.save(update_fields=[*changes, "updated_at"])
    product_offer_summary_refresh(product_ids=[current.product_id])
    return current
