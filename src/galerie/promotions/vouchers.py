"""Vouchers: find a code, say whether it applies to a basket, share its discount over the lines,
and count its use under a lock when the order is placed.

The discount is taken off the unit price of the lines it covers (whole cents per unit), so an
order line's `unit_price × quantity` stays its `line_total`: VAT, commissions, the ledger and
refunds ("refund what was paid") need nothing else. A seller's voucher covers only that seller's
lines, the operator's only the operator's own lines: the discount always reduces the sale of
whoever issued it. A new book never goes below 95 % of its publisher's price (loi Lang).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import F, Q
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.money import CENT
from galerie.promotions.errors import (
    VoucherCustomerLimit,
    VoucherExhausted,
    VoucherExpired,
    VoucherNotApplicable,
    VoucherUnknown,
)
from galerie.promotions.models import ReductionKind, Voucher, VoucherRedemption
from galerie.promotions.services import book_floor

HUNDRED = Decimal("100")
# The codes a voucher that does not apply is refused with (API error bodies, quote problems).
VOUCHER_CODES = (
    VoucherUnknown.code,
    VoucherExpired.code,
    VoucherExhausted.code,
    VoucherCustomerLimit.code,
    VoucherNotApplicable.code,
)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VoucherLine:
    """What the discount needs of a basket line: its key, offer (seller, book law), unit price,
    quantity, and whether it can be discounted at all (a trip or a subscription cannot)."""

    key: int
    offer: object
    unit_price: Decimal
    quantity: int
    discountable: bool = True


def voucher_normalize(code: str) -> str:
    return (code or "").strip().upper()


def voucher_find(code: str) -> Voucher:
    """The voucher of `code` (case-insensitive), or VoucherUnknown."""
    normalized = voucher_normalize(code)
    voucher = Voucher.objects.filter(code__iexact=normalized).first() if normalized else None
    if voucher is None:
        raise VoucherUnknown(_("Le code « %(c)s » n'existe pas.") % {"c": normalized[:32]})
    return voucher


def voucher_valid_check(*, voucher: Voucher, now: dt.datetime | None = None) -> None:
    """Refuse a voucher that is not usable now whatever the basket: dates, switched off, used up."""
    now = now or clock.now()
    if not voucher.is_active or not (voucher.starts_at <= now < voucher.ends_at):
        raise VoucherExpired(
            _("Le bon « %(c)s » n'est pas valable aujourd'hui.") % {"c": voucher.code}
        )
    if voucher.max_uses is not None and voucher.uses >= voucher.max_uses:
        raise VoucherExhausted(_("Le bon « %(c)s » a déjà été utilisé.") % {"c": voucher.code})


def voucher_customer_check(*, voucher: Voucher, email: str) -> None:
    """Refuse a voucher the customer (by e-mail) already used as often as allowed."""
    if voucher.max_uses_per_customer is None or not email:
        return
    used = VoucherRedemption.objects.filter(
        voucher=voucher, email=(email or "").strip().lower()
    ).count()
    if used >= voucher.max_uses_per_customer:
        raise VoucherCustomerLimit(
            _("Vous avez déjà utilisé le bon « %(c)s » autant de fois que permis.")
            % {"c": voucher.code}
        )


def _covers(voucher: Voucher, line: VoucherLine) -> bool:
    if not line.discountable:
        return False
    seller = line.offer.seller
    if voucher.seller_id is not None:
        return seller.pk == voucher.seller_id
    return bool(seller.is_operator)


def voucher_discounts(
    *, voucher: Voucher, storefront, lines: Sequence[VoucherLine]
) -> dict[int, Decimal]:
    """The discount per unit of each covered line (key → Decimal), or VoucherNotApplicable."""
    if voucher.storefront_id is not None and getattr(storefront, "pk", None) != (
        voucher.storefront_id
    ):
        raise VoucherNotApplicable(
            _("Le bon « %(c)s » n'est pas valable sur cette boutique.") % {"c": voucher.code}
        )
    covered = [line for line in lines if _covers(voucher, line)]
    if not covered:
        raise VoucherNotApplicable(
            _("Le bon « %(c)s » ne concerne aucun article de votre panier.") % {"c": voucher.code}
        )
    base = sum((line.unit_price * line.quantity for line in covered), ZERO)
    if voucher.min_basket is not None and base < voucher.min_basket:
        raise VoucherNotApplicable(
            _("Le bon « %(c)s » demande %(m)s € d'articles concernés (vous en avez %(b)s €).")
            % {"c": voucher.code, "m": voucher.min_basket, "b": base}
        )
    discounts: dict[int, Decimal] = {}
    for line in covered:
        if voucher.kind == ReductionKind.PERCENT:
            unit = (line.unit_price * voucher.value / HUNDRED).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
        else:
            # The amount shared in proportion to each line, whole cents per unit, rounded down:
            # never more than the voucher's value in all.
            share = voucher.value * line.unit_price * line.quantity / base
            unit = (share / line.quantity).quantize(CENT, rounding=ROUND_DOWN)
        floor = book_floor(line.offer)
        lowest = max(CENT, floor if floor is not None else CENT)
        unit = min(unit, line.unit_price - lowest)
        if unit > 0:
            discounts[line.key] = unit
    if not discounts:
        raise VoucherNotApplicable(
            _(
                "Le bon « %(c)s » ne peut rien déduire : les livres neufs sont déjà au prix "
                "le plus bas que permet la loi (95 %% du prix éditeur)."
            )
            % {"c": voucher.code}
        )
    return discounts


def voucher_redeem(*, voucher_id: int, order, email: str, amount: Decimal) -> None:
    """Count one use of the voucher by `order` (call inside the order's transaction): the
    voucher's row is locked, so of two buyers racing for its last use one gets it and the other
    VoucherExhausted (its order is rolled back with it)."""
    voucher = Voucher.objects.select_for_update().get(pk=voucher_id)
    voucher_valid_check(voucher=voucher)
    voucher_customer_check(voucher=voucher, email=email)
    left = Q() if voucher.max_uses is None else Q(uses__lt=voucher.max_uses)
    if not Voucher.objects.filter(left, pk=voucher.pk).update(uses=F("uses") + 1):
        raise VoucherExhausted(_("Le bon « %(c)s » a déjà été utilisé.") % {"c": voucher.code})
    VoucherRedemption.objects.create(
        voucher=voucher, order=order, email=email.strip().lower(), amount=amount
    )


def voucher_save(*, voucher: Voucher) -> Voucher:
    """Create or change a voucher: its code in capitals (codes are case-insensitive) and the
    model's checks (unique code, dates, value) as form errors before anything is written."""
    voucher.code = voucher_normalize(voucher.code)
    voucher.full_clean()
    voucher.save()
    return voucher
