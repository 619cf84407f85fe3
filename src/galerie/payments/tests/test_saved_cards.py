"""Saved cards: kept at checkout with the customer's consent, attached to the subscriptions the
order pays, charged later with no customer present (merchant-initiated), removed by the customer."""

import datetime as dt
import html
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from galerie.core.clock import simulated_clock
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.models import JournalLine
from galerie.payments.gateways import (
    CARD_3DS,
    CARD_RENEWAL_DECLINED,
    CARD_RENEWAL_INSUFFICIENT_FUNDS,
    CARD_RENEWAL_RECOVERS,
    CARD_SUCCESS,
    MIT_SOFT_DECLINES_BEFORE_SUCCESS,
    SimulatedCardGateway,
    webhook_sign,
)
from galerie.payments.models import Payment, SavedCard, SimulatedCard, SimulatedCharge
from galerie.payments.services import (
    SOFT_DECLINE_CODES,
    payment_charge_saved_card,
    payment_start,
    payment_webhook_receive,
    saved_card_attach,
)
from galerie.subscriptions.models import Subscription, SubscriptionPlan
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db

CONSENT = "à débiter cette carte à chaque reconduction de mon abonnement, jusqu'à résiliation"


def _expiry_next_year() -> str:
    return f"12/{(timezone.localdate().year + 1) % 100:02d}"


@pytest.fixture
def customer():
    return User.objects.create_user("abonne@example.fr", "abonne@example.fr", "pw-abonne-123")


@pytest.fixture
def plan_offer():
    offer = make_offer(price="48.00", stock=1000)
    SubscriptionPlan.objects.create(
        offer=offer,
        publication="La Revue des deux rives",
        issues_per_year=12,
        term_months=12,
        first_issue_on=dt.date(2026, 1, 5),
        medium="print",
    )
    return offer


@pytest.fixture
def subscribe(place, plan_offer, customer):
    """Place an order for one subscription term: placement creates the subscription and its
    first term."""

    def _subscribe(*, auto_renew=True, user=customer):
        order = place(
            [(plan_offer.pk, 1)],
            details={plan_offer.pk: {"auto_renew": auto_renew}},
            user=user,
            email=user.email if user else "invite@example.fr",
        )
        # Placement created the subscription and its first term (subscriptions core).
        subscription = Subscription.objects.get(terms__order_line__order=order)
        return order, subscription

    return _subscribe


def _pay_on_hosted_page(client, order, data, capture):
    start = payment_start(order=order, method="card", return_url=order.get_absolute_url())
    page = client.get(start.redirect_url)
    with capture(execute=True):
        response = client.post(start.redirect_url, data)
    order.refresh_from_db()
    return page, response


# --- Saving a card at checkout -------------------------------------------------------------------


def test_renewing_subscription_card_is_kept_with_consent_and_attached(
    subscribe, customer, django_capture_on_commit_callbacks
):
    order, subscription = subscribe()
    page, response = _pay_on_hosted_page(
        Client(),
        order,
        {"card_number": CARD_SUCCESS, "expiry": _expiry_next_year(), "consent": "1"},
        django_capture_on_commit_callbacks,
    )

    text = html.unescape(page.content.decode())
    assert CONSENT in text and 'name="consent"' in text
    assert response.status_code == 302 and response["Location"].endswith("paiement=succeeded")
    assert order.status == "paid"
    card = SavedCard.objects.get()
    assert (card.user, card.email, card.brand, card.last4) == (
        customer,
        customer.email,
        "Visa",
        "4242",
    )
    assert (card.exp_month, card.exp_year) == (12, timezone.localdate().year + 1)
    assert card.provider_ref == SimulatedCard.objects.get().token
    subscription.refresh_from_db()
    assert subscription.saved_card == card


def test_card_kept_after_a_3ds_challenge(subscribe, django_capture_on_commit_callbacks):
    order, subscription = subscribe()
    client = Client()
    _page, response = _pay_on_hosted_page(
        client,
        order,
        {"card_number": CARD_3DS, "expiry": _expiry_next_year(), "consent": "1"},
        django_capture_on_commit_callbacks,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"decision": "approve"})

    subscription.refresh_from_db()
    assert subscription.saved_card.last4 == "3220"


