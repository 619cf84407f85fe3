"""Writes about sellers and offers: publishing and changing offers, keeping product summaries."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from galerie.catalog.facets import category_facet_counts_apply
from galerie.catalog.locks import products_lock
from galerie.catalog.models import Product
from galerie.catalog.selectors import category_ancestor_ids
from galerie.catalog.summary import SUMMARY_FIELDS, OfferFacts, product_summary
from galerie.core import clock
from galerie.core.bounds import bounds_check
from galerie.core.errors import DomainError
from galerie.core.money import to_money
from galerie.core.versions import listing_key, product_key, versions_bump
from galerie.pricing.services import book_price_check
from galerie.sellers.limits import OFFER_BOUNDS
from galerie.sellers.models import (
    OFFER_IN_BOUNDS,
    Condition,
    Offer,
    OfferPriceChange,
    Seller,
    offer_purchasable,
    offer_visible,
)


class OfferError(DomainError):
    code = "offer_invalid"


def product_offer_summary_refresh(
    *, product_ids: Iterable[int], listed_stock: Iterable[int] = ()
) -> None:
    """Recompute the summary columns of the given products from their offers (see
    `galerie.catalog.summary`), then, once committed, invalidate what shows them: every product's
    page, and the listings of the categories whose products' summaries changed. A sale that
    leaves a summary as it was leaves every listing cached, except for the products of
    `listed_stock`, whose cards show a stock figure (a trip's seats left on its next departure)."""
    listed_stock = set(listed_stock)
    ids = sorted(set(product_ids))
    changed_products: list[Product] = []
    listing_categories: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        facts: dict[int, list[OfferFacts]] = {pk: [] for pk in chunk}
        products_lock(product_ids=chunk)  # a concurrent writer's offers are read once committed
        # An offer out of its bounds is neither visible nor purchasable, and SQLite could not
        # load its price: left out in SQL (OFFER_IN_BOUNDS), the summary is the same.
        rows = (
            Offer.objects.filter(OFFER_IN_BOUNDS, product_id__in=chunk)
            .values_list(
                "product_id",
                "price",
                "delivery_price",
                "condition",
                "seller_id",
                "stock",
                "is_active",
                "seller__status",
            )
            .order_by()
        )
        for product_id, price, delivery, condition, seller_id, stock, active, status in rows:
            money = {"price": price, "delivery_price": delivery}
            facts[product_id].append(
                OfferFacts(
                    price,
                    condition,
                    seller_id,
                    visible=offer_visible(is_active=active, seller_status=status, **money),
                    purchasable=offer_purchasable(
                        is_active=active, stock=stock, seller_status=status, **money
                    ),
                )
            )
        current = Product.objects.filter(pk__in=chunk).values_list(
            "pk", "category_id", *SUMMARY_FIELDS
        )
        for pk, category_id, *old in current:
            new = product_summary(facts[pk])
            if tuple(new[f] for f in SUMMARY_FIELDS) != tuple(old):
                changed_products.append(Product(pk=pk, **new))
                listing_categories.add(category_id)
            elif pk in listed_stock:
                listing_categories.add(category_id)
    if changed_products:
        # The category facet counts move with the summaries, in the same transaction.
        with transaction.atomic(savepoint=False):
            category_facet_counts_apply(products=changed_products)
            _product_summaries_write(changed_products)
    keys = [product_key(pk) for pk in ids]
    keys += [listing_key(c) for c in category_ancestor_ids(listing_categories)]
    versions_bump(keys)


def _product_summaries_write(products: list[Product]) -> None:
    """Write the summary columns of `products`: one prepared UPDATE run for every row (Django's
    bulk_update builds a CASE per column whose compiling took seconds per 500 products, which a
    storefront import of 100,000 products cannot afford)."""
    fields = [Product._meta.get_field(name) for name in SUMMARY_FIELDS]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(Product._meta.db_table)} SET {sets} WHERE {quote('id')} = %s"  # noqa: S608
    rows = [
        [*(f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields), p.pk]
        for p in products
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def offer_prices_record(
    *, prices: Iterable[tuple[int, Decimal]], at: dt.datetime | None = None
) -> None:
    """Append (offer id, price) to the offers' price history (OfferPriceChange), all at `at`
    (default now). Every writer of an offer's price calls it in the transaction that writes the
    price: the services below, the portal's bulk update and the feed import."""
    at = at or clock.now()
    OfferPriceChange.objects.bulk_create(
        (OfferPriceChange(offer_id=pk, price=price, at=at) for pk, price in prices),
        batch_size=1000,
    )


def offer_check(
    *,
    product: Product,
    price: Decimal,
    condition: str,
    condition_note: str,
    stock: int,
    delivery_price: Decimal,
    book_law: bool = True,
) -> None:
    """What an offer must be to be written (and, with `book_law`, the loi Lang on its price):
    the services check it, and the admin's forms call it to show the same errors on the form."""
    _check_offer(
        price=price,
        condition=condition,
        condition_note=condition_note,
        stock=stock,
        delivery_price=delivery_price,
    )
    if book_law:
        book_price_check(product=product, price=price, condition=condition)


def offer_bounds_check(**values) -> None:
    """Refuse a value outside the offer's bounds (OFFER_BOUNDS), naming the field: the same limits
    as the model's validators and CHECK constraints, checked before any write."""
    bounds_check(OFFER_BOUNDS, error=OfferError, **values)


def _check_offer(
    *, price: Decimal, condition: str, condition_note: str, stock: int, delivery_price: Decimal
) -> None:
    if price <= 0:
        raise OfferError(_("Le prix doit être supérieur à 0 €."), field="price")
    if delivery_price < 0:
        raise OfferError(_("Les frais de port ne peuvent être négatifs."), field="delivery_price")
    if stock < 0:
        raise OfferError(_("Le stock ne peut être négatif."), field="stock")
    offer_bounds_check(price=price, delivery_price=delivery_price, stock=stock)
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
    offer_check(
        product=product,
        price=price,
        condition=condition,
        condition_note=condition_note,
        stock=stock,
        delivery_price=delivery_price,
    )
    purchase_cost = None if purchase_cost is None else to_money(purchase_cost)
    offer_bounds_check(lead_time_days=lead_time_days, purchase_cost=purchase_cost)
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
        purchase_cost=purchase_cost,
    )
    offer_prices_record(prices=[(offer.pk, offer.price)])
    product_offer_summary_refresh(product_ids=[product.pk])
    return offer


