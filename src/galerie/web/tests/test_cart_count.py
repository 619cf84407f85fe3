"""The header's cart link shows how many items the visitor's cart holds: at most one query, none
where the page already has the cart, and never through the page cache to another visitor."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from galerie.cart.selectors import SESSION_KEY
from galerie.cart.services import cart_add, cart_create
from galerie.sellers.models import Offer
from galerie.web.caching import SHARED_PAGE
from galerie.web.context_processors import cart_count
from galerie.web.tests.conftest import get

pytestmark = pytest.mark.django_db
EMPTY = '<a href="/panier/" id="header-cart" class="header-cart">Panier</a>'
THREE = (
    '<a href="/panier/" id="header-cart" class="header-cart" aria-label="Panier, 3 articles">'
    'Panier <span class="cart-count" aria-hidden="true">(3)</span></a>'
)


def _offers(mall):
    return (
        Offer.objects.get(product=mall.hugo, seller=mall.operator),
        Offer.objects.get(product=mall.notre_dame, seller=mall.operator),
    )


def _fill(client, mall):
    """Two of one book and one of another: three items."""
    hugo, notre_dame = _offers(mall)
    for offer_id, quantity in ((hugo.pk, 2), (notre_dame.pk, 1)):
        response = client.post(
            "/panier/ajouter/",
            {"offer_id": offer_id, "quantity": quantity},
            HTTP_HOST="culture.localhost",
        )
        assert response.status_code == 302


def test_header_shows_the_number_of_items(client, mall):
    assert EMPTY in get(client, "culture", "/").content.decode()
    _fill(client, mall)

    for path in ("/", "/p/les-miserables/", "/panier/", "/pages/cgv/", "/classement/"):
        assert THREE in get(client, "culture", path).content.decode(), path
    # The cart belongs to its storefront: the other one shows none.
    assert EMPTY in get(client, "hightech", "/").content.decode()


def test_a_logged_in_customers_count_is_their_cart(client, mall):
    user = get_user_model().objects.create_user("ana@example.fr", "ana@example.fr", "pw")
    cart = cart_create(storefront=mall.culture, user=user)
    hugo, _notre_dame = _offers(mall)
    cart_add(cart=cart, offer_id=hugo.pk, quantity=1)
    client.force_login(user)

    body = get(client, "culture", "/").content.decode()

    assert 'aria-label="Panier, 1 article"' in body and "(1)</span>" in body


def test_a_cached_page_never_shows_another_visitors_count(mall):
    shopper, stranger, later = Client(), Client(), Client()
    _fill(shopper, mall)

    # The stranger, without a session, has the page rendered and stored for everyone.
    first = get(stranger, "culture", "/p/les-miserables/")
    mine = get(shopper, "culture", "/p/les-miserables/")
    second = get(later, "culture", "/p/les-miserables/")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert EMPTY in first.content.decode() and EMPTY in second.content.decode()
    assert "X-Page-Cache" not in mine and THREE in mine.content.decode()
    # And the other way round: the shopper's page first, then a stranger's.
    mine = get(shopper, "culture", "/c/livres/")
    theirs = get(stranger, "culture", "/c/livres/")
    assert THREE in mine.content.decode()
    assert theirs["X-Page-Cache"] == "miss" and EMPTY in theirs.content.decode()


def test_a_page_rendered_for_the_cache_counts_nothing_whatever_the_request_carries(mall):
    """Even a request that names a cart shows no count once its page is to be shared."""
    cart = cart_create(storefront=mall.culture)
    hugo, _notre_dame = _offers(mall)
    cart_add(cart=cart, offer_id=hugo.pk, quantity=2)
    request = RequestFactory().get("/", HTTP_HOST="culture.localhost")
    request.storefront = mall.culture
    request.session = SessionStore()
    request.session[SESSION_KEY] = {str(mall.culture.pk): cart.token}
    request.user = AnonymousUser()

    assert cart_count(request)["cart_count"]() == 2
    request.__dict__[SHARED_PAGE] = True
    assert cart_count(request)["cart_count"]() == 0


def test_the_count_costs_one_query_and_none_where_the_cart_is_loaded(
    client, mall, django_assert_num_queries
):
    _fill(client, mall)
    get(client, "culture", "/classement/")  # storefront cached

    # The shared version, the session, the count.
    with django_assert_num_queries(3) as queries:
        get(client, "culture", "/classement/")
    counts = [q for q in queries.captured_queries if "cart_cartline" in q["sql"]]
    assert len(counts) == 1 and "SUM" in counts[0]["sql"].upper()

    # as before the header had a count, plus the lines' pictures
    with django_assert_num_queries(8) as queries:
        assert THREE in get(client, "culture", "/panier/").content.decode()
    assert not any("SUM(" in q["sql"].upper() for q in queries.captured_queries)


def test_a_guest_without_a_cart_costs_no_query(client, mall, django_assert_num_queries):
    get(client, "culture", "/classement/")  # storefront cached

    with django_assert_num_queries(1) as queries:  # the shared version only
        assert EMPTY in get(client, "culture", "/classement/").content.decode()
    assert "core_cacheversion" in queries.captured_queries[0]["sql"]


def test_htmx_add_updates_the_header_out_of_band(client, mall):
    hugo, _notre_dame = _offers(mall)

    response = client.post(
        "/panier/ajouter/",
        {"offer_id": hugo.pk, "quantity": 3},
        HTTP_HOST="culture.localhost",
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert 'id="header-cart" class="header-cart" hx-swap-oob="true"' in html
    assert 'aria-label="Panier, 3 articles"' in html


def test_the_count_speaks_english(client, mall):
    _fill(client, mall)
    client.cookies["django_language"] = "en"

    body = get(client, "culture", "/").content.decode()

    assert 'aria-label="Cart, 3 items"' in body and ">Cart <span" in body
