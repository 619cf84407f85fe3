"""End-to-end checkout through HTTP: guest and customer, one and three sellers, every payment
outcome, bank transfer, cancellation, partial refund, last-second stock loss, double submit."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from galerie.cart.models import CartLine
from galerie.checkout.tests.helpers import (
    CARD_3DS,
    CARD_DECLINED,
    CARD_OK,
    add_to_cart,
    checkout,
    choose_delivery,
    fill_address,
    pay_by_card,
    place,
    recap,
)
from galerie.orders.models import Order, OrderStatus
from galerie.sellers.models import Offer
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db
HOST = "culture.localhost"


@pytest.fixture
def category():
    category = make_category("Livres")
    make_storefront("culture", name="Culture & Cie", categories=[category])
    return category


@pytest.fixture
def client():
    return Client(HTTP_HOST=HOST)


@pytest.fixture
def offers(category):
    book = make_book_type()
    alice = make_seller(
        "Librairie Alice",
        legal_name="Alice Livres SARL",
        address="3 rue des Écoles\n75005 Paris",
        siren="732829320",
    )
    bob = make_seller("Bob", legal_name="Robert Martin", is_trader=False)
    carla = make_seller("Carla Disques", legal_name="Carla SAS")
    return [
        make_offer(
            make_product("Germinal", category=category, product_type=book,
                         publisher_price=Decimal("9.00")),
            seller=alice, price="9.00", stock=3, delivery_price="2.00",
        ),
        make_offer(
            make_product("Nana", category=category), seller=bob, price="4.00", stock=1,
            condition="used",
        ),
        make_offer(
            make_product("Vinyle", category=category), seller=carla, price="25.00", stock=2,
            delivery_price="5.00",
        ),
    ]  # fmt: skip


def test_guest_one_seller_card_success(client, offers, django_capture_on_commit_callbacks):
    germinal = offers[0]
    add_to_cart(client, germinal, quantity=2)

    response, html = checkout(client)

    # Everything the law asks for before ordering.
    assert "Commander avec obligation de paiement" in html
    assert "Alice Livres SARL" in html and "732829320" in html
    assert 'seller-kind-trader">Professionnel</span>' in html
    assert "14 jours" in html and "L221-28" in html
    assert "5,5 %" in html  # VAT breakdown of the book
    assert "Livraison estimée entre le" in html
    order = Order.objects.get()
    assert order.email == "marie@example.fr" and order.user is None
    assert order.total == Decimal("21.00")  # 2 × 9.00 + 3.00 book-law delivery floor
    assert response["Location"].startswith("/paiement/passerelle/")
    assert not CartLine.objects.exists()

    back = pay_by_card(client, response["Location"], CARD_OK, django_capture_on_commit_callbacks)

    assert back.status_code == 302 and back["Location"].startswith(order.get_absolute_url())
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    confirmation = client.get(back["Location"])
    assert confirmation.status_code == 200 and order.number in confirmation.content.decode()
    germinal.refresh_from_db()
    assert germinal.stock == 1


def test_logged_in_three_sellers_split_in_three(client, offers, django_capture_on_commit_callbacks):
    user = User.objects.create_user("jean@example.fr", "jean@example.fr", "x")
    client.force_login(user)
    add_to_cart(client, *offers)

    response, html = checkout(client, email=None)

    assert 'seller-kind-private">Particulier</span>' in html and "ne s'appliquent pas" in html
    assert "Vendeur particulier : pas de garantie légale de conformité" in html
    order = Order.objects.get()
    assert order.user == user and order.email == "jean@example.fr"
    assert order.seller_orders.count() == 3
    assert order.total == order.items_total + order.delivery_total
    pay_by_card(client, response["Location"], CARD_OK, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert client.get("/commandes/").status_code == 200


def test_card_declined_cancels_and_releases_stock(
    client, offers, django_capture_on_commit_callbacks
):
    germinal = offers[0]
    add_to_cart(client, germinal)
    response, _html = checkout(client)

    back = pay_by_card(
        client, response["Location"], CARD_DECLINED, django_capture_on_commit_callbacks
    )

    assert "paiement=failed" in back["Location"]
    order = Order.objects.get()
    assert order.status == OrderStatus.CANCELLED
    germinal.refresh_from_db()
    assert germinal.stock == 3


def test_card_3d_secure_challenge_approved(client, offers, django_capture_on_commit_callbacks):
    add_to_cart(client, offers[2])
    response, _html = checkout(client)

    challenge = pay_by_card(
        client, response["Location"], CARD_3DS, django_capture_on_commit_callbacks
    )
    assert challenge.status_code == 302 and challenge["Location"].endswith("/3ds/")
    assert Order.objects.get().status == OrderStatus.PENDING_PAYMENT
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(challenge["Location"], {"decision": "approve"})

    assert "paiement=succeeded" in back["Location"]
    assert Order.objects.get().status == OrderStatus.PAID


def test_bank_transfer_shows_reference_and_waits(client, offers):
    add_to_cart(client, offers[2])
    response, _html = checkout(client, method="transfer")

    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()
    page = client.get(response["Location"])
    reference = order.payments.get().bank_reference
    assert reference.startswith("GAL") and reference in page.content.decode()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_customer_cancels_unpaid_order_and_stock_returns(client, offers):
    vinyl = offers[2]
    add_to_cart(client, vinyl, quantity=2)
    checkout(client, method="transfer")
    order = Order.objects.get()
    vinyl.refresh_from_db()
    assert vinyl.stock == 0

    client.post(f"/commandes/{order.public_id}/annuler/")

    order.refresh_from_db()
    vinyl.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and vinyl.stock == 2


def test_partial_refund_after_card_payment(client, offers, django_capture_on_commit_callbacks):
    from galerie.payments.refunds import order_refund

    add_to_cart(client, offers[0], offers[2])
    response, _html = checkout(client)
    pay_by_card(client, response["Location"], CARD_OK, django_capture_on_commit_callbacks)
    order = Order.objects.get()
    vinyl_line = order.lines.get(title="Vinyle")

    order_refund(order=order, idempotency_key="refund-1", lines={vinyl_line.pk: 1})

    order.refresh_from_db()
    assert order.refunded_total == Decimal("25.00")
    assert order.status == OrderStatus.PAID
    assert "25,00" in client.get(order.get_absolute_url()).content.decode()


def test_double_submit_places_one_order(client, offers):
    add_to_cart(client, offers[2])
    fill_address(client)
    choose_delivery(client)
    _html, key = recap(client)

    first = place(client, key)
    second = place(client, key)

    assert Order.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_out_of_stock_at_the_last_moment_back_to_cart(client, offers):
    vinyl = offers[2]
    add_to_cart(client, vinyl, quantity=2)
    fill_address(client)
    choose_delivery(client)
    _html, key = recap(client)
    Offer.objects.filter(pk=vinyl.pk).update(stock=1)

    response = place(client, key)

    assert response.status_code == 302 and response["Location"] == "/panier/"
    assert not Order.objects.exists()
    assert CartLine.objects.get().quantity == 2
    assert "il ne reste qu&#x27;un exemplaire" in client.get("/panier/").content.decode()


def test_address_step_refuses_bad_postcode_and_email(client, offers):
    add_to_cart(client, offers[0])
    response = client.post(
        "/commande/",
        {"email": "pas-un-email", "shipping-name": "A", "shipping-line1": "x",
         "shipping-postcode": "7500", "shipping-city": "Paris", "shipping-country": "FR",
         "billing_same": "on"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400
    assert "5 chiffres" in html and "adresse de courriel valide" in html
    assert "Ce champ est obligatoire" not in html  # billing same as delivery: not asked
    assert client.get("/commande/recapitulatif/")["Location"] == "/commande/"


def test_separate_billing_address_is_required_when_unticked(client, offers):
    add_to_cart(client, offers[0])
    response = client.post(
        "/commande/",
        {"email": "a@example.fr", "shipping-name": "A", "shipping-line1": "x",
         "shipping-postcode": "75005", "shipping-city": "Paris", "shipping-country": "FR"},
    )  # fmt: skip
    assert response.status_code == 400


def test_empty_cart_cannot_check_out(client, category):
    assert client.get("/commande/")["Location"] == "/panier/"
    assert client.get("/commande/recapitulatif/")["Location"] == "/panier/"


def test_place_order_enforces_csrf(offers):
    strict = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
    strict.get("/panier/")
    assert strict.post("/panier/ajouter/", {"offer_id": offers[0].pk}).status_code == 403
    assert strict.post("/commande/valider/", {"idempotency_key": "x" * 20}).status_code == 403
    assert not Order.objects.exists()


def test_someone_elses_order_is_404(client, offers):
    add_to_cart(client, offers[2])
    checkout(client, method="transfer")
    order = Order.objects.get()
    stranger = Client(HTTP_HOST=HOST)
    assert stranger.get(order.get_absolute_url()).status_code == 404
    assert stranger.post(f"/commandes/{order.public_id}/annuler/").status_code == 404


def test_customer_picks_a_saved_address_and_can_save_a_new_one(client, offers):
    from galerie.accounts.models import Address

    user = User.objects.create_user("jean@example.fr", "jean@example.fr", "x")
    home = Address.objects.create(
        user=user, name="Jean", line1="1 rue A", postcode="75001", city="Paris", is_default=True
    )
    office = Address.objects.create(
        user=user, label="Bureau", name="Jean", line1="9 quai B", postcode="69002", city="Lyon"
    )
    client.force_login(user)
    add_to_cart(client, offers[0])

    assert 'value="1 rue A"' in client.get("/commande/").content.decode()
    assert 'value="9 quai B"' in client.get(f"/commande/?adresse={office.pk}").content.decode()
    stranger = Address.objects.create(
        user=User.objects.create_user("s@example.fr"), name="S", line1="x", postcode="75001",
        city="Paris",
    )  # fmt: skip
    assert client.get(f"/commande/?adresse={stranger.pk}").status_code == 404

    fill_address(client, email=None, **{"shipping-line1": "5 avenue C", "save_address": "on"})
    assert user.addresses.filter(line1="5 avenue C").exists()
    html, _key = recap(client)
    assert "5 avenue C" in html and "France" in html
    assert home.pk and "jean@example.fr" in html


def test_recap_query_count_is_bounded(client, offers, django_assert_max_num_queries):
    add_to_cart(client, *offers)
    fill_address(client)
    choose_delivery(client)
    # Three sellers: 6 queries measured, whatever the number of groups.
    with django_assert_max_num_queries(8):
        recap(client)


def test_recap_links_the_terms_and_the_withdrawal_page(client, offers):
    add_to_cart(client, *offers)
    fill_address(client)
    choose_delivery(client)

    html, _key = recap(client)

    assert (
        'vous acceptez les <a href="/pages/cgv/" target="_blank" rel="noopener">'
        "conditions générales de vente</a>"
    ) in html
    assert 'href="/pages/retours/"' in html
    assert "(3)</span>" in html  # the header's count, from the cart the recap has loaded
    terms = client.get("/pages/cgv/")
    assert terms.status_code == 200 and "Conditions générales de vente</h1>" in (
        terms.content.decode()
    )


def test_insufficient_funds_and_failed_3ds_cancel_the_order(
    client, offers, django_capture_on_commit_callbacks
):
    vinyl = offers[2]
    add_to_cart(client, vinyl)
    response, _html = checkout(client)
    back = pay_by_card(
        client, response["Location"], "4000 0000 0000 9995", django_capture_on_commit_callbacks
    )
    assert "paiement=failed" in back["Location"]

    add_to_cart(client, vinyl)
    second, _html = checkout(client)
    challenge = pay_by_card(
        client, second["Location"], CARD_3DS, django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(challenge["Location"], {"decision": "reject"})

    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    vinyl.refresh_from_db()
    assert vinyl.stock == 2


def test_price_raised_after_the_recap_is_refused_not_charged(client, offers):
    import re

    vinyl = offers[2]
    add_to_cart(client, vinyl)
    fill_address(client)
    choose_delivery(client)
    html, key = recap(client)
    shown = re.search(r'name="expected_total" value="([^"]+)"', html)[1]
    Offer.objects.filter(pk=vinyl.pk).update(price=vinyl.price + 5)

    response = client.post(
        "/commande/valider/",
        {"idempotency_key": key, "payment_method": "card", "expected_total": shown},
    )

    assert response.status_code == 302 and response["Location"] == "/panier/"
    assert not Order.objects.exists()
