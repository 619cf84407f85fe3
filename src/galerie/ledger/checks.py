"""Consistency checks of the ledger, run by `galerie ledger-check`.

Each check is a function returning a list of problems (readable French sentences); an empty list
means it passed. Other apps add their cross-checks (orders ↔ payments ↔ ledger) with
`ledger_check_register`, e.g. in their AppConfig.ready():

    from galerie.ledger.checks import ledger_check_register
    ledger_check_register("commandes et encaissements", orders_vs_ledger_check)
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from galerie.core.money import CENT
from galerie.ledger.models import Account, Journal, JournalEntry, JournalLine, LedgerTotal

Check = Callable[[], list[str]]
ZERO = Decimal("0.00")
HALF_CENT = Decimal("0.005")
MAX_REPORTED = 20


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _entries_balance() -> list[str]:
    # Half a cent of tolerance: SQLite sums decimals as floats; PostgreSQL sums them exactly.
    rows = (
        JournalLine.objects.values("entry_id", "entry__journal__code", "entry__number")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .annotate(gap=F("d") - F("c"))
        .filter(Q(gap__gt=HALF_CENT) | Q(gap__lt=-HALF_CENT))
        .order_by("entry_id")
    )
    return [
        f"Écriture {row['entry__journal__code']}{row['entry__number']:06d} déséquilibrée : "
        f"débit {_cents(row['d'])} € ≠ crédit {_cents(row['c'])} €."
        for row in rows[:MAX_REPORTED]
    ]


def _entries_have_two_lines() -> list[str]:
    rows = (
        JournalEntry.objects.annotate(n=Count("lines"))
        .filter(n__lt=2)
        .values_list("pk", "n")
        .order_by("pk")
    )
    return [f"Écriture {pk} : {n} ligne(s), il en faut au moins deux." for pk, n in rows]


def _lines_one_side() -> list[str]:
    bad = JournalLine.objects.exclude(
        (Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0))
    ).values_list("pk", "debit", "credit")
    return [f"Ligne {pk} : débit {d} € et crédit {c} €." for pk, d, c in bad[:MAX_REPORTED]]


def _no_orphan_lines() -> list[str]:
    orphans = JournalLine.objects.filter(
        ~Exists(JournalEntry.objects.filter(pk=OuterRef("entry_id")))
        | ~Exists(Account.objects.filter(pk=OuterRef("account_id")))
    ).values_list("pk", flat=True)
    return [f"Ligne {pk} sans écriture ou sans compte." for pk in orphans[:MAX_REPORTED]]


def _lines_match_entry() -> list[str]:
    bad = (
        JournalLine.objects.exclude(date=F("entry__date"))
        .values_list("pk", "date", "entry__date")
        .order_by("pk")
    )
    return [
        f"Ligne {pk} datée du {line_date} dans une écriture du {entry_date}."
        for pk, line_date, entry_date in bad[:MAX_REPORTED]
    ]


def _lines_month_match_date() -> list[str]:
    bad = (
        JournalLine.objects.exclude(month=TruncMonth("date"))
        .values_list("pk", "date", "month")
        .order_by("pk")
    )
    return [
        f"Ligne {pk} datée du {line_date} rangée dans le mois du {month}."
        for pk, line_date, month in bad[:MAX_REPORTED]
    ]


def _trial_balance_zero() -> list[str]:
    totals = JournalLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    debit, credit = _cents(totals["d"]), _cents(totals["c"])
    if debit != credit:
        return [f"Balance générale : total débit {debit} € ≠ total crédit {credit} €."]
    return []


def _account_totals_match_lines() -> list[str]:
    computed = {
        row["account_id"]: (_cents(row["d"]), _cents(row["c"]))
        for row in JournalLine.objects.values("account_id").annotate(
            d=Sum("debit"), c=Sum("credit")
        )
    }
    problems = []
    for account in Account.objects.order_by("code"):
        debit, credit = computed.get(account.pk, (ZERO, ZERO))
        if (account.debit_total, account.credit_total) != (debit, credit):
            problems.append(
                f"Compte {account.code} : solde enregistré {account.debit_total} € D / "
                f"{account.credit_total} € C, somme des lignes {debit} € D / {credit} € C."
            )
    return problems[:MAX_REPORTED]


def _monthly_totals_match_lines() -> list[str]:
    keys = ["month", "account_id", "storefront_id", "seller_id", "category_id", "entry_kind"]

    def grouped(queryset):
        rows = queryset.order_by().values(*keys).annotate(d=Sum("debit"), c=Sum("credit"))
        return {
            tuple(row[key] for key in keys): (_cents(row["d"]), _cents(row["c"]))
            for row in rows.iterator()
        }

    from_lines = grouped(JournalLine.objects.annotate(entry_kind=F("entry__kind")))
    from_totals = grouped(LedgerTotal.objects.all())
    problems = []
    for key in sorted(
        set(from_lines) | set(from_totals), key=lambda k: [(v is None, v) for v in k]
    ):
        expected = from_lines.get(key, (ZERO, ZERO))
        stored = from_totals.get(key, (ZERO, ZERO))
        if expected != stored:
            month, account_id, storefront_id, seller_id, category_id, kind = key
            problems.append(
                f"Cumul {month:%Y-%m} compte {account_id} boutique {storefront_id} vendeur "
                f"{seller_id} catégorie {category_id} ({kind}) : {stored[0]} € D / "
                f"{stored[1]} € C, les lignes donnent {expected[0]} € D / {expected[1]} € C."
            )
            if len(problems) == MAX_REPORTED:
                break
    return problems


def _journal_numbering_gapless() -> list[str]:
    problems = []
    stats = {
        row["journal_id"]: row
        for row in JournalEntry.objects.values("journal_id").annotate(
            n=Count("pk"), top=Max("number")
        )
    }
    for journal in Journal.objects.order_by("code"):
        row = stats.get(journal.pk, {"n": 0, "top": 0})
        if not (row["n"] == row["top"] == journal.last_number):
            problems.append(
                f"Journal {journal.code} : {row['n']} écritures, numéro maximal {row['top']}, "
                f"dernier numéro attribué {journal.last_number} — la numérotation a un trou."
            )
    return problems


def _reversals_mirror() -> list[str]:
    problems = []
    reversals = JournalEntry.objects.filter(reverses__isnull=False).values_list("pk", "reverses_id")
    for pk, original_id in reversals.iterator():
        mine = _account_sides(pk)
        theirs = {key: (c, d) for key, (d, c) in _account_sides(original_id).items()}
        if mine != theirs:
            problems.append(f"Écriture {pk} : n'est pas le miroir de l'écriture {original_id}.")
    return problems[:MAX_REPORTED]


def _account_sides(entry_id: int) -> dict:
    return {
        row["account_id"]: (_cents(row["d"]), _cents(row["c"]))
        for row in JournalLine.objects.filter(entry_id=entry_id)
        .values("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    }


@dataclass(frozen=True)
class CheckResult:
    name: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


CHECKS: list[tuple[str, Check]] = [
    ("chaque écriture est équilibrée", _entries_balance),
    ("chaque écriture a au moins deux lignes", _entries_have_two_lines),
    ("chaque ligne a un seul côté positif", _lines_one_side),
    ("aucune ligne orpheline", _no_orphan_lines),
    ("les lignes portent la date de leur écriture", _lines_match_entry),
    ("le mois des lignes est celui de leur date", _lines_month_match_date),
    ("la balance générale est à zéro", _trial_balance_zero),
    ("le solde de chaque compte est la somme de ses lignes", _account_totals_match_lines),
    ("les cumuls mensuels sont la somme des lignes", _monthly_totals_match_lines),
    ("la numérotation des journaux est continue", _journal_numbering_gapless),
    ("chaque contre-passation est le miroir de l'écriture", _reversals_mirror),
]


def ledger_check_register(name: str, check: Check) -> None:
    """Add a check (e.g. orders ↔ ledger) to those `ledger-check` runs; idempotent by name."""
    if all(existing != name for existing, _fn in CHECKS):
        CHECKS.append((name, check))


def ledger_check_run() -> list[CheckResult]:
    """Run every check; a check that crashes is reported as failed, the others still run."""
    results = []
    for name, check in CHECKS:
        try:
            problems = list(check())
        except Exception as exc:  # a broken cross-check must not hide the other results
            problems = [f"le contrôle a échoué : {exc.__class__.__name__}: {exc}"]
        results.append(CheckResult(name=name, problems=problems))
    return results
