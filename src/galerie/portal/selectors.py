"""Reads of the seller portal and the seller API: always scoped to one seller.

Every function takes the seller first and filters by it, so a foreign id is simply "not found".
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Min, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.catalog.models import Product
from galerie.core import clock
from galerie.core.money import CENT
from galerie.imports.models import ImportJob, ImportRowError
from galerie.ledger import chart
from galerie.ledger.models import JournalLine
from galerie.ledger.selectors import seller_payable_balance
from galerie.orders.models import OrderLine, SellerOrder, SellerOrderStatus
from galerie.orders.selectors import withdrawal_cutoff
from galerie.portal.models import SellerApiToken
from galerie.sellers.models import OFFER_IN_BOUNDS, Offer, Seller, SellerMember, SellerRole
from galerie.storefronts.listing import strip_control

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=16, decimal_places=2)

OFFER_FILTERS = {
    "active": Q(is_active=True),
    "inactive": Q(is_active=False),
    "out_of_stock": Q(is_active=True, stock=0),
}


# --- Memberships -------------------------------------------------------------------------------


def memberships_of(user) -> list[SellerMember]:
    """The seller accounts a user works for, by seller name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        SellerMember.objects.filter(user=user)
        .select_related("seller")
        .order_by("seller__name", "seller_id")
    )


def member_is_owner(member: SellerMember) -> bool:
    return member.role == SellerRole.OWNER


# --- Offers ------------------------------------------------------------------------------------


def seller_offers(
    *, seller: Seller, query: str = "", state: str = "", condition: str = ""
) -> QuerySet[Offer]:
    # A row out of its bounds (OFFER_IN_BOUNDS) is left out: one bad legacy row must not take
    # the seller's whole list down (SQLite cannot even load a price beyond 12 digits).
    offers = Offer.objects.filter(OFFER_IN_BOUNDS, seller=seller).select_related("product")
    # The API passes the query string as sent: PostgreSQL refuses NUL in text (a 500).
    query, condition = strip_control(query or "").strip(), strip_control(condition or "")
    if query:
        match = Q(product__title__icontains=query) | Q(sku__iexact=query)
        with contextlib.suppress(InvalidGTIN):
            match |= Q(product__gtin=normalize_gtin(query))
        offers = offers.filter(match)
    if state in OFFER_FILTERS:
        offers = offers.filter(OFFER_FILTERS[state])
    if condition:
        offers = offers.filter(condition=condition)
    return offers.order_by("product__title", "pk")


def seller_offer(*, seller: Seller, offer_id: int) -> Offer:
    offer = (
        Offer.objects.filter(pk=offer_id, seller=seller)
        .select_related("product__product_type")
        .first()
    )
    if offer is None:
        raise Http404("Offre introuvable.")
    return offer


def seller_product(*, seller: Seller, product_id: int) -> Product | None:
    """The product if the seller has an offer on it (in any state), else None: the products a
    seller may describe (add pictures to) in the shared catalogue."""
    return Product.objects.filter(pk=product_id, offers__seller=seller).distinct().first()


def products_find(*, query: str, limit: int = 20) -> list[Product]:
    """Products a seller may put an offer on: by exact GTIN when the query is one, else by title."""
    query = (query or "").strip()
    if not query:
        return []
    products = Product.objects.filter(is_active=True).select_related("product_type", "category")
    try:
        gtin = normalize_gtin(query)
    except InvalidGTIN:
        return list(products.filter(title__icontains=query).order_by("title", "pk")[:limit])
    return list(products.filter(gtin=gtin))


# --- Orders ------------------------------------------------------------------------------------


def seller_orders(*, seller: Seller, status: str = "") -> QuerySet[SellerOrder]:
    orders = (
        SellerOrder.objects.filter(seller=seller)
        .exclude(status=SellerOrderStatus.PENDING_PAYMENT)
        .select_related("order")
        .annotate(item_count=Coalesce(Sum("lines__quantity"), 0))
    )
    if status in SellerOrderStatus.values:
        orders = orders.filter(status=status)
    return orders.order_by("-created_at", "-pk")


def seller_order(*, seller: Seller, seller_order_id: int) -> SellerOrder:
    """One of the seller's orders with its lines and events; unpaid orders are not the seller's
    business yet (their stock is only reserved), so they answer 404 too."""
    found = (
        SellerOrder.objects.filter(pk=seller_order_id, seller=seller)
        .exclude(status=SellerOrderStatus.PENDING_PAYMENT)
        .select_related("order", "order__storefront")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("booking__departure").order_by("pk"),
            ),
            "events",
        )
        .first()
    )
    if found is None:
        raise Http404("Commande introuvable.")
    return found


def line_commission(line: OrderLine) -> Decimal | None:
    """The commission frozen on a line, when the orders app stores one (None otherwise)."""
    for name in ("commission", "commission_amount"):
        value = getattr(line, name, None)
        if value is not None:
            return value
    return None


