"""The screenshots command's pages (`python -m galerie.testing.screenshots`) exist on the demo mall:
the home, the listing and a product sold by several sellers, all answering on the demo's culture
storefront. The command itself (a server and Chromium) is not part of the suite."""

import pytest
from django.test import Client

from galerie.demo.services import demo_load
from galerie.sellers.models import Offer
from galerie.testing.screenshots import HOST, screenshot_pages

pytestmark = pytest.mark.django_db


def test_the_screenshot_pages_answer_on_the_demo_mall():
    demo_load(products=400)

    pages = dict(screenshot_pages())

    assert list(pages) == ["home", "listing", "product"]
    client = Client(HTTP_HOST=HOST)
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (name, path)
    slug = pages["product"].split("/")[2]
    sellers = Offer.objects.filter(product__slug=slug, is_active=True, stock__gt=0)
    assert sellers.values("seller").distinct().count() >= 3
    assert 'class="other-offers"' in client.get(pages["product"]).content.decode()


def test_without_a_listing_the_pages_are_the_home_and_the_listing_only():
    assert screenshot_pages() == [("home", "/"), ("listing", "/c/romans/")]
