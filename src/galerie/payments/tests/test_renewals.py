import contextlib
import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from galerie.core import clock
from galerie.orders.models import Order
from galerie.payments.models import Payment, PaymentStatus, SimulatedCharge
from galerie.payments.renewals import renewal_notices_send, renewal_retries_run, renewals_run
from galerie.subscriptions.models import (
    AttemptOutcome,
    FulfilmentStatus,
    RenewalAttempt,
    Subscription,
    SubscriptionStatus,
    TermStatus,
)
from galerie.subscriptions.schedule import notice_window
from galerie.subscriptions.services import subscription_terminate, subscriptions_end_due
from galerie.testing.factories import make_subscription_offer
from galerie.testing.subscriptions import (
    order_pay_by_transfer,
    saved_card_make,
    subscription_buy,
)

pytestmark = pytest.mark.django_db
St = SubscriptionStatus


@contextlib.contextmanager
def on(day: dt.date):
    """The services' clock at 06:00 on `day` (the daily run's hour)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(6)))
    with clock.simulated_clock(moment):
        yield


@pytest.fixture
def offer():
    return make_subscription_offer(price="39.00", issues_per_year=12, term_months=6)


@pytest.fixture
def subscribe(offer, storefront):
    def _subscribe(behaviour="succeeded", **kw):
        card = saved_card_make(behaviour=behaviour, **kw) if behaviour else None
        return subscription_buy(offer=offer, storefront=storefront, card=card)

    return _subscribe


def daily(day, capture):
    """The renewal steps of the daily command, e-mails sent as after commit."""
    with on(day), capture(execute=True):
        first = renewals_run(today=day)
        retries = renewal_retries_run(today=day)
        subscriptions_end_due(today=day)
    return first, retries


def mit_payments():
    return Payment.objects.filter(idempotency_key__startswith="renewal-")


def test_the_renewal_is_placed_and_charged_two_days_before_the_end_and_serves_the_next_term(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    end = subscription.ends_on
    first, _retries = daily(end - dt.timedelta(days=3), django_capture_on_commit_callbacks)
    assert first.placed == 0 and not mit_payments().exists()

    first, _retries = daily(end - dt.timedelta(days=2), django_capture_on_commit_callbacks)

    assert (first.placed, first.charged) == (1, 1)
    subscription.refresh_from_db()
    term = subscription.terms.get(number=2)
    assert term.status == TermStatus.PAID
    assert term.starts_on == end + dt.timedelta(days=1)
    assert subscription.ends_on == term.ends_on and subscription.status == St.ACTIVE
    assert subscription.fulfilments.filter(term=term).count() == 6
    order = term.order_line.order
    assert order.status == "paid" and order.idempotency_key == f"renewal-{subscription.pk}-2"
    assert order.shipping_address == subscription.delivery_address
    payment = mit_payments().get()
    assert payment.status == PaymentStatus.CAPTURED and payment.amount == order.total
    attempt = RenewalAttempt.objects.get()
    assert (attempt.number, attempt.outcome) == (1, AttemptOutcome.SUCCEEDED)


def test_running_the_daily_run_twice_the_same_day_charges_once(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    day = subscription.ends_on - dt.timedelta(days=2)
    daily(day, django_capture_on_commit_callbacks)
    again, retries = daily(day, django_capture_on_commit_callbacks)
    assert (again.placed, again.charged, retries.charged) == (0, 0, 0)
    assert mit_payments().count() == 1
    assert SimulatedCharge.objects.filter(idempotency_key__startswith="renewal-").count() == 1
    assert Order.objects.filter(idempotency_key__startswith="renewal-").count() == 1
    assert subscription.terms.count() == 2


def test_a_soft_decline_is_retried_on_its_days_with_dunning_emails_until_it_pays(
    subscribe, django_capture_on_commit_callbacks
):
    # The "recovers" card refuses two attempts for insufficient funds, then pays.
    subscription = subscribe("recovers")
    start = subscription.ends_on - dt.timedelta(days=2)
    mail.outbox.clear()

    first, _ = daily(start, django_capture_on_commit_callbacks)
    assert (first.placed, first.soft_declined) == (1, 1)
    assert [m.subject for m in mail.outbox if "échoué" in m.subject]
    term = subscription.terms.get(number=2)
    order = term.order_line.order
    assert order.status == "pending_payment"
    # The order is payable by the customer until the dunning's end, not the usual hour.
    assert order.expires_at.date() >= start + dt.timedelta(days=15)
    assert not subscription.fulfilments.filter(term=term).exists()

    for day in (1, 2):
        _, retries = daily(start + dt.timedelta(days=day), django_capture_on_commit_callbacks)
        assert retries.soft_declined == retries.charged == 0
    mail.outbox.clear()
    _, retries = daily(start + dt.timedelta(days=3), django_capture_on_commit_callbacks)
    assert retries.soft_declined == 1
    assert any("rappel" in m.subject for m in mail.outbox)
    _, retries = daily(start + dt.timedelta(days=7), django_capture_on_commit_callbacks)
    assert retries.charged == 1

    term.refresh_from_db()
    subscription.refresh_from_db()
    assert term.status == TermStatus.PAID and subscription.ends_on == term.ends_on
    assert list(term.attempts.values_list("number", "outcome")) == [
        (1, AttemptOutcome.SOFT_DECLINED),
        (2, AttemptOutcome.SOFT_DECLINED),
        (3, AttemptOutcome.SUCCEEDED),
    ]
    assert mit_payments().filter(status=PaymentStatus.CAPTURED).count() == 1


def test_a_renewal_never_paid_is_cancelled_after_the_last_retry_and_the_subscription_ends(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe("insufficient_funds")
    end = subscription.ends_on
    start = end - dt.timedelta(days=2)
    mail.outbox.clear()
    for offset in range(0, 15):
        daily(start + dt.timedelta(days=offset), django_capture_on_commit_callbacks)
    term = subscription.terms.get(number=2)
    assert term.attempts.count() == 4
    dunning = [m.subject for m in mail.outbox if "commande" not in m.subject]
    assert [subject.split(" — ")[1][:12] for subject in dunning] == [
        "le paiement ",
        "rappel : ren",
        "rappel : ren",
        "dernier avis",
    ]
    assert term.order_line.order.status == "pending_payment"  # still payable on the last day
    mail.outbox.clear()

    _, retries = daily(start + dt.timedelta(days=15), django_capture_on_commit_callbacks)

    assert retries.closed == 1
    term.refresh_from_db()
    subscription.refresh_from_db()
    assert term.status == TermStatus.FAILED
    assert term.order_line.order.status == "cancelled"
    assert subscription.status == St.ENDED and subscription.ends_on == end
    assert not subscription.fulfilments.filter(term=term).exists()
    assert [m.subject for m in mail.outbox if "commande" not in m.subject] == [
        f"{subscription.storefront.name} — votre abonnement à {subscription.plan.publication} "
        "n'a pas été renouvelé"
    ]
    assert not mit_payments().filter(status=PaymentStatus.CAPTURED).exists()
    # Nothing more happens on the following days.
    _, retries = daily(start + dt.timedelta(days=16), django_capture_on_commit_callbacks)
    assert retries.closed == 0 and term.attempts.count() == 4


@pytest.mark.parametrize(
    ("card", "outcome"),
    [
        ({"behaviour": "card_declined"}, AttemptOutcome.HARD_DECLINED),
        ({"behaviour": "succeeded", "exp_month": 1, "exp_year": 2020}, AttemptOutcome.CARD_EXPIRED),
    ],
)
def test_a_hard_decline_or_an_expired_card_is_not_retried_and_the_customer_may_pay_by_link(
    offer, storefront, django_capture_on_commit_callbacks, card, outcome
):
    subscription = subscription_buy(offer=offer, storefront=storefront)
    Subscription.objects.filter(pk=subscription.pk).update(saved_card=saved_card_make(**card))
    start = subscription.ends_on - dt.timedelta(days=2)
    mail.outbox.clear()
    daily(start, django_capture_on_commit_callbacks)
    term = subscription.terms.get(number=2)
    order = term.order_line.order
    assert list(term.attempts.values_list("outcome", flat=True)) == [outcome]
    (dunning,) = [m for m in mail.outbox if "commande" not in m.subject]
    assert "mettez à jour votre carte" in dunning.subject
    assert str(order.public_id) in dunning.body  # the order's page, to pay it
    for offset in (3, 7, 14):
        daily(start + dt.timedelta(days=offset), django_capture_on_commit_callbacks)
    assert term.attempts.count() == 1 and mit_payments().count() == 1

    with on(start + dt.timedelta(days=14)):
        order_pay_by_transfer(order)

    term.refresh_from_db()
    subscription.refresh_from_db()
    assert term.status == TermStatus.PAID and subscription.ends_on == term.ends_on
    _, retries = daily(start + dt.timedelta(days=15), django_capture_on_commit_callbacks)
    assert retries.closed == 0
    subscription.refresh_from_db()
    assert subscription.status == St.ACTIVE


def test_without_a_saved_card_the_customer_is_asked_to_pay_by_link(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe(behaviour=None)
    mail.outbox.clear()
    day = subscription.ends_on - dt.timedelta(days=2)
    first, _ = daily(day, django_capture_on_commit_callbacks)
    assert (first.placed, first.no_card) == (1, 1)
    assert not mit_payments().exists()
    term = subscription.terms.get(number=2)
    assert term.attempts.get().outcome == AttemptOutcome.NO_CARD
    (dunning,) = [m for m in mail.outbox if "commande" not in m.subject]
    assert str(term.order_line.order.public_id) in dunning.body


def test_a_replaced_card_is_charged_on_the_next_retry_day(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe("card_declined")
    start = subscription.ends_on - dt.timedelta(days=2)
    daily(start, django_capture_on_commit_callbacks)
    Subscription.objects.filter(pk=subscription.pk).update(saved_card=saved_card_make())
    _, retries = daily(start + dt.timedelta(days=3), django_capture_on_commit_callbacks)
    assert retries.charged == 1
    assert subscription.terms.get(number=2).status == TermStatus.PAID


def test_a_crash_between_the_charge_and_its_record_never_charges_twice(
    subscribe, django_capture_on_commit_callbacks, monkeypatch
):
    subscription = subscribe("insufficient_funds")
    day = subscription.ends_on - dt.timedelta(days=2)
    create = RenewalAttempt.objects.create

    def crash(**kw):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(RenewalAttempt.objects, "create", crash)
    with pytest.raises(RuntimeError), on(day):
        renewals_run(today=day)
    assert SimulatedCharge.objects.filter(idempotency_key__startswith="renewal-").count() == 1
    assert not RenewalAttempt.objects.exists()
    monkeypatch.setattr(RenewalAttempt.objects, "create", create)

    daily(day, django_capture_on_commit_callbacks)

    assert SimulatedCharge.objects.filter(idempotency_key__startswith="renewal-").count() == 1
    assert mit_payments().count() == 1
    assert RenewalAttempt.objects.get().outcome == AttemptOutcome.SOFT_DECLINED


def test_a_subscription_terminated_during_dunning_is_not_charged_again(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe("insufficient_funds")
    start = subscription.ends_on - dt.timedelta(days=2)
    daily(start, django_capture_on_commit_callbacks)
    with on(start + dt.timedelta(days=1)):
        subscription_terminate(subscription=subscription)
    mail.outbox.clear()
    _, retries = daily(start + dt.timedelta(days=3), django_capture_on_commit_callbacks)
    assert retries.stopped == 1 and retries.soft_declined == 0
    term = subscription.terms.get(number=2)
    assert term.status == TermStatus.FAILED and term.attempts.count() == 1
    assert not [m for m in mail.outbox if "commande" not in m.subject]
    subscription.refresh_from_db()
    assert subscription.status == St.ENDED
    assert not subscription.fulfilments.filter(term=term).exists()
    assert not subscription.fulfilments.filter(status=FulfilmentStatus.CANCELLED).exists()


def test_subscriptions_without_tacit_renewal_are_not_renewed(
    offer, storefront, django_capture_on_commit_callbacks
):
    subscription = subscription_buy(
        offer=offer, storefront=storefront, auto_renew=False, card=saved_card_make()
    )
    day = subscription.ends_on - dt.timedelta(days=2)
    first, _ = daily(day, django_capture_on_commit_callbacks)
    assert first.placed == 0 and subscription.terms.count() == 1


# --- Loi Chatel notice ---------------------------------------------------------------------------


def notices(day, capture):
    with on(day), capture(execute=True):
        return renewal_notices_send(today=day)


def test_the_notice_window_opens_three_months_before_the_end_and_is_sent_once(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    end = subscription.ends_on
    opens, closes = notice_window(ends_on=end)
    mail.outbox.clear()
    assert notices(opens - dt.timedelta(days=1), django_capture_on_commit_callbacks).sent == 0
    assert not mail.outbox

    report = notices(opens, django_capture_on_commit_callbacks)
    again = notices(opens + dt.timedelta(days=1), django_capture_on_commit_callbacks)

    assert (report.sent, report.late, again.sent) == (1, 0, 0)
    subscription.refresh_from_db()
    assert subscription.renewal_notice_for == end and subscription.renewal_notice_late_for is None
    (message,) = mail.outbox
    assert message.to == [subscription.email]
    assert date_format(end, "j F Y") in message.body
    assert date_format(end + dt.timedelta(days=1), "j F Y") in message.body
    assert "39.00 €" in message.body or "39,00" in message.body
    assert "/compte/abonnements/" in message.body and "Résilier mon abonnement" in message.body
    assert "L215-1" not in message.body


def test_the_notice_on_the_windows_last_day_is_on_time_and_after_it_is_recorded_late(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    end = subscription.ends_on
    _opens, closes = notice_window(ends_on=end)
    assert notices(closes, django_capture_on_commit_callbacks).late == 0
    subscription.refresh_from_db()
    assert subscription.renewal_notice_late_for is None

    Subscription.objects.filter(pk=subscription.pk).update(renewal_notice_for=None)
    mail.outbox.clear()
    report = notices(closes + dt.timedelta(days=1), django_capture_on_commit_callbacks)

    assert (report.sent, report.late) == (1, 1)
    subscription.refresh_from_db()
    assert subscription.renewal_notice_for == end and subscription.renewal_notice_late_for == end
    assert "L215-1" in mail.outbox[0].body


def test_a_three_month_term_gets_its_notice_on_the_first_run(
    storefront, django_capture_on_commit_callbacks
):
    offer = make_subscription_offer(price="12.00", issues_per_year=52, term_months=3)
    subscription_buy(offer=offer, storefront=storefront, card=saved_card_make())
    report = notices(clock.localdate(), django_capture_on_commit_callbacks)
    assert report.sent == 1 and report.late == 0


def test_no_notice_without_tacit_renewal_and_a_renewed_term_gets_its_own(
    offer, storefront, subscribe, django_capture_on_commit_callbacks
):
    subscription_buy(offer=offer, storefront=storefront, auto_renew=False)
    subscription = subscribe()
    end = subscription.ends_on
    opens, _closes = notice_window(ends_on=end)
    assert notices(opens, django_capture_on_commit_callbacks).sent == 1
    daily(end - dt.timedelta(days=2), django_capture_on_commit_callbacks)
    subscription.refresh_from_db()
    assert subscription.renewal_notice_for is None  # the paid renewal resets it
    next_opens, _ = notice_window(ends_on=subscription.ends_on)
    assert notices(next_opens, django_capture_on_commit_callbacks).sent == 1
