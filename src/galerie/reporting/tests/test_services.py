"""Fixed costs: recorded with their ledger entry in one transaction, refused cleanly, never
edited, corrected by a reversal."""

import datetime
from decimal import Decimal

import pytest

from galerie.ledger.models import JournalEntry, JournalLine
from galerie.reporting.chart import FixedCostKind
from galerie.reporting.models import FixedCost, FixedCostError
from galerie.reporting.services import fixed_cost_record, fixed_cost_reverse

MARCH = datetime.date(2026, 3, 1)
pytestmark = pytest.mark.django_db


def _record(shop, **overrides):
    values = {"storefront": shop, "month": datetime.date(2026, 3, 17),
              "kind": FixedCostKind.HOSTING, "amount": "1200.00", "vat": "240.00",
              "label": "Serveurs"}  # fmt: skip
    values.update(overrides)
    return fixed_cost_record(**values)


def test_recording_posts_a_balanced_entry_in_the_month(tech):
    cost = _record(tech)
    assert cost.month == MARCH
    entry = cost.entry
    assert entry.date == MARCH and entry.storefront_id == tech.pk and entry.journal.code == "OD"
    lines = {(line.account.code, line.debit, line.credit) for line in entry.lines.all()}
    assert lines == {
        ("613500", Decimal("1200.00"), Decimal("0.00")),
        ("445660", Decimal("240.00"), Decimal("0.00")),
        ("401000", Decimal("0.00"), Decimal("1440.00")),
    }
    assert all(line.storefront_id == tech.pk for line in entry.lines.all())


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "0"}, "amount", "doit être positif"),
        ({"amount": "-10"}, "amount", "doit être positif"),
        ({"amount": "12.345"}, "amount", "au centime"),
        ({"amount": "douze"}, "amount", "n'est pas un montant"),
        ({"amount": 12.5}, "amount", "en euros"),
        ({"amount": "200000000"}, "amount", "invraisemblable"),
        ({"vat": "2000"}, "vat", "entre 0 et le montant HT"),
        ({"kind": FixedCostKind.STAFF, "vat": "10"}, "vat", "salaires"),
        ({"kind": "bonus"}, "kind", "inconnue"),
        ({"label": "   "}, "label", "libellé"),
        ({"storefront": None}, "storefront", "boutique"),
        ({"month": datetime.date(2099, 1, 1)}, "month", "mois à venir"),
        ({"month": "2026-03"}, "month", "une date"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(tech, overrides, field, message):
    with pytest.raises(FixedCostError) as refused:
        _record(tech, **overrides)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not FixedCost.objects.exists()
    assert not JournalEntry.objects.exists() and not JournalLine.objects.exists()


def test_a_posted_cost_is_never_updated_nor_deleted(tech):
    cost = _record(tech)
    cost.amount = Decimal("1.00")
    with pytest.raises(FixedCostError, match="ne se modifie pas"):
        cost.save()
    with pytest.raises(FixedCostError, match="ne se supprime pas"):
        cost.delete()
    cost.refresh_from_db()
    assert cost.amount == Decimal("1200.00")


def test_reversal_mirrors_the_entry_in_the_same_month_once(tech):
    cost = _record(tech)
    reversal = fixed_cost_reverse(cost=cost, reason="facture en double")
    assert (reversal.amount, reversal.vat, reversal.month) == (
        Decimal("-1200.00"), Decimal("-240.00"), MARCH,
    )  # fmt: skip
    assert reversal.entry.reverses_id == cost.entry_id and reversal.entry.date == MARCH
    cost.refresh_from_db()
    assert cost.is_reversed
    with pytest.raises(FixedCostError, match="déjà annulé"):
        fixed_cost_reverse(cost=cost, reason="encore")
    with pytest.raises(FixedCostError, match="ne s'annule pas"):
        fixed_cost_reverse(cost=reversal, reason="annuler l'annulation")
    with pytest.raises(FixedCostError, match="motif"):
        fixed_cost_reverse(cost=_record(tech, label="Autre"), reason=" ")
    assert FixedCost.objects.count() == 3


def test_reversed_cost_leaves_nothing_in_the_report(tech):
    from galerie.reporting.selectors import economics

    cost = _record(tech, kind=FixedCostKind.RENT, vat="0")
    fixed_cost_reverse(cost=cost, reason="erreur de boutique")
    (row,) = economics(start=MARCH, end=datetime.date(2026, 3, 31), group_by=())
    assert row.fixed_costs == Decimal("0.00")
