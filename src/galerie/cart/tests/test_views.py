"""The cart through HTTP: add, change, remove, grouping by seller, notices, isolation."""

from decimal import Decimal

import pytest
from django.test import Client

from galerie.cart.models import Cart, CartLine
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    category = make_category("Livres")
    return make_storefront("culture", name="Culture", categories=[category]), category


@pytest.fixture
def client():
    return Client(HTTP_HOST="culture.localhost")


def test_add_redirects_to_cart_grouped_by_seller(client, shop):
    _storefront, category = shop
    alice = make_seller("Librairie Alice")
    bob = make_seller("Bob Occasions", is_trader=False)
    a = make_offer(make_product("Germinal", category=category), seller=alice, price="8.00")
    b = make_offer(make_product("Nana", category=category), seller=bob, price="3.50")

    response = client.post("/panier/ajouter/", {"offer_id": a.pk, "quantity": "2"})
    assert response.status_code == 302 and response["Location"] == "/panier/"
    client.post("/panier/ajouter/", {"offer_id": b.pk})

    page = client.get("/panier/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vendu et expédié par Librairie Alice" in html
    assert "Vendu et expédié par Bob Occasions" in html
    # Each seller's kind; the private seller's with what buying from them does not give.
    assert 'seller-kind-trader">Professionnel' in html
    assert 'seller-kind-private">Particulier' in html
    assert html.count("ni de droit de rétractation au titre du Code de la consommation") == 1
    assert 'href="/classement/#vendeurs"' in html
    assert "Livraison standard" in html
    quote = page.context["page"].quote
    assert {g.seller_name: g.subtotal for g in quote.groups} == {
        "Librairie Alice": Decimal("16.00"),
        "Bob Occasions": Decimal("3.50"),
    }


def test_add_more_than_stock_shows_message_and_changes_nothing(client, shop):
    _storefront, category = shop
    offer = make_offer(make_product("Germinal", category=category), stock=1)
    response = client.post("/panier/ajouter/", {"offer_id": offer.pk, "quantity": 3}, follow=True)
    assert "il ne reste qu&#x27;un exemplaire de « Germinal »" in response.content.decode()
    assert not CartLine.objects.exists()


@pytest.mark.parametrize("quantity", ["abc", "1.5", "-2", "0", "100"])
def test_add_bad_quantity_message(client, shop, quantity):
    _storefront, category = shop
    offer = make_offer(make_product(category=category))
    response = client.post(
        "/panier/ajouter/", {"offer_id": offer.pk, "quantity": quantity}, follow=True
    )
    assert response.status_code == 200
    assert "La quantité doit" in response.content.decode()
    assert not CartLine.objects.exists()


def test_add_offer_of_unverified_seller_or_garbage_id_refused(client, shop):
    _storefront, category = shop
    unverified = make_offer(make_product(category=category), seller=make_seller(status="applied"))
    for offer_id in (unverified.pk, "xyz", ""):
        response = client.post("/panier/ajouter/", {"offer_id": offer_id}, follow=True)
        assert "pas disponible sur cette boutique" in response.content.decode()
    assert not CartLine.objects.exists()


def test_update_quantity_without_js_and_with_htmx(client, shop):
    _storefront, category = shop
    offer = make_offer(make_product(category=category), stock=4)
    client.post("/panier/ajouter/", {"offer_id": offer.pk})
    line = CartLine.objects.get()

    assert client.post(f"/panier/lignes/{line.pk}/", {"quantity": 3}).status_code == 302
    line.refresh_from_db()
    assert line.quantity == 3

    fragment = client.post(f"/panier/lignes/{line.pk}/", {"quantity": 9}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.startswith('<div id="cart"') and "<html" not in html
    assert "il ne reste que 4 exemplaires" in html
    line.refresh_from_db()
    assert line.quantity == 3


def test_remove_line(client, shop):
    _storefront, category = shop
    offer = make_offer(make_product(category=category))
    client.post("/panier/ajouter/", {"offer_id": offer.pk})
    line = CartLine.objects.get()
    assert client.post(f"/panier/lignes/{line.pk}/supprimer/").status_code == 302
    assert not CartLine.objects.exists()
    assert "Votre panier est vide." in client.get("/panier/").content.decode()


def test_foreign_line_ids_are_404_and_untouched(client, shop):
    _storefront, category = shop
    offer = make_offer(make_product(category=category))
    other = Client(HTTP_HOST="culture.localhost")
    other.post("/panier/ajouter/", {"offer_id": offer.pk})
    their_line = CartLine.objects.get()
    client.post("/panier/ajouter/", {"offer_id": make_offer(make_product(category=category)).pk})

    assert client.post(f"/panier/lignes/{their_line.pk}/", {"quantity": 2}).status_code == 404
    assert client.post(f"/panier/lignes/{their_line.pk}/supprimer/").status_code == 404
    their_line.refresh_from_db()
    assert their_line.quantity == 1


def test_cart_never_leaks_across_storefronts(client, shop):
    _storefront, category = shop
    music = make_category("Musique")
    make_storefront("musique", categories=[music, category])
    offer = make_offer(make_product("Germinal", category=category))
    client.post("/panier/ajouter/", {"offer_id": offer.pk}, follow=True)
    line = CartLine.objects.get()

    # Same browser session, other storefront: an empty cart, and the line is not reachable there.
    elsewhere = client.get("/panier/", HTTP_HOST="musique.localhost")
    assert "Germinal" not in elsewhere.content.decode()
    response = client.post(f"/panier/lignes/{line.pk}/supprimer/", HTTP_HOST="musique.localhost")
    assert response.status_code == 404
    assert CartLine.objects.filter(pk=line.pk).exists()
    assert Cart.objects.count() == 1


def test_price_and_stock_changes_since_add_are_shown(client, shop):
    _storefront, category = shop
    offer = make_offer(make_product("Germinal", category=category), price="8.00", stock=5)
    client.post("/panier/ajouter/", {"offer_id": offer.pk, "quantity": 3})
    offer.price = Decimal("9.50")
    offer.stock = 2
    offer.save()

    page = client.get("/panier/")
    html = page.content.decode()
    assert "Le prix de « Germinal » est passé de 8.00 € à 9.50 €" in html
    assert "il ne reste que 2 exemplaires." in html
    assert "Passer la commande" not in html


def test_offer_gone_is_listed_for_removal(client, shop):
    _storefront, category = shop
    offer = make_offer(make_product("Germinal", category=category))
    client.post("/panier/ajouter/", {"offer_id": offer.pk})
    offer.is_active = False
    offer.save()
    html = client.get("/panier/").content.decode()
    assert "Articles indisponibles" in html and "n&#x27;est plus disponible" in html


def test_cart_needs_a_storefront(shop):
    assert Client().get("/panier/").status_code == 404


def test_cart_page_query_count_is_bounded(client, shop, django_assert_max_num_queries):
    _storefront, category = shop
    for n in range(6):
        seller = make_seller(f"Vendeur {n}")
        offer = make_offer(make_product(category=category), seller=seller)
        client.post("/panier/ajouter/", {"offer_id": offer.pk})
    # Six sellers, six lines: the query count does not grow with the cart (6 measured).
    with django_assert_max_num_queries(8):
        assert client.get("/panier/").status_code == 200


def test_add_with_htmx_returns_a_fragment(client, shop):
    _storefront, category = shop
    offer = make_offer(make_product("Germinal", category=category), stock=1)
    ok = client.post("/panier/ajouter/", {"offer_id": offer.pk}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and ok["HX-Trigger"] == "cart-changed"
    assert "« Germinal » a été ajouté" in ok.content.decode() and "<html" not in ok.content.decode()
    refused = client.post("/panier/ajouter/", {"offer_id": offer.pk}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "il ne reste qu&#x27;un" in refused.content.decode()
    assert "HX-Trigger" not in refused
    assert CartLine.objects.get().quantity == 1


def test_stale_delivery_choice_falls_back_to_an_offered_option(client, shop):
    _storefront, category = shop
    seller = make_seller("Librairie Alice")
    offer = make_offer(make_product(category=category), seller=seller)
    client.post("/panier/ajouter/", {"offer_id": offer.pk})
    session = client.session
    session["delivery_choices"] = {str(_storefront.pk): {str(seller.pk): 987654}}
    session.save()

    page = client.get("/panier/").context["page"]

    assert page.quote.can_order
    assert page.quote.groups[0].chosen.label == "Livraison standard"


def test_each_cart_line_shows_its_products_picture(client, shop):
    import io

    from PIL import Image

    from galerie.media.services import product_image_add

    _storefront, category = shop
    pictured, plain = make_product(category=category), make_product(category=category)
    out = io.BytesIO()
    Image.new("RGB", (320, 320), "teal").save(out, "PNG")
    picture = product_image_add(product=pictured, upload=out.getvalue())
    for product in (pictured, plain):
        client.post("/panier/ajouter/", {"offer_id": make_offer(product).pk})

    html = client.get("/panier/").content.decode()

    assert html.count('class="line-picture"') == 1
    assert f"/media/{picture.digest}-160.webp" in html
