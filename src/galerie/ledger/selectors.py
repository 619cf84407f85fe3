"""Reads of the ledger shared by the admin, payouts, the seller portal and the economics reports.

Every figure is computed in the database (aggregate / values + Sum) from the journal lines. SQLite
sums decimals as floats (15 significant digits): every sum is quantized back to the cent here.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from galerie.core.money import CENT
from galerie.ledger import chart
from galerie.ledger.models import Account, JournalLine, LedgerTotal

ZERO = Decimal("0.00")
_SUM = DecimalField(max_digits=16, decimal_places=2)


def _sum(field: str):
    return Coalesce(Sum(field), Value(ZERO), output_field=_SUM)


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _is_month_end(day: datetime.date) -> bool:
    return (day + datetime.timedelta(days=1)).day == 1


def _lines(*, start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet:
    lines = JournalLine.objects.all()
    if start is not None:
        lines = lines.filter(date__gte=start)
    if end is not None:
        lines = lines.filter(date__lte=end)
    return lines


def account_balance(*, account: Account, end: datetime.date | None = None) -> Decimal:
    """Debit − credit of the account's lines (up to `end` included): positive is a debit balance."""
    totals = _lines(end=end).filter(account=account).aggregate(d=_sum("debit"), c=_sum("credit"))
    return _cents(totals["d"]) - _cents(totals["c"])


def seller_payable_balance(*, seller_id: int, end: datetime.date | None = None) -> Decimal:
    """What the mall owes the seller (credit − debit of its 467100 sub-account); negative when
    refunds after a payout left the seller owing the mall."""
    totals = (
        _lines(end=end)
        .filter(account__number=chart.SELLER_PAYABLES, account__seller_id=seller_id)
        .aggregate(d=_sum("debit"), c=_sum("credit"))
    )
    return _cents(totals["c"]) - _cents(totals["d"])


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    name: str
    kind: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


def trial_balance(
    *, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[TrialBalanceRow]:
    """Per account: debit and credit movements over the period (balance = debit − credit).
    The debits and the credits of all rows add up to the same total."""
    source = _source(start=start, end=end)
    rows = (
        source.order_by().values("account_id").annotate(debit=_sum("debit"), credit=_sum("credit"))
    )
    accounts = Account.objects.in_bulk([row["account_id"] for row in rows])
    result = [
        TrialBalanceRow(
            code=accounts[row["account_id"]].code,
            name=accounts[row["account_id"]].name,
            kind=accounts[row["account_id"]].kind,
            debit=_cents(row["debit"]),
            credit=_cents(row["credit"]),
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: row.code)


def _source(
    *, start: datetime.date | None, end: datetime.date | None, from_lines: bool = False
) -> QuerySet:
    """The monthly totals over whole months (a few thousand rows a year), else the lines."""
    whole_months = (start is None or start.day == 1) and (end is None or _is_month_end(end))
    if not whole_months or from_lines:
        return _lines(start=start, end=end)
    totals = LedgerTotal.objects.all()
    if start is not None:
        totals = totals.filter(month__gte=start)
    if end is not None:
        totals = totals.filter(month__lte=end)
    return totals


# grouping name -> (key in each row, column or expression grouped in the database). Kind and
# account number are folded in Python from the account id: grouping on integer columns without
# joining the accounts keeps PostgreSQL's aggregate in memory (2.7 s -> about 1 s on 1M lines).
GROUPS = {
    "kind": ("kind", "account_id"),
    "account": ("account_number", "account_id"),
    "storefront": ("storefront_id", "storefront_id"),
    "seller": ("seller_id", "seller_id"),
    "category": ("category_id", "category_id"),
    "journal": ("journal", F("entry__journal__code")),
    "entry_kind": ("entry_kind", "entry_kind"),
    "month": ("month", "month"),
}


def ledger_aggregate(
    *,
    group_by: Sequence[str] = ("kind", "storefront", "seller", "category", "month"),
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    account_numbers: Iterable[str] | None = None,
    storefront_ids: Iterable[int] | None = None,
    exclude_storefront_ids: Iterable[int] | None = None,
    from_lines: bool = False,
) -> list[dict]:
    """Debit and credit totals grouped in the database, one dict per group, sorted by the groups.
    Over whole months without journal grouping, reads the monthly totals table
    (from_lines=True forces reading the lines, to cross-check).

    group_by: any of "kind" (account kind), "account" (general account number), "storefront",
    "seller", "category", "journal", "entry_kind" (capture, refund, payout …) and "month".
    Keys of each row: kind, account_number, storefront_id, seller_id, category_id, journal,
    entry_kind, month (a date, first of the month) as grouped, then "debit", "credit" and
    "net" (credit − debit: revenue positive, costs negative).
    Examples: commissions per storefront and month = ledger_aggregate(group_by=["storefront",
    "month"], account_numbers=[chart.COMMISSION_REVENUE, chart.COMMISSION_REBATES]); GMV by
    category = the debit of chart.PROVIDER_CLEARING on captures (group_by=["category",
    "entry_kind"], account_numbers=[chart.PROVIDER_CLEARING]).
    """
    unknown = [name for name in group_by if name not in GROUPS]
    if unknown:
        raise ValueError(f"unknown grouping: {', '.join(unknown)}")
    accounts = {pk: (kind, number) for pk, kind, number in Account.objects.values_list(
        "pk", "kind", "number"
    )}  # fmt: skip
    lines = _source(start=start, end=end, from_lines=from_lines or "journal" in group_by)
    if lines.model is JournalLine and "entry_kind" in group_by:
        lines = lines.annotate(entry_kind=F("entry__kind"))
    if account_numbers is not None:
        wanted = set(account_numbers)
        lines = lines.filter(account_id__in=[pk for pk, a in accounts.items() if a[1] in wanted])
    if storefront_ids is not None:
        lines = lines.filter(storefront_id__in=list(storefront_ids))
    if exclude_storefront_ids:
        # Lines without a storefront stay (NOT IN alone would drop them in SQL).
        lines = lines.filter(
            Q(storefront_id__isnull=True) | ~Q(storefront_id__in=list(exclude_storefront_ids))
        )
    plain = sorted({GROUPS[n][1] for n in group_by if isinstance(GROUPS[n][1], str)})
    computed = {GROUPS[n][0]: GROUPS[n][1] for n in group_by if not isinstance(GROUPS[n][1], str)}
    rows = (
        lines.order_by()
        .values(*plain, **computed)
        .annotate(debit=_sum("debit"), credit=_sum("credit"))
    )
    folded: dict[tuple, list[Decimal]] = {}
    for row in rows:
        key = []
        for name in group_by:
            if name == "kind":
                key.append(accounts[row["account_id"]][0])
            elif name == "account":
                key.append(accounts[row["account_id"]][1])
            else:
                key.append(row[GROUPS[name][0]])
        totals = folded.setdefault(tuple(key), [ZERO, ZERO])
        totals[0] += _cents(row["debit"])
        totals[1] += _cents(row["credit"])
    names = [GROUPS[name][0] for name in group_by]
    result = []
    for key in sorted(folded, key=lambda k: [(v is None, v) for v in k]):
        debit, credit = folded[key]
        result.append({**dict(zip(names, key, strict=True)), "debit": debit, "credit": credit,
                       "net": credit - debit})  # fmt: skip
    return result
