"""The money flows of orders and payments turned into ledger entries.

The orders and payments services call these functions with their own objects, inside the
transaction that moves the money (capture, refund, shipment), as the last writes of that
transaction (the ledger lock is taken here, see galerie.ledger.services). Every line carries the
order's storefront, the seller and the category frozen on the order line, so that the reports group
revenue and costs by storefront, seller and category.

Amounts come from the order lines as frozen when the order was paid (`commission_amount`, incl.
VAT, `purchase_cost`, `category`): a later change of a commission rule or an offer never changes
what was posted. Tariffs (payment fee, commission VAT, carrier cost) are read from settings.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from galerie.core import clock
from galerie.core.money import CENT, to_money
from galerie.ledger import chart
from galerie.ledger.errors import LedgerError
from galerie.ledger.models import EntryKind, JournalEntry, JournalLine
from galerie.ledger.services import (
    LineSpec,
    SaleSplit,
    journal_post,
    ledger_post_capture,
    ledger_post_refund,
)
from galerie.pricing.services import vat_amount
from galerie.sellers.commissions import commission_refund_share

ZERO = Decimal("0.00")


# --- Tariffs (settings) ----------------------------------------------------------------------


def _setting(name: str, default: str) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


def commission_vat_rate() -> Decimal:
    """VAT rate in percent (Decimal("20"), like every rate given to pricing.vat_amount) that the
    operator charges on its commission, a service invoiced to the seller, whether the seller is a
    trader or a private person. The setting GALERIE_COMMISSION_VAT_RATE stays a fraction
    ("0.20")."""
    return _setting("GALERIE_COMMISSION_VAT_RATE", "0.20") * 100


def payment_fee_for(*, amount: Decimal, method: str) -> Decimal:
    """The provider's fee on a capture: card 1.4 % + 0.25 € (GALERIE_CARD_FEE_PERCENT,
    GALERIE_CARD_FEE_FIXED); a bank transfer costs nothing by default (GALERIE_TRANSFER_FEE)."""
    if method == "card":
        percent = _setting("GALERIE_CARD_FEE_PERCENT", "1.4")
        fixed = _setting("GALERIE_CARD_FEE_FIXED", "0.25")
        return min(to_money(amount * percent / 100 + fixed), to_money(amount))
    return min(to_money(_setting("GALERIE_TRANSFER_FEE", "0.00")), to_money(amount))


def parcel_cost() -> Decimal:
    """The carrier's price per parcel the operator ships itself, excl. VAT (GALERIE_PARCEL_COST)."""
    return to_money(_setting("GALERIE_PARCEL_COST", "4.90"))


def _today() -> datetime.date:
    return clock.localdate()


# --- Captures --------------------------------------------------------------------------------


def _commission_split(commission_incl_vat: Decimal) -> tuple[Decimal, Decimal]:
    """(commission excl. VAT, its VAT) from a commission incl. VAT."""
    vat = vat_amount(ttc=commission_incl_vat, rate=commission_vat_rate())
    return commission_incl_vat - vat, vat


def _delivery_vat(seller_order) -> Decimal:
    return sum((Decimal(part["vat"]) for part in seller_order.delivery_vat or []), ZERO)


def capture_splits(*, order) -> list[SaleSplit]:
    """One slice per order line and per seller order's delivery fee, with the frozen commission
    (third-party sellers) or the output VAT (the operator's own lines)."""
    seller_orders = list(order.seller_orders.select_related("seller").order_by("pk"))
    by_pk = {so.pk: so for so in seller_orders}
    splits = []
    for line in order.lines.order_by("pk"):
        seller = by_pk[line.seller_order_id].seller
        if not line.line_total:
            continue
        if seller.is_operator:
            splits.append(
                SaleSplit(
                    seller_id=seller.pk,
                    amount=line.line_total,
                    category_id=line.category_id,
                    vat=line.vat_amount,
                )
            )
        else:
            commission, commission_vat = _commission_split(line.commission_amount or ZERO)
            splits.append(
                SaleSplit(
                    seller_id=seller.pk,
                    amount=line.line_total,
                    category_id=line.category_id,
                    commission=commission,
                    commission_vat=commission_vat,
                )
            )
    for seller_order in seller_orders:
        if seller_order.delivery_fee > 0:
            splits.append(
                SaleSplit(
                    seller_id=seller_order.seller_id,
                    amount=seller_order.delivery_fee,
                    vat=_delivery_vat(seller_order) if seller_order.seller.is_operator else ZERO,
                    is_delivery=True,
                )
            )
    return splits


