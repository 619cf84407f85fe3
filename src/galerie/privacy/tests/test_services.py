"""Export sections and erasure, on the services (SQLite and PostgreSQL)."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.test import Client

from galerie.accounts.models import Address
from galerie.accounts.services import address_save
from galerie.cart.models import Cart, CartLine
from galerie.cart.services import cart_add, cart_create
from galerie.ledger.models import Account, JournalLine
from galerie.orders.models import Order, OrderLine
from galerie.payments.models import Payment, SavedCard
from galerie.privacy.errors import ErasureRefused
from galerie.privacy.export import SECTIONS, Section, customer_data
from galerie.privacy.models import Erasure, ErasureReason
from galerie.privacy.services import (
    ANONYMOUS_NAME,
    customer_erase,
    customer_erase_blockers,
    customers_retention_run,
)
from galerie.privacy.tests.conftest import ADDRESS, PASSWORD
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db


def _card(user, last4="4242"):
    return SavedCard.objects.create(
        user=user,
        email=user.email,
        provider_ref=f"card-{user.pk}-{last4}",
        brand="visa",
        last4=last4,
        exp_month=4,
        exp_year=2030,
    )


def _cart_with_a_line(storefront, user, quantity=1):
    offer = make_offer(price="5.00", stock=3)
    storefront.categories.add(offer.product.category)
    cart = cart_create(storefront=storefront, user=user)
    cart_add(cart=cart, offer_id=offer.pk, quantity=quantity)
    return cart


def _ledger():
    accounts = {a.code: (a.debit_total, a.credit_total) for a in Account.objects.all()}
    return accounts, JournalLine.objects.count()


# ----------------------------------------------------------------------------- export


def test_export_holds_the_customers_data_and_never_another_customers(
    customer, other, place, delivered, storefront
):
    # Given: a delivered order, an address, a card and a cart line for the customer; another
    # customer's order
    order = delivered(customer, title="Les Misérables")
    place(other, title="Livre de Dominique")
    address_save(user=customer, data={**ADDRESS, "label": "Maison"})
    _card(customer)
    _cart_with_a_line(storefront, customer, quantity=2)

    # When
    data = customer_data(user=customer)["sections"]

    # Then
    assert data["account"] == [
        {
            "username": "camille@example.fr",
            "email": "camille@example.fr",
            "first_name": "Camille",
            "last_name": "Martin",
            "date_joined": customer.date_joined.isoformat(),
            "last_login": None,
        }
    ]
    assert [o["order"] for o in data["orders"]] == [order.number]
    assert data["orders"][0]["total"] == str(order.total)
    assert [line["title"] for line in data["order_lines"]] == ["Les Misérables"]
    assert data["order_sellers"][0]["status"] == "delivered"
    assert [(i["order"], i["kind"]) for i in data["invoices"]] == [(order.number, "invoice")]
    assert [(p["method"], p["amount"]) for p in data["payments"]] == [
        ("transfer", str(order.total))
    ]
    assert data["saved_cards"] == [
        {
            "brand": "visa",
            "last4": "4242",
            "expiry": "04/2030",
            "is_active": True,
            "created_at": data["saved_cards"][0]["created_at"],
        }
    ]
    assert data["addresses"][0]["label"] == "Maison"
    assert data["carts"][0]["quantity"] == 2
    assert "Livre de Dominique" not in str(data)
    assert "provider_ref" not in str(data) and "card-" not in str(data)


def test_a_section_added_to_the_registry_is_exported(customer):
    extra = Section("reviews", lambda user: [{"author": user.username, "stars": 5}])
    data = customer_data(user=customer, sections=[*SECTIONS, extra])
    assert data["sections"]["reviews"] == [{"author": "camille@example.fr", "stars": 5}]


def test_a_section_longer_than_the_cap_is_truncated_and_says_so(customer, monkeypatch):
    from galerie.privacy import export

    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 2)
    for n in range(3):
        address_save(user=customer, data={**ADDRESS, "label": f"A{n}"})
    data = customer_data(user=customer)
    assert len(data["sections"]["addresses"]) == 2
    assert data["truncated"] == ["addresses"]


# ----------------------------------------------------------------------------- erasure


def test_erasure_anonymises_the_person_and_keeps_the_accounting_records(
    customer, delivered, place, storefront, other
):
    # Given: a delivered (invoiced) order, an abandoned cancelled one, an address, a card, a cart
    order = delivered(customer)
    other_order = delivered(other)
    address_save(user=customer, data=dict(ADDRESS))
    _card(customer)
    _cart_with_a_line(storefront, customer)
    totals = Order.objects.values_list("pk", "total", "items_total", "vat_total", "refunded_total")
    before_totals = set(totals)
    before_lines = set(OrderLine.objects.values_list("pk", "line_total", "quantity"))
    before_payments = set(Payment.objects.values_list("pk", "amount", "status"))
    before_ledger = _ledger()
    billing = {k: v for k, v in order.billing_address.items() if k != "phone"}

    # When
    erasure = customer_erase(user=customer, actor=None)

    # Then: the person is gone
    user = User.objects.get(pk=customer.pk)
    assert (user.username, user.email, user.first_name, user.last_name) == (
        f"anonyme-{customer.pk}",
        "",
        "",
        "",
    )
    assert not user.is_active and not user.has_usable_password()
    assert authenticate(username="camille@example.fr", password=PASSWORD) is None
    assert not Address.objects.filter(user=customer).exists()
    assert not SavedCard.objects.filter(provider_ref__startswith=f"card-{customer.pk}").exists()
    assert not Cart.objects.filter(user=customer).exists() and not CartLine.objects.exists()
    # The order keeps its invoice identity, loses the rest
    order.refresh_from_db()
    assert order.billing_address == billing and billing["name"] == "Camille Martin"
    assert order.shipping_address == {"name": ANONYMOUS_NAME, "country": "FR"}
    assert order.email == f"client-{customer.pk}@anonyme.invalid"
    assert "camille" not in str(customer_data(user=user)["sections"]).lower().replace(
        "camille martin", ""
    )
    # Accounting records unchanged, another customer's order untouched
    assert set(totals) == before_totals
    assert set(OrderLine.objects.values_list("pk", "line_total", "quantity")) == before_lines
    assert set(Payment.objects.values_list("pk", "amount", "status")) == before_payments
    assert _ledger() == before_ledger
    assert Order.objects.get(pk=other_order.pk).email == "dominique@example.fr"
    assert (erasure.reason, erasure.user_id) == (ErasureReason.CUSTOMER, customer.pk)


def test_an_unpaid_cancelled_order_keeps_no_billing_identity(customer, place):
    from galerie.payments.refunds import order_cancel

    order = place(customer)
    order_cancel(order=order, reason="test")
    customer_erase(user=customer)
    order.refresh_from_db()
    assert order.billing_address == {"name": ANONYMOUS_NAME, "country": "FR"}


def test_erasure_is_refused_while_an_order_is_open_and_nothing_changes(customer, place, pay):
    # Given: a paid order not yet delivered
    order = pay(place(customer))
    address_save(user=customer, data=dict(ADDRESS))

    # When / Then
    assert customer_erase_blockers(user=customer)
    with pytest.raises(ErasureRefused) as refused:
        customer_erase(user=customer)
    assert order.number in refused.value.message
    user = User.objects.get(pk=customer.pk)
    assert user.email == "camille@example.fr" and user.is_active
    assert Address.objects.filter(user=customer).count() == 1
    assert not Erasure.objects.exists()


def test_erasure_twice_is_refused(customer):
    customer_erase(user=customer)
    with pytest.raises(ErasureRefused) as refused:
        customer_erase(user=customer)
    assert refused.value.code == "already_erased"


def test_staff_accounts_are_not_erased_here(customer):
    User.objects.filter(pk=customer.pk).update(is_staff=True)
    customer.refresh_from_db()
    with pytest.raises(ErasureRefused):
        customer_erase(user=customer)


def test_erasure_terminates_the_subscription_in_progress(customer, storefront, pay):
    from galerie.orders.services import order_place
    from galerie.subscriptions.models import Subscription, SubscriptionStatus
    from galerie.testing.factories import make_subscription_offer

    offer = make_subscription_offer(price="39.00")
    order = order_place(
        storefront=storefront,
        email=customer.email,
        user=customer,
        lines=[(offer.pk, 1)],
        details={offer.pk: {"auto_renew": True}},
        delivery_choices={},
        shipping_address=dict(ADDRESS),
        billing_address=dict(ADDRESS),
        idempotency_key="sub-1",
    )
    pay(order)
    subscription = Subscription.objects.get(user=customer)
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert customer_erase_blockers(user=customer) == []

    customer_erase(user=customer)

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.TERMINATING
    assert not subscription.auto_renew
    # Still served: the address stays until the paid term ends, then the daily job clears it
    assert subscription.email == "camille@example.fr"
    customers_retention_run()
    assert Subscription.objects.get(pk=subscription.pk).email == "camille@example.fr"
    Subscription.objects.filter(pk=subscription.pk).update(status=SubscriptionStatus.ENDED)
    customers_retention_run()
    subscription.refresh_from_db()
    assert subscription.email == f"client-{customer.pk}@anonyme.invalid"
    assert subscription.delivery_address == {"name": ANONYMOUS_NAME}


def test_a_trip_not_yet_taken_blocks_erasure_and_its_travellers_are_anonymised_after(customer):
    from galerie.testing.factories import make_storefront
    from galerie.travel.models import Traveller
    from galerie.travel.tests.trips import make_departure, place_trip

    departure = make_departure(days_ahead=20)
    order, booking = place_trip(
        storefront=make_storefront("voyages"), departure=departure, user=customer
    )
    assert any("voyage" in reason for reason in customer_erase_blockers(user=customer))

    departure.starts_on = dt.date.today() - dt.timedelta(days=40)
    departure.save(update_fields=["starts_on"])
    customer_erase(user=customer)

    names = set(Traveller.objects.filter(booking=booking).values_list("first_name", "last_name"))
    assert names == {(ANONYMOUS_NAME, "")}
    assert all(t.birth_date.month == 1 for t in Traveller.objects.filter(booking=booking))


def test_an_erased_customer_can_no_longer_log_in(customer, client: Client):
    customer_erase(user=customer)
    response = client.post(
        "/compte/connexion/", {"email": "camille@example.fr", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_reviews_and_returns_are_exported_and_an_erased_authors_reviews_are_re_signed(
    customer, other, delivered
):
    # Given: the customer reviewed a delivered book and withdrew from it; another reviewed theirs
    from galerie.returns.services import return_withdrawal_request
    from galerie.reviews.models import Review
    from galerie.reviews.services import review_submit

    order = delivered(customer, title="Les Misérables")
    line = order.lines.get()
    review_submit(
        customer=customer, product=line.product, rating=5, title="Superbe", body="Un grand roman."
    )
    return_withdrawal_request(order=order, line_id=line.pk, quantity=1, reason="Doublon")
    other_line = delivered(other).lines.get()
    review_submit(
        customer=other,
        product=other_line.product,
        rating=3,
        title="Moyen",
        body="Sans plus, hélas.",
    )

    # When: the customer exports their data
    data = customer_data(user=customer)["sections"]

    # Then: their review and return, nobody else's
    assert [(r["title"], r["signed"]) for r in data["reviews"]] == [("Superbe", "Camille M.")]
    assert [(r["product"], r["reason"]) for r in data["returns"]] == [("Les Misérables", "Doublon")]

    # When: they are erased; then the review stays, signed by nobody, the other's untouched
    customer_erase(user=customer, actor=None)
    assert Review.objects.get(customer=customer).author_name == ANONYMOUS_NAME
    assert Review.objects.get(customer=other).author_name != ANONYMOUS_NAME
