"""Reads about subscriptions that pages and the API share: what a plan offers, a customer's own
subscriptions, a seller's issues to ship.

Every read of a customer's or a seller's rows is filtered by that customer or seller, so another
one's id finds nothing (callers answer 404).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.core import signing
from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.pricing.services import vat_rate
from galerie.subscriptions.errors import (
    NotWithdrawable,
    TerminationLinkExpired,
    TerminationLinkInvalid,
    WithdrawalPeriodOver,
)
from galerie.subscriptions.models import (
    FulfilmentStatus,
    IssueFulfilment,
    Subscription,
    SubscriptionPlan,
    SubscriptionStatus,
    SubscriptionTerm,
    TermStatus,
)
from galerie.subscriptions.schedule import (
    first_term_start,
    issue_dates,
    pro_rata_unserved,
    term_end,
    withdrawal_last_day,
)

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


# --- what a withdrawal or a late-notice termination gives back ------------------------------------

SERVED = (SubscriptionStatus.ACTIVE, SubscriptionStatus.TERMINATING)


@dataclass(frozen=True)
class RefundQuote:
    """What ending a term gives back, as the page shows it and the refund pays it: the term's
    price minus its issues shipped pro rata (`amount`), and the delivery fee (`delivery`) when
    the seller's part of the order is that term alone."""

    term: SubscriptionTerm
    line_id: int
    order_id: int
    issues: int
    shipped: int
    amount: Decimal
    delivery: Decimal
    delivery_for: tuple[int, ...]
    last_day: dt.date | None = None  # withdrawal: the period's last day (None: not begun yet)
    ends_now: bool = False  # late notice: the renewed term has begun, so it ends today
    ends_on: dt.date | None = None  # late notice: the subscription's last day once ended

    @property
    def total(self) -> Decimal:
        return self.amount + self.delivery


def _term_quote(term: SubscriptionTerm, *, delivery: bool, **extra) -> RefundQuote:
    line = term.order_line
    fulfilments = term.fulfilments.exclude(status=FulfilmentStatus.CANCELLED)
    issues = fulfilments.count()
    shipped = fulfilments.filter(status=FulfilmentStatus.SHIPPED).count()
    seller_order = line.seller_order
    fee = Decimal("0.00")
    if delivery and not seller_order.lines.exclude(pk=line.pk).exists():
        fee = max(seller_order.delivery_fee - seller_order.delivery_refunded, Decimal("0.00"))
    return RefundQuote(
        term=term,
        line_id=line.pk,
        order_id=line.order_id,
        issues=issues,
        shipped=shipped,
        amount=pro_rata_unserved(price=line.line_total, issues=issues, served=shipped),
        delivery=fee,
        delivery_for=(seller_order.pk,) if fee > 0 else (),
        **extra,
    )


def subscription_withdrawal_quote(
    subscription: Subscription, *, now: dt.datetime | None = None
) -> RefundQuote:
    """The withdrawal (L221-18) the customer may still make, and what it refunds: the first
    term's price minus the issues already shipped pro rata, with the delivery fee when the
    seller's part of the order is the subscription alone (L221-24).

    Raises NotWithdrawable (not paid, not in progress, already withdrawn) or
    WithdrawalPeriodOver. The same figure is shown and refunded (payments' subscription_withdraw
    calls this under its locks)."""
    now = now or clock.now()
    first = (
        SubscriptionTerm.objects.select_related("order_line__order", "order_line__seller_order")
        .filter(subscription_id=subscription.pk, number=1)
        .first()
    )
    line = first.order_line if first else None
    if line is None:
        raise NotWithdrawable(_("Cet abonnement n'a pas de commande à rembourser."))
    if subscription.withdrawn_at is not None:
        raise NotWithdrawable(_("Vous vous êtes déjà rétracté de cet abonnement."))
    if (
        subscription.status not in SERVED
        or first.status != TermStatus.PAID
        or line.order.paid_at is None
    ):
        raise NotWithdrawable(_("Cet abonnement n'est pas en cours : rien à rétracter."))
    first_shipped = (
        first.fulfilments.filter(status=FulfilmentStatus.SHIPPED)
        .order_by("shipped_at")
        .values_list("shipped_at", flat=True)
        .first()
    )
    last_day = withdrawal_last_day(
        medium=subscription.plan.medium,
        paid_on=clock.localdate(line.order.paid_at),
        first_shipped_on=clock.localdate(first_shipped) if first_shipped else None,
    )
    if last_day is not None and clock.localdate(now) > last_day:
        raise WithdrawalPeriodOver(
            _("Le délai de rétractation de 14 jours a pris fin le %(d)s.")
            % {"d": last_day.strftime("%d/%m/%Y")}
        )
    return _term_quote(first, delivery=True, last_day=last_day)