def _via(payment) -> str:
    return "bank" if payment.method == "transfer" else "provider"


def order_capture_post(*, order, payment, date: datetime.date | None = None) -> JournalEntry:
    """A payment captured for `order`: the sale entry (VE), the provider's fee (BQ) and the cost
    of the operator's own goods sold (OD). Idempotent per payment (a replayed capture posts once).
    Preconditions: the order's commissions are frozen (orders.services.order_commissions_freeze);
    inside the capture's transaction."""
    date = date or _today()
    splits = capture_splits(order=order)
    total = sum((Decimal(split.amount) for split in splits), ZERO)
    if total != payment.amount:
        raise LedgerError(
            f"Commande {order.number} : les lignes font {total} €, le paiement {payment.amount} €.",
            code="ledger_capture_mismatch",
        )
    entry = ledger_post_capture(
        date=date,
        storefront_id=order.storefront_id,
        splits=splits,
        order_id=order.pk,
        order_ref=order.number,
        reference=payment.bank_reference or payment.provider_ref,
        idempotency_key=f"capture:{payment.pk}",
        via=_via(payment),
    )
    fee = payment_fee_for(amount=payment.amount, method=payment.method)
    if fee > 0:
        _fee_post(order=order, payment=payment, fee=fee, splits=splits, date=date)
    _cogs_post(order=order, quantities=None, date=date, key=f"cogs:{payment.pk}")
    return entry


