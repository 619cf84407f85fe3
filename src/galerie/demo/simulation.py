"""A year of trading for the demo, generated through the real services and backdated.

Customers place orders (`order_place`), pay by card on the simulated provider (`payment_start`,
`charge_submit`, whose webhook marks the order paid and posts the capture) or by bank transfer
(`payment_transfer_mark_received`), sellers accept, ship and deliver (`seller_order_*`), some
cancel, some customers cancel or send goods back (`order_cancel`, `order_refund`), sellers are
paid out weekly (`payout_run`) and finance books each
storefront's fixed costs at month end (`fixed_cost_record`). Trips and press subscriptions, with
their renewals, are played by `demo.trips_press` on the same clock.

Backdating: every service and automatic timestamp reads the time through `galerie.core.clock`
(order, payment and event timestamps, `clock.localdate()` for ledger dates), so the simulation
runs a simulated clock there (`clock.simulated_clock`) and plays events in time order. Nothing
else is faked: the webhook is still signed and verified (against the real clock, on both sides),
delivered inline (a queued delivery would run after the simulated instant), and order e-mails are
not sent (`emails_suppressed`: a year of them would only flood the demo's console).

Seasonality per department (root category): a December peak for culture and high-tech, a summer
dip for culture, travel in spring. Commercial terms make one storefront lose money: high-tech
sells at thin margins (low commissions, operator's purchase cost close to the price) and spends
heavily on staff and marketing; culture earns book-trade margins and commissions.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from galerie.catalog.models import Category
from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.core.mail import emails_suppressed
from galerie.core.money import to_money
from galerie.demo.trips_press import TripsAndPress
from galerie.inventory.services import stock_adjust
from galerie.orders.models import Order, OrderStatus, SellerOrder, SellerOrderStatus
from galerie.orders.services import (
    order_place,
    seller_order_accept,
    seller_order_deliver,
    seller_order_ship,
)
from galerie.payments.gateways import CARD_DECLINED, CARD_INSUFFICIENT_FUNDS, CARD_SUCCESS
from galerie.payments.models import Payment, PaymentMethod
from galerie.payments.refunds import (
    order_cancel,
    order_refund,
    orders_release_expired,
    seller_order_cancel,
)
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.payments.simulator import charge_submit
from galerie.payouts.services import payout_run
from galerie.pricing.services import vat_rates
from galerie.reporting.chart import FixedCostKind
from galerie.reporting.models import RUN_BOUNDS, FixedCost, SimulationRun
from galerie.reporting.services import fixed_cost_record
from galerie.sellers.models import OFFER_VISIBLE, CommissionRule, Offer, Seller, SellerStatus
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_category_ids

# --- The plan: volumes, seasons, behaviour, commercial terms ------------------------------------

# Orders per day of an average month, per storefront slug, before seasonality and scale.
ORDERS_PER_DAY = {"galerie": 2.6, "hightech": 1.5}
DEFAULT_ORDERS_PER_DAY = 1.5

# Monthly factor (January … December) per department slug (root category).
SEASONS = {
    "culture": [0.8, 0.75, 0.85, 0.9, 0.9, 0.8, 0.6, 0.55, 1.0, 1.0, 1.35, 2.3],
    "tech": [0.8, 0.7, 0.75, 0.75, 0.8, 0.8, 0.75, 0.8, 1.15, 0.95, 1.7, 2.4],
    "voyages": [0.9, 1.2, 1.8, 2.1, 1.9, 1.2, 0.7, 0.5, 0.7, 0.8, 0.7, 0.8],
    "flat": [1.0] * 12,
}
DEPARTMENT_SEASON = {
    "livres": "culture",
    "musique": "culture",
    "video": "culture",
    "presse": "flat",
    "voyages": "voyages",
    "electromenager": "flat",
    "informatique": "tech",
    "telephonie": "tech",
    "image-et-son": "tech",
}
# How often a basket starts in a department (before seasonality), per storefront slug.
DEPARTMENT_WEIGHT = {
    "livres": 6.0,
    "musique": 2.0,
    "video": 1.5,
    "presse": 0.6,
    "voyages": 0.3,
    "electromenager": 0.6,
    "informatique": 2.0,
    "telephonie": 2.0,
    "image-et-son": 1.5,
}

# The operator's purchase cost as a share of its price excl. VAT, per department (set only on
# operator offers that have none), and the commission rate on third-party sellers.
PURCHASE_COST_SHARE = {
    "livres": Decimal("0.64"),
    "musique": Decimal("0.70"),
    "video": Decimal("0.70"),
    "presse": Decimal("0.60"),
    "voyages": Decimal("0.82"),
    "electromenager": Decimal("0.80"),
    "informatique": Decimal("0.93"),
    "telephonie": Decimal("0.94"),
    "image-et-son": Decimal("0.90"),
}
COMMISSION_RATES = {
    # (storefront slug or None, department slug or None) → (rate %, fixed fee per line)
    (None, None): (Decimal("12.00"), Decimal("0.00")),
    (None, "livres"): (Decimal("15.00"), Decimal("0.30")),
    (None, "musique"): (Decimal("14.00"), Decimal("0.30")),
    (None, "video"): (Decimal("14.00"), Decimal("0.30")),
    (None, "informatique"): (Decimal("5.00"), Decimal("0.00")),
    (None, "telephonie"): (Decimal("5.00"), Decimal("0.00")),
    ("hightech", "image-et-son"): (Decimal("6.00"), Decimal("0.00")),
}

# Monthly fixed costs per storefront at scale 1 (HT): staff, rent, hosting, other; marketing is
# a share of the month's sales (performance marketing is bought per sale).
FIXED_COSTS = {
    "galerie": {
        FixedCostKind.STAFF: Decimal("1000"),
        FixedCostKind.RENT: Decimal("250"),
        FixedCostKind.HOSTING: Decimal("120"),
        FixedCostKind.OTHER: Decimal("80"),
    },
    "hightech": {
        FixedCostKind.STAFF: Decimal("3900"),
        FixedCostKind.RENT: Decimal("900"),
        FixedCostKind.HOSTING: Decimal("450"),
        FixedCostKind.OTHER: Decimal("250"),
    },
}
MARKETING_SHARE = {"galerie": Decimal("0.015"), "hightech": Decimal("0.07")}
FIXED_LABELS = {
    FixedCostKind.STAFF: "Salaires et charges de l'équipe",
    FixedCostKind.RENT: "Loyer des bureaux et de l'entrepôt",
    FixedCostKind.HOSTING: "Hébergement, logiciels et outils",
    FixedCostKind.OTHER: "Honoraires et frais divers",
    FixedCostKind.MARKETING: "Campagnes d'acquisition et comparateurs",
}

P_TRANSFER = 0.08  # pays by bank transfer
P_TRANSFER_NEVER = 0.12  # of those, never pays: the order expires
P_DECLINED = 0.035  # card declined (order cancelled, stock released)
P_CUSTOMER_CANCEL = 0.015  # cancels the whole paid order before shipping
P_SELLER_CANCEL = 0.02  # a seller cannot serve its part
P_RETURN = {"galerie": 0.03, "hightech": 0.07}  # sends (part of) a delivered order back

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Emma", "Louise", "Alice",
    "Lucas", "Hugo", "Louis", "Nathan", "Jules", "Gabriel", "Arthur", "Paul", "Tom", "Théo",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
]  # fmt: skip
CITIES = [
    ("75011", "Paris"), ("69003", "Lyon"), ("13006", "Marseille"), ("31000", "Toulouse"),
    ("33000", "Bordeaux"), ("59000", "Lille"), ("44000", "Nantes"), ("67000", "Strasbourg"),
    ("35000", "Rennes"), ("34000", "Montpellier"), ("06000", "Nice"), ("21000", "Dijon"),
]  # fmt: skip
STREETS = [
    "rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo", "boulevard Voltaire",
    "rue des Lilas", "place de la Mairie", "rue du Moulin", "allée des Tilleuls",
]  # fmt: skip
CARRIERS = ["Colissimo", "Chronopost", "Mondial Relay", "DPD"]


# --- The simulation ----------------------------------------------------------------------------


@dataclass
class SimulationResult:
    orders_placed: int = 0
    orders_paid: int = 0
    payments_declined: int = 0
    transfers_expired: int = 0
    customer_cancellations: int = 0
    seller_cancellations: int = 0
    deliveries: int = 0
    returns: int = 0
    payouts: int = 0
    fixed_costs: int = 0
    trips_booked: int = 0
    trips_cancelled: int = 0
    subscriptions_sold: int = 0
    subscriptions_terminated: int = 0
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0


@dataclass
class _Pool:
    """Purchasable offers of one storefront and department, with the stock we believe is left."""

    offers: list[int]
    prices: dict[int, Decimal]


class Simulation:
    def __init__(
        self,
        *,
        start: dt.date,
        end: dt.datetime,
        seed: int,
        scale: float = 1.0,
        progress: Callable[[str], None] | None = None,
        on_month: Callable[[dt.date, SimulationResult], None] | None = None,
    ):
        self.start = start
        self.end = end
        self.random = random.Random(seed)
        self.seed = seed
        self.scale = scale
        self.progress = progress or (lambda message: None)
        self.on_month = on_month
        self.result = SimulationResult()
        self.queue: list[tuple[dt.datetime, int, Callable, tuple]] = []
        self.sequence = itertools.count()
        self.order_numbers = itertools.count(1)
        self.month_sales: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
        self.stock: dict[int, int] = {}
        self.restocked: set[int] = set()

    # -- setup --------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Read the catalogue once: per storefront and department, the offers customers may buy.
        Commercial terms (commission rules, the operator's purchase costs) are set where the
        demo left them empty, so the year has the intended economics."""
        roots = dict(Category.objects.filter(parent__isnull=True).values_list("pk", "slug"))
        department_of = {}
        for pk, path in Category.objects.values_list("pk", "path"):
            first = path.strip("/").split("/")[0]
            department_of[pk] = roots.get(int(first)) if first else None
        self.department_of = department_of
        self._terms_ensure(roots)
        self.storefronts = []
        self.pools: dict[int, dict[str, _Pool]] = {}
        for storefront in Storefront.objects.order_by("pk"):
            category_ids = set(storefront_category_ids(storefront))
            pools: dict[str, _Pool] = {}
            offers = (
                Offer.objects.filter(
                    OFFER_VISIBLE,
                    product__is_active=True,
                    product__category_id__in=category_ids,
                    # Trips and subscriptions are not bought off a shelf (travellers, a plan's
                    # renewal choice): the year sells them through their own paths, not here.
                    departure__isnull=True,
                    subscription_plan__isnull=True,
                )
                .order_by("pk")
                .values_list("pk", "product__category_id", "price", "stock")
            )
            for pk, category_id, price, stock in offers:
                department = department_of.get(category_id)
                if department is None:
                    continue
                pool = pools.setdefault(department, _Pool([], {}))
                pool.offers.append(pk)
                pool.prices[pk] = price
                self.stock[pk] = stock
            if pools:
                self.storefronts.append(storefront)
                self.pools[storefront.pk] = pools
        self.customers = [self._customer(i) for i in range(400)]
        self.trips_press = TripsAndPress(self)

    def _terms_ensure(self, roots: dict[int, str]) -> None:
        slug_to_category = {slug: pk for pk, slug in roots.items()}
        storefronts = dict(Storefront.objects.values_list("slug", "pk"))
        if not CommissionRule.objects.exists():
            for (storefront_slug, department), (rate, fee) in COMMISSION_RATES.items():
                if storefront_slug and storefront_slug not in storefronts:
                    continue
                if department and department not in slug_to_category:
                    continue
                CommissionRule.objects.create(
                    storefront_id=storefronts.get(storefront_slug),
                    category_id=slug_to_category.get(department),
                    rate=rate,
                    fixed_fee=fee,
                )
        # Bank details of the verified sellers that have none, so the weekly payouts can pay them
        # (the demo's sellers were created without; onboarding asks for them).
        from schwifty import IBAN

        for seller in Seller.objects.filter(
            status=SellerStatus.VERIFIED, is_operator=False, iban=""
        ).order_by("pk"):
            seller.iban = IBAN.generate(
                "FR", bank_code="30004", branch_code="00001", account_code=f"{seller.pk:011d}"
            ).compact
            seller.bic = "BNPAFRPPXXX"
            seller.save(update_fields=["iban", "bic"])
        missing = list(
            Offer.objects.filter(seller__is_operator=True, purchase_cost__isnull=True).values_list(
                "pk", "price", "product__category_id", "product__product_type__tax_class"
            )
        )
        if missing:
            rates = vat_rates(on=self.start)
            changed = []
            for pk, price, category_id, tax_class in missing:
                share = PURCHASE_COST_SHARE.get(
                    self.department_of.get(category_id), Decimal("0.75")
                )
                rate = rates.get(tax_class, Decimal("20"))  # a percentage: 5.5, 20
                price_ht = price / (1 + rate / 100)
                changed.append(Offer(pk=pk, purchase_cost=to_money(price_ht * share)))
            # Reference data of the operator's offers, not a sale: written in one statement.
            Offer.objects.bulk_update(changed, ["purchase_cost"], batch_size=500)

    def _customer(self, n: int) -> dict:
        rnd = self.random
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        postcode, city = rnd.choice(CITIES)
        return {
            "email": f"{first}.{last}.{n}@exemple.fr".lower()
            .replace("é", "e")
            .replace("è", "e")
            .replace("ï", "i"),
            "address": {
                "name": f"{first} {last}",
                "line1": f"{rnd.randint(1, 140)} {rnd.choice(STREETS)}",
                "postcode": postcode,
                "city": city,
                "country": "FR",
            },
        }

    # -- the event loop -----------------------------------------------------------------------

    def at(self, when: dt.datetime, action: Callable, *args) -> None:
        if when <= self.end:
            heapq.heappush(self.queue, (when, next(self.sequence), action, args))

    def run(self) -> SimulationResult:
        self.prepare()
        tz = timezone.get_current_timezone()
        day = self.start
        while dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz) <= self.end:
            self.at(dt.datetime.combine(day, dt.time(0, 5), tzinfo=tz), self._open_day, day)
            if (day + dt.timedelta(days=1)).day == 1:
                self.at(dt.datetime.combine(day, dt.time(23, 0), tzinfo=tz), self._close_month, day)
            day += dt.timedelta(days=1)
        with (
            clock.simulated_clock(
                dt.datetime.combine(self.start, dt.time(0, 0), tzinfo=tz)
            ) as simulated,
            emails_suppressed(),
        ):
            while self.queue:
                when, _seq, action, args = heapq.heappop(self.queue)
                simulated.set(when)
                try:
                    action(*args)
                except DomainError as exc:
                    # A refusal is part of trading (sold out meanwhile, already cancelled …).
                    self.result.refused[exc.code] += 1
            # The month under way: its fixed costs so far, pro rata of the days elapsed.
            today = timezone.localdate(self.end)
            if (today + dt.timedelta(days=1)).day != 1:
                simulated.set(self.end)
                self._close_month(today, through=today)
        return self.result

    def _open_day(self, day: dt.date) -> None:
        tz = timezone.get_current_timezone()
        orders_release_expired(now=clock.now())
        if day.weekday() == 0:
            self._payouts(day)
        self.trips_press.open_day(day, tz)
        for storefront in self.storefronts:
            mean = self._orders_per_day(storefront, day)
            for _i in range(self._poisson(mean)):
                # Evening-heavy traffic: most orders between 10:00 and 23:00.
                minute = int(self.random.triangular(7 * 60, 23 * 60 + 50, 21 * 60))
                moment = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)
                self.at(moment, self._place, storefront)

    def _orders_per_day(self, storefront: Storefront, day: dt.date) -> float:
        pools = self.pools[storefront.pk]
        weights = {d: DEPARTMENT_WEIGHT.get(d, 1.0) for d in pools}
        total = sum(weights.values())
        season = sum(
            weights[d] / total * SEASONS[DEPARTMENT_SEASON.get(d, "flat")][day.month - 1]
            for d in pools
        )
        weekend = 1.15 if day.weekday() >= 5 else 0.94
        base = ORDERS_PER_DAY.get(storefront.slug, DEFAULT_ORDERS_PER_DAY)
        return base * season * weekend * self.scale

    def season_of(self, department: str, month: int) -> float:
        return SEASONS[DEPARTMENT_SEASON.get(department, "flat")][month - 1]

    def _poisson(self, mean: float) -> int:
        # Knuth's method: small means only (a few orders a day per storefront).
        limit, count, product = math.exp(-mean), 0, self.random.random()
        while product > limit:
            count += 1
            product *= self.random.random()
        return count

    # -- one customer order -------------------------------------------------------------------

    def _basket(self, storefront: Storefront, month: int) -> list[tuple[int, int]]:
        pools = self.pools[storefront.pk]
        departments = list(pools)
        weights = [
            DEPARTMENT_WEIGHT.get(d, 1.0) * SEASONS[DEPARTMENT_SEASON.get(d, "flat")][month - 1]
            for d in departments
        ]
        lines: dict[int, int] = {}
        for _i in range(self.random.choices([1, 2, 3], weights=[62, 28, 10])[0]):
            pool = pools[self.random.choices(departments, weights=weights)[0]]
            offer_id = self.random.choice(pool.offers)
            quantity = 1 if self.random.random() < 0.88 else 2
            if self.stock.get(offer_id, 0) < quantity + lines.get(offer_id, 0):
                self._restock(offer_id)
            lines[offer_id] = lines.get(offer_id, 0) + quantity
        return sorted(lines.items())

    def _restock(self, offer_id: int) -> None:
        """The seller receives goods: a stock adjustment through the inventory service."""
        offer = Offer.objects.get(pk=offer_id)
        delta = self.random.randint(8, 25)
        stock_adjust(offer=offer, delta=delta, reason="Réassort fournisseur")
        self.stock[offer_id] = offer.stock

    def _place(self, storefront: Storefront) -> None:
        customer = self.random.choice(self.customers)
        lines = self._basket(storefront, clock.now().month)
        number = next(self.order_numbers)
        order = order_place(
            storefront=storefront,
            email=customer["email"],
            lines=lines,
            delivery_choices={},
            shipping_address=customer["address"],
            billing_address=customer["address"],
            idempotency_key=f"simulation-{self.seed}-{number}",
        )
        for offer_id, quantity in lines:
            self.stock[offer_id] = self.stock.get(offer_id, 0) - quantity
        self.result.orders_placed += 1
        roll = self.random.random()
        if roll < P_TRANSFER:
            payment_start(order=order, method=PaymentMethod.TRANSFER, return_url="/")
            if self.random.random() > P_TRANSFER_NEVER:
                self.at(self._later(hours=(20, 80)), self._transfer_received, order.pk)
            else:
                self.result.transfers_expired += 1
            return
        start = payment_start(order=order, method=PaymentMethod.CARD, return_url="/")
        declined = roll < P_TRANSFER + P_DECLINED
        card = self.random.choice([CARD_DECLINED, CARD_INSUFFICIENT_FUNDS]) if declined else (
            CARD_SUCCESS
        )  # fmt: skip
        charge_submit(token=start.payment.provider_ref, card_number=card, webhooks="inline")
        if declined:
            self.result.payments_declined += 1
            return
        self._paid(order.pk)

    def _transfer_received(self, order_id: int) -> None:
        payment = Payment.objects.filter(
            order_id=order_id, method=PaymentMethod.TRANSFER, status="pending"
        ).first()
        if payment is None:
            return
        payment_transfer_mark_received(payment=payment)
        self._paid(order_id)

    def _paid(self, order_id: int) -> None:
        order = Order.objects.get(pk=order_id)
        if order.status != OrderStatus.PAID:
            return
        self.result.orders_paid += 1
        key = (order.storefront_id, order.paid_at.date().replace(day=1))
        self.month_sales[key] += order.total
        if self.random.random() < P_CUSTOMER_CANCEL:
            self.at(self._later(hours=(1, 10)), self._customer_cancel, order_id)
            return
        for seller_order_id in order.seller_orders.values_list("pk", flat=True):
            self.at(self._later(hours=(2, 30)), self._accept, seller_order_id)

    def _customer_cancel(self, order_id: int) -> None:
        order_cancel(
            order=Order.objects.get(pk=order_id),
            reason="Le client a changé d'avis",
            by_customer=True,
        )
        self.result.customer_cancellations += 1

    def _accept(self, seller_order_id: int) -> None:
        seller_order = SellerOrder.objects.get(pk=seller_order_id)
        if seller_order.status != SellerOrderStatus.PAID:
            return
        if self.random.random() < P_SELLER_CANCEL:
            seller_order_cancel(seller_order=seller_order, reason="Article indisponible")
            self.result.seller_cancellations += 1
            return
        seller_order_accept(seller_order=seller_order)
        self.at(self._later(hours=(4, 50)), self._ship, seller_order_id)

    def _ship(self, seller_order_id: int) -> None:
        seller_order = SellerOrder.objects.get(pk=seller_order_id)
        seller_order_ship(
            seller_order=seller_order,
            carrier=self.random.choice(CARRIERS),
            tracking_number=f"SIM{seller_order_id:09d}",
        )
        self.at(self._later(hours=(24, 110)), self._deliver, seller_order_id)

    def _deliver(self, seller_order_id: int) -> None:
        seller_order = SellerOrder.objects.get(pk=seller_order_id)
        seller_order_deliver(seller_order=seller_order)
        self.result.deliveries += 1
        slug = seller_order.order.storefront.slug if seller_order.order.storefront else ""
        if self.random.random() < P_RETURN.get(slug, 0.04):
            self.at(self._later(hours=(72, 300)), self._return, seller_order_id)

    def _return(self, seller_order_id: int) -> None:
        """The customer sends one line back within the withdrawal period: refunded per line."""
        seller_order = SellerOrder.objects.select_related("order").get(pk=seller_order_id)
        # Trips carry no withdrawal (cancelled under their schedule instead) and subscriptions
        # are withdrawn pro rata of the issues served, not sent back by units.
        lines = [
            line
            for line in seller_order.lines.filter(
                booking__isnull=True, subscription_term__isnull=True
            )
            if line.quantity > line.refunded_quantity
        ]
        if not lines:
            return
        line = self.random.choice(lines)
        order_refund(
            order=seller_order.order,
            lines={line.pk: line.quantity - line.refunded_quantity},
            idempotency_key=f"simulation-{self.seed}-return-{line.pk}",
            reason="Rétractation du client",
        )
        self.result.returns += 1

    def _later(self, *, hours: tuple[float, float]) -> dt.datetime:
        return clock.now() + dt.timedelta(hours=self.random.uniform(*hours))

    # -- money at the mall's level --------------------------------------------------------------

    def _payouts(self, day: dt.date) -> None:
        payouts = payout_run(as_of=day)
        self.result.payouts += len(payouts) if isinstance(payouts, list | tuple) else 1

    def _close_month(self, last_day: dt.date, *, through: dt.date | None = None) -> None:
        """Finance books the month's fixed costs of every storefront (marketing: a share of the
        month's paid orders, as acquisition is bought per sale). `through`: a month still under
        way, whose fixed costs are booked pro rata of the days elapsed."""
        month = last_day.replace(day=1)
        share = Decimal(str(self.scale))
        if through is not None:
            days = ((month + dt.timedelta(days=32)).replace(day=1) - month).days
            share *= Decimal(through.day) / Decimal(days)
        for storefront in self.storefronts:
            plan = FIXED_COSTS.get(storefront.slug)
            if plan is None:
                continue
            amounts = {kind: amount * share for kind, amount in plan.items()}
            sales = self.month_sales.get((storefront.pk, month), Decimal("0"))
            amounts[FixedCostKind.MARKETING] = sales * MARKETING_SHARE.get(
                storefront.slug, Decimal("0.03")
            )
            for kind, amount in amounts.items():
                # A little month-to-month noise, as real invoices have.
                amount = to_money(amount * Decimal(str(self.random.uniform(0.95, 1.05))))
                if amount <= 0:
                    continue
                vat = Decimal("0.00") if kind == FixedCostKind.STAFF else to_money(amount / 5)
                with transaction.atomic():
                    fixed_cost_record(
                        storefront=storefront,
                        month=month,
                        kind=kind,
                        amount=amount,
                        vat=vat,
                        label=f"{FIXED_LABELS[kind]} — {month:%m/%Y}"
                        + (f" (au {through:%d/%m})" if through else ""),
                    )
                self.result.fixed_costs += 1
        self.progress(f"  {month:%m/%Y} : {self.result.orders_placed} commandes passées au total")
        if self.on_month is not None:
            self.on_month(month, self.result)


