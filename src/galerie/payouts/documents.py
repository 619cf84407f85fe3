"""A payout run's documents: the SEPA credit transfer file (pain.001) and each payout's statement
as CSV and PDF. They are built from the stored payouts and statement lines, so downloading them
again gives the same figures."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer

from galerie.core.money import format_money
from galerie.payouts.models import Payout, PayoutRun
from galerie.payouts.services import PayoutError


def operator_bank_account() -> dict:
    """The debtor of the transfers: the operator's account (settings, with the demo default)."""
    return {
        "name": getattr(settings, "GALERIE_BANK_HOLDER", "Galerie SAS"),
        "IBAN": getattr(settings, "GALERIE_BANK_IBAN", "FR76 3000 6000 0112 3456 7890 189")
        .replace(" ", "")
        .upper(),
        "BIC": getattr(settings, "GALERIE_BANK_BIC", "AGRIFRPPXXX").replace(" ", "").upper(),
    }


def payout_run_sepa_xml(*, run: PayoutRun) -> bytes:
    """The run's transfers as one SEPA credit transfer file (pain.001.001.03), validated against
    the XSD by sepaxml. Debtor: the operator's account; one transaction per payout."""
    payouts = list(run.payouts.order_by("pk"))
    if not payouts:
        raise PayoutError(_("Aucun versement dans cette campagne."), code="no_payouts")
    debtor = operator_bank_account()
    transfer = SepaTransfer(
        {**debtor, "batch": True, "currency": "EUR", "execution_date": run.as_of},
        schema="pain.001.001.03",
    )
    for payout in payouts:
        payment = {
            "name": payout.seller_name,
            "IBAN": payout.iban,
            "amount": int(payout.amount * 100),
            "execution_date": run.as_of,
            "description": f"Galerie versement {payout.reference} du {run.as_of:%d/%m/%Y}",
            "endtoend_id": payout.reference,
        }
        if payout.bic:
            payment["BIC"] = payout.bic
        transfer.add_payment(payment)
    return transfer.export(validate=True, pretty_print=True)


CSV_HEADER = ["nature", "libelle", "commande", "ventes_ttc", "commission_ttc", "rembourse", "net"]


def payout_statement_csv(*, payout: Payout) -> str:
    """The statement as CSV (UTF-8, comma, point decimals: a spreadsheet imports it as is)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for line in payout.lines.select_related("seller_order__order").order_by("pk"):
        writer.writerow(
            [
                line.kind,
                line.label,
                line.seller_order.order.number if line.seller_order_id else "",
                line.sales,
                line.commission,
                line.refunded,
                line.amount,
            ]
        )
    writer.writerow(["total", _("Versé"), "", "", "", "", payout.amount])
    return out.getvalue()


def payout_statement_html(*, payout: Payout) -> str:
    lines = list(payout.lines.select_related("seller_order__order").order_by("pk"))
    return render_to_string(
        "payouts/statement.html",
        {
            "payout": payout,
            "run": payout.run,
            "operator": operator_bank_account(),
            "rows": [
                {
                    "line": line,
                    "order": line.seller_order.order.number if line.seller_order_id else "",
                    "sales": format_money(line.sales) if line.sales else "",
                    "commission": format_money(line.commission) if line.commission else "",
                    "refunded": format_money(line.refunded) if line.refunded else "",
                    "amount": format_money(line.amount),
                }
                for line in lines
            ],
            "total": format_money(payout.amount),
        },
    )


def payout_statement_pdf(*, payout: Payout) -> bytes:
    """The statement as PDF (WeasyPrint; needs Pango, Debian package libpango-1.0-0)."""
    from weasyprint import HTML

    return HTML(string=payout_statement_html(payout=payout)).write_pdf()