def allocate(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` pro rata of `weights`, to the cent, the cents left by rounding down going to
    the largest remainders: the parts always add up to `total` exactly."""
    base = sum(weights, ZERO)
    if not weights or base <= 0:
        return [total] + [ZERO] * (len(weights) - 1) if weights else []
    cents = int((total / CENT).to_integral_value())
    exact = [Decimal(cents) * weight / base for weight in weights]
    parts = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: cents - sum(parts)]:
        parts[i] += 1
    return [Decimal(part) * CENT for part in parts]


def _fee_post(*, order, payment, fee: Decimal, splits: list[SaleSplit], date) -> None:
    """The provider's fee (journal BQ): Dr 627000 shared among the capture's slices pro rata of
    their amounts (so the reports charge it to each seller and category), Cr provider clearing."""
    keys: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for split in splits:
        keys[(split.seller_id, split.category_id)] += Decimal(split.amount)
    ordered = sorted(keys, key=lambda key: (key[0], key[1] or 0))
    lines = [
        LineSpec(account=chart.PAYMENT_FEES, debit=part, seller_id=key[0], category_id=key[1])
        for key, part in zip(ordered, allocate(fee, [keys[k] for k in ordered]), strict=True)
        if part
    ]
    lines.append(LineSpec(account=chart.PROVIDER_CLEARING, credit=fee))
    journal_post(
        journal=chart.JOURNAL_BANK,
        date=date,
        label=f"Frais de paiement {order.number}",
        lines=lines,
        reference=payment.provider_ref,
        storefront=order.storefront_id,
        idempotency_key=f"fee:{payment.pk}",
        kind=EntryKind.PAYMENT_FEE,
        order_id=order.pk,
        order_ref=order.number,
    )


def line_purchase_cost(line, *, units: int) -> Decimal:
    """The operator's purchase cost of `units` of an order line, as frozen at payment: the unit
    cost × units, or, for a line whose cost is frozen whole (a trip: fares per traveller type),
    that cost (all units) or its share pro rata of the units (some of them)."""
    if line.purchase_cost_total is not None:
        if units >= line.quantity:
            return line.purchase_cost_total
        return to_money(line.purchase_cost_total * units / line.quantity)
    if not line.purchase_cost:
        return ZERO
    return to_money(line.purchase_cost * units)


def _cogs_post(*, order, quantities: dict[int, int] | None, date, key: str, back=False) -> None:
    """Dr 607 purchases / Cr 401 suppliers at the frozen purchase cost of the operator's own
    lines (`quantities` None: every unit sold, see line_purchase_cost); `back=True` is goods
    returned: the mirror."""
    lines = []
    for line in order.lines.select_related("seller_order__seller").order_by("pk"):
        if not line.seller_order.seller.is_operator:
            continue
        quantity = line.quantity if quantities is None else quantities.get(line.pk, 0)
        cost = line_purchase_cost(line, units=quantity)
        if not cost:
            continue
        common = {"seller_id": line.seller_order.seller_id, "category_id": line.category_id}
        expense = {"credit": cost} if back else {"debit": cost}
        supplier = {"debit": cost} if back else {"credit": cost}
        lines.append(LineSpec(account=chart.PURCHASES, **expense, **common))
        lines.append(LineSpec(account=chart.SUPPLIERS, **supplier, **common))
    if not lines:
        return
    journal_post(
        journal=chart.JOURNAL_MISC,
        date=date,
        label=(
            f"Retour en stock commande {order.number}"
            if back
            else f"Coût des ventes {order.number}"
        ),
        lines=lines,
        reference=order.number,
        storefront=order.storefront_id,
        idempotency_key=key,
        order_id=order.pk,
        order_ref=order.number,
    )


# --- Refunds ---------------------------------------------------------------------------------

_CASH = {chart.PROVIDER_CLEARING, chart.BANK, chart.CUSTOMERS}


@dataclass
class _Slice:
    cash: Decimal = ZERO
    vat: Decimal = ZERO
    commission: Decimal = ZERO
    own_sales: Decimal = ZERO
    delivery: Decimal = ZERO


def _remaining(*, order_id: int) -> dict[tuple[int, int | None], _Slice]:
    """What the order's sale entries still hold per (seller, category): captured − refunded."""
    rows = (
        JournalLine.objects.filter(
            entry__order_id=order_id, entry__kind__in=[EntryKind.CAPTURE, EntryKind.REFUND]
        )
        .values("seller_id", "category_id", "account__number")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    slices: dict[tuple, _Slice] = defaultdict(_Slice)
    for row in rows:
        net = Decimal(row["c"] or 0).quantize(CENT) - Decimal(row["d"] or 0).quantize(CENT)
        piece = slices[(row["seller_id"], row["category_id"])]
        number = row["account__number"]
        if number in _CASH:
            piece.cash -= net
        elif number == chart.VAT_COLLECTED:
            piece.vat += net
        elif number in (chart.COMMISSION_REVENUE, chart.COMMISSION_REBATES):
            piece.commission += net
        elif number in (chart.OWN_SALES, chart.OWN_SALES_REBATES):
            piece.own_sales += net
        elif number in (chart.DELIVERY_REVENUE, chart.DELIVERY_REBATES):
            piece.delivery += net
    return slices


def order_capture_posted(*, order_id: int) -> bool:
    """Whether the ledger holds a sale of this order (orders paid before it existed do not)."""
    return JournalEntry.objects.filter(order_id=order_id, kind=EntryKind.CAPTURE).exists()


@dataclass(frozen=True)
class RefundPlan:
    """What a refund gives back, slice by slice, before anything is written.
    amount: the total to pay back; delivery: delivery fees refunded per seller order id;
    returned: units per order line whose goods come back (the operator's purchase cost)."""

    splits: list[SaleSplit]
    amount: Decimal
    delivery: dict[int, Decimal]
    returned: dict[int, int]


def _vat_share(vat: Decimal, quantity: int, units: int) -> Decimal:
    return to_money(vat * units / quantity) if quantity else ZERO


def refund_plan(
    *,
    order,
    quantities: dict[int, int] | None,
    delivery_for=(),
    amounts: dict[int, Decimal] | None = None,
) -> RefundPlan:
    """Split a refund of `order` into ledger slices. `quantities` None: everything the ledger still
    holds for the order (a full refund); else {order line id: units} plus the delivery fees of the
    seller orders in `delivery_for`, plus `amounts` ({order line id: money}): part of a line's
    price given back without its goods coming back (a withdrawal kept pro rata of the issues
    already delivered). Commission and the operator's VAT are given back pro rata of the
    refunded amount, cumulatively, so a line refunded in several steps gives back exactly its
    frozen commission. No slice gives back more than the ledger still holds for it.
    Precondition: called before the order lines' refunded quantities are updated."""
    remaining = _remaining(order_id=order.pk)
    seller_orders = {so.pk: so for so in order.seller_orders.select_related("seller")}
    by_seller = {so.seller_id: so for so in seller_orders.values()}
    lines = {line.pk: line for line in order.lines.all()}
    if quantities is None:
        splits, delivery = [], {}
        for (seller_id, category_id), piece in sorted(
            remaining.items(), key=lambda item: (item[0][0], item[0][1] or 0)
        ):
            if piece.cash <= 0:
                continue
            operator = by_seller[seller_id].seller.is_operator
            commission = ZERO if operator else piece.commission
            splits.append(
                SaleSplit(
                    seller_id=seller_id,
                    category_id=category_id,
                    amount=piece.cash,
                    vat=piece.vat if operator else ZERO,
                    commission=max(commission, ZERO),
                    commission_vat=ZERO if operator else max(piece.vat, ZERO),
                    is_delivery=category_id is None and piece.delivery > 0,
                )
            )
            if category_id is None:
                delivery[by_seller[seller_id].pk] = piece.cash
        returned = {
            pk: line.quantity - line.refunded_quantity
            for pk, line in lines.items()
            if line.quantity > line.refunded_quantity
        }
        return RefundPlan(
            splits=splits,
            amount=sum((Decimal(s.amount) for s in splits), ZERO),
            delivery=delivery,
            returned=returned,
        )

    wanted: dict[tuple, _Slice] = defaultdict(_Slice)
    for line_id, units in sorted(quantities.items()):
        line = lines[int(line_id)]
        seller_order = seller_orders[line.seller_order_id]
        key = (seller_order.seller_id, line.category_id)
        before, after = line.refunded_quantity, line.refunded_quantity + units
        piece = wanted[key]
        piece.cash += line.unit_price * units
        if seller_order.seller.is_operator:
            piece.vat += _vat_share(line.vat_amount, line.quantity, after) - _vat_share(
                line.vat_amount, line.quantity, before
            )
        else:
            commission = line.commission_amount or ZERO

            def share(n, commission=commission, line=line):
                return commission_refund_share(
                    commission=commission, line_total=line.line_total, refunded=line.unit_price * n
                )

            net, vat = _commission_split(share(after))
            net_before, vat_before = _commission_split(share(before))
            piece.commission += net - net_before
            piece.vat += vat - vat_before
    for line_id, amount in sorted((amounts or {}).items()):
        line = lines[int(line_id)]
        seller_order = seller_orders[line.seller_order_id]
        piece = wanted[(seller_order.seller_id, line.category_id)]
        before = line.unit_price * line.refunded_quantity
        after = min(before + Decimal(amount), line.line_total)
        piece.cash += after - before
        if seller_order.seller.is_operator:

            def vat_share(refunded, line=line):
                if not line.line_total:
                    return ZERO
                return to_money(line.vat_amount * refunded / line.line_total)

            piece.vat += vat_share(after) - vat_share(before)
        else:
            commission = line.commission_amount or ZERO

            def money_share(refunded, commission=commission, line=line):
                return commission_refund_share(
                    commission=commission, line_total=line.line_total, refunded=refunded
                )

            net, vat = _commission_split(money_share(after))
            net_before, vat_before = _commission_split(money_share(before))
            piece.commission += net - net_before
            piece.vat += vat - vat_before
    for seller_order_id in delivery_for or ():
        seller_order = seller_orders.get(int(seller_order_id))
        if seller_order is None or seller_order.delivery_fee <= 0:
            continue
        piece = wanted[(seller_order.seller_id, None)]
        piece.cash += seller_order.delivery_fee
        piece.delivery += seller_order.delivery_fee
        if seller_order.seller.is_operator:
            piece.vat += _delivery_vat(seller_order)

    splits, delivery = [], {}
    for (seller_id, category_id), piece in sorted(
        wanted.items(), key=lambda item: (item[0][0], item[0][1] or 0)
    ):
        held = remaining.get((seller_id, category_id), _Slice())
        if held.cash <= 0:
            continue
        operator = by_seller[seller_id].seller.is_operator
        if piece.cash >= held.cash:  # all that is left of the slice
            cash, vat, commission = held.cash, held.vat, ZERO if operator else held.commission
        else:
            cash, vat = piece.cash, min(piece.vat, held.vat)
            commission = ZERO if operator else min(piece.commission, held.commission)
        vat, commission = max(vat, ZERO), max(commission, ZERO)
        splits.append(
            SaleSplit(
                seller_id=seller_id,
                category_id=category_id,
                amount=cash,
                vat=vat if operator else ZERO,
                commission=commission,
                commission_vat=ZERO if operator else vat,
                is_delivery=category_id is None and piece.delivery > 0,
            )
        )
        if category_id is None and piece.delivery > 0:
            delivery[by_seller[seller_id].pk] = min(piece.delivery, cash)
    returned = {int(pk): units for pk, units in quantities.items()}
    return RefundPlan(
        splits=splits,
        amount=sum((Decimal(s.amount) for s in splits), ZERO),
        delivery=delivery,
        returned=returned,
    )


def capture_mirror_plan(*, order) -> RefundPlan:
    """Give back a whole capture of `order` (money received for an order cancelled meanwhile):
    exactly the capture's slices, and the operator's goods back in stock."""
    splits = capture_splits(order=order)
    return RefundPlan(
        splits=splits,
        amount=sum((Decimal(s.amount) for s in splits), ZERO),
        delivery={},
        returned={line.pk: line.quantity for line in order.lines.all()},
    )


def line_partial_refund_plan(*, order, line, amount: Decimal) -> RefundPlan:
    """Give back `amount` of one order line (not by units: the rest of a cancelled trip after its
    fee). The refunded part takes its pro-rata share of every component the sale posted for the
    line — output VAT for the operator's own lines (standard or margin scheme alike), commission
    and its VAT for a third-party seller's — so what stays in the ledger is the same fraction of
    the sale: revenue with its own VAT, or the seller's part with the operator's commission on it.
    `returned` is empty: nothing comes back by units (see `line_cost_back_post`).
    Preconditions: the line has not been refunded before; 0 < amount <= line.line_total."""
    amount = Decimal(amount)
    if line.refunded_quantity or not 0 < amount <= line.line_total:
        raise LedgerError(
            f"Ligne {line.pk} : {amount} € ne peut être rendu sur {line.line_total} €.",
            code="ledger_refund_mismatch",
        )
    seller_order = order.seller_orders.select_related("seller").get(pk=line.seller_order_id)
    operator = seller_order.seller.is_operator
    held = _remaining(order_id=order.pk).get((seller_order.seller_id, line.category_id), _Slice())
    if held.cash <= 0:
        return RefundPlan(splits=[], amount=ZERO, delivery={}, returned={})
    cash = min(amount, held.cash)
    if operator:
        vat = min(to_money(line.vat_amount * cash / line.line_total), max(held.vat, ZERO))
        split = SaleSplit(
            seller_id=seller_order.seller_id, category_id=line.category_id, amount=cash, vat=vat
        )
    else:
        share = commission_refund_share(
            commission=line.commission_amount or ZERO, line_total=line.line_total, refunded=cash
        )
        commission, commission_vat = _commission_split(share)
        split = SaleSplit(
            seller_id=seller_order.seller_id,
            category_id=line.category_id,
            amount=cash,
            commission=min(commission, max(held.commission, ZERO)),
            commission_vat=min(commission_vat, max(held.vat, ZERO)),
        )
    return RefundPlan(splits=[split], amount=cash, delivery={}, returned={})


def line_cost_back_post(
    *, order, line, refunded: Decimal, key: str, date: datetime.date | None = None
) -> JournalEntry | None:
    """The operator's purchase cost of a line given back pro rata of `refunded` out of the line's
    total (Dr 401 / Cr 607, OD): the supplier costs of a cancelled trip's refunded part are not
    incurred, those of the part kept as a fee are. Nothing for a third-party seller's line or a
    line without a purchase cost. Idempotent by `key`."""
    full = line_purchase_cost(line, units=line.quantity)
    if not full or not line.line_total:
        return None
    seller_order = order.seller_orders.select_related("seller").get(pk=line.seller_order_id)
    if not seller_order.seller.is_operator:
        return None
    cost = to_money(full * Decimal(refunded) / line.line_total)
    if not cost:
        return None
    common = {"seller_id": seller_order.seller_id, "category_id": line.category_id}
    return journal_post(
        journal=chart.JOURNAL_MISC,
        date=date or _today(),
        label=f"Coût d'achat annulé commande {order.number}",
        lines=[
            LineSpec(account=chart.PURCHASES, credit=cost, **common),
            LineSpec(account=chart.SUPPLIERS, debit=cost, **common),
        ],
        reference=order.number,
        storefront=order.storefront_id,
        idempotency_key=key,
        order_id=order.pk,
        order_ref=order.number,
    )


def order_refund_post(
    *, order, refund, plan: RefundPlan, date: datetime.date | None = None
) -> JournalEntry | None:
    """The refund entry (VE) from its plan, and the operator's goods back in stock (OD).
    Idempotent per refund. Precondition: inside the refund's transaction; refund.amount equals
    plan.amount."""
    if refund.amount != plan.amount:
        raise LedgerError(
            f"Remboursement de {refund.amount} € : les parts comptables font {plan.amount} €.",
            code="ledger_refund_mismatch",
        )
    if not plan.splits:
        return None
    date = date or _today()
    entry = ledger_post_refund(
        date=date,
        storefront_id=order.storefront_id,
        splits=plan.splits,
        order_id=order.pk,
        order_ref=order.number,
        reference=refund.provider_ref or order.number,
        idempotency_key=f"refund:{refund.pk}",
        via=_via(refund.payment),
    )
    _cogs_post(
        order=order, quantities=plan.returned, date=date, key=f"cogs-back:{refund.pk}", back=True
    )
    return entry


# --- Shipping --------------------------------------------------------------------------------


def seller_order_parcel_post(
    *, seller_order, date: datetime.date | None = None
) -> JournalEntry | None:
    """The carrier's cost of a parcel the operator ships itself (Dr 624200 / Cr 401000, OD);
    nothing for a third-party seller's parcel (the seller pays its carrier). Idempotent per
    seller order. Precondition: inside the shipment's transaction."""
    if not seller_order.seller.is_operator:
        return None
    cost = parcel_cost()
    if cost <= 0:
        return None
    order = seller_order.order
    # The parcel's cost is charged to its categories pro rata of the goods' value.
    weights: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    for line in seller_order.lines.all():
        weights[line.category_id] += line.line_total
    categories = sorted(weights, key=lambda pk: pk or 0) or [None]
    parts = allocate(cost, [weights[pk] for pk in categories]) if weights else [cost]
    lines = [
        LineSpec(
            account=chart.DELIVERY_COSTS,
            debit=part,
            seller_id=seller_order.seller_id,
            category_id=category_id,
        )
        for category_id, part in zip(categories, parts, strict=True)
        if part
    ]
    lines.append(LineSpec(account=chart.SUPPLIERS, credit=cost, seller_id=seller_order.seller_id))
    return journal_post(
        journal=chart.JOURNAL_MISC,
        date=date or _today(),
        label=f"Transport colis {order.number}",
        lines=lines,
        reference=seller_order.tracking_number or order.number,
        storefront=order.storefront_id,
        idempotency_key=f"parcel:{seller_order.pk}",
        order_id=order.pk,
        order_ref=order.number,
    )
