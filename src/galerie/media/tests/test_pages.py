"""What shoppers see: real pictures with srcset and alt text, a clean placeholder otherwise,
and never a seller's own image address."""

import re

import pytest

from galerie.media.models import ImageSource, ImageStatus, ProductImage
from galerie.media.services import product_image_add
from galerie.media.tests.conftest import picture
from galerie.search.services import search_index_refresh
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

EXTERNAL = "https://images.seller.example/cover.jpg"


@pytest.fixture
def shop(db):
    books = make_category("Livres", slug="livres")
    make_storefront("culture", name="Culture", categories=[books])
    shown = make_product("Les Misérables", slug="les-miserables", category=books,
                         image_urls=[EXTERNAL])  # fmt: skip
    bare = make_product("Germinal", slug="germinal", category=books, image_urls=[EXTERNAL])
    for product in (shown, bare):
        make_offer(product, price="10.00")
    search_index_refresh(product_ids=[shown.pk, bare.pk])
    image = product_image_add(product=shown, upload=picture(), alt="Couverture bleue")
    # A feed picture that could not be fetched: pending, then failed — a placeholder either way.
    ProductImage.objects.create(product=bare, source=ImageSource.FEED, source_url=EXTERNAL,
                                status=ImageStatus.FAILED, error="404")  # fmt: skip
    return image


def page(client, path) -> str:
    response = client.get(path, HTTP_HOST="culture.localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_shows_the_thumbnail_with_srcset_and_alt(client, shop):
    html = page(client, "/c/livres/")

    img = re.search(r'<img class="card-picture"[^>]*>', html).group(0)
    assert f'src="/media/{shop.digest}-160.webp"' in img
    assert f"/media/{shop.digest}-400.webp 400w" in img and "sizes=" in img
    assert 'alt="Couverture bleue"' in img and 'loading="lazy"' in img
    assert 'width="160" height="120"' in img


def test_the_product_page_shows_its_pictures(client, shop):
    html = page(client, "/p/les-miserables/")

    img = re.search(r'<div class="product-media">\s*(<img[^>]*>)', html).group(1)
    assert f'src="/media/{shop.digest}-400.webp"' in img
    assert f"/media/{shop.digest}-800.webp 800w" in img
    assert 'alt="Couverture bleue"' in img and 'width="400" height="300"' in img


@pytest.mark.parametrize("path", ["/", "/c/livres/", "/p/germinal/", "/recherche/?q=germinal"])
def test_without_a_ready_picture_a_placeholder_and_no_external_address(client, shop, path):
    html = page(client, path)

    assert "seller.example" not in html
    if path != "/p/germinal/":
        assert re.search(r'<span class="no-image" aria-hidden="true">G</span>', html)
    else:
        assert re.search(r'<div class="no-image large" role="img" aria-label="[^"]+">L</div>', html)
    assert all(src.startswith("/media/") for src in re.findall(r'<img[^>]* src="([^"]*)"', html))
