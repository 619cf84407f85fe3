"""Writes of the reporting app: recording and reversing fixed costs, each with its ledger entry."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.money import CENT
from galerie.ledger import chart as ledger_chart
from galerie.ledger.models import EntryKind
from galerie.ledger.services import LineSpec, journal_post, journal_reverse
from galerie.reporting.chart import FixedCostKind, fixed_cost_accounts
from galerie.reporting.models import FIXED_COST_AMOUNT_MAX, FixedCost, FixedCostError
from galerie.storefronts.models import Storefront


def _money(value, *, field: str, label: str) -> Decimal:
    if isinstance(value, float | bool) or value is None:
        raise FixedCostError(
            _("%(l)s : saisissez un montant en euros.") % {"l": label}, field=field
        )
    try:
        amount = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise FixedCostError(
            _("%(l)s : « %(v)s » n'est pas un montant.") % {"l": label, "v": value}, field=field
        ) from None
    if amount.is_finite() and abs(amount) > FIXED_COST_AMOUNT_MAX:  # before quantizing 1E+30
        raise FixedCostError(
            _("Montant de %(a)s € invraisemblable pour un mois : vérifiez la saisie.")
            % {"a": amount},
            field=field,
        )
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise FixedCostError(
            _("%(l)s : un montant s'arrondit au centime (« %(v)s »).") % {"l": label, "v": value},
            field=field,
        )
    return amount.quantize(CENT)


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def fixed_cost_validate(
    *, storefront: Storefront | None, month, kind: str, amount, vat=Decimal("0.00"), label: str
) -> tuple[datetime.date, Decimal, Decimal, str]:
    """Check a fixed cost before it is recorded; returns (month, amount, vat, label) cleaned.
    Raises FixedCostError with the offending field; nothing is written."""
    if storefront is None:
        raise FixedCostError(_("Choisissez la boutique qui porte ce coût."), field="storefront")
    if kind not in FixedCostKind.values:
        raise FixedCostError(_("Nature de coût inconnue « %(k)s ».") % {"k": kind}, field="kind")
    if isinstance(month, datetime.datetime) or not isinstance(month, datetime.date):
        raise FixedCostError(_("Indiquez le mois (une date)."), field="month")
    month = month_start(month)
    if month > month_start(clock.localdate()):
        raise FixedCostError(
            _("On ne comptabilise pas un coût d'un mois à venir (%(m)s).")
            % {"m": month.strftime("%m/%Y")},
            field="month",
        )
    amount = _money(amount, field="amount", label=_("Montant HT"))
    if amount <= 0:
        raise FixedCostError(
            _("Le montant HT doit être positif : une correction se fait en annulant le coût."),
            field="amount",
        )
    vat = _money(vat if vat not in ("", None) else "0", field="vat", label=_("TVA"))
    if vat < 0 or vat > amount:
        raise FixedCostError(
            _("La TVA déductible est comprise entre 0 et le montant HT."), field="vat"
        )
    if kind == FixedCostKind.STAFF and vat:
        raise FixedCostError(_("Les salaires ne portent pas de TVA."), field="vat")
    label = (label or "").strip()
    if not label:
        raise FixedCostError(
            _("Donnez un libellé (ex. « Salaires équipe marketing »)."), field="label"
        )
    return month, amount, vat, label[:150]


@transaction.atomic
def fixed_cost_record(
    *,
    storefront: Storefront,
    month: datetime.date,
    kind: str,
    amount,
    label: str,
    vat=Decimal("0.00"),
    actor=None,
) -> FixedCost:
    """Record a storefront's fixed cost for a month and post it, in the same transaction:
    Dr the expense account of its kind (641 staff, 623 marketing, 6135 hosting, 6132 rent, 628
    other) HT, Dr 445660 the deductible VAT if any, Cr 401 suppliers (421 staff) incl. VAT.
    The entry is dated the first day of the month so monthly reports count it in that month."""
    month, amount, vat, label = fixed_cost_validate(
        storefront=storefront, month=month, kind=kind, amount=amount, vat=vat, label=label
    )
    expense, payable = fixed_cost_accounts(kind)
    cost = FixedCost(
        storefront=storefront,
        month=month,
        kind=kind,
        amount=amount,
        vat=vat,
        label=label,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    lines = [LineSpec(account=expense, debit=amount)]
    if vat:
        lines.append(LineSpec(account=ledger_chart.VAT_DEDUCTIBLE, debit=vat))
    lines.append(LineSpec(account=payable, credit=amount + vat))
    cost.entry = journal_post(
        journal=ledger_chart.JOURNAL_MISC,
        date=month,
        label=f"{FixedCostKind(kind).label.capitalize()} — {label}",
        lines=lines,
        reference=f"FIXE-{str(cost.public_id)[:8]}",
        storefront=storefront,
        idempotency_key=f"fixed-cost:{cost.public_id}",
        kind=EntryKind.MANUAL,
    )
    cost.save()
    return cost


@transaction.atomic
def fixed_cost_reverse(*, cost: FixedCost, reason: str, actor=None) -> FixedCost:
    """Cancel a recorded cost: a reversal row with the opposite amount and the mirror entry, dated
    in the cost's own month so that month's figures are corrected. A cost is reversed once; a
    reversal is not itself reversed (record the right cost again instead)."""
    reason = (reason or "").strip()
    if not reason:
        raise FixedCostError(_("Indiquez le motif de l'annulation."), field="reason")
    cost = FixedCost.objects.select_for_update().select_related("entry").get(pk=cost.pk)
    if cost.reverses_id is not None:
        raise FixedCostError(
            _("Une annulation ne s'annule pas : saisissez de nouveau le coût."),
            code="fixed_cost_reverse_reversal",
        )
    if FixedCost.objects.filter(reverses=cost).exists():
        raise FixedCostError(_("Ce coût est déjà annulé."), code="fixed_cost_already_reversed")
    reversal = FixedCost(
        storefront_id=cost.storefront_id,
        month=cost.month,
        kind=cost.kind,
        amount=-cost.amount,
        vat=-cost.vat,
        label=f"Annulation : {cost.label}"[:150],
        reverses=cost,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    reversal.entry = journal_reverse(
        entry=cost.entry,
        date=cost.entry.date,
        label=f"Annulation — {cost.label} ({reason})"[:200],
        idempotency_key=f"fixed-cost:{reversal.public_id}",
    )
    reversal.save()
    return reversal