def simulation_window(
    *, months: int, now: dt.datetime | None = None
) -> tuple[dt.date, dt.datetime]:
    """The simulated span: the last `months` full months, then the current month up to now, so
    that the dashboard's default « 12 derniers mois » (full months) shows the simulated year
    whole and the month under way has trading too."""
    now = now or clock.now()
    start = timezone.localdate(now).replace(day=1)
    for _i in range(months):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, now


def simulation_exists() -> bool:
    return SimulationRun.objects.exists() or FixedCost.objects.exists()


def simulate(
    *,
    months: int,
    seed: int = 1,
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> tuple[SimulationRun, SimulationResult]:
    """Generate `months` months of trading up to now; records a SimulationRun as it goes."""
    low, high = RUN_BOUNDS["months"]
    if not low <= months <= high:
        raise DomainError(f"Simulez entre {low} et {high} mois.", code="simulation_months")
    if not 0 < scale <= RUN_BOUNDS["scale"][1]:
        raise DomainError(
            f"Échelle entre 0 et {RUN_BOUNDS['scale'][1]:.0f}.", code="simulation_scale"
        )
    low, high = RUN_BOUNDS["seed"]
    if not low <= seed <= high:
        raise DomainError(f"Graine entre {low} et {high}.", code="simulation_seed", field="seed")
    real_now = clock.now()
    start, end = simulation_window(months=months, now=real_now)
    run = SimulationRun.objects.create(
        seed=seed, months=months, scale=Decimal(str(scale)), started_at=real_now
    )

    def on_month(month: dt.date, result: SimulationResult) -> None:
        SimulationRun.objects.filter(pk=run.pk).update(
            orders_placed=result.orders_placed, simulated_until=month
        )

    simulation = Simulation(
        start=start, end=end, seed=seed, scale=scale, progress=progress, on_month=on_month
    )
    began = dt.datetime.now()
    try:
        result = simulation.run()
    except Exception as exc:
        SimulationRun.objects.filter(pk=run.pk).update(error=repr(exc)[:2000])
        raise
    result.seconds = (dt.datetime.now() - began).total_seconds()
    SimulationRun.objects.filter(pk=run.pk).update(
        finished_at=clock.now(),
        orders_placed=result.orders_placed,
        simulated_until=clock.localdate(),
    )
    run.refresh_from_db()
    return run, result


def simulation_launch_for_demo(*, write: Callable[[str], None], months: int = 12) -> str:
    """Called by `galerie demo` after loading: start the year of trading once, in a background
    process, so the shop answers at once while the dashboards fill month by month (a year through
    the real services takes a few minutes). Returns "exists", "skipped" or "started".

    GALERIE_DEMO_SIMULATION=off skips it, =inline runs it before serving. Never from a test
    database (an in-memory SQLite or a test_… PostgreSQL database).
    """
    import os
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    mode = os.environ.get("GALERIE_DEMO_SIMULATION", "background")
    if simulation_exists():
        return "exists"
    name = str(connection.settings_dict.get("NAME") or "")
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if mode == "off" or in_memory or name.startswith("test_"):
        return "skipped"
    if mode == "inline":
        run, result = simulate(months=months, progress=write)
        write(f"Activité simulée : {result.orders_placed} commandes en {result.seconds:.0f} s.")
        return "started"
    log_path = settings.VAR_DIR / "simulation.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 — our own command, fixed arguments
            [sys.executable, "-u", "-m", "galerie.cli", "simulate", "--months", str(months),
             "--if-needed"],  # -u: the log shows each month as it closes
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # survives the server's restarts and Ctrl-C
        )  # fmt: skip
    write(
        f"Une année d'activité est simulée en arrière-plan (processus {process.pid}, journal "
        f"{log_path}) : le pilotage (/admin/pilotage/) se remplit mois par mois en quelques "
        "minutes."
    )
    return "started"
