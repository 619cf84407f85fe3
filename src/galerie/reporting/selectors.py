"""The economics of the mall — per storefront, category, seller and month — read from the ledger.

Every figure is a sum computed in the database over the journal lines (through
`galerie.ledger.selectors.ledger_aggregate`): the P&L accounts give revenue and costs (each account
falls in one column, see `galerie.reporting.chart.column_of`), the cash side of captures and
refunds gives what customers paid and got back. Nothing is read from orders: the reconciliation
test proves the two agree.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.catalog.models import Category
from galerie.ledger.models import Account, AccountKind, EntryKind
from galerie.ledger.selectors import ledger_aggregate
from galerie.reporting.chart import CASH_ACCOUNTS, column_of
from galerie.reporting.periods import month_label
from galerie.sellers.models import Seller
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_figures_ends

ZERO = Decimal("0.00")
GROUPINGS = ("storefront", "category", "seller", "month")
_KEY_OF = {
    "storefront": "storefront_id",
    "category": "category_id",
    "seller": "seller_id",
    "month": "month",
}


@dataclass
class EconomicsRow:
    """One group's figures, in euros to the cent. Revenue is excl. VAT; GMV and refunds are what
    customers paid and got back, VAT and delivery included."""

    storefront_id: int | None = None
    category_id: int | None = None
    seller_id: int | None = None
    month: datetime.date | None = None
    label: str = ""
    gmv: Decimal = ZERO
    refunds: Decimal = ZERO
    own_sales: Decimal = ZERO
    delivery_revenue: Decimal = ZERO
    commissions: Decimal = ZERO
    other_revenue: Decimal = ZERO
    cogs: Decimal = ZERO
    payment_fees: Decimal = ZERO
    delivery_costs: Decimal = ZERO
    other_costs: Decimal = ZERO
    fixed_costs: Decimal = ZERO
    extra: dict = field(default_factory=dict)

    @property
    def net_revenue(self) -> Decimal:
        """Chiffre d'affaires: own sales + delivery charged + commissions + fees, net of rebates."""
        return self.own_sales + self.delivery_revenue + self.commissions + self.other_revenue

    @property
    def variable_costs(self) -> Decimal:
        return self.cogs + self.payment_fees + self.delivery_costs + self.other_costs

    @property
    def contribution_margin(self) -> Decimal:
        return self.net_revenue - self.variable_costs

    @property
    def operating_result(self) -> Decimal:
        return self.contribution_margin - self.fixed_costs

    @property
    def margin_rate(self) -> Decimal | None:
        """Contribution margin as a percentage of net revenue (None without revenue)."""
        if not self.net_revenue:
            return None
        return (self.contribution_margin * 100 / self.net_revenue).quantize(Decimal("0.1"))

    def add(self, other: "EconomicsRow") -> None:
        for name in AMOUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


AMOUNT_FIELDS = [f.name for f in fields(EconomicsRow) if f.type is Decimal or f.type == "Decimal"]

# Columns of tables and CSV files: (attribute, heading in the request's language).
COLUMNS = [
    ("gmv", gettext_lazy("Volume d'affaires TTC")),
    ("refunds", gettext_lazy("Remboursements TTC")),
    ("own_sales", gettext_lazy("Ventes propres HT")),
    ("delivery_revenue", gettext_lazy("Ports facturés HT")),
    ("commissions", gettext_lazy("Commissions HT")),
    ("other_revenue", gettext_lazy("Autres produits HT")),
    ("net_revenue", gettext_lazy("Chiffre d'affaires net HT")),
    ("cogs", gettext_lazy("Coût d'achat des marchandises")),
    ("payment_fees", gettext_lazy("Frais de paiement")),
    ("delivery_costs", gettext_lazy("Frais de livraison")),
    ("other_costs", gettext_lazy("Autres charges variables")),
    ("contribution_margin", gettext_lazy("Marge sur coûts variables")),
    ("fixed_costs", gettext_lazy("Coûts fixes")),
    ("operating_result", gettext_lazy("Résultat d'exploitation")),
]


def _grouping(group_by: str | Sequence[str]) -> list[str]:
    names = [group_by] if isinstance(group_by, str) else list(group_by)
    unknown = [name for name in names if name not in GROUPINGS]
    if unknown:
        raise ValueError(f"unknown grouping: {', '.join(unknown)} (use {', '.join(GROUPINGS)})")
    if len(set(names)) != len(names):
        raise ValueError("a grouping is given twice")
    return names