def seller_order_counts(*, seller: Seller) -> dict[str, int]:
    rows = (
        SellerOrder.objects.filter(
            seller=seller, status__in=[SellerOrderStatus.PAID, SellerOrderStatus.ACCEPTED]
        )
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {
        "to_accept": counts.get(SellerOrderStatus.PAID, 0),
        "to_ship": counts.get(SellerOrderStatus.ACCEPTED, 0),
    }


# --- Money -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneySummary:
    balance: Decimal  # what the mall owes the seller per the ledger (467100 sub-account)
    delivered_payable: Decimal  # delivered seller orders past the withdrawal period, TTC
    delivered_in_withdrawal: Decimal  # delivered, still inside the 14-day withdrawal period
    in_progress: Decimal  # paid, accepted or shipped, not delivered yet


def seller_money(*, seller: Seller, now: dt.datetime | None = None) -> MoneySummary:
    now = now or clock.now()
    cutoff = withdrawal_cutoff(on=timezone.localdate(now))
    total = Coalesce(Sum("total"), Value(ZERO), output_field=_MONEY)
    delivered = SellerOrder.objects.filter(seller=seller, status=SellerOrderStatus.DELIVERED)
    sums = {
        "payable": delivered.filter(delivered_at__lt=cutoff).aggregate(s=total)["s"],
        "withdrawal": delivered.filter(delivered_at__gte=cutoff).aggregate(s=total)["s"],
        "progress": SellerOrder.objects.filter(
            seller=seller,
            status__in=[
                SellerOrderStatus.PAID,
                SellerOrderStatus.ACCEPTED,
                SellerOrderStatus.SHIPPED,
            ],
        ).aggregate(s=total)["s"],
    }
    return MoneySummary(
        balance=seller_payable_balance(seller_id=seller.pk),
        delivered_payable=Decimal(sums["payable"]).quantize(CENT),
        delivered_in_withdrawal=Decimal(sums["withdrawal"]).quantize(CENT),
        in_progress=Decimal(sums["progress"]).quantize(CENT),
    )


@dataclass(frozen=True)
class StatementMonth:
    month: dt.date
    credit: Decimal  # sales net of commission, owed to the seller
    debit: Decimal  # refunds given back and payouts made

    @property
    def net(self) -> Decimal:
        return self.credit - self.debit

    @property
    def key(self) -> str:
        return self.month.strftime("%Y-%m")


def _payable_lines(seller: Seller) -> QuerySet[JournalLine]:
    return JournalLine.objects.filter(
        account__number=chart.SELLER_PAYABLES, account__seller_id=seller.pk
    )


def seller_statements(*, seller: Seller) -> list[StatementMonth]:
    """One statement per month of the seller's payable account, newest first."""
    money = Coalesce(Sum("debit"), Value(ZERO), output_field=_MONEY)
    rows = (
        _payable_lines(seller)
        .values("month")
        .annotate(d=money, c=Coalesce(Sum("credit"), Value(ZERO), output_field=_MONEY))
        .order_by("-month")
    )
    result = []
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        result.append(
            StatementMonth(
                month=month,
                credit=Decimal(row["c"]).quantize(CENT),
                debit=Decimal(row["d"]).quantize(CENT),
            )
        )
    return result


def parse_month(raw: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(raw or "", "%Y-%m").date().replace(day=1)
    except ValueError:
        return None


def seller_statement_lines(*, seller: Seller, month: dt.date) -> list[JournalLine]:
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return list(
        _payable_lines(seller)
        .filter(date__gte=month, date__lt=end)
        .select_related("entry__journal")
        .order_by("date", "entry_id", "pk")
    )


# --- API tokens --------------------------------------------------------------------------------


def seller_tokens(*, member: SellerMember) -> QuerySet[SellerApiToken]:
    """An owner sees every token of the seller; a staff member only their own."""
    tokens = SellerApiToken.objects.filter(seller=member.seller).select_related("user")
    if not member_is_owner(member):
        tokens = tokens.filter(user_id=member.user_id)
    return tokens


# --- Catalogue feed imports --------------------------------------------------------------------

FEED_ERRORS_SHOWN = 50


def seller_import_jobs(*, seller: Seller) -> QuerySet[ImportJob]:
    """The seller's feed imports, newest first (whoever started them: portal, back office, CLI)."""
    return ImportJob.objects.filter(seller=seller).order_by("-created_at", "-pk")


def seller_import_job(*, seller: Seller, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, seller=seller).first()
    if job is None:
        raise Http404("Import introuvable.")
    return job


def import_job_first_errors(*, job: ImportJob, limit: int = FEED_ERRORS_SHOWN):
    """The first error lines of a job, in feed order (the full report is the CSV)."""
    return list(ImportRowError.objects.filter(job=job).order_by("row", "id")[:limit])


CATEGORY_PROBLEMS = ("unmapped_category", "category_parent")


def import_job_category_problems(*, job: ImportJob, limit: int = 20) -> list[tuple[str, int]]:
    """Each category value of a job that was not recognised (or only its parent path was), most
    rows first: its message, which names the closest category, and its number of rows."""
    return list(
        ImportRowError.objects.filter(job=job, code__in=CATEGORY_PROBLEMS)
        .values("value")
        .annotate(n=Count("id"), message=Min("message"))
        .order_by("-n", "value")
        .values_list("message", "n")[:limit]
    )
