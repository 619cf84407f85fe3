"""Plain factories for tests. Each returns a saved object; every argument has a sensible default.

GTINs are generated valid (EAN-13 with its check digit) and unique within a test run.
"""

import datetime as dt
import itertools
from decimal import Decimal

from stdnum import ean

from galerie.catalog.models import Attribute, AttributeValue, Category, Product, ProductType
from galerie.core import clock
from galerie.sellers.models import Condition, Offer, Seller, SellerStatus
from galerie.sellers.services import offer_prices_record, product_offer_summary_refresh
from galerie.storefronts.models import Storefront, StorefrontHost
from galerie.travel.models import Departure, TravelOption, TravelPackage

_seq = itertools.count(1)


def valid_ean(prefix: str = "376") -> str:
    body = f"{prefix}{next(_seq):0{12 - len(prefix)}d}"
    return body + ean.calc_check_digit(body)


def make_storefront(slug: str | None = None, *, categories=(), **kw) -> Storefront:
    slug = slug or f"shop{next(_seq)}"
    kw.setdefault("name", slug.capitalize())
    kw.setdefault("logo_text", kw["name"])
    storefront = Storefront.objects.create(slug=slug, **kw)
    StorefrontHost.objects.create(storefront=storefront, hostname=f"{slug}.localhost")
    if categories:
        storefront.categories.set(categories)
    return storefront


def make_category(name: str | None = None, *, parent: Category | None = None, **kw) -> Category:
    n = next(_seq)
    name = name or f"Catégorie {n}"
    kw.setdefault("slug", f"cat-{n}")
    return Category.objects.create(name=name, parent=parent, **kw)


def make_product_type(slug: str | None = None, **kw) -> ProductType:
    slug = slug or f"type-{next(_seq)}"
    kw.setdefault("name", slug.capitalize())
    product_type, _created = ProductType.objects.get_or_create(slug=slug, defaults=kw)
    return product_type


def make_book_type() -> ProductType:
    book = make_product_type("livre", name="Livre", tax_class="reduced", is_book=True)
    for pos, (code, name) in enumerate([("author", "Auteur"), ("publisher", "Éditeur")]):
        Attribute.objects.get_or_create(
            product_type=book,
            code=code,
            defaults={"name": name, "kind": "text", "is_facet": True, "position": pos},
        )
    return book


def make_product(
    title: str | None = None,
    *,
    category: Category | None = None,
    product_type: ProductType | None = None,
    gtin: str | None = "auto",
    attributes: dict | None = None,
    **kw,
) -> Product:
    n = next(_seq)
    title = title or f"Produit {n}"
    product = Product.objects.create(
        title=title,
        slug=kw.pop("slug", f"produit-{n}"),
        category=category or make_category(),
        product_type=product_type or make_product_type("generic", name="Générique"),
        gtin=valid_ean() if gtin == "auto" else gtin,
        **kw,
    )
    for code, value in (attributes or {}).items():
        attribute = product.product_type.attributes.get(code=code)
        column = {
            "integer": "value_int",
            "decimal": "value_decimal",
            "boolean": "value_bool",
            "date": "value_date",
        }.get(attribute.kind, "value_text")
        AttributeValue.objects.create(product=product, attribute=attribute, **{column: value})
    return product


def make_seller(name: str | None = None, *, status: str = SellerStatus.VERIFIED, **kw) -> Seller:
    n = next(_seq)
    name = name or f"Vendeur {n}"
    kw.setdefault("slug", f"vendeur-{n}")
    kw.setdefault("legal_name", f"{name} SARL")
    return Seller.objects.create(name=name, status=status, **kw)


def make_offer(
    product: Product | None = None,
    *,
    seller: Seller | None = None,
    price: Decimal | str = "10.00",
    stock: int = 5,
    **kw,
) -> Offer:
    kw.setdefault("condition", Condition.NEW)
    if kw["condition"] != Condition.NEW:
        kw.setdefault("condition_note", "Très bon état")
    offer = Offer.objects.create(
        product=product or make_product(),
        seller=seller or make_seller(),
        price=Decimal(str(price)),
        stock=stock,
        **kw,
    )
    offer_prices_record(prices=[(offer.pk, offer.price)], at=offer.created_at)
    product_offer_summary_refresh(product_ids=[offer.product_id])
    return offer


def make_subscription_offer(
    *,
    seller: Seller | None = None,
    price: Decimal | str = "39.00",
    issues_per_year: int = 12,
    term_months: int = 6,
    first_issue_on=None,
    medium: str = "print",
    **kw,
) -> Offer:
    """A press product sold by subscription: a 2.1 % product, its offer and the offer's plan."""
    import datetime as dt

    from galerie.subscriptions.models import SubscriptionPlan

    press = make_product_type(
        "abonnement-presse",
        name="Abonnement presse",
        tax_class="super_reduced",
        gtin_required=False,
    )
    product = make_product(
        kw.pop("title", None), product_type=press, gtin=None, category=kw.pop("category", None)
    )
    offer = make_offer(product, seller=seller, price=price, stock=kw.pop("stock", 1000), **kw)
    SubscriptionPlan.objects.create(
        offer=offer,
        publication=product.title,
        issues_per_year=issues_per_year,
        term_months=term_months,
        first_issue_on=first_issue_on or dt.date(2026, 1, 5),
        medium=medium,
    )
    return offer


