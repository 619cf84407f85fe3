"""ledger-check passes on a clean ledger and reports a corrupted one."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from galerie.ledger import chart, checks
from galerie.ledger.models import Journal, JournalLine
from galerie.ledger.services import (
    SaleSplit,
    journal_reverse,
    ledger_post_capture,
    ledger_post_payout,
)

D = Decimal
DAY = datetime.date(2026, 3, 14)


@pytest.fixture
def ledger(seller_a, operator, storefront, books):
    capture = ledger_post_capture(
        date=DAY,
        storefront_id=storefront.pk,
        splits=[
            SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("30.00"),
                      commission=D("3.75"), commission_vat=D("0.75")),
            SaleSplit(seller_id=operator.pk, amount=D("12.00"), vat=D("2.00")),
        ],
    )  # fmt: skip
    ledger_post_payout(date=DAY, seller_id=seller_a.pk, amount=D("20.00"))
    journal_reverse(entry=capture, date=DAY, label="Annulation")
    return capture


def corrupt(sql, params):
    """Write behind the ledger's back, as a careless DBA would: disable the guard first
    (inside the test's transaction, so it is restored afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # deferred foreign-key checks must fire before the table may be altered
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_journalline DISABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DROP TRIGGER ledger_journalline_no_update")
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_clean_ledger_passes(ledger, capsys):
    call_command("ledger_check")
    out = capsys.readouterr().out
    assert "ÉCHEC" not in out
    assert f"Grand livre cohérent ({len(checks.CHECKS)} contrôles)." in out


@pytest.mark.django_db
def test_corrupted_line_is_reported(ledger, capsys):
    line = ledger.lines.get(account__code=chart.PROVIDER_CLEARING, debit=D("30.00"))
    corrupt("UPDATE ledger_journalline SET debit = 30.01 WHERE id = %s", [line.pk])

    with pytest.raises(CommandError) as failed:
        call_command("ledger_check")

    out = capsys.readouterr().out
    # Amounts as the pages write them (babel, fr_FR: a no-break space before the euro sign).
    assert (
        f"Écriture {ledger.piece_number} déséquilibrée : débit 42,01\xa0€ ≠ crédit 42,00\xa0€."
        in out
    )
    assert "Balance générale : total débit" in out
    assert (
        "Compte 511200 : solde enregistré 42,00\xa0€ D / 42,00\xa0€ C, "
        "somme des lignes 42,01\xa0€ D / 42,00\xa0€ C." in out
    )
    assert "n'est pas le miroir de l'écriture" in out
    assert "chaque écriture est équilibrée" in str(failed.value)


@pytest.mark.django_db
def test_line_moved_to_another_date_or_side_is_reported(ledger):
    line = ledger.lines.filter(credit__gt=0).first()
    corrupt("UPDATE ledger_journalline SET date = %s WHERE id = %s", [DAY.replace(day=1), line.pk])
    results = {r.name: r for r in checks.ledger_check_run()}
    assert results["les lignes portent la date de leur écriture"].problems == [
        f"Ligne {line.pk} datée du 2026-03-01 dans une écriture du 2026-03-14."
    ]
    assert results["chaque écriture est équilibrée"].ok


@pytest.mark.django_db
def test_gap_in_numbering_is_reported(ledger):
    Journal.objects.filter(code="VE").update(last_number=5)
    results = {r.name: r for r in checks.ledger_check_run()}
    assert results["la numérotation des journaux est continue"].problems == [
        "Journal VE : 2 écritures, numéro maximal 2, dernier numéro attribué 5 — "
        "la numérotation a un trou."
    ]


@pytest.mark.django_db
def test_registered_cross_check_runs(ledger, monkeypatch):
    monkeypatch.setattr(checks, "CHECKS", list(checks.CHECKS))
    checks.ledger_check_register("commandes et grand livre", lambda: ["Commande 7 : écart 1 €."])
    checks.ledger_check_register("commandes et grand livre", lambda: [])  # same name: kept once
    with pytest.raises(CommandError, match="commandes et grand livre"):
        call_command("ledger_check")
    assert JournalLine.objects.count() == 16


@pytest.mark.django_db
def test_line_in_the_wrong_month_is_reported(ledger):
    line = ledger.lines.first()
    corrupt("UPDATE ledger_journalline SET month = %s WHERE id = %s", ["2026-02-01", line.pk])
    results = {r.name: r for r in checks.ledger_check_run()}
    assert results["le mois des lignes est celui de leur date"].problems == [
        f"Ligne {line.pk} datée du 2026-03-14 rangée dans le mois du 2026-02-01."
    ]


@pytest.mark.django_db
def test_monthly_total_out_of_step_is_reported(ledger):
    from galerie.ledger.models import LedgerTotal

    total = LedgerTotal.objects.get(account__code=chart.COMMISSION_REVENUE, entry_kind="capture")
    LedgerTotal.objects.filter(pk=total.pk).update(credit=D("4.00"))
    results = {r.name: r for r in checks.ledger_check_run()}
    [problem] = results["les cumuls mensuels sont la somme des lignes"].problems
    assert problem.endswith(
        "(capture) : 0,00\xa0€ D / 4,00\xa0€ C, les lignes donnent 0,00\xa0€ D / 3,75\xa0€ C."
    )


@pytest.mark.django_db
def test_problems_are_reported_in_english_with_english_amounts(ledger):
    line = ledger.lines.get(account__code=chart.PROVIDER_CLEARING, debit=D("30.00"))
    corrupt("UPDATE ledger_journalline SET debit = 30.01 WHERE id = %s", [line.pk])

    with translation.override("en"):
        results = {r.name: r for r in checks.ledger_check_run()}

    assert results["every entry is balanced"].problems == [
        f"Entry {ledger.piece_number} is unbalanced: debit €42.01 ≠ credit €42.00."
    ]


@pytest.mark.django_db
def test_crashing_cross_check_is_reported_and_the_others_still_run(ledger, monkeypatch):
    def broken():
        raise RuntimeError("table des paiements absente")

    monkeypatch.setattr(checks, "CHECKS", [*checks.CHECKS, ("paiements", broken)])
    results = {r.name: r for r in checks.ledger_check_run()}
    assert results["paiements"].problems == [
        "le contrôle a échoué : RuntimeError: table des paiements absente"
    ]
    assert results["chaque écriture est équilibrée"].ok
