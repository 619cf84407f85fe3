from galerie.ledger.models import Account, Journal, JournalEntry, JournalLine


def ledger_snapshot():
    """Everything a refused posting must leave untouched."""
    return (
        list(JournalEntry.objects.order_by("pk").values_list("pk", flat=True)),
        JournalLine.objects.count(),
        sorted(Journal.objects.values_list("code", "last_number")),
        sorted(Account.objects.values_list("code", "debit_total", "credit_total")),
    )
