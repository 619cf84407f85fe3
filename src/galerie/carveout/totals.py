"""The figures an archive's manifest promises and `verify-storefront` checks on the target: the
same function reads them on both sides, from the storefront's rows."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from galerie.carveout.entities.ledger import ledger_balances
from galerie.orders.models import OrderLine

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _cents(value) -> Decimal:
    """A sum as exact cents: SQLite sums decimals as floats ("1.17000000000000"), and the same
    figure must read the same whichever database the source and the target run on."""
    return ZERO if value is None else Decimal(value).quantize(CENT)


def storefront_totals(*, storefront) -> dict:
    """Orders (count and money), VAT per rate (goods and delivery; "20/travel_margin" for a
    rate's sales under an exemption) and ledger balances per general account, all as exact
    strings."""
    orders = storefront.orders.aggregate(
        count=Count("pk"),
        items_total=Sum("items_total"),
        delivery_total=Sum("delivery_total"),
        total=Sum("total"),
        vat_total=Sum("vat_total"),
        refunded_total=Sum("refunded_total"),
    )
    # Keyed by rate and exemption, as customers' documents group them (pricing.vat_breakdown): a
    # margin-scheme trip at 20 % is no 20 % sale, its VAT (on the margin) gets its own row.
    vat: dict[tuple[Decimal, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    lines = (
        OrderLine.objects.filter(order__storefront=storefront)
        .values("vat_rate", "vat_exemption")
        .annotate(ttc=Sum("line_total"), vat=Sum("vat_amount"))
    )
    for row in lines:
        key = (Decimal(row["vat_rate"]), row["vat_exemption"])
        vat[key][0] += _cents(row["ttc"])
        vat[key][1] += _cents(row["vat"])
    deliveries = storefront.orders.values_list("seller_orders__delivery_vat", flat=True)
    for parts in deliveries.iterator(chunk_size=5000):
        for part in parts or ():
            key = (Decimal(part["rate"]), part.get("exemption", ""))
            vat[key][0] += Decimal(part["ttc"])
            vat[key][1] += Decimal(part["vat"])
    return {
        "orders": {
            key: str(value if key == "count" else _cents(value)) for key, value in orders.items()
        },
        "vat_by_rate": {
            f"{rate.normalize():f}" + (f"/{exemption}" if exemption else ""): {
                "ttc": str(ttc),
                "vat": str(amount),
            }
            for (rate, exemption), (ttc, amount) in sorted(vat.items())
        },
        "ledger_balances": ledger_balances(storefront=storefront),
    }
