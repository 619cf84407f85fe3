"""Press subscriptions' lifecycle: created with the order that buys them, served once paid,
renewed term after term, terminated or ended.

Orders calls the three `*_for_order` / `*_on_order_*` hooks when a line is placed, paid or closed,
as it calls inventory. What moves money (merchant-initiated renewal charges, the pro-rata refund
of a withdrawal) lives in payments and calls these. Every function here is safe to run twice:
terms are unique per (subscription, number) and issues per (subscription, date), and each status
change is a conditional UPDATE on the status it leaves.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.subscriptions import emails
from galerie.subscriptions.errors import (
    InvalidRenewal,
    InvalidSubscriptionDetails,
    NotTerminable,
)
from galerie.subscriptions.locks import subscription_lock
from galerie.subscriptions.models import (
    FulfilmentStatus,
    IssueFulfilment,
    Subscription,
    SubscriptionStatus,
    SubscriptionTerm,
    TermStatus,
)
from galerie.subscriptions.schedule import first_term_start, issue_dates, term_end
from galerie.subscriptions.selectors import subscriptions_for_termination_request

St = SubscriptionStatus
SERVED = (St.ACTIVE, St.TERMINATING)


def subscription_details_clean(details) -> dict:
    """The details a shopper may give a subscription line: exactly {"auto_renew": bool}
    (missing or empty means no tacit renewal). A renewal line's {"renews": …} is written by the
    renewal run only, never accepted from a shopper."""
    if details is None or details == {}:
        return {"auto_renew": False}
    if (
        not isinstance(details, dict)
        or set(details) != {"auto_renew"}
        or not isinstance(details["auto_renew"], bool)
    ):
        raise InvalidSubscriptionDetails(
            _("Pour un abonnement, seul le choix de reconduction tacite (oui ou non) est accepté."),
            field="details",
        )
    return {"auto_renew": details["auto_renew"]}


def _subscription_lines(order):
    # OrderLine is the orders app's model: reached through the reverse relation, not imported.
    return order.lines.filter(offer__subscription_plan__isnull=False).select_related(
        "offer__subscription_plan", "seller_order"
    )


def subscriptions_create_for_order(*, order) -> list[SubscriptionTerm]:
    """Called by order placement, in its transaction: a pending subscription and its first term
    for each subscription line, or the next term of the subscription a renewal line renews."""
    today = clock.localdate()
    terms = []
    for line in _subscription_lines(order):
        plan = line.offer.subscription_plan
        renews = line.details.get("renews") if isinstance(line.details, dict) else None
        if renews is not None:
            terms.append(_renewal_term_create(order=order, line=line, plan=plan))
            continue
        starts_on = first_term_start(first_issue_on=plan.first_issue_on, today=today)
        ends_on = term_end(starts_on=starts_on, term_months=plan.term_months)
        subscription = Subscription.objects.create(
            plan=plan,
            seller_id=line.offer.seller_id,
            storefront_id=order.storefront_id,
            user_id=order.user_id,
            email=order.email,
            delivery_address=order.shipping_address,
            starts_on=starts_on,
            ends_on=ends_on,
            auto_renew=bool(line.details.get("auto_renew", False)),
        )
        terms.append(
            SubscriptionTerm.objects.create(
                subscription=subscription,
                number=1,
                starts_on=starts_on,
                ends_on=ends_on,
                order_line=line,
            )
        )
    return terms


def _renewal_term_create(*, order, line, plan) -> SubscriptionTerm:
    subscription = subscription_lock(int(line.details["renews"]))
    number = int(line.details.get("term", 0))
    last = subscription.terms.order_by("-number").first()
    if (
        subscription.plan_id != plan.pk
        or subscription.email != order.email
        or subscription.status not in SERVED
        or last is None
        or number != last.number + 1
    ):
        raise InvalidRenewal(_("Ce renouvellement ne correspond à aucun abonnement en cours."))
    starts_on = last.ends_on + dt.timedelta(days=1)
    return SubscriptionTerm.objects.create(
        subscription=subscription,
        number=number,
        starts_on=starts_on,
        ends_on=term_end(starts_on=starts_on, term_months=plan.term_months),
        order_line=line,
    )


def _terms_of(order):
    # By the order's line ids, not a join on order lines: SQLite then reads the term through its
    # unique order_line index instead of walking every term (40 ms a call at 100,000 terms).
    return (
        SubscriptionTerm.objects.filter(order_line_id__in=order.lines.values("pk"))
        .select_related("subscription__plan")
        .order_by("pk")
    )


def fulfilments_schedule(*, term: SubscriptionTerm) -> int:
    """Create the issue fulfilments of a paid term (no-op for those that exist already)."""
    if term.status != TermStatus.PAID:
        return 0
    subscription = term.subscription
    plan = subscription.plan
    rows = [
        IssueFulfilment(
            subscription=subscription, term=term, seller_id=subscription.seller_id, issue_date=day
        )
        for day in issue_dates(
            first_issue_on=plan.first_issue_on,
            issues_per_year=plan.issues_per_year,
            start=term.starts_on,
            end=term.ends_on,
        )
    ]
    created = IssueFulfilment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def subscriptions_on_order_paid(*, order) -> None:
    """Called when the order is paid, in its transaction: its terms are paid, their issues
    scheduled, a first term activates its subscription and a renewal term extends it."""
    for term in _terms_of(order):
        if not SubscriptionTerm.objects.filter(pk=term.pk, status=TermStatus.PENDING).update(
            status=TermStatus.PAID
        ):
            continue
        term.status = TermStatus.PAID
        subscription = term.subscription
        if term.number == 1:
            Subscription.objects.filter(pk=subscription.pk, status=St.PENDING).update(
                status=St.ACTIVE
            )
        else:
            Subscription.objects.filter(pk=subscription.pk, ends_on__lt=term.ends_on).update(
                ends_on=term.ends_on, renewal_notice_for=None
            )
        fulfilments_schedule(term=term)


def subscriptions_on_order_closed(*, order) -> None:
    """Called when the order (or a seller's part of it) is cancelled, in its transaction.

    An unpaid term fails: a first term cancels its subscription, a renewal term leaves the
    subscription to end with its last paid term. A paid term whose line is cancelled is
    refunded: its issues not yet shipped are cancelled and, for a first term, the subscription.
    """
    for term in _terms_of(order).select_related("order_line__seller_order"):
        line = term.order_line
        if order.status != "cancelled" and line.seller_order.status != "cancelled":
            continue
        subscription = term.subscription
        if term.status == TermStatus.PENDING:
            SubscriptionTerm.objects.filter(pk=term.pk).update(status=TermStatus.FAILED)
            if term.number == 1:
                Subscription.objects.filter(pk=subscription.pk, status=St.PENDING).update(
                    status=St.CANCELLED, ended_at=clock.now()
                )
        elif term.status == TermStatus.PAID:
            SubscriptionTerm.objects.filter(pk=term.pk).update(status=TermStatus.REFUNDED)
            IssueFulfilment.objects.filter(term=term, status=FulfilmentStatus.SCHEDULED).update(
                status=FulfilmentStatus.CANCELLED
            )
            if term.number == 1:
                Subscription.objects.filter(pk=subscription.pk).exclude(status=St.CANCELLED).update(
                    status=St.CANCELLED, ended_at=clock.now(), auto_renew=False
                )
            else:
                previous = term.starts_on - dt.timedelta(days=1)
                Subscription.objects.filter(pk=subscription.pk, ends_on=term.ends_on).update(
                    ends_on=previous
                )


@transaction.atomic
def subscription_terminate(*, subscription: Subscription, now: dt.datetime | None = None):
    """Résiliation (Code de la consommation, art. L215-1-1, "en trois clics"): no renewal any
    more, issues served until the end of the paid term, confirmed by e-mail (a durable medium).
    Terminating a subscription already terminated changes nothing and sends nothing."""
    now = now or clock.now()
    subscription = subscription_lock(subscription.pk)
    if subscription.status == St.TERMINATING:
        return subscription
    if subscription.status != St.ACTIVE:
        raise NotTerminable(_("Cet abonnement n'est plus en cours : il n'y a rien à résilier."))
    Subscription.objects.filter(pk=subscription.pk, status=St.ACTIVE).update(
        status=St.TERMINATING, auto_renew=False, terminated_at=now
    )
    subscription.refresh_from_db()
    subscription_id = subscription.pk
    transaction.on_commit(lambda: emails.termination_send(subscription_id), robust=True)
    return subscription


def subscription_termination_link_request(*, email: str, reference: str) -> int:
    """A subscriber without an account (or who cannot log in) asks to terminate: each active
    subscription that `email` holds and whose first order is `reference` gets, at that address,
    a signed link to the termination's confirmation page. Returns how many were sent; the page
    never says (it answers the same whether anything matched, so it reveals no subscriber)."""
    matches = subscriptions_for_termination_request(email=email, reference=reference)
    for subscription in matches:
        subscription_id = subscription.pk
        transaction.on_commit(
            lambda subscription_id=subscription_id: emails.termination_link_send(subscription_id),
            robust=True,
        )
    return len(matches)


def subscription_auto_renew_set(*, subscription: Subscription, auto_renew: bool) -> Subscription:
    """The customer's renewal choice on a subscription in progress."""
    updated = Subscription.objects.filter(pk=subscription.pk, status=St.ACTIVE).update(
        auto_renew=auto_renew
    )
    if not updated:
        raise NotTerminable(_("Cet abonnement n'est plus en cours."))
    subscription.refresh_from_db()
    return subscription


def subscriptions_end_due(*, today: dt.date | None = None) -> int:
    """End the subscriptions whose last paid term is over and that will not be renewed (or whose
    renewal failed): idempotent, run daily. Returns how many ended."""
    today = today or clock.localdate()
    due = Subscription.objects.filter(status__in=SERVED, ends_on__lt=today)
    renewing = SubscriptionTerm.objects.filter(
        status=TermStatus.PENDING, subscription__in=due
    ).values("subscription")
    return (
        due.exclude(status=St.ACTIVE, auto_renew=True, pk__in=renewing)
        .filter(status__in=SERVED)
        .update(status=St.ENDED, ended_at=clock.now())
    )


def fulfilments_ship(*, seller, fulfilment_ids: list[int], now: dt.datetime | None = None) -> int:
    """Mark the seller's scheduled issues shipped (bulk); foreign or already shipped ids are
    ignored. Returns how many were marked."""
    now = now or clock.now()
    return IssueFulfilment.objects.filter(
        pk__in=[int(pk) for pk in fulfilment_ids],
        seller=seller,
        status=FulfilmentStatus.SCHEDULED,
        term__status=TermStatus.PAID,
    ).update(status=FulfilmentStatus.SHIPPED, shipped_at=now)
