"""The figures an archive's manifest promises and `verify-storefront` checks on the target: the
same function reads them on both sides, from the storefront's rows."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from galerie.carveout.entities.ledger import ledger_balances
from galerie.orders.models import OrderLine

ZERO = Decimal("0.00")


def storefront_totals(*, storefront) -> dict:
    """Orders (count and money), VAT per rate (goods and delivery) and ledger balances per
    general account, all as exact strings."""
    orders = storefront.orders.aggregate(
        count=Count("pk"),
        items_total=Sum("items_total"),
        delivery_total=Sum("delivery_total"),
        total=Sum("total"),
        vat_total=Sum("vat_total"),
        refunded_total=Sum("refunded_total"),
    )
    vat: dict[Decimal, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    lines = (
        OrderLine.objects.filter(order__storefront=storefront)
        .values("vat_rate")
        .annotate(ttc=Sum("line_total"), vat=Sum("vat_amount"))
    )
    for row in lines:
        vat[Decimal(row["vat_rate"])][0] += row["ttc"]
        vat[Decimal(row["vat_rate"])][1] += row["vat"]
    deliveries = storefront.orders.values_list("seller_orders__delivery_vat", flat=True)
    for parts in deliveries.iterator(chunk_size=5000):
        for part in parts or ():
            vat[Decimal(part["rate"])][0] += Decimal(part["ttc"])
            vat[Decimal(part["rate"])][1] += Decimal(part["vat"])
    return {
        "orders": {
            key: str(value if value is not None else (0 if key == "count" else ZERO))
            for key, value in orders.items()
        },
        "vat_by_rate": {
            f"{rate.normalize():f}": {"ttc": str(ttc), "vat": str(amount)}
            for rate, (ttc, amount) in sorted(vat.items())
        },
        "ledger_balances": ledger_balances(storefront=storefront),
    }
