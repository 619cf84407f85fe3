"""Loi Chatel (L215-1, al. 2): a renewal notice sent late lets the customer end the renewed term
at any time, refunded pro rata of its issues not yet shipped; the confirmation page states the
refund before the customer confirms. Without a late notice, termination stays at the end of the
paid term and refunds nothing."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from galerie.core import clock
from galerie.payments.models import Refund
from galerie.payments.refunds import late_termination_key, subscription_terminate_or_refund
from galerie.payments.renewals import renewals_run
from galerie.subscriptions.errors import NotTerminable
from galerie.subscriptions.models import (
    FulfilmentStatus,
    Subscription,
    SubscriptionStatus,
    TermStatus,
)
from galerie.subscriptions.selectors import subscription_late_termination_quote
from galerie.subscriptions.services import fulfilments_ship
from galerie.testing.factories import make_subscription_offer
from galerie.testing.subscriptions import saved_card_make, subscription_buy

pytestmark = pytest.mark.django_db
St = SubscriptionStatus


@contextlib.contextmanager
def on(day: dt.date):
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    with clock.simulated_clock(moment):
        yield


@pytest.fixture
def renewed(storefront):
    """A subscription whose second term was renewed and paid; `late` says whether the renewal
    notice of the first term went out late. Returns (subscription, term 2)."""

    def _renewed(*, late: bool):
        offer = make_subscription_offer(price="39.00", issues_per_year=12, term_months=6)
        subscription = subscription_buy(offer=offer, storefront=storefront, card=saved_card_make())
        end = subscription.ends_on
        if late:
            Subscription.objects.filter(pk=subscription.pk).update(
                renewal_notice_for=end, renewal_notice_late_for=end
            )
        day = end - dt.timedelta(days=2)
        with on(day):
            assert renewals_run(today=day).charged == 1
        subscription.refresh_from_db()
        term = subscription.terms.get(number=2)
        assert term.status == TermStatus.PAID
        return subscription, term

    return _renewed


def delivery_of(term):
    return term.order_line.seller_order.delivery_fee


def test_before_the_renewed_term_begins_it_is_refunded_whole_and_the_paid_term_is_served(
    renewed, django_capture_on_commit_callbacks
):
    subscription, term = renewed(late=True)
    first_end = term.starts_on - dt.timedelta(days=1)
    mail.outbox.clear()

    with on(first_end - dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        refund = subscription_terminate_or_refund(subscription=subscription)

    assert refund.amount == Decimal("39.00") + delivery_of(term)
    assert refund.order_id == term.order_line.order_id
    subscription.refresh_from_db()
    assert subscription.status == St.TERMINATING and subscription.ends_on == first_end
    assert subscription.auto_renew is False and subscription.terminated_at is not None
    term.refresh_from_db()
    assert term.status == TermStatus.REFUNDED
    assert not term.fulfilments.exclude(status=FulfilmentStatus.CANCELLED).exists()
    # The first term's issues are still served.
    assert (
        subscription.terms.get(number=1)
        .fulfilments.filter(status=FulfilmentStatus.SCHEDULED)
        .exists()
    )
    (message,) = mail.outbox
    assert "résiliation" in message.subject and "L215-1" in message.body


def test_during_the_renewed_term_it_ends_now_and_refunds_the_issues_not_shipped(
    renewed, django_capture_on_commit_callbacks
):
    subscription, term = renewed(late=True)
    ids = list(term.fulfilments.order_by("issue_date").values_list("pk", flat=True))
    fulfilments_ship(seller=subscription.seller, fulfilment_ids=ids[:2])
    today = term.starts_on + dt.timedelta(days=40)

    with on(today), django_capture_on_commit_callbacks(execute=True):
        quote = subscription_late_termination_quote(subscription)
        refund = subscription_terminate_or_refund(subscription=subscription)
        again = subscription_late_termination_quote(Subscription.objects.get(pk=subscription.pk))

    # 2 of 6 issues shipped: 39.00 − 13.00; the delivery fee was used by those issues.
    assert quote.total == refund.amount == Decimal("26.00") and quote.ends_now
    assert refund.idempotency_key == late_termination_key(subscription_id=subscription.pk, term=2)
    subscription.refresh_from_db()
    assert subscription.status == St.ENDED and subscription.ends_on == today
    statuses = list(term.fulfilments.values_list("status", flat=True))
    assert statuses.count(FulfilmentStatus.SHIPPED) == 2
    assert statuses.count(FulfilmentStatus.CANCELLED) == 4
    assert again is None
    order = term.order_line.order
    order.refresh_from_db()
    assert order.refunded_total == Decimal("26.00")


def test_terminating_twice_refunds_once(renewed, django_capture_on_commit_callbacks):
    subscription, term = renewed(late=True)
    with on(term.starts_on + dt.timedelta(days=3)):
        subscription_terminate_or_refund(subscription=subscription)
        with pytest.raises(NotTerminable) as caught:
            subscription_terminate_or_refund(subscription=subscription)
    assert caught.value.code == "subscription_not_terminable"
    assert Refund.objects.count() == 1


def test_without_a_late_notice_termination_waits_for_the_end_and_refunds_nothing(renewed):
    subscription, term = renewed(late=False)
    with on(term.starts_on + dt.timedelta(days=3)):
        assert subscription_late_termination_quote(subscription) is None
        assert subscription_terminate_or_refund(subscription=subscription) is None
    subscription.refresh_from_db()
    assert subscription.status == St.TERMINATING and subscription.ends_on == term.ends_on
    assert not Refund.objects.exists()


def test_a_late_notice_of_an_earlier_term_does_not_reach_a_later_one(renewed):
    subscription, term = renewed(late=True)
    # The notice of some earlier term was late, not the one of the term renewed now.
    Subscription.objects.filter(pk=subscription.pk).update(
        renewal_notice_late_for=term.starts_on - dt.timedelta(days=200)
    )
    subscription.refresh_from_db()
    with on(term.starts_on + dt.timedelta(days=3)):
        assert subscription_late_termination_quote(subscription) is None


def test_the_confirmation_page_states_the_refund_before_confirming(
    renewed, django_capture_on_commit_callbacks
):
    subscription, term = renewed(late=True)
    user = get_user_model().objects.create_user("c@example.fr", "c@example.fr", "pw-12345678")
    Subscription.objects.filter(pk=subscription.pk).update(user=user)
    client = Client(HTTP_HOST="culture.localhost")
    client.force_login(user)
    url = f"/compte/abonnements/{subscription.public_id}/resilier/"

    with on(term.starts_on + dt.timedelta(days=1)):
        page = client.get(url)
        expected = page.context["late"].total
        html = page.content.decode()
        assert f"Vous serez remboursé de <strong>{expected}".replace(".", ",") in html
        assert "aujourd" in html
        assert not Refund.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(url, follow=True)

    assert expected == Decimal("39.00")  # no issue of the renewed term shipped yet
    assert "a pris fin" in done.content.decode()
    assert Refund.objects.get().amount == expected
    subscription.refresh_from_db()
    assert subscription.status == St.ENDED