def make_trip(
    *,
    seller: Seller | None = None,
    starts_on=None,
    price: Decimal | str = "1000.00",
    child_price: Decimal | str | None = "600.00",
    seats: int = 10,
    cost_adult: Decimal | str | None = "700.00",
    cost_child: Decimal | str | None = "400.00",
    product: Product | None = None,
    options=(("single_room", "Chambre individuelle", "250.00", False),),
    **product_kw,
):
    """A travel product (TravelPackage, options) with one departure (an offer whose stock is its
    seats) on `starts_on` (default: in 60 days). Returns the Departure."""
    if product is None:
        product_kw.setdefault("product_type", make_product_type("voyage", name="Voyage"))
        product = make_product(product_kw.pop("title", None), gtin=None, **product_kw)
        TravelPackage.objects.create(product=product, destination="Lisbonne")
        for code, label, option_price, per_traveller in options:
            TravelOption.objects.create(
                product=product,
                code=code,
                label=label,
                price=Decimal(option_price),
                per_traveller=per_traveller,
            )
    offer = make_offer(product, seller=seller, price=price, stock=seats)

    def money(value):
        return None if value is None else Decimal(str(value))

    return Departure.objects.create(
        offer=offer,
        starts_on=starts_on or clock.localdate() + dt.timedelta(days=60),
        duration_days=7,
        capacity=seats,
        child_price=money(child_price),
        cost_adult=money(cost_adult),
        cost_child=money(cost_child),
    )


def pay_by_transfer(order):
    """Pay `order` as the operator does on receiving a transfer (capture, ledger, invoices)."""
    from galerie.payments.services import payment_start, payment_transfer_mark_received

    start = payment_start(order=order, method="transfer", return_url="/")
    payment_transfer_mark_received(payment=start.payment)
    order.refresh_from_db()
    return order


PURCHASE_ADDRESS = {
    "name": "Marie Curie",
    "line1": "1 rue Cuvier",
    "postcode": "75005",
    "city": "Paris",
    "country": "FR",
}


def make_purchase(*, customer, offer: Offer, storefront: Storefront, status: str = "shipped"):
    """`customer`'s order of one unit of `offer` in `storefront`, paid by transfer, then taken to
    `status` (paid, shipped or delivered). Returns its order line."""
    from galerie.orders.services import (
        order_place,
        seller_order_accept,
        seller_order_deliver,
        seller_order_ship,
    )
    from galerie.payments.services import payment_start, payment_transfer_mark_received

    order = order_place(
        storefront=storefront,
        email=customer.email or "client@example.fr",
        user=customer,
        lines=[(offer.pk, 1)],
        delivery_choices={},
        shipping_address=PURCHASE_ADDRESS,
        billing_address=PURCHASE_ADDRESS,
        idempotency_key=f"purchase-{next(_seq)}",
    )
    payment_transfer_mark_received(
        payment=payment_start(order=order, method="transfer", return_url="/").payment
    )
    seller_order = order.seller_orders.get()
    if status in ("shipped", "delivered"):
        seller_order_accept(seller_order=seller_order)
        seller_order = seller_order_ship(
            seller_order=seller_order, carrier="Colissimo", tracking_number="6A1"
        )
    if status == "delivered":
        seller_order_deliver(seller_order=seller_order)
    return order.lines.get(offer=offer)


ADDRESS = {
    "name": "Camille Martin",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country": "FR",
}


def make_delivered_order(
    lines: list[tuple[Offer, int]],
    *,
    storefront: Storefront | None = None,
    email: str = "client@example.fr",
    user=None,
    delivered_at: dt.datetime | None = None,
):
    """A paid order (by transfer) of `lines` ((offer, quantity)), every seller's part accepted,
    shipped and delivered, its `delivered_at` set to `delivered_at` when given. Returns it."""
    from galerie.orders.models import Order
    from galerie.orders.services import (
        order_place,
        seller_order_accept,
        seller_order_deliver,
        seller_order_ship,
    )
    from galerie.payments.services import payment_start, payment_transfer_mark_received

    order = order_place(
        storefront=storefront or make_storefront(),
        email=email,
        lines=[(offer.pk, quantity) for offer, quantity in lines],
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key=f"delivered-{next(_seq)}",
        **({"user": user} if user is not None else {}),
    )
    payment = payment_start(order=order, method="transfer", return_url="/").payment
    payment_transfer_mark_received(payment=payment)
    for seller_order in order.seller_orders.all():
        seller_order_accept(seller_order=seller_order)
        seller_order_ship(seller_order=seller_order, carrier="Colissimo", tracking_number="6A1")
        seller_order_deliver(seller_order=seller_order)
    if delivered_at is not None:
        order.seller_orders.update(delivered_at=delivered_at)
    return Order.objects.get(pk=order.pk)


def make_notice(product: Product | None = None, *, offer: Offer | None = None, **kw):
    """An open DSA notice on `product` (or on `offer`'s product and the offer)."""
    from galerie.moderation.models import Notice, NoticeCategory

    if product is None:
        product = offer.product if offer is not None else make_product()
    kw.setdefault("category", NoticeCategory.COUNTERFEIT)
    kw.setdefault("explanation", "Copie d'un modèle déposé.")
    kw.setdefault("reporter_name", "Marie Curie")
    kw.setdefault("reporter_email", "marie@example.fr")
    return Notice.objects.create(product=product, offer=offer, good_faith=True, **kw)