@pytest.mark.parametrize(
    ("expiry", "message"),
    [
        ("", "Date d'expiration invalide"),
        ("13/30", "Date d'expiration invalide"),
        ("1230", "Date d'expiration invalide"),
        ("01/20", "Cette carte est expirée"),
    ],
)
def test_bad_expiry_is_a_form_error_and_nothing_is_charged_nor_kept(
    subscribe, expiry, message, django_capture_on_commit_callbacks
):
    order, subscription = subscribe()
    _page, response = _pay_on_hosted_page(
        Client(),
        order,
        {"card_number": CARD_SUCCESS, "expiry": expiry, "consent": "1"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert order.status == "pending_payment"
    assert SimulatedCharge.objects.get().status == "open"
    assert not SimulatedCard.objects.exists() and not SavedCard.objects.exists()
    subscription.refresh_from_db()
    assert subscription.saved_card is None


def test_missing_consent_is_a_form_error_and_nothing_is_charged_nor_kept(
    subscribe, django_capture_on_commit_callbacks
):
    order, subscription = subscribe()
    _page, response = _pay_on_hosted_page(
        Client(),
        order,
        {"card_number": CARD_SUCCESS, "expiry": _expiry_next_year()},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 400
    assert "Cochez l'autorisation de débit" in html.unescape(response.content.decode())
    assert order.status == "pending_payment"
    assert not SimulatedCard.objects.exists() and not SavedCard.objects.exists()


def test_without_tacit_renewal_the_page_asks_nothing_and_keeps_nothing(
    subscribe, django_capture_on_commit_callbacks
):
    order, subscription = subscribe(auto_renew=False)
    page, response = _pay_on_hosted_page(
        Client(),
        order,
        {"card_number": CARD_SUCCESS, "consent": "1", "expiry": _expiry_next_year()},
        django_capture_on_commit_callbacks,
    )

    assert CONSENT not in html.unescape(page.content.decode())
    assert order.status == "paid"
    assert not SimulatedCard.objects.exists() and not SavedCard.objects.exists()
    subscription.refresh_from_db()
    assert subscription.saved_card is None


def test_plain_order_pays_without_expiry_as_before(place, django_capture_on_commit_callbacks):
    order = place([(make_offer(price="12.00", stock=3).pk, 1)])
    page, _response = _pay_on_hosted_page(
        Client(), order, {"card_number": CARD_SUCCESS}, django_capture_on_commit_callbacks
    )

    assert CONSENT not in html.unescape(page.content.decode())
    assert order.status == "paid"
    assert not SavedCard.objects.exists()


def test_succeeded_webhook_without_card_data_saves_no_card(subscribe):
    order, subscription = subscribe()
    payment = payment_start(order=order, method="card", return_url="/").payment
    raw = json.dumps(
        {
            "id": "evt_nocard",
            "type": "charge.succeeded",
            "data": {"reference": payment.provider_ref, "amount": str(payment.amount)},
        }
    ).encode()

    assert payment_webhook_receive(raw_body=raw, signature=webhook_sign(raw)) == "processed"

    order.refresh_from_db()
    assert order.status == "paid"
    assert not SavedCard.objects.exists()


def test_card_number_is_never_stored(subscribe, django_capture_on_commit_callbacks):
    order, _subscription = subscribe()
    _pay_on_hosted_page(
        Client(),
        order,
        {"card_number": CARD_SUCCESS, "expiry": _expiry_next_year(), "consent": "1"},
        django_capture_on_commit_callbacks,
    )
    for model in (SavedCard, SimulatedCard, SimulatedCharge, Payment):
        for row in model.objects.values():
            assert CARD_SUCCESS not in json.dumps(row, default=str)


def test_attach_only_to_renewing_subscriptions_paid_by_that_order(subscribe, customer):
    order, renewing = subscribe()
    _other_order, other = subscribe()
    card = SavedCard.objects.create(
        user=customer, email=customer.email, provider_ref="card_x", last4="4242", exp_month=1,
        exp_year=2099,
    )  # fmt: skip

    assert saved_card_attach(order=order, card=card) == 1

    renewing.refresh_from_db()
    other.refresh_from_db()
    assert renewing.saved_card == card and other.saved_card is None


# --- The simulated provider's merchant-initiated charges -----------------------------------------


def _kept_card(customer, number=CARD_SUCCESS, *, exp=(12, 2099), behaviour=None):
    from galerie.payments.gateways import MIT_CARDS

    kept = SimulatedCard.objects.create(
        token=f"card_{number}_{exp[1]}",
        brand="Visa",
        last4=number[-4:],
        exp_month=exp[0],
        exp_year=exp[1],
        mit_behaviour=behaviour or MIT_CARDS.get(number, "succeeded"),
    )
    return SavedCard.objects.create(
        user=customer,
        email=customer.email,
        provider_ref=kept.token,
        brand="Visa",
        last4=kept.last4,
        exp_month=exp[0],
        exp_year=exp[1],
    )


def _charge(card, key, reference="R-1", amount="48.00"):
    return SimulatedCardGateway().charge_saved(
        card=card, amount=Decimal(amount), reference=reference, idempotency_key=key
    )


@pytest.mark.parametrize(
    ("number", "ok", "code"),
    [
        (CARD_SUCCESS, True, ""),
        (CARD_RENEWAL_INSUFFICIENT_FUNDS, False, "insufficient_funds"),
        (CARD_RENEWAL_DECLINED, False, "card_declined"),
    ],
)
def test_mit_outcome_is_decided_by_the_card(customer, number, ok, code):
    result = _charge(_kept_card(customer, number), "k1")

    assert (result.ok, result.code) == (ok, code)
    assert result.reference.startswith("ch_")
    assert SimulatedCharge.objects.get().status == ("succeeded" if ok else "failed")


def test_recovering_card_soft_declines_the_first_attempts_of_a_reference(customer):
    card = _kept_card(customer, CARD_RENEWAL_RECOVERS)

    codes = [_charge(card, f"attempt-{n}").code for n in range(MIT_SOFT_DECLINES_BEFORE_SUCCESS)]
    last = _charge(card, "attempt-last")
    next_reference = _charge(card, "next-term", reference="R-2")

    assert codes == ["insufficient_funds"] * MIT_SOFT_DECLINES_BEFORE_SUCCESS
    assert set(codes) <= SOFT_DECLINE_CODES
    assert last.ok
    assert next_reference.code == "insufficient_funds"  # a new renewal starts over


def test_card_expired_at_the_charge_date_is_declined(customer):
    card = _kept_card(customer, exp=(3, 2026))
    in_march = timezone.make_aware(dt.datetime(2026, 3, 31, 23, 0))
    in_april = timezone.make_aware(dt.datetime(2026, 4, 1, 9, 0))

    with simulated_clock(in_march):
        last_day = _charge(card, "march")
    with simulated_clock(in_april):
        after = _charge(card, "april")

    assert last_day.ok
    assert (after.ok, after.code) == (False, "expired_card")
    assert "expired_card" not in SOFT_DECLINE_CODES


def test_same_idempotency_key_answers_the_first_result_and_charges_once(customer):
    card = _kept_card(customer, CARD_RENEWAL_RECOVERS)

    first = _charge(card, "same")
    again = _charge(card, "same")
    other_amount = _charge(card, "same", amount="1.00")

    assert first == again and first.code == "insufficient_funds"
    assert SimulatedCharge.objects.count() == 1
    assert other_amount.code == "idempotency_conflict"


def test_unknown_card_is_declined(customer):
    card = SavedCard.objects.create(
        user=customer, email=customer.email, provider_ref="card_gone", last4="0000", exp_month=1,
        exp_year=2099,
    )  # fmt: skip

    assert _charge(card, "k").code == "card_unknown"


# --- payment_charge_saved_card -------------------------------------------------------------------


def _ledger_lines(order) -> Counter:
    return Counter(
        (line.entry.journal.code, line.entry.kind, line.account.code, line.debit, line.credit)
        for line in JournalLine.objects.filter(entry__order_id=order.pk).select_related(
            "entry__journal", "account"
        )
    )


def test_mit_success_pays_the_order_and_posts_the_ledger_as_a_checkout(
    place, plan_offer, customer, django_capture_on_commit_callbacks
):
    checkout = place([(plan_offer.pk, 1)])
    _pay_on_hosted_page(
        Client(), checkout, {"card_number": CARD_SUCCESS}, django_capture_on_commit_callbacks
    )
    renewal = place([(plan_offer.pk, 1)])
    card = _kept_card(customer)

    payment = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1-1")

    renewal.refresh_from_db()
    assert renewal.status == "paid"
    assert payment.status == "captured" and payment.captured_at
    assert payment.saved_card == card and payment.amount == renewal.total
    assert payment.provider_ref == SimulatedCharge.objects.get(idempotency_key="renew-1-1").token
    assert _ledger_lines(renewal) and _ledger_lines(renewal) == _ledger_lines(checkout)
    assert [r.problems for r in ledger_check_run() if not r.ok] == []


@pytest.mark.parametrize(
    ("number", "exp", "code"),
    [
        (CARD_RENEWAL_INSUFFICIENT_FUNDS, (12, 2099), "insufficient_funds"),
        (CARD_RENEWAL_DECLINED, (12, 2099), "card_declined"),
        (CARD_SUCCESS, (1, 2020), "expired_card"),
    ],
)
def test_mit_failure_fails_the_payment_and_leaves_the_order_pending(
    place, plan_offer, customer, number, exp, code
):
    renewal = place([(plan_offer.pk, 1)])
    card = _kept_card(customer, number, exp=exp)

    payment = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1")

    renewal.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", code)
    assert renewal.status == "pending_payment"
    assert not JournalLine.objects.filter(entry__order_id=renewal.pk).exists()


def test_mit_replay_after_success_never_charges_twice(place, plan_offer, customer):
    renewal = place([(plan_offer.pk, 1)])
    card = _kept_card(customer)

    first = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1")
    again = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1")

    assert again.pk == first.pk and again.status == "captured"
    assert Payment.objects.filter(order=renewal).count() == 1
    assert SimulatedCharge.objects.count() == 1
    assert renewal.events.filter(to_status="paid").count() == 1


def test_mit_replay_after_failure_returns_the_failure_and_a_new_key_retries(
    place, plan_offer, customer
):
    renewal = place([(plan_offer.pk, 1)])
    card = _kept_card(customer, CARD_RENEWAL_RECOVERS)

    first = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1-a1")
    replay = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1-a1")
    assert replay.pk == first.pk and replay.failure_code == "insufficient_funds"
    assert SimulatedCharge.objects.count() == 1

    second = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1-a2")
    third = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1-a3")

    renewal.refresh_from_db()
    assert second.failure_code == "insufficient_funds"
    assert third.status == "captured" and renewal.status == "paid"
    assert SimulatedCharge.objects.count() == 3


def test_mit_resumes_a_run_interrupted_after_the_provider_charged(place, plan_offer, customer):
    renewal = place([(plan_offer.pk, 1)])
    card = _kept_card(customer)
    # The run died after the provider charged, before the answer was recorded.
    Payment.objects.create(
        order=renewal,
        method="card",
        amount=renewal.total,
        provider_ref="mit_pending",
        saved_card=card,
        idempotency_key="renew-1",
    )
    _charge(card, "renew-1", reference=renewal.number, amount=str(renewal.total))

    payment = payment_charge_saved_card(order=renewal, card=card, idempotency_key="renew-1")

    renewal.refresh_from_db()
    assert payment.status == "captured" and renewal.status == "paid"
    assert SimulatedCharge.objects.count() == 1


def test_mit_refuses_a_removed_card_and_an_order_not_pending(place, plan_offer, customer):
    renewal = place([(plan_offer.pk, 1)])
    card = _kept_card(customer)
    SavedCard.objects.filter(pk=card.pk).update(is_active=False)
    card.refresh_from_db()

    with pytest.raises(Exception) as removed:
        payment_charge_saved_card(order=renewal, card=card, idempotency_key="k1")
    SavedCard.objects.filter(pk=card.pk).update(is_active=True)
    card.refresh_from_db()
    payment_charge_saved_card(order=renewal, card=card, idempotency_key="k2")
    with pytest.raises(Exception) as paid:
        payment_charge_saved_card(order=renewal, card=card, idempotency_key="k3")

    assert removed.value.code == "card_inactive"
    assert paid.value.code == "order_not_payable"
    assert Payment.objects.filter(order=renewal).count() == 1


def test_mit_payment_can_be_refunded(place, plan_offer, customer):
    from galerie.payments.refunds import order_refund

    renewal = place([(plan_offer.pk, 1)])
    payment = payment_charge_saved_card(
        order=renewal, card=_kept_card(customer), idempotency_key="renew-1"
    )

    order_refund(order=renewal, idempotency_key="withdrawal-1")

    payment.refresh_from_db()
    assert payment.refunded_amount == payment.amount
    assert SimulatedCharge.objects.get().refunded == payment.amount


def test_deactivate_refuses_another_customers_card(customer):
    from galerie.payments.services import saved_card_deactivate

    card = _kept_card(customer)
    stranger = User.objects.create_user("autre@example.fr", "autre@example.fr", "pw-autre-123")

    with pytest.raises(Exception) as err:
        saved_card_deactivate(user=stranger, card=card)

    assert err.value.code == "saved_card_not_found"
    card.refresh_from_db()
    assert card.is_active is True
