"""Cross-checks of orders, payments, payouts and the ledger, run by `galerie ledger-check`
(registered in PayoutsConfig.ready)."""

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.money import CENT, format_money
from galerie.ledger import chart
from galerie.ledger.models import EntryKind, JournalEntry, JournalLine
from galerie.ledger.selectors import seller_payable_balance
from galerie.orders.models import Order, SellerOrder
from galerie.payments.models import Payment, PaymentStatus
from galerie.payouts.models import Payout
from galerie.payouts.selectors import seller_owed_by_orders

MAX_REPORTED = 20
ZERO = Decimal("0.00")
_CASH = [chart.PROVIDER_CLEARING, chart.BANK, chart.CUSTOMERS]


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _folded_into_history(payment) -> bool:
    """A payment of a storefront taken from another installation, captured before its ledger's
    detail starts: its sale is inside that storefront's monthly history entries."""
    detail_from = payment.order.storefront.ledger_detail_from if payment.order.storefront else None
    return bool(
        detail_from
        and payment.captured_at
        and timezone.localdate(payment.captured_at) < detail_from
        and not JournalEntry.objects.filter(order_id=payment.order_id).exists()
    )


def captures_have_entries() -> list[str]:
    """Every captured payment has its capture entry, for the same amount (cash side)."""
    problems = []
    captured = Payment.objects.filter(status=PaymentStatus.CAPTURED).select_related(
        "order__storefront"
    )
    keys = {f"capture:{p.pk}": p for p in captured}
    entries = {
        e.idempotency_key: e
        for e in JournalEntry.objects.filter(idempotency_key__in=list(keys), kind=EntryKind.CAPTURE)
    }
    cash = {
        row["entry_id"]: _cents(row["d"])
        for row in JournalLine.objects.filter(
            entry__in=list(entries.values()), account__number__in=_CASH
        )
        .values("entry_id")
        .annotate(d=Sum("debit"))
    }
    for key, payment in sorted(keys.items(), key=lambda item: item[1].pk):
        entry = entries.get(key)
        if entry is None and _folded_into_history(payment):
            continue
        if entry is None:
            problems.append(
                _("Paiement %(pk)s (%(amount)s, commande %(order)s) encaissé sans écriture.")
                % {
                    "pk": payment.pk,
                    "amount": format_money(payment.amount),
                    "order": payment.order.number,
                }
            )
        elif cash.get(entry.pk, ZERO) != payment.amount:
            problems.append(
                _("Paiement %(pk)s : %(amount)s encaissés, l'écriture %(piece)s en porte %(cash)s.")
                % {
                    "pk": payment.pk,
                    "amount": format_money(payment.amount),
                    "piece": entry.piece_number,
                    "cash": format_money(cash.get(entry.pk, ZERO)),
                }
            )
        if len(problems) >= MAX_REPORTED:
            break
    return problems


def payables_match_orders() -> list[str]:
    """Each seller's payable balance (ledger) equals what its orders say it is owed."""
    problems = []
    seller_ids = set(
        SellerOrder.objects.filter(order__paid_at__isnull=False, seller__is_operator=False)
        .values_list("seller_id", flat=True)
        .distinct()
    ) | set(Payout.objects.values_list("seller_id", flat=True).distinct())
    for seller_id in sorted(seller_ids):
        ledger = seller_payable_balance(seller_id=seller_id)
        orders = seller_owed_by_orders(seller_id=seller_id)
        if ledger != orders:
            problems.append(
                _(
                    "Vendeur %(seller)s : le grand livre lui doit %(ledger)s, ses commandes "
                    "%(orders)s (écart %(gap)s)."
                )
                % {
                    "seller": seller_id,
                    "ledger": format_money(ledger),
                    "orders": format_money(orders),
                    "gap": format_money(ledger - orders),
                }
            )
            if len(problems) >= MAX_REPORTED:
                break
    return problems


