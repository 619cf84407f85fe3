"""The economics of trips and press subscriptions: "Voyages" and "Presse" roll up as departments
with their own margins, a trip's cost is its booking's purchase cost (adults and children differ),
a subscription's cost its plan offer's frozen unit cost."""

import datetime
from decimal import Decimal as D

import pytest

from galerie.core import clock
from galerie.ledger.postings import line_purchase_cost
from galerie.orders.models import OrderLine
from galerie.orders.services import order_mark_paid
from galerie.payments.models import Payment, PaymentMethod, PaymentStatus
from galerie.reporting.selectors import economics
from galerie.subscriptions.models import SubscriptionPlan
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_product_type,
    make_seller,
)
from galerie.travel.models import Departure

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments(storefront):
    travel, press = make_category("Voyages", slug="voyages"), make_category("Presse", slug="presse")
    europe = make_category("Europe", parent=travel, slug="voyages-europe")
    magazines = make_category("Magazines", parent=press, slug="magazines")
    storefront.categories.set([travel, press])
    return {"travel": travel, "press": press, "europe": europe, "magazines": magazines}


@pytest.fixture
def operator(db):
    return make_seller("Galerie", is_operator=True, slug="galerie")


def _trip_offer(seller, category, *, cost_adult=None, cost_child=None):
    trip = make_product(
        "Circuit Rome – 8 jours",
        category=category,
        product_type=make_product_type("voyage", tax_class="standard", gtin_required=False),
        gtin=None,
    )
    offer = make_offer(trip, seller=seller, price="1000.00", stock=10, purchase_cost=cost_adult)
    Departure.objects.create(
        offer=offer,
        starts_on=clock.localdate() + datetime.timedelta(days=60),
        duration_days=8,
        capacity=20,
        child_price=D("700.00"),
        cost_adult=cost_adult,
        cost_child=cost_child,
    )
    return offer


def _press_offer(seller, category, *, purchase_cost=None):
    title = make_product(
        "Abonnement L'Hebdo des livres – papier",
        category=category,
        product_type=make_product_type(
            "abonnement-presse", tax_class="super_reduced", gtin_required=False
        ),
        gtin=None,
    )
    offer = make_offer(
        title, seller=seller, price="102.10", stock=9999, purchase_cost=purchase_cost
    )
    SubscriptionPlan.objects.create(
        offer=offer,
        publication="L'Hebdo des livres",
        issues_per_year=52,
        term_months=12,
        first_issue_on=clock.localdate() + datetime.timedelta(days=3),
        medium="print",
    )
    return offer


def _travellers(adults: int, children: int = 0) -> dict:
    """A trip line's details as checkout gives them (the contract between cart and booking)."""
    people = [("adult", "1980-04-02")] * adults + [("child", "2018-06-15")] * children
    return {
        "adults": adults,
        "children": children,
        "options": [],
        "travellers": [
            {"kind": kind, "first_name": f"Voyageur {n}", "last_name": "Martin", "birth_date": day}
            for n, (kind, day) in enumerate(people, 1)
        ],
    }


def _pay(order):
    payment = Payment.objects.create(
        order=order,
        method=PaymentMethod.TRANSFER,  # no provider fee: the margins below are the goods' alone
        status=PaymentStatus.CAPTURED,
        amount=order.total,
        provider_ref=f"test-{order.number}",
    )
    return order_mark_paid(order=order, payment=payment)


def test_trips_and_press_have_their_own_rows_and_margins(place, departments, operator):
    # Given the operator selling a trip (2 adults at 1 000 €, 1 child at 700 €, costs 800/550 €
    # each) and a 12-month press subscription (102,10 € incl. 2.1 % VAT, costing 60 € excl. VAT)
    trip = _trip_offer(
        operator, departments["europe"], cost_adult=D("800.00"), cost_child=D("550.00")
    )
    press = _press_offer(operator, departments["magazines"], purchase_cost=D("60.00"))
    order = place(
        [(trip.pk, 3), (press.pk, 1)],
        details={trip.pk: _travellers(2, 1), press.pk: {"auto_renew": False}},
    )
    trip_line = OrderLine.objects.get(order=order, offer=trip)
    # The booking path priced the seats and wrote the travel agents' margin-scheme VAT on the
    # line: VAT on the margin, (2 700 − 2 150) × 20/120 = 91,67 €.
    assert (trip_line.line_total, trip_line.vat_amount) == (D("2700.00"), D("91.67"))
    assert trip_line.booking.purchase_cost == D("2150.00")

    # When it is paid
    _pay(order)

    # Then the departments' report shows Voyages and Presse, each with its own margin
    today = clock.localdate()
    rows = {
        r.extra["category_label"]: r
        for r in economics(start=today, end=today, group_by="category", category_depth=1)
    }
    voyages, presse = rows["Voyages"], rows["Presse"]
    assert voyages.own_sales == D("2608.33")  # 2 700 − 91,67 of VAT on the margin
    assert voyages.cogs == D("2150.00")  # the booking's cost, not 3 × the adult's 800 €
    assert voyages.contribution_margin == D("458.33")
    assert presse.own_sales == D("100.00")  # 102,10 incl. 2.1 % VAT
    assert presse.cogs == D("60.00")
    assert presse.contribution_margin == D("40.00")
    assert presse.margin_rate == D("40.0")


def test_a_sellers_trip_earns_the_operator_its_commission_only(place, departments, operator):
    agency = make_seller("Horizons Voyages", slug="horizons-voyages")
    trip = _trip_offer(agency, departments["europe"])
    order = place([(trip.pk, 2)], details={trip.pk: _travellers(2)})

    _pay(order)

    today = clock.localdate()
    (row,) = economics(start=today, end=today, group_by="category", category_depth=1)
    assert row.extra["category_label"] == "Voyages"
    assert row.own_sales == row.cogs == D("0.00")
    assert row.gmv == D("2000.00")


def test_a_trip_lines_cost_is_its_bookings_pro_rata_of_the_seats(place, departments, operator):
    trip = _trip_offer(operator, departments["europe"], cost_adult=D("800.00"))
    order = _pay(place([(trip.pk, 3)], details={trip.pk: _travellers(3)}))
    line = OrderLine.objects.get(order=order)
    line.purchase_cost_total = D("2000.00")  # a whole cost that seats do not divide evenly

    assert line_purchase_cost(line, units=3) == D("2000.00")
    assert line_purchase_cost(line, units=1) == D("666.67")
    # A shelf line keeps the frozen unit cost.
    press = _press_offer(operator, departments["magazines"], purchase_cost=D("60.00"))
    shelf = OrderLine.objects.get(order=place([(press.pk, 1)]))
    shelf.purchase_cost = D("60.00")
    assert line_purchase_cost(shelf, units=2) == D("120.00")
    shelf.purchase_cost = None
    assert line_purchase_cost(shelf, units=2) == D("0.00")