def category_ancestors(depth: int) -> dict[int, int]:
    """category id → id of its ancestor at `depth` (1 = top-level department), itself if higher."""
    mapping = {}
    for pk, path in Category.objects.values_list("pk", "path"):
        ids = [int(part) for part in path.strip("/").split("/") if part]
        mapping[pk] = ids[depth - 1] if len(ids) >= depth else pk
    return mapping


def _month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )


def period_segments(
    start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """Split [start, end] into a partial first month, the whole months, a partial last month.

    Whole months are read from the ledger's monthly totals (thousands of rows); only the partial
    edges need the journal lines themselves, so a custom range costs little more than months."""
    if end < start:
        return []
    if start.day == 1 and end == _month_end(end):
        return [(start, end)]
    segments = []
    head_end = min(end, _month_end(start))
    if start.day != 1 or head_end != _month_end(start):
        segments.append((start, head_end))
        start = head_end + datetime.timedelta(days=1)
    if start > end:
        return segments
    tail_start = end.replace(day=1) if end != _month_end(end) else None
    middle_end = (tail_start - datetime.timedelta(days=1)) if tail_start else end
    if start <= middle_end:
        segments.append((start, middle_end))
    if tail_start is not None and tail_start >= start:
        segments.append((tail_start, end))
    return segments


def economics(
    *,
    start: datetime.date,
    end: datetime.date,
    group_by: str | Sequence[str] = ("storefront",),
    storefront_ids: Iterable[int] | None = None,
    category_depth: int | None = None,
    constant_scope: bool = False,
) -> list[EconomicsRow]:
    """Economics of the period [start, end] (dates included), one row per group.

    A sold (detached) storefront counts up to its sale's cut-off and no further; with
    `constant_scope` (« périmètre constant ») sold storefronts are left out of every period, so
    that periods before and after a sale compare the same group.

    group_by: "storefront", "category", "seller", "month", any combination, or () for the whole
    group. Lines that carry no category or seller (payment fees, fixed costs) form a row whose key
    is None ("non ventilé"), so the rows of any grouping add up to the same totals.
    category_depth: roll categories up to their ancestor at that depth (1 = departments).
    """
    names = _grouping(group_by)
    storefront_ids = list(storefront_ids) if storefront_ids is not None else None
    accounts = dict(Account.objects.values_list("number", "kind").distinct())
    pl_numbers = [
        number
        for number, kind in accounts.items()
        if kind in (AccountKind.REVENUE, AccountKind.EXPENSE)
    ]
    rollup = category_ancestors(category_depth) if category_depth and "category" in names else None
    rows: dict[tuple, EconomicsRow] = {}

    def row_for(record: dict) -> EconomicsRow:
        values = {}
        for name in names:
            value = record[_KEY_OF[name]]
            if name == "category" and rollup is not None and value is not None:
                value = rollup.get(value, value)
            values[_KEY_OF[name]] = value
        key = tuple(values[_KEY_OF[name]] for name in names)
        if key not in rows:
            rows[key] = EconomicsRow(**values)
        return rows[key]

    def read(first: datetime.date, last: datetime.date, ids, exclude) -> None:
        for segment_start, segment_end in period_segments(first, last):
            common = {
                "start": segment_start,
                "end": segment_end,
                "storefront_ids": ids,
                "exclude_storefront_ids": exclude,
            }
            for record in ledger_aggregate(
                group_by=[*names, "kind", "account"], account_numbers=pl_numbers, **common
            ):
                column = column_of(number=record["account_number"], kind=record["kind"])
                if column is None:
                    continue
                row = row_for(record)
                # Revenue counts credit − debit, costs debit − credit.
                amount = record["net"] if record["kind"] == AccountKind.REVENUE else -record["net"]
                setattr(row, column, getattr(row, column) + amount)
            for record in ledger_aggregate(
                group_by=[*names, "entry_kind"], account_numbers=CASH_ACCOUNTS, **common
            ):
                if record["entry_kind"] == EntryKind.CAPTURE:
                    row_for(record).gmv += record["debit"] - record["credit"]
                elif record["entry_kind"] == EntryKind.REFUND:
                    row_for(record).refunds += record["credit"] - record["debit"]

    # Sold storefronts count up to their sale's cut-off, or not at all at constant scope.
    ends = storefront_figures_ends()
    clipped = {} if constant_scope else {pk: day for pk, day in ends.items() if day < end}
    left_out = set(ends) if constant_scope else set(clipped)
    read(start, end, storefront_ids, sorted(left_out))
    for storefront_id, last_day in sorted(clipped.items()):
        if last_day >= start and (storefront_ids is None or storefront_id in storefront_ids):
            read(start, last_day, [storefront_id], None)
    result = list(rows.values())
    _label(result, names)
    result.sort(key=lambda r: [_sort_key(r, name) for name in names])
    return result


def economics_total(rows: Iterable[EconomicsRow], *, label: str = "Total", **keys) -> EconomicsRow:
    total = EconomicsRow(label=label, **keys)
    for row in rows:
        total.add(row)
    return total


def economics_constant_total(rows: Iterable[EconomicsRow], *, label: str) -> EconomicsRow:
    """The group's total « à périmètre constant »: the rows of sold storefronts left out (rows
    grouped by storefront, as `economics` gives them)."""
    sold = set(storefront_figures_ends())
    return economics_total((row for row in rows if row.storefront_id not in sold), label=label)


def _sort_key(row: EconomicsRow, name: str):
    value = getattr(row, _KEY_OF[name])
    if name == "month":
        return (value is None, value or datetime.date.min)
    return (value is None, row.extra.get(f"{name}_label", "").lower())


def _label(rows: list[EconomicsRow], names: list[str]) -> None:
    storefronts = dict(Storefront.objects.values_list("pk", "name"))
    wanted_sellers = {r.seller_id for r in rows if r.seller_id is not None}
    sellers = {
        pk: (_("%(name)s (opérateur)") % {"name": name} if is_operator else name)
        for pk, name, is_operator in Seller.objects.filter(pk__in=wanted_sellers).values_list(
            "pk", "name", "is_operator"
        )
    }
    wanted_categories = {r.category_id for r in rows if r.category_id is not None}
    categories = dict(Category.objects.filter(pk__in=wanted_categories).values_list("pk", "name"))
    for row in rows:
        parts = []
        for name in names:
            value = getattr(row, _KEY_OF[name])
            if name == "storefront":
                text = storefronts.get(value, "") if value else _("Hors boutique")
            elif name == "seller":
                text = sellers.get(value, f"#{value}") if value else _("Non ventilé")
            elif name == "category":
                text = categories.get(value, f"#{value}") if value else _("Non ventilé")
            else:
                text = month_label(value) if value else ""
            row.extra[f"{name}_label"] = text
            parts.append(text)
        row.label = " · ".join(parts) if parts else _("Groupe")


def economics_monthly(
    *, start: datetime.date, end: datetime.date, months: list[datetime.date]
) -> dict[int | None, dict[datetime.date, EconomicsRow]]:
    """storefront id → month → row, every month of the period present (zeros when quiet)."""
    grid: dict[int | None, dict[datetime.date, EconomicsRow]] = {}
    for row in economics(start=start, end=end, group_by=["storefront", "month"]):
        grid.setdefault(row.storefront_id, {})[row.month] = row
    for storefront_id, by_month in grid.items():
        for month in months:
            by_month.setdefault(month, EconomicsRow(storefront_id=storefront_id, month=month))
    return grid


def economics_regroup(
    rows: Iterable[EconomicsRow],
    *,
    group_by: str | Sequence[str],
    category_depth: int | None = None,
    storefront_ids: Iterable[int] | None = None,
) -> list[EconomicsRow]:
    """Fold rows fetched at a finer grouping (e.g. the dashboard's one query grouped by storefront,
    month, category and seller) into a coarser one, with the same labels and order as `economics`.
    """
    names = _grouping(group_by)
    wanted = set(storefront_ids) if storefront_ids is not None else None
    rollup = category_ancestors(category_depth) if category_depth and "category" in names else None
    folded: dict[tuple, EconomicsRow] = {}
    for row in rows:
        if wanted is not None and row.storefront_id not in wanted:
            continue
        values = {}
        for name in names:
            value = getattr(row, _KEY_OF[name])
            if name == "category" and rollup is not None and value is not None:
                value = rollup.get(value, value)
            values[_KEY_OF[name]] = value
        key = tuple(values.values())
        if key not in folded:
            folded[key] = EconomicsRow(**values)
        folded[key].add(row)
    result = list(folded.values())
    _label(result, names)
    result.sort(key=lambda r: [_sort_key(r, name) for name in names])
    return result
