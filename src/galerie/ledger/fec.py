"""French FEC export (Fichier des Écritures Comptables, LPF art. A47 A-1) of the journal.

The 18 mandatory columns, in order, tab-separated, one header line with the field names; dates as
AAAAMMJJ; amounts with a comma as decimal separator and no thousands separator, in separate
Debit and Credit columns; EcritureNum is the journal code and its gapless number; a seller's
sub-account goes to CompAuxNum/CompAuxLib under its collective account 467100. Amounts are in
euros, so Montantdevise and Idevise stay empty. The file is named SIRENFECAAAAMMJJ.txt (closing
date) and encoded ISO-8859-15 by the command.
"""

import datetime
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from galerie.ledger import chart
from galerie.ledger.errors import LedgerError
from galerie.ledger.models import Account, JournalLine

FEC_COLUMNS = [
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
SEPARATOR = "\t"
LINE_END = "\r\n"

# Typographic characters outside ISO-8859-15, replaced by their plain equivalents.
_PLAIN = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
     "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\t": " ", "\r": " ", "\n": " "}
)  # fmt: skip


def fec_text(value: str) -> str:
    return (value or "").translate(_PLAIN).strip()


def fec_date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def fec_amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _general_names() -> dict[str, str]:
    names = {number: definition.name for number, definition in chart.CHART.items()}
    names.update(
        Account.objects.filter(aux_number="", seller__isnull=True).values_list("number", "name")
    )
    return names


def fec_rows(*, start: datetime.date, end: datetime.date):
    """The FEC records (lists of 18 strings) of the entries dated from `start` to `end` included,
    in the order they were validated (posted). Posts hold the ledger lock until commit, so entry
    ids follow that order and each journal's numbers appear in sequence."""
    if start > end:
        raise LedgerError(
            f"Période vide : le {start:%d/%m/%Y} est après le {end:%d/%m/%Y}.", field="start"
        )
    return _records(start=start, end=end, general_names=_general_names())


def _records(*, start: datetime.date, end: datetime.date, general_names: dict[str, str]):
    lines = (
        JournalLine.objects.filter(entry__date__gte=start, entry__date__lte=end)
        .select_related("entry", "entry__journal", "account")
        .order_by("entry_id", "pk")
    )
    for line in lines.iterator(chunk_size=2000):
        entry, account = line.entry, line.account
        if account.aux_number:
            compte_lib = general_names.get(account.number, account.name)
            aux_num, aux_lib = account.aux_number, account.name
        else:
            compte_lib, aux_num, aux_lib = account.name, "", ""
        piece_number = f"{entry.journal.code}{entry.number:06d}"
        yield [
            entry.journal.code,
            fec_text(entry.journal.name),
            piece_number,
            fec_date(entry.date),
            account.number,
            fec_text(compte_lib),
            aux_num,
            fec_text(aux_lib),
            fec_text(entry.reference) or piece_number,
            fec_date(entry.date),
            fec_text(line.label or entry.label),
            fec_amount(line.debit),
            fec_amount(line.credit),
            "",
            "",
            fec_date(timezone.localdate(entry.created_at)),
            "",
            "",
        ]


def fec_export(*, start: datetime.date, end: datetime.date, stream: TextIO) -> int:
    """Write the FEC of the period to a text stream (header included); returns the record count.
    Open a file with newline="" so the CRLF line ends are written as they are."""
    rows = fec_rows(start=start, end=end)
    stream.write(SEPARATOR.join(FEC_COLUMNS) + LINE_END)
    count = 0
    for row in rows:
        stream.write(SEPARATOR.join(row) + LINE_END)
        count += 1
    return count
