"""How the economics reports read the chart of accounts, and the expense accounts of fixed costs.

The ledger's chart (galerie.ledger.chart) holds the sales-side accounts; the fixed costs that
finance enters per storefront and month need expense accounts (class 6) and the third-party
accounts they are owed on (401 suppliers, 421 staff). `fixed_cost_account` creates them on first
use, exactly like `galerie.ledger.services.account_get` does for the ledger's own chart.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.ledger import chart as ledger_chart
from galerie.ledger.models import Account, AccountKind

SUPPLIERS = ledger_chart.SUPPLIERS  # 401000, shared with the cost of goods postings
STAFF_PAYABLE = "421000"


class FixedCostKind(models.TextChoices):
    STAFF = "staff", _("personnel")
    MARKETING = "marketing", _("marketing")
    HOSTING = "hosting", _("hébergement et logiciels")
    RENT = "rent", _("loyer")
    OTHER = "other", _("autres frais fixes")


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str
    kind: str


# kind of fixed cost -> (expense account debited, third-party account credited)
FIXED_COST_ACCOUNTS: dict[str, tuple[AccountSpec, AccountSpec]] = {
    FixedCostKind.STAFF: (
        AccountSpec("641000", "Rémunérations du personnel", AccountKind.EXPENSE),
        AccountSpec(STAFF_PAYABLE, "Personnel - rémunérations dues", AccountKind.LIABILITY),
    ),
    FixedCostKind.MARKETING: (
        AccountSpec("623000", "Publicité, publications, relations publiques", AccountKind.EXPENSE),
        AccountSpec(SUPPLIERS, "Fournisseurs", AccountKind.LIABILITY),
    ),
    FixedCostKind.HOSTING: (
        AccountSpec("613500", "Locations mobilières (hébergement, logiciels)", AccountKind.EXPENSE),
        AccountSpec(SUPPLIERS, "Fournisseurs", AccountKind.LIABILITY),
    ),
    FixedCostKind.RENT: (
        AccountSpec("613200", "Locations immobilières", AccountKind.EXPENSE),
        AccountSpec(SUPPLIERS, "Fournisseurs", AccountKind.LIABILITY),
    ),
    FixedCostKind.OTHER: (
        AccountSpec("628000", "Charges externes diverses", AccountKind.EXPENSE),
        AccountSpec(SUPPLIERS, "Fournisseurs", AccountKind.LIABILITY),
    ),
}

FIXED_COST_NUMBERS = frozenset(spec.code for spec, _other in FIXED_COST_ACCOUNTS.values())


def account_ensure(spec: AccountSpec) -> Account:
    """The account of this code, created the first time it is used (never renamed after)."""
    account, _created = Account.objects.get_or_create(
        code=spec.code, defaults={"number": spec.code, "name": spec.name, "kind": spec.kind}
    )
    return account


def fixed_cost_accounts(kind: str) -> tuple[Account, Account]:
    expense, payable = FIXED_COST_ACCOUNTS[kind]
    return account_ensure(expense), account_ensure(payable)


# --- Reading the P&L accounts --------------------------------------------------------------------
# Each income-statement account number falls in exactly one column of the report; the column is
# decided by the general account number's prefix (plan comptable général), so a sub-account or an
# account added later to the same class lands in the right place without touching the report.

CASH_ACCOUNTS = (ledger_chart.PROVIDER_CLEARING, ledger_chart.CUSTOMERS, ledger_chart.BANK)

REVENUE_COLUMNS = (
    # (column, prefixes): first match wins
    ("commissions", ("706", "7096")),
    ("delivery_revenue", ("7085", "7098")),
    ("own_sales", ("707", "7097")),
)
EXPENSE_COLUMNS = (
    ("cogs", ("60",)),
    ("delivery_costs", ("624",)),
    ("payment_fees", ("627",)),
)


def column_of(*, number: str, kind: str) -> str | None:
    """The report column of a P&L account, or None for a balance-sheet account."""
    if kind == AccountKind.REVENUE:
        for column, prefixes in REVENUE_COLUMNS:
            if number.startswith(prefixes):
                return column
        return "other_revenue"
    if kind == AccountKind.EXPENSE:
        if number in FIXED_COST_NUMBERS:
            return "fixed_costs"
        for column, prefixes in EXPENSE_COLUMNS:
            if number.startswith(prefixes):
                return column
        return "other_costs"
    return None
