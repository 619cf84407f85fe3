"""What the orders say a seller is owed, seller order by seller order.

The same arithmetic as the ledger's postings (galerie.ledger.postings) but from the order lines:
the payout run pays it and `ledger-check` proves that the ledger agrees with it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum

from galerie.core.money import CENT
from galerie.orders.models import OrderLine, SellerOrder
from galerie.payouts.models import Payout, PayoutRun
from galerie.sellers.commissions import commission_refund_share
from galerie.travel.models import BookingStatus

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Owed:
    """sales: goods and delivery incl. VAT; commission: kept by the operator, net of what was
    given back on refunds; refunded: paid back to the customer; net: owed to the seller."""

    sales: Decimal
    commission: Decimal
    refunded: Decimal

    @property
    def net(self) -> Decimal:
        return self.sales - self.commission - self.refunded


def seller_order_owed(seller_order: SellerOrder) -> Owed:
    """Owed for one (paid) seller order; its lines should be prefetched (with their booking)."""
    sales, commission, refunded = seller_order.delivery_fee, ZERO, seller_order.delivery_refunded
    for line in seller_order.lines.all():
        sales += line.line_total
        frozen = line.commission_amount or ZERO
        line_refunded = line.unit_price * line.refunded_quantity
        booking = getattr(line, "booking", None)
        if booking is not None and booking.status == BookingStatus.CANCELLED:
            # A cancelled trip keeps its fee (payments.cancellations): the rest was refunded.
            line_refunded = line.line_total - booking.cancellation_fee
        given_back = commission_refund_share(
            commission=frozen, line_total=line.line_total, refunded=line_refunded
        )
        commission += frozen - given_back
        refunded += line_refunded
    return Owed(sales=sales, commission=commission, refunded=refunded)


def paid_seller_orders(*, seller_id: int | None = None) -> QuerySet[SellerOrder]:
    """Third-party seller orders of paid orders (what the ledger credits sellers for)."""
    queryset = SellerOrder.objects.filter(
        order__paid_at__isnull=False, seller__is_operator=False
    ).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("booking").order_by("pk"))
    )
    if seller_id is not None:
        queryset = queryset.filter(seller_id=seller_id)
    return queryset.order_by("pk")


def seller_owed_by_orders(*, seller_id: int) -> Decimal:
    """What the orders say the mall owes the seller now: captured net of commission, less
    refunds net of the commission given back, less what was paid out."""
    owed = sum((seller_order_owed(so).net for so in paid_seller_orders(seller_id=seller_id)), ZERO)
    paid = Payout.objects.filter(seller_id=seller_id).aggregate(s=Sum("amount"))["s"] or ZERO
    return (owed - Decimal(paid)).quantize(CENT)


def payout_runs_failed() -> QuerySet[PayoutRun]:
    """Runs that left sellers unpaid (their notes say who and why: no IBAN, a balance short of
    what is due, nothing but refunds to take back) or never finished, and that no later run has
    settled. A run that paid every seller it owed supersedes the runs before it: whoever they
    left unpaid was owed nothing more by then."""
    failed = Q(completed_at__isnull=True) | ~Q(notes="")
    runs = PayoutRun.objects.filter(failed)
    last_clean = (
        PayoutRun.objects.exclude(failed).order_by("-as_of").values_list("as_of", flat=True)
    ).first()
    if last_clean is not None:
        runs = runs.filter(as_of__gt=last_clean)
    return runs
