"""Consistency checks of the ledger, run by `galerie ledger-check`.

Each check is a function returning a list of problems (sentences in the active language); an
empty list means it passed. Other apps add their cross-checks (orders ↔ payments ↔ ledger) with
`ledger_check_register`, e.g. in their AppConfig.ready():

    from galerie.ledger.checks import ledger_check_register
    ledger_check_register("commandes et encaissements", orders_vs_ledger_check)
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.money import CENT, format_money
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
        _("Écriture %(piece)s déséquilibrée : débit %(debit)s ≠ crédit %(credit)s.")
        % {
            "piece": f"{row['entry__journal__code']}{row['entry__number']:06d}",
            "debit": format_money(_cents(row["d"])),
            "credit": format_money(_cents(row["c"])),
        }
        for row in rows[:MAX_REPORTED]
    ]


def _entries_have_two_lines() -> list[str]:
    rows = (
        JournalEntry.objects.annotate(n=Count("lines"))
        .filter(n__lt=2)
        .values_list("pk", "n")
        .order_by("pk")
    )
    return [
        _("Écriture %(pk)s : %(n)d ligne(s), il en faut au moins deux.") % {"pk": pk, "n": n}
        for pk, n in rows
    ]


def _lines_one_side() -> list[str]:
    bad = JournalLine.objects.exclude(
        (Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0))
    ).values_list("pk", "debit", "credit")
    return [
        _("Ligne %(pk)s : débit %(debit)s et crédit %(credit)s.")
        % {"pk": pk, "debit": format_money(d), "credit": format_money(c)}
        for pk, d, c in bad[:MAX_REPORTED]
    ]


def _no_orphan_lines() -> list[str]:
    orphans = JournalLine.objects.filter(
        ~Exists(JournalEntry.objects.filter(pk=OuterRef("entry_id")))
        | ~Exists(Account.objects.filter(pk=OuterRef("account_id")))
    ).values_list("pk", flat=True)
    return [
        _("Ligne %(pk)s sans écriture ou sans compte.") % {"pk": pk}
        for pk in orphans[:MAX_REPORTED]
    ]


def _lines_match_entry() -> list[str]:
    bad = (
        JournalLine.objects.exclude(date=F("entry__date"))
        .values_list("pk", "date", "entry__date")
        .order_by("pk")
    )
    return [
        _("Ligne %(pk)s datée du %(line)s dans une écriture du %(entry)s.")
        % {"pk": pk, "line": line_date, "entry": entry_date}
        for pk, line_date, entry_date in bad[:MAX_REPORTED]
    ]


def _lines_month_match_date() -> list[str]:
    bad = (
        JournalLine.objects.exclude(month=TruncMonth("date"))
        .values_list("pk", "date", "month")
        .order_by("pk")
    )
    return [
        _("Ligne %(pk)s datée du %(line)s rangée dans le mois du %(month)s.")
        % {"pk": pk, "line": line_date, "month": month}
        for pk, line_date, month in bad[:MAX_REPORTED]
    ]


def _trial_balance_zero() -> list[str]:
    totals = JournalLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    debit, credit = _cents(totals["d"]), _cents(totals["c"])
    if debit != credit:
        return [
            _("Balance générale : total débit %(debit)s ≠ total crédit %(credit)s.")
            % {"debit": format_money(debit), "credit": format_money(credit)}
        ]
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
                _(
                    "Compte %(code)s : solde enregistré %(stored_debit)s D / %(stored_credit)s C, "
                    "somme des lignes %(debit)s D / %(credit)s C."
                )
                % {
                    "code": account.code,
                    "stored_debit": format_money(account.debit_total),
                    "stored_credit": format_money(account.credit_total),
                    "debit": format_money(debit),
                    "credit": format_money(credit),
                }
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
                _(
                    "Cumul %(month)s compte %(account)s boutique %(storefront)s vendeur "
                    "%(seller)s catégorie %(category)s (%(kind)s) : %(stored_debit)s D / "
                    "%(stored_credit)s C, les lignes donnent %(debit)s D / %(credit)s C."
                )
                % {
                    "month": f"{month:%Y-%m}",
                    "account": account_id,
                    "storefront": storefront_id,
                    "seller": seller_id,
                    "category": category_id,
                    "kind": kind,
                    "stored_debit": format_money(stored[0]),
                    "stored_credit": format_money(stored[1]),
                    "debit": format_money(expected[0]),
                    "credit": format_money(expected[1]),
                }
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
                _(
                    "Journal %(code)s : %(n)s écritures, numéro maximal %(top)s, dernier numéro "
                    "attribué %(last)s — la numérotation a un trou."
                )
                % {
                    "code": journal.code,
                    "n": row["n"],
                    "top": row["top"],
                    "last": journal.last_number,
                }
            )
    return problems


def _reversals_mirror() -> list[str]:
    problems = []
    reversals = JournalEntry.objects.filter(reverses__isnull=False).values_list("pk", "reverses_id")
    for pk, original_id in reversals.iterator():
        mine = _account_sides(pk)
        theirs = {key: (c, d) for key, (d, c) in _account_sides(original_id).items()}
        if mine != theirs:
            problems.append(
                _("Écriture %(pk)s : n'est pas le miroir de l'écriture %(original)s.")
                % {"pk": pk, "original": original_id}
            )
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


# Names are lazy translations: `ledger-check` shows them in the language of whoever runs it.
CHECKS: list[tuple[str, Check]] = [
    (gettext_lazy("chaque écriture est équilibrée"), _entries_balance),
    (gettext_lazy("chaque écriture a au moins deux lignes"), _entries_have_two_lines),
    (gettext_lazy("chaque ligne a un seul côté positif"), _lines_one_side),
    (gettext_lazy("aucune ligne orpheline"), _no_orphan_lines),
    (gettext_lazy("les lignes portent la date de leur écriture"), _lines_match_entry),
    (gettext_lazy("le mois des lignes est celui de leur date"), _lines_month_match_date),
    (gettext_lazy("la balance générale est à zéro"), _trial_balance_zero),
    (
        gettext_lazy("le solde de chaque compte est la somme de ses lignes"),
        _account_totals_match_lines,
    ),
    (gettext_lazy("les cumuls mensuels sont la somme des lignes"), _monthly_totals_match_lines),
    (gettext_lazy("la numérotation des journaux est continue"), _journal_numbering_gapless),
    (gettext_lazy("chaque contre-passation est le miroir de l'écriture"), _reversals_mirror),
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
            problems = [
                _("le contrôle a échoué : %(error)s")
                % {"error": f"{exc.__class__.__name__}: {exc}"}
            ]
        results.append(CheckResult(name=str(name), problems=problems))
    return results
