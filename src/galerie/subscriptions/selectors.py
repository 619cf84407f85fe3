"""Reads about subscriptions that pages and the API share: what a plan offers, a customer's own
subscriptions, a seller's issues to ship.

Every read of a customer's or a seller's rows is filtered by that customer or seller, so another
one's id finds nothing (callers answer 404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.db.models import Count, Min, Q, QuerySet

from galerie.core import clock
from galerie.pricing.services import vat_rate
from galerie.subscriptions.models import (
    FulfilmentStatus,
    IssueFulfilment,
    Subscription,
    SubscriptionPlan,
    SubscriptionStatus,
    TermStatus,
)
from galerie.subscriptions.schedule import first_term_start, issue_dates, term_end

CENT = Decimal("0.01")
# How far ahead the seller's list of issues to ship looks by default.
SHIP_HORIZON_DAYS = 7


@dataclass(frozen=True)
class PlanFacts:
    """A plan as the product page states it, for a subscription bought today."""

    plan: SubscriptionPlan
    price: Decimal  # per term, VAT included
    starts_on: dt.date
    ends_on: dt.date
    issues_in_term: int
    price_per_issue: Decimal | None
    vat_rate: Decimal


def plan_facts(
    *, offer, tax_class: str | None = None, today: dt.date | None = None
) -> PlanFacts | None:
    """The plan an offer sells (None for an ordinary offer): the term bought today, its issue
    count and the price of one issue, from the same calendar the subscription will follow."""
    try:
        plan = offer.subscription_plan
    except SubscriptionPlan.DoesNotExist:
        return None
    today = today or clock.localdate()
    starts_on = first_term_start(first_issue_on=plan.first_issue_on, today=today)
    ends_on = term_end(starts_on=starts_on, term_months=plan.term_months)
    count = len(
        issue_dates(
            first_issue_on=plan.first_issue_on,
            issues_per_year=plan.issues_per_year,
            start=starts_on,
            end=ends_on,
        )
    )
    per_issue = (offer.price / count).quantize(CENT, ROUND_HALF_UP) if count else None
    return PlanFacts(
        plan=plan,
        price=offer.price,
        starts_on=starts_on,
        ends_on=ends_on,
        issues_in_term=count,
        price_per_issue=per_issue,
        vat_rate=vat_rate(tax_class=tax_class or offer.product.product_type.tax_class, on=today),
    )


# --- a customer's own subscriptions ------------------------------------------------------------


def subscriptions_of_user(user, *, today: dt.date | None = None) -> QuerySet[Subscription]:
    """The user's subscriptions, newest first, with their next issue and issue counts."""
    today = today or clock.localdate()
    if user is None or not user.is_authenticated:
        return Subscription.objects.none()
    return (
        Subscription.objects.filter(user=user)
        .select_related("plan", "storefront")
        .annotate(
            next_issue_on=Min(
                "fulfilments__issue_date",
                filter=Q(
                    fulfilments__status=FulfilmentStatus.SCHEDULED,
                    fulfilments__issue_date__gte=today,
                ),
            ),
            issues_shipped=Count(
                "fulfilments", filter=Q(fulfilments__status=FulfilmentStatus.SHIPPED)
            ),
            issues_planned=Count(
                "fulfilments", filter=~Q(fulfilments__status=FulfilmentStatus.CANCELLED)
            ),
        )
        .order_by("-created_at", "-pk")
    )


def subscription_of_user(user, public_id) -> Subscription | None:
    """One of the user's subscriptions by its public id; None for another's or a missing one."""
    return subscriptions_of_user(user).filter(public_id=public_id).first()


def subscriptions_terminable_of_user(user) -> list[Subscription]:
    """The user's subscriptions that can still be terminated (in progress, not yet terminated)."""
    return list(subscriptions_of_user(user).filter(status=SubscriptionStatus.ACTIVE))


def subscription_terms(subscription: Subscription) -> list:
    return list(subscription.terms.order_by("number"))


def subscription_issues(subscription: Subscription) -> list[IssueFulfilment]:
    return list(subscription.fulfilments.order_by("issue_date", "pk"))


# --- a seller's issues to ship -------------------------------------------------------------------


def ship_until_default(today: dt.date | None = None) -> dt.date:
    return (today or clock.localdate()) + dt.timedelta(days=SHIP_HORIZON_DAYS)


def fulfilments_of_seller(
    *, seller, until: dt.date | None = None, status: str = FulfilmentStatus.SCHEDULED
) -> QuerySet[IssueFulfilment]:
    """The seller's issue fulfilments dated up to `until` (default: a week ahead) in `status`
    ("" for any), by date then subscription, with what a packing slip needs."""
    until = until or ship_until_default()
    rows = IssueFulfilment.objects.filter(
        seller=seller, issue_date__lte=until, term__status=TermStatus.PAID
    )
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("subscription__plan").order_by(
        "issue_date", "subscription__plan__publication", "pk"
    )


@dataclass(frozen=True)
class IssueDay:
    issue_date: dt.date
    fulfilments: list[IssueFulfilment]


def fulfilments_by_date(fulfilments) -> list[IssueDay]:
    """Fulfilments (ordered by date) grouped into one IssueDay per date."""
    return [
        IssueDay(issue_date=day, fulfilments=list(rows))
        for day, rows in groupby(fulfilments, key=lambda f: f.issue_date)
    ]
