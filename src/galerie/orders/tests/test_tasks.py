from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from galerie.orders.models import Order
from galerie.sellers.models import Offer
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_release_task_runs_through_django_tasks(place, settings, capsys):
    settings.TASKS = IMMEDIATE
    offer = make_offer(stock=1)
    order = place([(offer.pk, 1)])
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=5))
    call_command("release_expired_orders", "--enqueue")
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert Offer.objects.get(pk=offer.pk).stock == 1
    assert "Tâche mise en file" in capsys.readouterr().out


def test_release_command_reports_count(place, capsys):
    offer = make_offer(stock=2)
    order = place([(offer.pk, 2)])
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=5))
    call_command("release_expired_orders")
    assert "1 commande(s) expirée(s)" in capsys.readouterr().out
    assert Offer.objects.get(pk=offer.pk).stock == 2


def test_webhooks_can_be_delivered_by_a_task(place, settings, django_capture_on_commit_callbacks):
    from django.test import Client

    from galerie.payments.services import payment_start

    settings.TASKS = IMMEDIATE
    settings.GALERIE_PAYMENT_WEBHOOKS = "task"
    order = place([(make_offer().pk, 1)])
    start = payment_start(order=order, method="card", return_url="/")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(start.redirect_url, {"card_number": "4242424242424242"})
    order.refresh_from_db()
    assert order.status == "paid"


def test_a_caller_may_ask_for_inline_webhooks_whatever_the_setting(
    place, settings, django_capture_on_commit_callbacks
):
    """The demo's simulation delivers inline: a queued webhook would run after its instant."""
    from galerie.payments.services import payment_start
    from galerie.payments.simulator import charge_submit

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.GALERIE_PAYMENT_WEBHOOKS = "task"  # queued on a backend that never runs them
    queued, inline = place([(make_offer().pk, 1)]), place([(make_offer().pk, 1)])
    for order, webhooks in ((queued, None), (inline, "inline")):
        start = payment_start(order=order, method="card", return_url="/")
        with django_capture_on_commit_callbacks(execute=True):
            charge_submit(
                token=start.payment.provider_ref, card_number="4242424242424242", webhooks=webhooks
            )
    queued.refresh_from_db()
    inline.refresh_from_db()
    assert (queued.status, inline.status) == ("pending_payment", "paid")
