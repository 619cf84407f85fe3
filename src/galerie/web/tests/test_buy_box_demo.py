"""The buy-box rule on the demo mall's own mixed cases: used or refurbished copies cheaper, delivery
included, than every new one (private sellers' among them) never take the box from a new offer."""

import re

import pytest

from galerie.catalog.models import Product
from galerie.demo.services import demo_load
from galerie.sellers.models import Offer
from galerie.sellers.selectors import offers_for_product, offers_lowest_totals, offers_purchasable
from galerie.storefronts.listing import visible_products
from galerie.storefronts.models import Storefront

pytestmark = pytest.mark.django_db

# The first 800 demo products (a prefix of any larger demo) hold discs with Sophie L.'s used copy
# cheaper than every new one, and dozens of books and discs with cheaper used copies.
PRODUCTS = 800


@pytest.fixture
def demo():
    demo_load(products=PRODUCTS)
    return Storefront.objects.get(slug="galerie")


def featured_offer(client, slug: str) -> Offer:
    response = client.get(f"/p/{slug}/", HTTP_HOST="galerie.localhost")
    assert response.status_code == 200
    body = response.content.decode()
    box = body[body.index('class="buy-box"') :]
    return Offer.objects.get(pk=re.search(r'name="offer_id" value="(\d+)"', box).group(1))


def mixed_product_ids() -> list[int]:
    """Products with a purchasable new offer and a non-new one cheaper than every new one."""
    mixed = []
    for product_id in Product.objects.filter(
        offer_count__gte=2, price_new__isnull=False
    ).values_list("pk", flat=True):
        offers = offers_for_product(product_id)
        cheapest_new = min(o.total_price for o in offers if o.condition == "new")
        if any(o.condition != "new" and o.total_price < cheapest_new for o in offers):
            mixed.append(product_id)
    return mixed


def test_demo_blu_ray_features_a_new_copy_not_the_private_sellers_used_one(client, demo):
    candidates = Product.objects.filter(
        category__slug="blu-ray",
        offers__seller__slug="sophie-l",
        offers__condition="used",
        in_stock=True,
    ).order_by("pk")
    evasion = next(
        p
        for p in candidates
        if offers_purchasable().filter(product=p, condition="new").exists()
        and p.offers.get(seller__slug="sophie-l").total_price
        < min(o.total_price for o in offers_purchasable().filter(product=p, condition="new"))
    )
    used = evasion.offers.get(seller__slug="sophie-l")
    assert not used.seller.is_trader
    new_totals = [
        o.total_price for o in offers_purchasable().filter(product=evasion, condition="new")
    ]
    assert new_totals and used.total_price < min(new_totals)  # the mixed case, as seeded

    box = featured_offer(client, evasion.slug)

    assert box.condition == "new" and box.total_price == min(new_totals)


def test_demo_mixed_products_always_feature_a_new_offer(client, demo):
    mixed = mixed_product_ids()
    books = Product.objects.filter(pk__in=mixed, product_type__is_book=True)
    private = Offer.objects.filter(product_id__in=mixed, seller__is_trader=False, stock__gt=0)
    assert len(mixed) > 100 and books.count() > 20 and private.exists()

    for product_id in mixed:
        ranked = offers_for_product(product_id)
        assert ranked[0].condition == "new", product_id
        # Under the box, no other new offer is announced cheaper than it.
        for lowest in offers_lowest_totals(ranked[1:]):
            if lowest.condition == "new":
                assert lowest.total >= ranked[0].total_price

    # And through the storefront's pages, on every mixed product the galerie storefront shows.
    shown = visible_products(demo).filter(pk__in=mixed).values_list("slug", flat=True)[:40]
    assert len(shown) == 40
    for slug in shown:
        assert featured_offer(client, slug).condition == "new", slug
