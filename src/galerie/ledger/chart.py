"""The mall's chart of accounts (plan comptable général) and journals, by stable code.

Reports and other apps refer to accounts by these constants, never by primary key. A seller's
payable is a sub-account of SELLER_PAYABLES (same general number, auxiliary number "V000042"),
created on demand by `galerie.ledger.services.seller_payable_account`.
"""

from dataclasses import dataclass

from galerie.ledger.models import AccountKind

SUPPLIERS = "401000"
CUSTOMERS = "411000"
VAT_DEDUCTIBLE = "445660"
VAT_COLLECTED = "445710"
SELLER_PAYABLES = "467100"
SUSPENSE = "471000"
PROVIDER_CLEARING = "511200"
BANK = "512000"
PURCHASES = "607000"
DELIVERY_COSTS = "624200"
PAYMENT_FEES = "627000"
COMMISSION_REVENUE = "706000"
OWN_SALES = "707000"
DELIVERY_REVENUE = "708500"
COMMISSION_REBATES = "709600"
OWN_SALES_REBATES = "709700"
DELIVERY_REBATES = "709800"

JOURNAL_SALES = "VE"
JOURNAL_BANK = "BQ"
JOURNAL_MISC = "OD"


@dataclass(frozen=True)
class AccountDef:
    number: str
    name: str
    kind: str


CHART: dict[str, AccountDef] = {
    d.number: d
    for d in [
        AccountDef(SUPPLIERS, "Fournisseurs", AccountKind.LIABILITY),
        AccountDef(CUSTOMERS, "Clients", AccountKind.ASSET),
        AccountDef(
            VAT_DEDUCTIBLE, "TVA déductible sur autres biens et services", AccountKind.ASSET
        ),
        AccountDef(VAT_COLLECTED, "TVA collectée", AccountKind.LIABILITY),
        AccountDef(
            SELLER_PAYABLES,
            "Vendeurs tiers - sommes encaissées pour leur compte",
            AccountKind.LIABILITY,
        ),
        # The counterpart of an entry's lines that stayed behind: a storefront's slice of an
        # entry that mixed storefronts, taken in from another installation (see carveout).
        AccountDef(SUSPENSE, "Compte d'attente - reprises de boutiques", AccountKind.LIABILITY),
        AccountDef(
            PROVIDER_CLEARING,
            "Prestataire de paiement - encaissements à recevoir",
            AccountKind.ASSET,
        ),
        AccountDef(BANK, "Banque", AccountKind.ASSET),
        AccountDef(PURCHASES, "Achats de marchandises", AccountKind.EXPENSE),
        AccountDef(DELIVERY_COSTS, "Transports sur ventes", AccountKind.EXPENSE),
        AccountDef(PAYMENT_FEES, "Frais de paiement (services bancaires)", AccountKind.EXPENSE),
        AccountDef(COMMISSION_REVENUE, "Commissions sur ventes des vendeurs", AccountKind.REVENUE),
        AccountDef(OWN_SALES, "Ventes de marchandises", AccountKind.REVENUE),
        AccountDef(DELIVERY_REVENUE, "Ports et frais accessoires facturés", AccountKind.REVENUE),
        AccountDef(
            COMMISSION_REBATES,
            "Rabais, remises et ristournes accordés sur commissions",
            AccountKind.REVENUE,
        ),
        AccountDef(
            OWN_SALES_REBATES,
            "Rabais, remises et ristournes accordés sur ventes de marchandises",
            AccountKind.REVENUE,
        ),
        AccountDef(
            DELIVERY_REBATES,
            "Rabais, remises et ristournes accordés sur ports facturés",
            AccountKind.REVENUE,
        ),
    ]
}

JOURNALS: dict[str, str] = {
    JOURNAL_SALES: "Ventes",
    JOURNAL_BANK: "Banque",
    JOURNAL_MISC: "Opérations diverses",
}


def seller_aux_number(seller_id: int) -> str:
    return f"V{seller_id:06d}"


def seller_account_code(seller_id: int) -> str:
    return f"{SELLER_PAYABLES}-{seller_aux_number(seller_id)}"
