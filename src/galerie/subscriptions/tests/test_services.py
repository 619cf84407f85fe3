import datetime as dt

import pytest
from django.core import mail

from galerie.core import clock
from galerie.orders.errors import OrderError
from galerie.orders.models import Order
from galerie.payments.refunds import order_cancel, orders_release_expired
from galerie.subscriptions.errors import InvalidRenewal, NotTerminable
from galerie.subscriptions.models import (
    FulfilmentStatus,
    IssueFulfilment,
    Subscription,
    SubscriptionStatus,
    TermStatus,
)
from galerie.subscriptions.services import (
    fulfilments_ship,
    subscription_terminate,
    subscriptions_end_due,
)
from galerie.testing.factories import make_offer, make_seller, make_subscription_offer

pytestmark = pytest.mark.django_db
St = SubscriptionStatus


@pytest.fixture
def plan_offer():
    return make_subscription_offer(price="39.00", issues_per_year=12, term_months=6)


def test_buying_a_subscription_creates_it_pending_with_its_first_term_and_no_issue(
    place, plan_offer
):
    order = place([(plan_offer.pk, 1)], details={plan_offer.pk: {"auto_renew": True}})
    subscription = Subscription.objects.get()
    assert subscription.status == St.PENDING
    assert subscription.auto_renew is True
    assert subscription.email == order.email
    assert subscription.delivery_address == order.shipping_address
    term = subscription.terms.get()
    assert (term.number, term.status, term.order_line.order_id) == (1, TermStatus.PENDING, order.pk)
    assert subscription.ends_on == term.ends_on
    assert not IssueFulfilment.objects.exists()


def test_paying_activates_it_and_schedules_one_fulfilment_per_issue_of_the_term(
    place, pay, plan_offer
):
    order = pay(place([(plan_offer.pk, 1)]))
    subscription = Subscription.objects.get()
    assert order.status == "paid"
    assert subscription.status == St.ACTIVE
    assert subscription.terms.get().status == TermStatus.PAID
    # Six months of a monthly: six issues, each once, all for the seller of the offer.
    issues = list(subscription.fulfilments.order_by("issue_date"))
    assert len(issues) == 6
    assert {f.seller_id for f in issues} == {plan_offer.seller_id}
    assert all(subscription.starts_on <= f.issue_date <= subscription.ends_on for f in issues)


def test_a_subscription_is_ordered_one_at_a_time(place, plan_offer):
    with pytest.raises(OrderError) as caught:
        place([(plan_offer.pk, 2)])
    assert caught.value.code == "bad_quantity"
    assert not Order.objects.exists() and not Subscription.objects.exists()


def test_an_unpaid_order_that_expires_cancels_the_subscription_and_serves_nothing(
    place, plan_offer
):
    order = place([(plan_offer.pk, 1)])
    with clock.simulated_clock(clock.now() + dt.timedelta(hours=3)):
        assert orders_release_expired() == 1
    order.refresh_from_db()
    subscription = Subscription.objects.get()
    assert order.status == "cancelled"
    assert subscription.status == St.CANCELLED
    assert subscription.terms.get().status == TermStatus.FAILED
    assert not IssueFulfilment.objects.exists()


def test_cancelling_a_paid_order_refunds_the_term_and_cancels_unshipped_issues(
    place, pay, plan_offer
):
    order = pay(place([(plan_offer.pk, 1)]))
    order_cancel(order=order, reason="client")
    subscription = Subscription.objects.get()
    assert subscription.status == St.CANCELLED
    assert subscription.terms.get().status == TermStatus.REFUNDED
    assert set(subscription.fulfilments.values_list("status", flat=True)) == {
        FulfilmentStatus.CANCELLED
    }


