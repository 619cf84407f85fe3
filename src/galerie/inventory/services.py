"""Stock changes. Every change is a conditional UPDATE with F() plus one StockMovement row.

Lock order: offers are always touched in ascending primary key, so two orders sharing offers
never wait on each other in opposite orders (no deadlock). Call inside the caller's
transaction: an OutOfStock raised half-way rolls back the units already reserved.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from galerie.inventory.errors import InventoryError, OutOfStock
from galerie.inventory.models import MovementKind, StockMovement
from galerie.sellers.limits import OFFER_STOCK_MAX
from galerie.sellers.models import Offer
from galerie.sellers.services import product_offer_summary_refresh


def _merge(items: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: dict[int, int] = {}
    for offer_id, quantity in items:
        if quantity <= 0:
            raise InventoryError(_("La quantité doit être un entier positif."), code="bad_quantity")
        merged[offer_id] = merged.get(offer_id, 0) + quantity
    return sorted(merged.items())


def _record(rows, *, kind, sign, reason, reference, actor):
    """Write the movements and refresh product summaries; rows are (offer_id, qty)."""
    if not rows:
        return
    after = dict(Offer.objects.filter(pk__in=[o for o, _q in rows]).values_list("pk", "stock"))
    StockMovement.objects.bulk_create(
        StockMovement(
            offer_id=offer_id,
            kind=kind,
            delta=sign * quantity,
            quantity=quantity,
            stock_after=after.get(offer_id),
            reason=reason[:200],
            reference=reference[:64],
            actor=actor,
        )
        for offer_id, quantity in rows
    )
    if sign:
        offers = Offer.objects.filter(pk__in=[o for o, _q in rows]).values_list(
            "product_id", "departure"
        )
        # A departure's seats left show on listing cards, not only on its product page.
        product_offer_summary_refresh(
            product_ids=[product for product, _d in offers],
            listed_stock={product for product, departure in offers if departure},
        )


@transaction.atomic
def stock_reserve(
    *, items: Iterable[tuple[int, int]], reference: str, reason: str = "", actor=None
) -> None:
    """Take (offer_id, quantity) units out of available stock, all or nothing.

    Each row is one `UPDATE … WHERE stock >= qty`; a row count of 0 means another buyer took
    the units first and raises OutOfStock (the whole transaction rolls back).
    """
    rows = _merge(items)
    for offer_id, quantity in rows:
        updated = Offer.objects.filter(pk=offer_id, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
        if updated != 1:
            available = Offer.objects.filter(pk=offer_id).values_list("stock", flat=True).first()
            raise OutOfStock(
                ngettext(
                    "Stock insuffisant : il reste %(n)d exemplaire de cette offre.",
                    "Stock insuffisant : il reste %(n)d exemplaires de cette offre.",
                    available or 0,
                )
                % {"n": available or 0},
                offer_id=offer_id,
                available=available or 0,
            )
    _record(
        rows,
        kind=MovementKind.RESERVE,
        sign=-1,
        reason=reason or _("Commande passée"),
        reference=reference,
        actor=actor,
    )


@transaction.atomic
def stock_release(
    *,
    items: Iterable[tuple[int, int]],
    reference: str,
    reason: str,
    kind: str = MovementKind.RELEASE,
    actor=None,
) -> None:
    """Give reserved units back to available stock (payment failure, expiry, cancellation).

    Callers guarantee each reservation is released once (they flip the order's status with a
    conditional update first).
    """
    if kind not in (MovementKind.RELEASE, MovementKind.CANCEL):
        raise InventoryError(_("Nature de mouvement invalide pour une libération."))
    rows = _merge(items)
    for offer_id, quantity in rows:
        Offer.objects.filter(pk=offer_id).update(stock=F("stock") + quantity)
    _record(rows, kind=kind, sign=1, reason=reason, reference=reference, actor=actor)


@transaction.atomic
def stock_ship(
    *, items: Iterable[tuple[int, int]], reference: str, reason: str = "", actor=None
) -> None:
    """The reserved units leave the warehouse: the reservation becomes definitive (delta 0)."""
    rows = _merge(items)
    _record(
        rows,
        kind=MovementKind.SHIP,
        sign=0,
        reason=reason or _("Colis expédié"),
        reference=reference,
        actor=actor,
    )


@transaction.atomic
def stock_adjust(
    *, offer: Offer, delta: int, reason: str, reference: str = "", actor=None
) -> Offer:
    """A seller's or the operator's manual correction (inventory count, damaged goods)."""
    if not reason.strip():
        raise InventoryError(_("Un ajustement de stock doit indiquer un motif."), field="reason")
    if delta == 0:
        raise InventoryError(_("La variation doit être non nulle."), field="delta")
    ceiling = _("Le stock ne peut pas dépasser %(max)s unités.") % {"max": OFFER_STOCK_MAX}
    # Floor and ceiling in one conditional UPDATE: a clear error, never the CHECK's 500 (and no
    # integer the database cannot bind, however large the delta).
    updated = abs(delta) <= OFFER_STOCK_MAX and Offer.objects.filter(
        pk=offer.pk, stock__gte=max(0, -delta), stock__lte=OFFER_STOCK_MAX - max(0, delta)
    ).update(stock=F("stock") + delta)
    if updated != 1:
        if delta > 0:
            raise InventoryError(ceiling, field="delta")
        raise OutOfStock(
            _("Le stock ne peut pas devenir négatif."), offer_id=offer.pk, available=offer.stock
        )
    offer.refresh_from_db(fields=["stock"])
    StockMovement.objects.create(
        offer=offer,
        kind=MovementKind.ADJUST,
        delta=delta,
        quantity=abs(delta),
        stock_after=offer.stock,
        reason=reason[:200],
        reference=reference[:64],
        actor=actor,
    )
    product_offer_summary_refresh(product_ids=[offer.product_id])
    return offer


@transaction.atomic
def stock_set(*, offer: Offer, stock: int, reason: str, reference: str = "", actor=None) -> Offer:
    """Set an offer's available stock to a counted value (a form's absolute figure): the
    adjustment from the stock as it is now, read under the row lock so a sale committed
    meanwhile is not lost from the movement's delta. No movement when nothing changes."""
    if not isinstance(stock, int) or isinstance(stock, bool) or stock < 0:
        raise InventoryError(_("Le stock doit être un entier positif ou nul."), field="stock")
    current = Offer.objects.select_for_update().values_list("stock", flat=True).get(pk=offer.pk)
    if stock == current:
        offer.stock = stock
        return offer
    return stock_adjust(
        offer=offer, delta=stock - current, reason=reason, reference=reference, actor=actor
    )


def stock_movements_record(
    *, changes: Iterable[tuple[int, int, int]], reason: str, reference: str = "", actor=None
) -> int:
    """Record the stock that a bulk writer (the feed import, the portal's bulk update) set in its
    own set-based UPDATE: one adjustment per (offer id, stock before, stock after) that differ,
    written in bulk. Call in the transaction that wrote the stock, after reading `before` under
    the lock that writer holds; the writer refreshes the product summaries once for its batch.
    Returns the number of movements written."""
    movements = [
        StockMovement(
            offer_id=offer_id,
            kind=MovementKind.ADJUST,
            delta=after - before,
            quantity=abs(after - before),
            stock_after=after,
            reason=reason[:200],
            reference=reference[:64],
            actor=actor,
        )
        for offer_id, before, after in changes
        if after != before
    ]
    StockMovement.objects.bulk_create(movements, batch_size=1000)
    return len(movements)
