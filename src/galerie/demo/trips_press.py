"""The simulated year's trips and press subscriptions, through the same services as a shopper's.

Trips: a customer books a departure (adults, children, options, each traveller named), pays by
card; some cancel later under the package's fee schedule (`travel_booking_cancel`).
Press: a customer subscribes for a term, most choosing tacit renewal and saving their card; the
daily run (`subscriptions_daily`: Loi Chatel notices, renewals charged on the saved card,
dunning retries, endings) plays every simulated morning, so the year holds renewals that
succeed, renewals that fail (the simulator's renewal test cards) and subscribers who terminate.
Publishers mark the day's issues shipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from galerie.core import clock
from galerie.orders.services import order_place
from galerie.payments.cancellations import travel_booking_cancel
from galerie.payments.gateways import (
    CARD_RENEWAL_DECLINED,
    CARD_RENEWAL_INSUFFICIENT_FUNDS,
    CARD_RENEWAL_RECOVERS,
    CARD_SUCCESS,
)
from galerie.payments.models import PaymentMethod
from galerie.payments.renewals import subscriptions_daily
from galerie.payments.services import payment_start
from galerie.payments.simulator import charge_submit
from galerie.sellers.models import OFFER_VISIBLE, Offer, Seller
from galerie.storefronts.selectors import storefront_category_ids
from galerie.subscriptions.models import (
    FulfilmentStatus,
    IssueFulfilment,
    Subscription,
    SubscriptionStatus,
)
from galerie.subscriptions.services import fulfilments_ship, subscription_terminate
from galerie.travel.models import Booking, BookingStatus, Departure, TravelOption

if TYPE_CHECKING:
    from galerie.demo.simulation import Simulation

# Per day of an average month on a storefront that sells them, before scale and season: a trip
# sells for thousands of euros, so a few a week already make « Voyages » a large department.
TRIPS_PER_DAY = 0.18
SUBSCRIPTIONS_PER_DAY = 0.8
P_TRIP_CANCEL = 0.09  # a booking cancelled later, under the fee schedule
P_AUTO_RENEW = 0.72  # subscribers who choose tacit renewal
P_TERMINATE = 0.12  # of those, terminate before their term ends (three clicks)
# The card a renewing subscriber saves: most renew, some fail for good, some recover on retry.
RENEWAL_CARDS = [
    (CARD_SUCCESS, 0.82),
    (CARD_RENEWAL_INSUFFICIENT_FUNDS, 0.07),
    (CARD_RENEWAL_RECOVERS, 0.06),
    (CARD_RENEWAL_DECLINED, 0.05),
]


class TripsAndPress:
    def __init__(self, simulation: Simulation):
        self.sim = simulation
        self.departures: dict[int, list[tuple[int, dt.date, bool]]] = defaultdict(list)
        self.plans: dict[int, list[int]] = defaultdict(list)
        self.options: dict[int, list[str]] = defaultdict(list)
        self.numbers = iter(range(1, 10_000_000))
        for storefront in simulation.storefronts:
            category_ids = set(storefront_category_ids(storefront))
            visible = Offer.objects.filter(
                OFFER_VISIBLE, product__is_active=True, product__category_id__in=category_ids
            )
            for offer_id, starts_on, child in Departure.objects.filter(
                offer__in=visible
            ).values_list("offer_id", "starts_on", "child_price"):
                self.departures[storefront.pk].append((offer_id, starts_on, child is not None))
            self.plans[storefront.pk] = list(
                visible.filter(subscription_plan__isnull=False)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        for product_id, code in TravelOption.objects.values_list("product_id", "code"):
            self.options[product_id].append(code)
        self.product_of = dict(
            Offer.objects.filter(departure__isnull=False).values_list("pk", "product_id")
        )

    # -- every simulated morning ----------------------------------------------------------------

    def open_day(self, day: dt.date, tz) -> None:
        subscriptions_daily(today=day)
        self._ship_issues(day)
        season = self.sim.season_of("voyages", day.month)
        for storefront in self.sim.storefronts:
            if self.departures.get(storefront.pk):
                for _i in range(self.sim._poisson(TRIPS_PER_DAY * season * self.sim.scale)):
                    self.sim.at(self._moment(day, tz), self._book, storefront, day)
            if self.plans.get(storefront.pk):
                mean = SUBSCRIPTIONS_PER_DAY * self.sim.scale
                for _i in range(self.sim._poisson(mean)):
                    self.sim.at(self._moment(day, tz), self._subscribe, storefront)

    def _moment(self, day: dt.date, tz) -> dt.datetime:
        minute = int(self.sim.random.triangular(8 * 60, 23 * 60 + 50, 20 * 60))
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)

    def _ship_issues(self, day: dt.date) -> None:
        """Each publisher marks the issues of the day (and any late ones) shipped, in bulk."""
        due = IssueFulfilment.objects.filter(
            status=FulfilmentStatus.SCHEDULED, issue_date__lte=day
        ).values_list("seller_id", "pk")
        by_seller: dict[int, list[int]] = defaultdict(list)
        for seller_id, pk in due:
            by_seller[seller_id].append(pk)
        for seller_id, ids in by_seller.items():
            fulfilments_ship(seller=Seller(pk=seller_id), fulfilment_ids=ids)

    # -- a trip ----------------------------------------------------------------------------------

    def _book(self, storefront, day: dt.date) -> None:
        rnd = self.sim.random
        open_departures = [d for d in self.departures[storefront.pk] if d[1] > day]
        if not open_departures:
            return
        offer_id, starts_on, takes_children = rnd.choice(open_departures)
        adults = rnd.choices([1, 2, 3, 4], weights=[20, 55, 15, 10])[0]
        children = rnd.choices([0, 1, 2], weights=[65, 20, 15])[0] if takes_children else 0
        customer = rnd.choice(self.sim.customers)
        last = customer["address"]["name"].split()[-1]
        travellers = [
            {
                "kind": "adult",
                "first_name": rnd.choice(("Camille", "Louis", "Inès", "Hugo", "Léa", "Marc")),
                "last_name": last,
                "birth_date": dt.date(rnd.randint(1950, 1998), rnd.randint(1, 12), 14).isoformat(),
            }
            for _i in range(adults)
        ] + [
            {
                "kind": "child",
                "first_name": rnd.choice(("Jules", "Emma", "Nina", "Tom")),
                "last_name": last,
                "birth_date": dt.date(starts_on.year - rnd.randint(3, 10), 6, 1).isoformat(),
            }
            for _i in range(children)
        ]
        options = [
            code
            for code in self.options.get(self.product_of.get(offer_id), [])
            if rnd.random() < 0.3
        ]
        details = {
            "adults": adults,
            "children": children,
            "options": options,
            "travellers": travellers,
        }
        order = order_place(
            storefront=storefront,
            email=customer["email"],
            lines=[(offer_id, adults + children)],
            details={offer_id: details},
            delivery_choices={},
            shipping_address=customer["address"],
            billing_address=customer["address"],
            idempotency_key=f"simulation-{self.sim.seed}-trip-{next(self.numbers)}",
        )
        self.sim.result.orders_placed += 1
        start = payment_start(order=order, method=PaymentMethod.CARD, return_url="/")
        charge_submit(token=start.payment.provider_ref, card_number=CARD_SUCCESS, webhooks="inline")
        self.sim._paid(order.pk)
        self.sim.result.trips_booked += 1
        if rnd.random() < P_TRIP_CANCEL:
            days_left = (starts_on - day).days
            if days_left > 2:
                when = clock.now() + dt.timedelta(days=rnd.uniform(1, days_left - 1))
                self.sim.at(when, self._cancel_trip, order.pk)

    def _cancel_trip(self, order_id: int) -> None:
        booking = Booking.objects.filter(
            order_line__order_id=order_id, status=BookingStatus.CONFIRMED
        ).first()
        if booking is None:
            return
        travel_booking_cancel(
            booking=booking, idempotency_key=f"simulation-{self.sim.seed}-trip-cancel-{order_id}"
        )
        self.sim.result.trips_cancelled += 1

    # -- a subscription --------------------------------------------------------------------------

    def _subscribe(self, storefront) -> None:
        rnd = self.sim.random
        offer_id = rnd.choice(self.plans[storefront.pk])
        customer = rnd.choice(self.sim.customers)
        auto_renew = rnd.random() < P_AUTO_RENEW
        order = order_place(
            storefront=storefront,
            email=customer["email"],
            lines=[(offer_id, 1)],
            details={offer_id: {"auto_renew": auto_renew}},
            delivery_choices={},
            shipping_address=customer["address"],
            billing_address=customer["address"],
            idempotency_key=f"simulation-{self.sim.seed}-press-{next(self.numbers)}",
        )
        self.sim.result.orders_placed += 1
        start = payment_start(order=order, method=PaymentMethod.CARD, return_url="/")
        card = CARD_SUCCESS
        expiry = ""
        if auto_renew:
            card = rnd.choices([c for c, _w in RENEWAL_CARDS], [w for _c, w in RENEWAL_CARDS])[0]
            # A few cards expire within the year: their renewal finds them expired.
            years = rnd.choices([0, 1, 2, 3], weights=[6, 30, 34, 30])[0]
            month = rnd.randint(1, 12) if years else max(clock.localdate().month, 1)
            expiry = f"{month:02d}/{(clock.localdate().year + years) % 100:02d}"
        charge_submit(
            token=start.payment.provider_ref,
            card_number=card,
            expiry=expiry,
            consent=auto_renew,
            webhooks="inline",
        )
        self.sim._paid(order.pk)
        self.sim.result.subscriptions_sold += 1
        if auto_renew and rnd.random() < P_TERMINATE:
            self.sim.at(
                clock.now() + dt.timedelta(days=rnd.uniform(20, 150)), self._terminate, order.pk
            )

    def _terminate(self, order_id: int) -> None:
        subscription = Subscription.objects.filter(
            terms__order_line__order_id=order_id, status=SubscriptionStatus.ACTIVE
        ).first()
        if subscription is None:
            return
        subscription_terminate(subscription=subscription)
        self.sim.result.subscriptions_terminated += 1
