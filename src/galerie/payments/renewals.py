"""Tacit renewal of press subscriptions: the loi Chatel notice, the renewal order charged on the
saved card, its dunning, and closing a renewal left unpaid.

Each step is a daily, idempotent run. The calendar (when to charge, when to retry, until when a
renewal may be paid) is `galerie.subscriptions.schedule`; the subscription's state changes are
the subscriptions services, called by orders when the renewal order is placed, paid or
cancelled. What lives here moves money or needs an order: placing the renewal order, charging
the card, cancelling the order.

Never twice: the renewal order is keyed "renewal-<subscription>-<term>", each charge
"renewal-<subscription>-<term>-<attempt>" (the provider answers a repeated key with the first
result), and a `RenewalAttempt` row per (term, attempt number) makes a re-run of the same day a
no-op; the notice is claimed by a conditional UPDATE of `renewal_notice_for`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.orders.models import Order, OrderStatus
from galerie.orders.selectors import order_public_url, order_quote
from galerie.orders.services import order_payment_window_extend, order_place
from galerie.payments.errors import OrderNotPayable, PaymentError
from galerie.payments.models import Payment, PaymentStatus, SavedCard
from galerie.payments.refunds import order_cancel
from galerie.payments.services import (
    FAILURE_LABELS,
    SOFT_DECLINE_CODES,
    payment_charge_saved_card,
)
from galerie.subscriptions import emails
from galerie.subscriptions.models import (
    AttemptOutcome,
    RenewalAttempt,
    Subscription,
    SubscriptionStatus,
    SubscriptionTerm,
    TermStatus,
)
from galerie.subscriptions.schedule import (
    NOTICE_EARLIEST_MONTHS,
    RENEWAL_ATTEMPTS,
    RENEWAL_LEAD_DAYS,
    add_months,
    notice_window,
    renewal_attempt_on,
    renewal_first_attempt_on,
    renewal_last_payable_on,
)
from galerie.subscriptions.services import subscriptions_end_due

logger = logging.getLogger(__name__)
St = SubscriptionStatus
# After these, the card is not charged again for this renewal: the customer pays by the order's
# page (or saves another card) until the last payable day.
FINAL_OUTCOMES = (AttemptOutcome.HARD_DECLINED, AttemptOutcome.CARD_EXPIRED, AttemptOutcome.NO_CARD)


@dataclasses.dataclass
class RenewalReport:
    placed: int = 0
    charged: int = 0
    soft_declined: int = 0
    hard_declined: int = 0
    card_expired: int = 0
    no_card: int = 0
    closed: int = 0  # renewals left unpaid after the last payable day: cancelled, term failed
    stopped: int = 0  # renewals whose subscription was terminated meanwhile: cancelled quietly
    errors: int = 0

    def add(self, outcome: str | None) -> None:
        field = {
            AttemptOutcome.SUCCEEDED: "charged",
            AttemptOutcome.SOFT_DECLINED: "soft_declined",
            AttemptOutcome.HARD_DECLINED: "hard_declined",
            AttemptOutcome.CARD_EXPIRED: "card_expired",
            AttemptOutcome.NO_CARD: "no_card",
        }.get(outcome)
        if field:
            setattr(self, field, getattr(self, field) + 1)

    def merge(self, other: RenewalReport) -> RenewalReport:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))
        return self


def renewal_key(*, subscription_id: int, term: int, attempt: int | None = None) -> str:
    base = f"renewal-{subscription_id}-{term}"
    return base if attempt is None else f"{base}-{attempt}"


def _midnight_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


# --- Loi Chatel notice -------------------------------------------------------------------------


@dataclasses.dataclass
class NoticeReport:
    sent: int = 0
    late: int = 0


def renewal_price(*, subscription: Subscription) -> str:
    """What the renewal order would cost today (the term's price and the seller's default
    delivery), as the notice states it."""
    offer_id = subscription.plan.offer_id
    quote = order_quote(storefront=subscription.storefront, lines=[(offer_id, 1)])
    return str(quote.total)


def renewal_notices_send(*, today: dt.date | None = None) -> NoticeReport:
    """Send the tacit-renewal notice of each active, tacitly renewed subscription whose term end
    is within its notice window (Code de la consommation, art. L215-1: no earlier than three
    months, no later than one month before the end), once per term.

    A term shorter than the window (3 months) gets it on the first run after it starts. A run
    that missed the whole window still sends it before the renewal is charged, recorded as late
    (`renewal_notice_late_for`): the law then lets the customer terminate the renewed term at
    any time, free of charge; the e-mail says so."""
    today = today or clock.localdate()
    report = NoticeReport()
    # ends_on ≤ today + 3 months (+3 days: month lengths) narrows the scan; the window's exact
    # first day is then `notice_window`, one rule.
    horizon = add_months(today, NOTICE_EARLIEST_MONTHS) + dt.timedelta(days=3)
    candidates = (
        Subscription.objects.filter(
            status=St.ACTIVE, auto_renew=True, ends_on__gte=today, ends_on__lte=horizon
        )
        .exclude(renewal_notice_for=F("ends_on"))
        .select_related("plan", "storefront")
        .order_by("pk")
    )
    for subscription in candidates.iterator(chunk_size=500):
        opens, closes = notice_window(ends_on=subscription.ends_on)
        if today < opens:
            continue
        late = today > closes
        if _notice_claim(subscription=subscription, late=late):
            report.sent += 1
            report.late += late
    return report


@transaction.atomic
def _notice_claim(*, subscription: Subscription, late: bool) -> bool:
    ends_on = subscription.ends_on
    fields = {"renewal_notice_for": ends_on}
    if late:
        fields["renewal_notice_late_for"] = ends_on
    claimed = (
        Subscription.objects.filter(
            pk=subscription.pk, status=St.ACTIVE, auto_renew=True, ends_on=ends_on
        )
        .exclude(renewal_notice_for=ends_on)
        .update(**fields)
    )
    if not claimed:
        return False
    price = renewal_price(subscription=subscription)
    subscription_id = subscription.pk
    transaction.on_commit(
        lambda: emails.renewal_notice_send(
            subscription_id,
            ends_on=ends_on,
            renews_on=ends_on + dt.timedelta(days=1),
            charge_on=renewal_first_attempt_on(ends_on=ends_on),
            price=price,
            late=late,
        ),
        robust=True,
    )
    return True


# --- Renewal orders and their charges ----------------------------------------------------------


def renewals_due(*, today: dt.date):
    """Active, tacitly renewed subscriptions whose renewal is due (from two days before the
    term's end to its last day) and that have no term beyond it yet (pending, paid or failed)."""
    later_term = SubscriptionTerm.objects.filter(
        subscription=OuterRef("pk"), ends_on__gt=OuterRef("ends_on")
    )
    return Subscription.objects.filter(
        status=St.ACTIVE,
        auto_renew=True,
        ends_on__gte=today,
        ends_on__lte=today + dt.timedelta(days=RENEWAL_LEAD_DAYS),
    ).filter(~Exists(later_term))


def renewal_place(*, subscription: Subscription) -> SubscriptionTerm:
    """Place the renewal order of the subscription's next term (same storefront, customer and
    delivery address; the seller's default delivery), payable until the dunning's last day.
    Placing it again returns the same order's term."""
    last = subscription.terms.select_related("order_line__order").order_by("-number").first()
    number = last.number + 1
    billing = (
        last.order_line.order.billing_address
        if last.order_line_id
        else subscription.delivery_address
    )
    offer_id = subscription.plan.offer_id
    order = order_place(
        storefront=subscription.storefront,
        email=subscription.email,
        user=subscription.user,
        lines=[(offer_id, 1)],
        details={offer_id: {"renews": subscription.pk, "term": number}},
        delivery_choices={},
        shipping_address=subscription.delivery_address,
        billing_address=billing,
        idempotency_key=renewal_key(subscription_id=subscription.pk, term=number),
    )
    term = SubscriptionTerm.objects.select_related("order_line__order").get(
        subscription=subscription, number=number
    )
    last_payable = renewal_last_payable_on(renewal_starts_on=term.starts_on)
    # One day of grace after the last payable day: the daily run cancels it first (and says so
    # by e-mail) rather than the expiry sweep.
    order_payment_window_extend(
        order=order, until=_midnight_after(last_payable + dt.timedelta(days=1))
    )
    return term


def renewals_run(*, today: dt.date | None = None) -> RenewalReport:
    """The daily renewal run: place the renewal order of every subscription due and charge it a
    first time on the saved card. Safe to run twice (see the module's docstring)."""
    today = today or clock.localdate()
    report = RenewalReport()
    ids = list(renewals_due(today=today).order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        subscription = Subscription.objects.select_related(
            "plan", "storefront", "user", "saved_card"
        ).get(pk=pk)
        try:
            term = renewal_place(subscription=subscription)
        except DomainError as exc:
            # The offer is no longer sold, the address is no longer valid…: no renewal, and
            # subscriptions_end_due ends the subscription with its paid term.
            logger.warning("renewal of subscription %s not placed: %s", pk, exc.message)
            report.errors += 1
            continue
        report.placed += 1
        _term_advance(term=term, subscription=subscription, today=today, report=report)
    return report


def renewal_retries_run(*, today: dt.date | None = None) -> RenewalReport:
    """The daily dunning run over every renewal still unpaid: retry a soft decline on its day
    (or a card the customer replaced), close a renewal past its last payable day, cancel quietly
    a renewal whose subscription was terminated meanwhile. Safe to run twice."""
    today = today or clock.localdate()
    report = RenewalReport()
    terms = (
        SubscriptionTerm.objects.filter(
            status=TermStatus.PENDING,
            number__gt=1,
            order_line__order__status=OrderStatus.PENDING_PAYMENT,
        )
        .select_related(
            "order_line__order",
            "subscription__plan",
            "subscription__storefront",
            "subscription__saved_card",
        )
        .order_by("pk")
    )
    for term in terms:
        try:
            _term_advance(term=term, subscription=term.subscription, today=today, report=report)
        except DomainError as exc:
            logger.warning("renewal term %s not advanced: %s", term.pk, exc.message)
            report.errors += 1
    return report


def _term_advance(
    *, term: SubscriptionTerm, subscription: Subscription, today: dt.date, report: RenewalReport
) -> None:
    order = Order.objects.get(pk=term.order_line.order_id)
    if order.status != OrderStatus.PENDING_PAYMENT:
        return  # paid (by the card, or by the customer on the order's page) or cancelled
    if subscription.status != St.ACTIVE or not subscription.auto_renew:
        report.stopped += _renewal_close(order=order, subscription=subscription, notify=False)
        return
    if today > renewal_last_payable_on(renewal_starts_on=term.starts_on):
        report.closed += _renewal_close(order=order, subscription=subscription, notify=True)
        return
    attempts = list(RenewalAttempt.objects.filter(term=term).order_by("number"))
    number = attempts[-1].number + 1 if attempts else 1
    if number > RENEWAL_ATTEMPTS:
        return
    if attempts:
        last = attempts[-1]
        if today < renewal_attempt_on(renewal_starts_on=term.starts_on, number=number):
            return
        if last.outcome in FINAL_OUTCOMES and not _card_replaced(
            subscription=subscription, term=term, attempt=last.number
        ):
            return
    report.add(_renewal_attempt(subscription=subscription, term=term, order=order, number=number))


def _card_replaced(*, subscription: Subscription, term: SubscriptionTerm, attempt: int) -> bool:
    """Whether the subscription's card now is an active card other than the one refused."""
    card = subscription.saved_card
    if card is None or not card.is_active:
        return False
    key = renewal_key(subscription_id=subscription.pk, term=term.number, attempt=attempt)
    used = Payment.objects.filter(idempotency_key=key).values_list("saved_card_id", flat=True)
    return card.pk not in list(used)


def _outcome_of(payment: Payment) -> tuple[str, str] | None:
    if payment.status == PaymentStatus.CAPTURED:
        return AttemptOutcome.SUCCEEDED, ""
    if payment.status != PaymentStatus.FAILED:
        return None  # the provider did not answer: the next run asks again with the same key
    code = payment.failure_code
    if code in SOFT_DECLINE_CODES:
        return AttemptOutcome.SOFT_DECLINED, code
    if code == "expired_card":
        return AttemptOutcome.CARD_EXPIRED, code
    return AttemptOutcome.HARD_DECLINED, code


def _renewal_attempt(
    *, subscription: Subscription, term: SubscriptionTerm, order: Order, number: int
) -> str | None:
    """Charge attempt `number` of the renewal `term` and record it; None if nothing happened."""
    card: SavedCard | None = subscription.saved_card
    if card is None or not card.is_active:
        result = (AttemptOutcome.NO_CARD, "no_card")
    else:
        key = renewal_key(subscription_id=subscription.pk, term=term.number, attempt=number)
        try:
            payment = payment_charge_saved_card(order=order, card=card, idempotency_key=key)
        except OrderNotPayable:
            return None  # paid or cancelled a moment ago
        except PaymentError as exc:
            if exc.code != "card_inactive":
                raise
            result = (AttemptOutcome.NO_CARD, exc.code)
        else:
            result = _outcome_of(payment)
            if result is None:
                return None
    outcome, code = result
    try:
        with transaction.atomic():
            RenewalAttempt.objects.create(term=term, number=number, outcome=outcome, code=code)
            if outcome != AttemptOutcome.SUCCEEDED:
                _dunning_notify(
                    subscription=subscription,
                    term=term,
                    order=order,
                    number=number,
                    outcome=outcome,
                    code=code,
                )
    except IntegrityError:
        return None  # a concurrent run recorded this attempt (and charged with the same key)
    return outcome


def _dunning_notify(*, subscription, term, order, number, outcome, code) -> None:
    if outcome == AttemptOutcome.SOFT_DECLINED:
        if number >= RENEWAL_ATTEMPTS:
            stage = emails.DUNNING_LAST
        elif number == 1:
            stage = emails.DUNNING_FIRST
        else:
            stage = emails.DUNNING_REMINDER
    elif outcome == AttemptOutcome.NO_CARD:
        stage = emails.DUNNING_NO_CARD
    else:
        stage = emails.DUNNING_CARD
    next_attempt_on = (
        renewal_attempt_on(renewal_starts_on=term.starts_on, number=number + 1)
        if number < RENEWAL_ATTEMPTS
        else None
    )
    reason = (
        _("aucune carte enregistrée")
        if outcome == AttemptOutcome.NO_CARD
        else str(FAILURE_LABELS.get(code, code))
    )
    arguments = {
        "stage": stage,
        "amount": str(order.total),
        "pay_url": order_public_url(order),
        "reason": reason,
        "next_attempt_on": next_attempt_on,
        "last_payable_on": renewal_last_payable_on(renewal_starts_on=term.starts_on),
    }
    subscription_id = subscription.pk
    transaction.on_commit(
        lambda: emails.renewal_dunning_send(subscription_id, **arguments), robust=True
    )


def _renewal_close(*, order: Order, subscription: Subscription, notify: bool) -> int:
    """Cancel an unpaid renewal order: its term fails (orders' hook), the subscription keeps
    its last paid day and subscriptions_end_due ends it."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.PENDING_PAYMENT:
            return 0
        order_cancel(order=locked, reason=_("Renouvellement d'abonnement impayé"))
        if notify:
            subscription_id = subscription.pk
            transaction.on_commit(lambda: emails.renewal_failed_send(subscription_id), robust=True)
    return 1


# --- The daily run ------------------------------------------------------------------------------


@dataclasses.dataclass
class DailyReport:
    notices: NoticeReport
    renewals: RenewalReport
    retries: RenewalReport
    ended: int


def subscriptions_daily(*, today: dt.date | None = None) -> DailyReport:
    """The subscriptions' daily run, in this order: notices (before any renewal is charged, so a
    late notice still precedes the charge), renewals and their first charge, retries and closing
    of unpaid renewals, then ending the subscriptions whose paid term is over."""
    today = today or clock.localdate()
    return DailyReport(
        notices=renewal_notices_send(today=today),
        renewals=renewals_run(today=today),
        retries=renewal_retries_run(today=today),
        ended=subscriptions_end_due(today=today),
    )
