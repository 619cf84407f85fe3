"""PostgreSQL, real threads: a seller's price change never overwrites a buyer's reservation.

`offer_update` saves every column of the offer; the portal locks the row first, so a
reservation committed meanwhile is read, not overwritten (without the lock the seller's save
would write back the stock it read before the reservation: one unit sold twice).
"""

import threading
import time

import pytest
from django.db import connection, transaction

from galerie.inventory.services import stock_reserve
from galerie.portal.services import portal_offer_update
from galerie.sellers.models import Offer
from galerie.testing.factories import make_offer, make_seller

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_price_change_waits_for_a_reservation_in_progress_and_keeps_it():
    seller = make_seller()
    offer = make_offer(seller=seller, price="10.00", stock=5)
    reserved = threading.Event()
    release = threading.Event()
    errors = []

    def buyer():
        try:
            with transaction.atomic():
                stock_reserve(items=[(offer.pk, 2)], reference="order-1")
                reserved.set()
                release.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def seller_edit():
        try:
            reserved.wait(10)
            portal_offer_update(seller=seller, offer_id=offer.pk, price="12.00")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=buyer), threading.Thread(target=seller_edit)]
    for t in threads:
        t.start()
    reserved.wait(10)
    time.sleep(0.5)  # the seller's edit is now waiting on the row lock
    release.set()
    for t in threads:
        t.join(30)

    assert errors == []
    offer = Offer.objects.get(pk=offer.pk)
    assert (str(offer.price), offer.stock) == ("12.00", 3)
