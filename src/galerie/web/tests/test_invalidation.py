"""Invalidation by what changed: a sale leaves the rest of the mall cached, a rolled-back change
leaves every cache entry in place, a summary change reaches the listings that show it."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from galerie.core import versions
from galerie.core.versions import GLOBAL, listing_key, product_key, versions_get
from galerie.inventory.services import stock_release, stock_reserve
from galerie.sellers.services import offer_update
from galerie.web.tests.conftest import get
from galerie.web.tests.conftest import mall as mall  # noqa: F401  (re-exported fixture)

PAGES = ["/", "/c/livres/", "/c/romans/", "/p/les-miserables/", "/p/germinal/", "/p/notre-dame/"]


def _warm(paths=PAGES):
    for path in paths:
        get(Client(), "culture", path)
        assert get(Client(), "culture", path)["X-Page-Cache"] == "hit", path


def _cache_state(path):
    return get(Client(), "culture", path)["X-Page-Cache"]


def test_a_sale_that_leaves_the_summary_alone_keeps_other_pages_and_listings_cached(mall):
    offer = mall.zola.offers.get()  # 25,00 €, stock 10: selling one changes no summary
    _warm()
    before = versions_get([GLOBAL, listing_key(mall.novels.pk), product_key(mall.hugo.pk)])

    stock_reserve(items=[(offer.pk, 1)], reference="order-1")

    after = versions_get([GLOBAL, listing_key(mall.novels.pk), product_key(mall.hugo.pk)])
    assert after == before
    assert versions_get([product_key(mall.zola.pk)])[product_key(mall.zola.pk)] > 0
    for path in PAGES:
        expected = "miss" if path == "/p/germinal/" else "hit"
        assert _cache_state(path) == expected, path


def test_a_rolled_back_stock_change_leaves_every_cache_entry_in_place(mall):
    offer = mall.notre_dame.offers.get()
    _warm()
    keys = [GLOBAL, product_key(mall.notre_dame.pk), listing_key(mall.books.pk)]
    before = versions_get(keys)

    with pytest.raises(RuntimeError), transaction.atomic():
        stock_reserve(items=[(offer.pk, offer.stock)], reference="order-2")  # sells it out
        raise RuntimeError("payment refused")

    offer.refresh_from_db()
    assert offer.stock > 0
    assert versions_get(keys) == before
    for path in PAGES:
        assert _cache_state(path) == "hit", path


def test_a_summary_change_reaches_its_listings_and_ancestors_only(mall):
    offer = mall.hugo.offers.get(seller=mall.particulier)  # used, 4,00 €: the cheapest
    _warm()
    get(Client(), "hightech", "/c/informatique/")
    assert get(Client(), "hightech", "/c/informatique/")["X-Page-Cache"] == "hit"

    offer_update(offer=offer, price="3.50")  # the best price: the summary changes

    assert _cache_state("/c/romans/") == "miss"
    assert _cache_state("/c/livres/") == "miss"  # the parent lists its children's products
    assert _cache_state("/") == "miss"  # the home page shows the assortment
    assert _cache_state("/p/les-miserables/") == "miss"
    assert _cache_state("/p/germinal/") == "hit"
    assert get(Client(), "hightech", "/c/informatique/")["X-Page-Cache"] == "hit"
    assert "3,50" in get(Client(), "culture", "/c/romans/").content.decode()


def test_a_release_after_a_sold_out_reservation_shows_the_product_again(mall):
    offer = mall.notre_dame.offers.get()
    _warm(["/c/livres/"])
    stock_reserve(items=[(offer.pk, offer.stock)], reference="order-3")
    assert "Notre-Dame" not in get(Client(), "culture", "/c/livres/").content.decode()

    stock_release(items=[(offer.pk, 1)], reference="order-3", reason="payment failed")

    assert "Notre-Dame" in get(Client(), "culture", "/c/livres/").content.decode()


@pytest.mark.django_db
def test_versions_live_in_redis_when_redis_is_configured():
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/9",
        "KEY_PREFIX": "galerie-test-versions",
    }
    with override_settings(REDIS_URL="redis://127.0.0.1:6379/9", CACHES={"default": redis}):
        from django.core.cache import caches

        shared = caches["default"]
        shared.clear()
        key = product_key(424242)
        first = versions_get([key])[key]
        assert first > 0  # a lost key restarts from the clock, never from a reused number

        versions._bump_now([key])

        assert versions_get([key])[key] == first + 1
        assert not versions.CacheVersion.objects.filter(key=key).exists()
        shared.clear()
    cache.clear()