def test_a_renewal_line_adds_the_next_term_and_extends_the_subscription_once_paid(
    place, pay, plan_offer
):
    pay(place([(plan_offer.pk, 1)]))
    subscription = Subscription.objects.get()
    first_end = subscription.ends_on
    renewal = place(
        [(plan_offer.pk, 1)], details={plan_offer.pk: {"renews": subscription.pk, "term": 2}}
    )
    term = subscription.terms.get(number=2)
    assert term.starts_on == first_end + dt.timedelta(days=1)
    subscription.refresh_from_db()
    assert subscription.ends_on == first_end  # not served before it is paid
    assert subscription.fulfilments.count() == 6
    pay(renewal)
    subscription.refresh_from_db()
    assert subscription.ends_on == term.ends_on
    assert subscription.fulfilments.count() == 12
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize("term", [1, 3])
def test_a_renewal_of_another_term_number_or_another_customer_is_refused(
    place, pay, plan_offer, term
):
    pay(place([(plan_offer.pk, 1)]))
    subscription = Subscription.objects.get()
    with pytest.raises(InvalidRenewal):
        place(
            [(plan_offer.pk, 1)], details={plan_offer.pk: {"renews": subscription.pk, "term": term}}
        )
    with pytest.raises(InvalidRenewal):
        place(
            [(plan_offer.pk, 1)],
            email="autre@example.fr",
            details={plan_offer.pk: {"renews": subscription.pk, "term": 2}},
        )
    assert subscription.terms.count() == 1
    assert Order.objects.count() == 1


def test_termination_stops_renewal_keeps_the_paid_term_and_confirms_by_email_once(
    place, pay, plan_offer, django_capture_on_commit_callbacks
):
    pay(place([(plan_offer.pk, 1)], details={plan_offer.pk: {"auto_renew": True}}))
    subscription = Subscription.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        subscription_terminate(subscription=subscription)
        subscription_terminate(subscription=subscription)
    subscription.refresh_from_db()
    assert subscription.status == St.TERMINATING
    assert subscription.auto_renew is False
    assert subscription.terminated_at is not None
    assert subscription.fulfilments.filter(status=FulfilmentStatus.SCHEDULED).count() == 6
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["client@example.fr"]
    assert "résiliation" in message.subject
    assert subscription.ends_on.strftime("%Y") in message.body


def test_a_pending_subscription_cannot_be_terminated(place, plan_offer):
    place([(plan_offer.pk, 1)])
    with pytest.raises(NotTerminable):
        subscription_terminate(subscription=Subscription.objects.get())


def test_subscriptions_end_after_their_last_paid_day_unless_a_renewal_is_pending(
    place, pay, plan_offer
):
    pay(place([(plan_offer.pk, 1)], details={plan_offer.pk: {"auto_renew": True}}))
    subscription = Subscription.objects.get()
    after = subscription.ends_on + dt.timedelta(days=1)
    assert subscriptions_end_due(today=subscription.ends_on) == 0
    place([(plan_offer.pk, 1)], details={plan_offer.pk: {"renews": subscription.pk, "term": 2}})
    assert subscriptions_end_due(today=after) == 0  # dunning: the renewal may still be paid
    Subscription.objects.filter(pk=subscription.pk).update(auto_renew=False)
    assert subscriptions_end_due(today=after) == 1
    assert subscriptions_end_due(today=after) == 0
    subscription.refresh_from_db()
    assert subscription.status == St.ENDED


def test_a_seller_ships_its_own_scheduled_issues_in_bulk_and_never_anothers(place, pay, plan_offer):
    other_offer = make_subscription_offer(seller=make_seller("Éditions Rivales"))
    pay(place([(plan_offer.pk, 1)]))
    pay(place([(other_offer.pk, 1)]))
    mine = list(
        IssueFulfilment.objects.filter(seller=plan_offer.seller).values_list("pk", flat=True)
    )
    theirs = list(
        IssueFulfilment.objects.filter(seller=other_offer.seller).values_list("pk", flat=True)
    )
    assert fulfilments_ship(seller=plan_offer.seller, fulfilment_ids=mine[:2] + theirs) == 2
    assert fulfilments_ship(seller=plan_offer.seller, fulfilment_ids=mine[:2]) == 0
    assert IssueFulfilment.objects.filter(status=FulfilmentStatus.SHIPPED).count() == 2
    assert not IssueFulfilment.objects.filter(
        pk__in=theirs, status=FulfilmentStatus.SHIPPED
    ).exists()


def test_ordinary_goods_create_no_subscription(place):
    place([(make_offer().pk, 1)])
    assert not Subscription.objects.exists()
