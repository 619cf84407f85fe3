"""Paying sellers: the payout run, with its ledger entries.

`payout_run` pays each verified third-party seller what its delivered seller orders past the
14-day withdrawal window are owed (sales − commission − refunds), plus refunds made after an
earlier payout (negative adjustments), plus the holdback kept on its previous payout, minus the
holdback kept on this one. One transaction per seller: the payout, its statement lines and its
ledger entry (Dr the seller's 467100 sub-account / Cr bank) commit together.

Idempotent: a run is unique by date (running it again for the same day returns the same payouts,
and finishes a run that stopped midway); a seller order is paid out once (unique SALE line), so a
run for a later date never pays it again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.core.money import format_money, to_money
from galerie.invoicing.errors import NoOperator
from galerie.invoicing.services import commission_invoice_issue
from galerie.ledger.selectors import seller_payable_balance
from galerie.ledger.services import ledger_post_payout
from galerie.orders.models import SellerOrderStatus
from galerie.orders.selectors import withdrawal_cutoff
from galerie.payouts.models import RUN_BOUNDS, Payout, PayoutRun, StatementKind, StatementLine
from galerie.payouts.selectors import paid_seller_orders, seller_order_owed
from galerie.sellers.models import Seller, SellerStatus

ZERO = Decimal("0.00")


class PayoutError(DomainError):
    pass


def default_holdback_percent() -> Decimal:
    return Decimal(str(getattr(settings, "GALERIE_PAYOUT_HOLDBACK_PERCENT", "10")))


def _holdback(value) -> Decimal:
    try:
        percent = Decimal(str(value))
    except ArithmeticError:
        percent = Decimal("-1")
    low, high = RUN_BOUNDS["holdback_percent"]
    if not percent.is_finite() or not (low <= percent <= high):
        raise PayoutError(
            _("La retenue de garantie est un pourcentage entre 0 et 100 (reçu « %(v)s »).")
            % {"v": value},
            code="invalid_holdback",
            field="holdback_percent",
        )
    return percent.quantize(Decimal("0.01"))


def payout_run(*, as_of: dt.date, holdback_percent: Decimal | str | None = None) -> list[Payout]:
    """Pay every verified seller what it is owed on `as_of`; returns the run's payouts.

    Running it again for the same date pays nobody twice (the same payouts come back); the
    holdback of a date already run is the one it was run with."""
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise PayoutError(_("La date du versement doit être une date."), field="as_of")
    percent = _holdback(
        default_holdback_percent() if holdback_percent is None else holdback_percent
    )
    try:
        with transaction.atomic():
            run, _created = PayoutRun.objects.get_or_create(
                as_of=as_of, defaults={"holdback_percent": percent}
            )
    except IntegrityError:  # a concurrent run for the same date created it first
        run = PayoutRun.objects.get(as_of=as_of)
    if run.completed_at is None:
        notes = []
        cutoff = withdrawal_cutoff(on=as_of)
        sellers = Seller.objects.filter(status=SellerStatus.VERIFIED, is_operator=False)
        for seller in sellers.order_by("pk"):
            if run.payouts.filter(seller=seller).exists():
                continue
            try:
                with transaction.atomic():
                    note = _payout_seller(run=run, seller=seller, cutoff=cutoff)
            except IntegrityError:
                note = _("%(s)s : payé par une autre campagne en cours.") % {"s": seller.name}
            if note:
                notes.append(note)
        PayoutRun.objects.filter(pk=run.pk, completed_at__isnull=True).update(
            completed_at=clock.now(), notes="\n".join(notes)
        )
    return list(run.payouts.select_related("seller").order_by("pk"))


def _payout_seller(*, run: PayoutRun, seller: Seller, cutoff: dt.datetime) -> str:
    """Pay one seller within the caller's transaction, with the operator's invoice for the
    commission kept; returns why it was not paid (or its commission not invoiced), or ""."""
    lines: list[StatementLine] = []
    # Delivered parts past the withdrawal period, and trips cancelled by their customer under the
    # fee schedule whose kept fee is the seller's (cancelled as long ago, for one rule of timing).
    eligible = (
        paid_seller_orders(seller_id=seller.pk)
        .filter(
            Q(status=SellerOrderStatus.DELIVERED, delivered_at__lt=cutoff)
            | Q(
                status=SellerOrderStatus.CANCELLED,
                cancelled_at__lt=cutoff,
                lines__booking__cancellation_fee__gt=0,
            )
        )
        .exclude(statement_lines__kind=StatementKind.SALE)
        .distinct()
        .select_related("order")
    )
    sales_net = ZERO
    for seller_order in eligible:
        owed = seller_order_owed(seller_order)
        sales_net += owed.net
        lines.append(
            StatementLine(
                kind=StatementKind.SALE,
                seller_order=seller_order,
                label=_("Commande %(n)s") % {"n": seller_order.order.number},
                sales=owed.sales,
                commission=owed.commission,
                refunded=owed.refunded,
                amount=owed.net,
            )
        )
    # Refunds made after a seller order was paid out are taken back now.
    paid_before = (
        paid_seller_orders(seller_id=seller.pk)
        .filter(statement_lines__kind=StatementKind.SALE, order__refunded_total__gt=0)
        .select_related("order")
        .distinct()
    )
    for seller_order in paid_before:
        owed = seller_order_owed(seller_order)
        settled = sum(
            (
                line.amount
                for line in seller_order.statement_lines.filter(
                    kind__in=[StatementKind.SALE, StatementKind.ADJUSTMENT]
                )
            ),
            ZERO,
        )
        if owed.net != settled:
            lines.append(
                StatementLine(
                    kind=StatementKind.ADJUSTMENT,
                    seller_order=seller_order,
                    label=_("Remboursement après versement, commande %(n)s")
                    % {"n": seller_order.order.number},
                    refunded=settled - owed.net,
                    amount=owed.net - settled,
                )
            )
    held = list(
        StatementLine.objects.filter(
            payout__seller=seller, kind=StatementKind.HOLDBACK, released_by__isnull=True
        ).select_related("payout__run")
    )
    for holdback in held:
        lines.append(
            StatementLine(
                kind=StatementKind.RELEASE,
                releases=holdback,
                label=_("Libération de la retenue du %(d)s")
                % {"d": holdback.payout.run.as_of.strftime("%d/%m/%Y")},
                amount=-holdback.amount,
            )
        )
    keep = to_money(max(sales_net, ZERO) * run.holdback_percent / 100)
    if keep:
        lines.append(
            StatementLine(
                kind=StatementKind.HOLDBACK,
                label=_("Retenue de garantie (%(p)s %%)") % {"p": run.holdback_percent},
                amount=-keep,
            )
        )
    amount = sum((line.amount for line in lines), ZERO)
    if not lines:
        return ""
    if amount <= 0:
        return _("%(s)s : rien à verser (%(a)s).") % {"s": seller.name, "a": format_money(amount)}
    if not seller.iban:
        return _("%(s)s : %(a)s dus mais aucun IBAN enregistré.") % {
            "s": seller.name,
            "a": format_money(amount),
        }
    balance = seller_payable_balance(seller_id=seller.pk)
    if amount > balance:
        return _("%(s)s : %(a)s calculés mais le compte du vendeur n'est que de %(b)s.") % {
            "s": seller.name,
            "a": format_money(amount),
            "b": format_money(balance),
        }
    payout = Payout.objects.create(
        run=run,
        seller=seller,
        seller_name=(seller.legal_name or seller.name)[:200],
        iban=seller.iban.replace(" ", "").upper(),
        bic=seller.bic.replace(" ", "").upper(),
        amount=amount,
    )
    for line in lines:
        line.payout = payout
    StatementLine.objects.bulk_create(lines)
    note = _commission_invoice(payout=payout, seller=seller, lines=lines)
    # Last write of the transaction: the ledger lock is held until commit.
    ledger_post_payout(
        date=run.as_of,
        seller_id=seller.pk,
        amount=amount,
        reference=payout.reference,
        label=f"Versement {payout.reference} {payout.seller_name}",
        idempotency_key=f"payout:{payout.pk}",
    )
    return note


def _commission_invoice(*, payout: Payout, seller: Seller, lines: list[StatementLine]) -> str:
    """The operator invoices the seller the commission this payout keeps (one line per order,
    VAT at the commission's rate) in its own "C" series; returns a note for the run if it
    cannot (no operator seller row to issue it)."""
    kept = [
        (line.label, line.commission)
        for line in lines
        if line.kind == StatementKind.SALE and line.commission > 0
    ]
    try:
        commission_invoice_issue(
            seller=seller,
            reference=f"payout:{payout.pk}",
            lines=[(_("Commission — %(l)s") % {"l": label}, amount) for label, amount in kept],
        )
    except NoOperator as exc:
        return _("%(s)s : facture de commission non émise (%(e)s)") % {
            "s": seller.name,
            "e": exc.message,
        }
    return ""
