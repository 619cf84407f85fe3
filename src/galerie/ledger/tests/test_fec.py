"""FEC export checked column by column on a known set of entries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from galerie.ledger import chart
from galerie.ledger.errors import LedgerError
from galerie.ledger.fec import FEC_COLUMNS, fec_export
from galerie.ledger.services import (
    LineSpec,
    SaleSplit,
    journal_post,
    ledger_post_capture,
    ledger_post_payout,
)

D = Decimal


@pytest.fixture
def known_entries(operator, seller_a, storefront, books, music):
    ledger_post_capture(
        date=datetime.date(2026, 3, 14),
        storefront_id=storefront.pk,
        order_ref="C-42",
        splits=[
            SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("30.00"),
                      commission=D("3.75"), commission_vat=D("0.75")),
            SaleSplit(seller_id=operator.pk, category_id=music.pk, amount=D("1234.56"),
                      vat=D("205.76")),
        ],
    )  # fmt: skip
    journal_post(
        journal="OD",
        date=datetime.date(2026, 3, 15),
        label="Régularisation\tn°1 l’écart",
        lines=[
            LineSpec(account=chart.PAYMENT_FEES, debit=D("0.10")),
            LineSpec(account=chart.BANK, credit=D("0.10")),
        ],
    )
    ledger_post_payout(
        date=datetime.date(2026, 3, 20), seller_id=seller_a.pk, amount=D("25.50"), reference="VIR-1"
    )
    # outside the exported period
    journal_post(
        journal="OD",
        date=datetime.date(2026, 4, 1),
        label="Avril",
        lines=[
            LineSpec(account=chart.PAYMENT_FEES, debit=D("1.00")),
            LineSpec(account=chart.BANK, credit=D("1.00")),
        ],
    )
    return seller_a


def expected_fec(seller_id: int) -> str:
    valid = timezone.localdate().strftime("%Y%m%d")
    aux = f"V{seller_id:06d}"
    clearing = "511200\tPrestataire de paiement - encaissements à recevoir\t\t"
    payable = (
        f"467100\tVendeurs tiers - sommes encaissées pour leur compte\t{aux}\tAlpha Livres SARL"
    )
    capture = "VE\tVentes\tVE000001\t20260314"
    piece = "C-42\t20260314\tEncaissement commande C-42"
    od = "OD\tOpérations diverses\tOD000001\t20260315"
    od_piece = "OD000001\t20260315\tRégularisation n°1 l'écart"
    bq = "BQ\tBanque\tBQ000001\t20260320"
    bq_piece = "VIR-1\t20260320\tVersement vendeur Alpha Livres SARL"
    tail = f"\t\t\t{valid}\t\t"
    rows = [
        "\t".join(FEC_COLUMNS),
        f"{capture}\t{clearing}\t{piece}\t30,00\t0,00{tail}",
        f"{capture}\t{payable}\t{piece}\t0,00\t25,50{tail}",
        f"{capture}\t706000\tCommissions sur ventes des vendeurs\t\t\t{piece}\t0,00\t3,75{tail}",
        f"{capture}\t445710\tTVA collectée\t\t\t{piece}\t0,00\t0,75{tail}",
        f"{capture}\t{clearing}\t{piece}\t1234,56\t0,00{tail}",
        f"{capture}\t707000\tVentes de marchandises\t\t\t{piece}\t0,00\t1028,80{tail}",
        f"{capture}\t445710\tTVA collectée\t\t\t{piece}\t0,00\t205,76{tail}",
        f"{od}\t627000\tFrais de paiement (services bancaires)\t\t\t{od_piece}\t0,10\t0,00{tail}",
        f"{od}\t512000\tBanque\t\t\t{od_piece}\t0,00\t0,10{tail}",
        f"{bq}\t{payable}\t{bq_piece}\t25,50\t0,00{tail}",
        f"{bq}\t512000\tBanque\t\t\t{bq_piece}\t0,00\t25,50{tail}",
    ]
    return "".join(row + "\r\n" for row in rows)


def test_fec_columns_are_the_18_mandatory_ones_in_order():
    assert FEC_COLUMNS == [
        "JournalCode",
        "JournalLib",
        "EcritureNum",
        "EcritureDate",
        "CompteNum",
        "CompteLib",
        "CompAuxNum",
        "CompAuxLib",
        "PieceRef",
        "PieceDate",
        "EcritureLib",
        "Debit",
        "Credit",
        "EcritureLet",
        "DateLet",
        "ValidDate",
        "Montantdevise",
        "Idevise",
    ]


@pytest.mark.django_db
def test_fec_export_column_by_column(known_entries):
    stream = io.StringIO()
    count = fec_export(
        start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31), stream=stream
    )
    got = stream.getvalue().split("\r\n")
    want = expected_fec(known_entries.pk).split("\r\n")
    assert count == 11
    assert len(got) == len(want)
    for got_row, want_row in zip(got, want, strict=True):
        if not got_row:  # after the last CRLF
            assert not want_row
            continue
        got_cols, want_cols = got_row.split("\t"), want_row.split("\t")
        assert len(got_cols) == 18
        for name, got_col, want_col in zip(FEC_COLUMNS, got_cols, want_cols, strict=True):
            assert (name, got_col) == (name, want_col)


@pytest.mark.django_db
def test_fec_command_writes_the_file_in_iso_8859_15(known_entries, tmp_path):
    target = tmp_path / "123456789FEC20260331.txt"
    call_command("fec_export", "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(target))
    assert target.read_bytes().decode("iso-8859-15") == expected_fec(known_entries.pk)


@pytest.mark.django_db
def test_fec_refuses_an_empty_period(tmp_path):
    target = tmp_path / "fec.txt"
    with pytest.raises(CommandError, match="Période vide"):
        call_command("fec_export", "--from", "2026-03-31", "--to", "2026-03-01", "-o", str(target))
    with pytest.raises(CommandError, match="Date invalide « 2026-13-01 »"):
        call_command("fec_export", "--from", "2026-13-01", "--to", "2026-03-01", "-o", str(target))
    with pytest.raises(LedgerError, match="Période vide"):
        fec_export(start=datetime.date(2026, 2, 1), end=datetime.date(2026, 1, 1), stream=None)
    assert not target.exists()


@pytest.mark.django_db
def test_fec_lists_entries_in_validation_order_so_numbers_stay_in_sequence():
    for day in (20, 14, 17):  # posted out of date order
        journal_post(
            journal="OD",
            date=datetime.date(2026, 3, day),
            label=f"Le {day}",
            lines=[
                LineSpec(account=chart.PAYMENT_FEES, debit=D("1.00")),
                LineSpec(account=chart.BANK, credit=D("1.00")),
            ],
        )
    stream = io.StringIO()
    fec_export(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31), stream=stream)
    records = [row.split("\t") for row in stream.getvalue().split("\r\n")[1:] if row]
    assert [(r[2], r[3]) for r in records[::2]] == [
        ("OD000001", "20260320"),
        ("OD000002", "20260314"),
        ("OD000003", "20260317"),
    ]
