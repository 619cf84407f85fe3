"""`storefront_detach`: close a sold storefront on the source installation.

A detached storefront keeps every accounting record (orders, payments, ledger lines, payouts)
but never sells again: it is inactive for good (a database check), its pages answer 410 with a
notice naming the new owner (storefronts.middleware), an order placed on it is refused
(orders.services.storefront_open_check), feeds leave its offers out, and the dashboard counts
its figures up to the sale's cut-off only.

"Open" work, which the detachment refuses to cut short unless forced:
- orders awaiting payment (the customer may still pay: the money would reach a closed shop);
- paid seller parts not yet delivered or cancelled (goods still to ship, or on their way);
- trips not yet departed and closed (their seller part is still open);
- running subscriptions (active or terminating: issues still to serve, renewals to place).
With --force these stay as they are: the archive carries them to the buyer, who serves them.

Sellers are paid by the mall's payout run, which is mall-wide and unique per date by design
(a seller's balance is one account across every storefront): the final run is today's run.
What it cannot pay yet (parts inside the 14-day withdrawal window, the holdback) stays in the
seller's payable and goes out with the next runs.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.ledger.selectors import seller_payable_balance
from galerie.orders.models import Order, OrderStatus, SellerOrder, SellerOrderStatus
from galerie.payouts.models import PayoutRun
from galerie.payouts.services import payout_run
from galerie.sellers.models import Seller
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_cache_clear
from galerie.subscriptions.models import Subscription, SubscriptionStatus

_OPEN_PARTS = [SellerOrderStatus.PAID, SellerOrderStatus.ACCEPTED, SellerOrderStatus.SHIPPED]


class DetachError(DomainError):
    code = "detach_refused"


@dataclass
class DetachResult:
    storefront: Storefront
    already_detached: bool = False
    open_work: dict[str, int] = field(default_factory=dict)
    payouts: list = field(default_factory=list)  # the final run's payouts to its sellers
    still_owed: dict[str, Decimal] = field(default_factory=dict)  # seller name → balance
    run_notes: list[str] = field(default_factory=list)


def storefront_open_work(storefront: Storefront) -> dict[str, int]:
    """Counts of what is still open on the storefront, by kind (only the kinds with some)."""
    parts = SellerOrder.objects.filter(
        order__storefront=storefront, order__status=OrderStatus.PAID, status__in=_OPEN_PARTS
    )
    trips = Q(lines__booking__isnull=False)
    counts = {
        "pending_payment": Order.objects.filter(
            storefront=storefront, status=OrderStatus.PENDING_PAYMENT
        ).count(),
        "parts_to_deliver": parts.exclude(trips).count(),
        "trips_to_come": parts.filter(trips).distinct().count(),
        "running_subscriptions": Subscription.objects.filter(
            storefront=storefront,
            status__in=[SubscriptionStatus.ACTIVE, SubscriptionStatus.TERMINATING],
        ).count(),
    }
    return {kind: n for kind, n in counts.items() if n}


def open_work_labels() -> dict[str, str]:
    return {
        "pending_payment": _("commande(s) en attente de paiement"),
        "parts_to_deliver": _("commande(s) vendeur payées, ni livrées ni annulées"),
        "trips_to_come": _("voyage(s) pas encore partis ou clos"),
        "running_subscriptions": _("abonnement(s) en cours"),
    }


def open_work_text(open_work: dict[str, int]) -> str:
    labels = open_work_labels()
    return ", ".join(f"{n} {labels[kind]}" for kind, n in open_work.items())


def storefront_detach(
    *,
    storefront: Storefront,
    new_owner: str,
    url: str = "",
    cutoff: datetime.date | None = None,
    force: bool = False,
) -> DetachResult:
    """Close the sold storefront, then run the final payout. Refuses (DetachError) while work is
    open unless `force`; a storefront already detached is left as it is (already_detached)."""
    new_owner = (new_owner or "").strip()
    if not new_owner:
        raise DetachError(_("Indiquez le repreneur (--new-owner)."), field="new_owner")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise DetachError(
                _("Adresse du repreneur invalide « %(url)s ».") % {"url": url}, field="url"
            ) from None
    today = clock.localdate()
    if cutoff is not None and cutoff > today:
        raise DetachError(
            _("La date de coupure (%(date)s) ne peut pas être dans le futur.")
            % {"date": cutoff.isoformat()},
            field="cutoff",
        )
    with transaction.atomic():
        storefront = Storefront.objects.select_for_update().get(pk=storefront.pk)
        if storefront.is_detached:
            return DetachResult(storefront=storefront, already_detached=True)
        open_work = storefront_open_work(storefront)
        if open_work and not force:
            raise DetachError(
                _(
                    "La boutique %(shop)s a encore des commandes ouvertes : %(what)s. "
                    "Attendez qu'elles soient closes, ou relancez avec --force (l'archive les "
                    "transmet au repreneur)."
                )
                % {"shop": storefront.slug, "what": open_work_text(open_work)},
                code="open_orders",
            )
        storefront.detached_at = clock.now()
        storefront.successor_name = new_owner[:200]
        storefront.successor_url = url or ""
        storefront.cutoff_date = cutoff or today
        storefront.is_active = False
        storefront.save()
        transaction.on_commit(lambda: storefront_cache_clear(storefront_id=storefront.pk))
    result = DetachResult(storefront=storefront, open_work=open_work)
    _final_payout(result, today=today)
    return result


def _storefront_sellers(storefront: Storefront):
    sold = SellerOrder.objects.filter(order__storefront=storefront).values("seller_id")
    return Seller.objects.filter(pk__in=sold, is_operator=False).order_by("name")


def _final_payout(result: DetachResult, *, today: datetime.date) -> None:
    sellers = list(_storefront_sellers(result.storefront))
    ids = {seller.pk for seller in sellers}
    payouts = payout_run(as_of=today)
    result.payouts = [payout for payout in payouts if payout.seller_id in ids]
    for seller in sellers:
        balance = seller_payable_balance(seller_id=seller.pk)
        if balance:
            result.still_owed[seller.name] = balance
    run = PayoutRun.objects.filter(as_of=today).first()
    names = {seller.name for seller in sellers}
    if run is not None and run.notes:
        result.run_notes = [
            line for line in run.notes.splitlines() if line.split(" : ", 1)[0] in names
        ]