OFFER_UPDATE_FIELDS = frozenset(
    {
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
)


@transaction.atomic
def offer_update(*, offer: Offer, **changes) -> Offer:
    """Change an offer's price, stock, condition, delivery or active flag.

    A new price set while a promotion holds the offer down becomes the offer's regular price:
    the promotion's hold is dropped here and `promotions_apply` puts it back on the new price."""
    unknown = set(changes) - OFFER_UPDATE_FIELDS
    if unknown:
        raise OfferError(
            _("Champs non modifiables : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    return _offer_change(offer=offer, changes=changes)


@transaction.atomic
def offer_promotion_set(
    *,
    offer: Offer,
    price: Decimal,
    regular_price: Decimal | None,
    reference_price: Decimal | None,
) -> Offer:
    """The promotions' own write (galerie.promotions.services): hold the price at `price` with
    `regular_price` to restore and the Omnibus `reference_price`, or, with both None, end the hold
    at `price`. Same checks (loi Lang), history and summary refresh as any price change."""
    return _offer_change(
        offer=offer,
        changes={
            "price": price,
            "regular_price": None if regular_price is None else to_money(regular_price),
            "reference_price": None if reference_price is None else to_money(reference_price),
        },
    )


def _offer_change(*, offer: Offer, changes: dict) -> Offer:
    # Work on the row as it is now, locked: a stock reservation committed since `offer` was read
    # must not be overwritten, and only the fields asked for are written.
    locked = Offer.objects.select_for_update().select_related("product__product_type")
    current = locked.get(pk=offer.pk)
    old_price = current.price
    if "price" in changes and "regular_price" not in changes and current.regular_price is not None:
        # The seller's price is the regular one: unchanged, the promotion holds; changed, its hold
        # ends here and promotions_apply puts it back on the new price.
        if to_money(changes["price"]) == current.regular_price:
            changes = {k: v for k, v in changes.items() if k != "price"}
        else:
            changes = {**changes, "regular_price": None, "reference_price": None}
    for name, value in changes.items():
        if name in ("price", "delivery_price") or (name == "purchase_cost" and value is not None):
            value = to_money(value)
        setattr(current, name, value)
    offer_check(
        product=current.product,
        price=current.price,
        condition=current.condition,
        condition_note=current.condition_note,
        stock=current.stock,
        delivery_price=current.delivery_price,
        book_law=bool({"price", "condition"} & set(changes)),
    )
    offer_bounds_check(lead_time_days=current.lead_time_days, purchase_cost=current.purchase_cost)
    current.save(update_fields=[*changes, "updated_at"])
    if current.price != old_price:
        offer_prices_record(prices=[(current.pk, current.price)])
    product_offer_summary_refresh(product_ids=[current.product_id])
    return current


def offer_sponsor_set(*, offer: Offer, is_sponsored: bool) -> Offer:
    """Mark or unmark an offer as sponsored: the operator's decision alone (back office), never
    the seller's. Sponsoring is a label shown to shoppers (« Sponsorisé »), not a ranking
    criterion: OFFER_RANKING does not read it, so the buy box stays the same."""
    updated = Offer.objects.filter(pk=offer.pk).update(is_sponsored=bool(is_sponsored))
    if not updated:
        raise OfferError(_("Cette offre n'existe plus."))
    offer.is_sponsored = bool(is_sponsored)
    # Pages that show the offer show its label: the product page, and listings through it.
    versions_bump([product_key(offer.product_id)])
    return offer
