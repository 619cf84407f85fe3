"""The runtime's one clock (`galerie.core.clock`): within a simulated clock the services and the
automatic timestamps read the simulated instant; outside it, the real time is back. Order e-mails
registered within `emails_suppressed()` are not sent."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from galerie.core import clock
from galerie.core.mail import emails_suppressed
from galerie.orders.models import OrderEvent
from galerie.orders.services import PAYMENT_TIMEOUT
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db

INSTANT = dt.datetime(2024, 3, 14, 21, 30, tzinfo=dt.UTC)


def _close_to_real_time(moment: dt.datetime) -> bool:
    return abs(moment - timezone.now()) < dt.timedelta(minutes=5)


def test_a_simulated_clock_moves_forward_only_and_ends_with_its_block():
    assert _close_to_real_time(clock.now())
    with clock.simulated_clock(INSTANT) as simulated:
        assert clock.now() == INSTANT
        assert clock.localdate() == timezone.localdate(INSTANT)
        simulated.set(INSTANT + dt.timedelta(hours=2))
        assert clock.now() == INSTANT + dt.timedelta(hours=2)
        simulated.set(INSTANT)  # never backwards: events are played in time order
        assert clock.now() == INSTANT + dt.timedelta(hours=2)
    assert _close_to_real_time(clock.now())


def test_an_order_placed_on_a_simulated_clock_carries_the_simulated_instant(place):
    offer = make_offer(price="10.00", stock=5)
    with clock.simulated_clock(INSTANT):
        order = place([(offer.pk, 1)])
    order.refresh_from_db()
    # Automatic timestamps (auto_now_add / auto_now) as well as the service's own reads.
    assert order.created_at == INSTANT
    assert order.updated_at == INSTANT
    assert order.expires_at == INSTANT + PAYMENT_TIMEOUT
    assert {event.created_at for event in OrderEvent.objects.filter(order=order)} == {INSTANT}
    assert {m.created_at for m in offer.stock_movements.all()} == {INSTANT}
    # The clock ended with its block: the next order is stamped with the real time.
    later = place([(offer.pk, 1)])
    later.refresh_from_db()
    assert _close_to_real_time(later.created_at)


def test_order_emails_are_not_sent_within_emails_suppressed(
    place, django_capture_on_commit_callbacks
):
    offer = make_offer(price="10.00", stock=5)
    with emails_suppressed(), django_capture_on_commit_callbacks(execute=True):
        place([(offer.pk, 1)])
    assert mail.outbox == []
    # Outside the block the confirmation goes out as usual (the test can fail).
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(offer.pk, 1)])
    assert [message.to for message in mail.outbox] == [[order.email]]
