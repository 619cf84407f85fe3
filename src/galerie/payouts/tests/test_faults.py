"""Fault: the task worker running a payout run is killed (`kill -9`) between two sellers. The
sellers paid before it stay paid, the seller in progress is not, and running the payout again
(`galerie payout-run`, as the scheduler would) pays each seller exactly once: one payout, one
ledger entry, one line in the SEPA file each; the ledger stays balanced.

The run pauses at a chosen seller because the test holds the row lock of that seller's payable
account: the payout's ledger posting waits for it, inside the seller's transaction, after the
payout and its statement lines are written. (Not the seller's own row: the foreign keys are
checked at commit, so a lock there would stop the COMMIT itself, which then completes.)
"""

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from galerie.ledger.models import Account, EntryKind, JournalEntry
from galerie.ledger.selectors import seller_payable_balance
from galerie.payouts.models import Payout, PayoutRun
from galerie.testing import faults
from galerie.testing.factories import (
    make_category,
    make_delivered_order,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
ACCOUNTS = [
    ("FR1420041010050500013M02606", "PSSTFRPPXXX"),
    ("DE89370400440532013000", "COBADEFFXXX"),
    ("GB82WEST12345698765432", "NWBKGB2LXXX"),
]


@pytest.fixture
def sellers(settings):
    # The worker below is django-tasks-db's: queue there even when the suite has REDIS_URL.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    category = make_category("Livres")
    storefront = make_storefront("versements", categories=[category])
    delivered = timezone.now() - dt.timedelta(days=20)
    paid = []
    for n, (iban, bic) in enumerate(ACCOUNTS):
        seller = make_seller(f"Vendeur {n}", iban=iban, bic=bic)
        offer = make_offer(make_product(category=category), seller=seller, price="20.00")
        make_delivered_order([(offer, 1)], storefront=storefront, delivered_at=delivered)
        paid.append(seller)
    return paid


def test_killed_worker_mid_payout_run_pays_each_seller_once(sellers, tmp_path):
    from galerie.payouts.tasks import payout_run_task

    today = timezone.localdate()
    env = faults.process_env(tmp_path)
    log = tmp_path / "worker.log"
    first, second, _third = sellers
    payout_run_task.enqueue(as_of=today.isoformat(), holdback_percent="0")

    # When: the worker pays the first seller, waits on the second one's row, and is killed.
    account = Account.objects.get(seller=second)
    with faults.row_lock("SELECT id FROM ledger_account WHERE id = %s FOR UPDATE", (account.pk,)):
        worker = faults.galerie_start(
            env, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", log=log
        )
        try:
            waiting = faults.wait_for_lock_waiter(worker, log)
            assert list(Payout.objects.values_list("seller_id", flat=True)) == [first.pk]
            faults.kill9(worker.pid)
        finally:
            faults.stop(worker)
    faults.backends_gone(waiting)

    # Then: the first seller's payout is whole, the second's left nothing, the run is unfinished.
    assert list(Payout.objects.values_list("seller_id", flat=True)) == [first.pk]
    assert JournalEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1
    assert PayoutRun.objects.get().completed_at is None
    call_command("ledger_check")

    # Running it again (the scheduler's next tick, or by hand) pays the others, the first not again.
    sepa = tmp_path / "virements.xml"
    call_command("payout_run", date=today.isoformat(), holdback="0", sepa=str(sepa))

    payouts = Payout.objects.order_by("seller_id")
    assert [p.seller_id for p in payouts] == [s.pk for s in sellers]
    entries = JournalEntry.objects.filter(kind=EntryKind.PAYOUT)
    assert Counter(entries.values_list("reference", flat=True)) == Counter(
        p.reference for p in payouts
    )
    root = ET.fromstring(sepa.read_bytes())  # noqa: S314 - our own file
    ibans = [
        tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text for tx in root.findall(".//p:CdtTrfTxInf", NS)
    ]
    assert Counter(ibans) == Counter(iban for iban, _bic in ACCOUNTS)
    for seller in sellers:
        assert seller_payable_balance(seller_id=seller.pk) == 0
    assert PayoutRun.objects.get().completed_at is not None
    call_command("ledger_check")