def subscription_late_termination_quote(
    subscription: Subscription, *, today: dt.date | None = None
) -> RefundQuote | None:
    """Loi Chatel (Code de la consommation, art. L215-1, al. 2): the renewal notice went out late
    (`renewal_notice_late_for` is the end of the term that was renewed), so the customer may end
    the renewed term at any time. What ending it now gives back: its price minus the issues
    already shipped pro rata, with the delivery fee while none has been shipped. None when the
    rule does not apply (no late notice, renewed term not paid or over, a later term paid, or
    the subscription no longer in progress)."""
    late = subscription.renewal_notice_late_for
    if late is None or subscription.status != SubscriptionStatus.ACTIVE:
        return None
    today = today or clock.localdate()
    term = (
        SubscriptionTerm.objects.select_related("order_line__order", "order_line__seller_order")
        .filter(
            subscription_id=subscription.pk,
            starts_on=late + dt.timedelta(days=1),
            status=TermStatus.PAID,
            ends_on__gte=today,
        )
        .first()
    )
    if term is None or term.order_line is None or term.order_line.order.paid_at is None:
        return None
    line = term.order_line
    if line.refunded_quantity >= line.quantity:
        return None  # refunded already (by the operator): nothing of it is left to end
    if subscription.terms.filter(number__gt=term.number, status=TermStatus.PAID).exists():
        return None
    ends_now = today >= term.starts_on
    quote = _term_quote(
        term,
        delivery=True,
        ends_now=ends_now,
        ends_on=today if ends_now else term.starts_on - dt.timedelta(days=1),
    )
    if quote.shipped:
        # Issues of the term were delivered: its delivery fee was used, only unserved issues
        # are given back.
        quote = dataclasses.replace(quote, delivery=Decimal("0.00"), delivery_for=())
    return quote


# --- the signed link that terminates a guest's subscription ---------------------------------------

# The link a subscriber without an account receives by e-mail to terminate in three clicks;
# long enough to read one's mail, short enough that an old e-mail is no lasting key.
TERMINATION_LINK_DAYS = 7
_TERMINATION_LINK_SALT = "galerie.subscriptions.termination-link"
# An order number as the confirmation e-mail shows it (G0001234); the reference a guest types.
_ORDER_NUMBER = re.compile(r"^\s*G?-?0*(\d{1,18})\s*$", re.IGNORECASE)


def _termination_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_TERMINATION_LINK_SALT)


def subscription_termination_token(subscription: Subscription) -> str:
    signer = _termination_signer()
    return signer.sign(str(subscription.public_id)).split(signer.sep, 1)[1]


def subscription_for_termination_link(*, public_id, token: str) -> Subscription | None:
    """The subscription a signed termination link opens (None: no such subscription).

    Raises TerminationLinkInvalid (tampered, or for another subscription) or
    TerminationLinkExpired before any query."""
    signer = _termination_signer()
    try:
        signer.unsign(
            f"{public_id}{signer.sep}{token}",
            max_age=dt.timedelta(days=TERMINATION_LINK_DAYS),
        )
    except signing.SignatureExpired as exc:
        raise TerminationLinkExpired(
            _("Ce lien de résiliation a expiré : demandez-en un nouveau ci-dessous.")
        ) from exc
    except signing.BadSignature as exc:
        raise TerminationLinkInvalid(
            _("Ce lien de résiliation n'est pas valide : demandez-en un nouveau ci-dessous.")
        ) from exc
    return (
        Subscription.objects.select_related("plan", "storefront")
        .filter(public_id=public_id)
        .first()
    )


def subscriptions_for_termination_request(*, email: str, reference: str) -> list[Subscription]:
    """The subscriptions in progress that `email` holds and whose first order is `reference`
    (its number, G0001234): those a termination link may be sent for."""
    match = _ORDER_NUMBER.match(reference or "")
    if not match or not email:
        return []
    return list(
        Subscription.objects.filter(
            email__iexact=email.strip(),
            status=SubscriptionStatus.ACTIVE,
            terms__number=1,
            terms__order_line__order_id=int(match.group(1)),
        ).select_related("plan", "storefront")
    )


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
