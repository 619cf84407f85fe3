"""Every row lock of invoicing: the per-issuer counter that numbers a series without a gap."""

from galerie.invoicing.models import InvoiceCounter


def invoice_counter_lock(*, issuer_id: int, series: str, year: int) -> InvoiceCounter:
    """The series' counter, created at 0 if new and locked until the caller's transaction ends:
    two documents of the same series are numbered one after the other, never with one number."""
    InvoiceCounter.objects.bulk_create(
        [InvoiceCounter(issuer_id=issuer_id, series=series, year=year)], ignore_conflicts=True
    )
    return InvoiceCounter.objects.select_for_update().get(
        issuer_id=issuer_id, series=series, year=year
    )