def orders_totals_match_lines() -> list[str]:
    """An order's totals are the sums of its lines and of its seller orders' delivery fees.
    Sums are compared in Python to the cent (SQLite sums decimals as floats)."""
    problems = []
    orders = Order.objects.annotate(
        lines_sum=Sum("lines__line_total"),
    ).values_list("pk", "items_total", "delivery_total", "total", "lines_sum")
    fees = dict(
        SellerOrder.objects.values("order_id")
        .annotate(s=Sum("delivery_fee"))
        .values_list("order_id", "s")
    )
    for pk, items, delivery, total, lines_sum in orders.iterator():
        number = f"G{pk:07d}"
        if items != _cents(lines_sum):
            problems.append(
                _("Commande %(number)s : articles %(items)s, ses lignes %(lines)s.")
                % {
                    "number": number,
                    "items": format_money(items),
                    "lines": format_money(_cents(lines_sum)),
                }
            )
        if pk in fees and delivery != _cents(fees[pk]):
            problems.append(
                _("Commande %(number)s : livraison %(delivery)s, ses colis %(fees)s.")
                % {
                    "number": number,
                    "delivery": format_money(delivery),
                    "fees": format_money(_cents(fees[pk])),
                }
            )
        if total != items + delivery:
            problems.append(
                _("Commande %(number)s : total %(total)s ≠ %(items)s + %(delivery)s.")
                % {
                    "number": number,
                    "total": format_money(total),
                    "items": format_money(items),
                    "delivery": format_money(delivery),
                }
            )
        if len(problems) >= MAX_REPORTED:
            return problems
    parts = SellerOrder.objects.annotate(lines_sum=Sum("lines__line_total")).values_list(
        "pk", "items_total", "delivery_fee", "total", "lines_sum"
    )
    for pk, items, fee, total, lines_sum in parts.iterator():
        if items != _cents(lines_sum) or total != items + fee:
            problems.append(
                _(
                    "Sous-commande %(pk)s : articles %(items)s (lignes %(lines)s), port %(fee)s, "
                    "total %(total)s."
                )
                % {
                    "pk": pk,
                    "items": format_money(items),
                    "lines": format_money(_cents(lines_sum)),
                    "fee": format_money(fee),
                    "total": format_money(total),
                }
            )
        if len(problems) >= MAX_REPORTED:
            break
    return problems


def payouts_have_entries() -> list[str]:
    """Each payout has its ledger entry for the same amount."""
    problems = []
    payouts = {f"payout:{p.pk}": p for p in Payout.objects.all()}
    entries = {
        e.idempotency_key: e for e in JournalEntry.objects.filter(idempotency_key__in=list(payouts))
    }
    for key, payout in payouts.items():
        entry = entries.get(key)
        if entry is None:
            problems.append(
                _("Versement %(reference)s (%(amount)s) sans écriture.")
                % {"reference": payout.reference, "amount": format_money(payout.amount)}
            )
            continue
        paid = _cents(
            entry.lines.filter(account__number=chart.BANK).aggregate(c=Sum("credit"))["c"]
        )
        if paid != payout.amount:
            problems.append(
                _("Versement %(reference)s : %(amount)s, écriture %(paid)s.")
                % {
                    "reference": payout.reference,
                    "amount": format_money(payout.amount),
                    "paid": format_money(paid),
                }
            )
    return problems[:MAX_REPORTED]


CHECKS = [
    (
        gettext_lazy("chaque paiement encaissé a son écriture, au même montant"),
        captures_have_entries,
    ),
    (
        gettext_lazy("le compte de chaque vendeur égale ce que ses commandes lui doivent"),
        payables_match_orders,
    ),
    (
        gettext_lazy("les totaux des commandes sont ceux de leurs lignes"),
        orders_totals_match_lines,
    ),
    (
        gettext_lazy("chaque versement a son écriture, au même montant"),
        payouts_have_entries,
    ),
]
