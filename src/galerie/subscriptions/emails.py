"""Subscription e-mails, sent after the transaction commits (`transaction.on_commit`)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from galerie.core.mail import mail_send
from galerie.storefronts.selectors import storefront_absolute_url
from galerie.subscriptions.models import Subscription
from galerie.subscriptions.selectors import (
    TERMINATION_LINK_DAYS,
    subscription_termination_token,
)


def _context(subscription: Subscription) -> dict:
    storefront = subscription.storefront
    return {
        "subscription": subscription,
        "plan": subscription.plan,
        "shop": storefront.name,
        "account_url": storefront_absolute_url(storefront=storefront, path="/compte/abonnements/"),
    }


def termination_send(subscription_id: int, *, refunded: str | None = None) -> None:
    """The confirmation of a termination, on a durable medium (Code de la consommation L215-1-1).
    `refunded`: a renewed term ended under a late notice (L215-1), and what it gives back."""
    subscription = Subscription.objects.select_related("plan", "storefront").get(pk=subscription_id)
    mail_send(
        _("%(shop)s — confirmation de la résiliation de votre abonnement à %(title)s")
        % {"shop": subscription.storefront.name, "title": subscription.plan.publication},
        "subscriptions/email/termination.txt",
        _context(subscription) | {"refunded": refunded, "ended": subscription.status == "ended"},
        [subscription.email],
    )


def termination_link_send(subscription_id: int) -> None:
    """A signed link that opens the termination's confirmation page without an account (a
    subscriber who bought as a guest, or who cannot log in)."""
    subscription = _subscription(subscription_id)
    path = (
        f"/compte/abonnements/{subscription.public_id}/resilier/"
        f"?t={subscription_termination_token(subscription)}"
    )
    mail_send(
        _("%(shop)s — résilier votre abonnement à %(title)s")
        % {"shop": subscription.storefront.name, "title": subscription.plan.publication},
        "subscriptions/email/termination_link.txt",
        _context(subscription)
        | {
            "link": storefront_absolute_url(storefront=subscription.storefront, path=path),
            "days": TERMINATION_LINK_DAYS,
        },
        [subscription.email],
    )


def _subscription(subscription_id: int) -> Subscription:
    return Subscription.objects.select_related("plan", "storefront").get(pk=subscription_id)


def renewal_notice_send(
    subscription_id: int, *, ends_on, renews_on, charge_on, price: str, late: bool
) -> None:
    """The tacit-renewal notice (loi Chatel, Code de la consommation L215-1): the term's end, the
    renewal's date and price, and how to stop it. `late`: sent after the window closed, so the
    customer may terminate the next term at any time, free of charge."""
    subscription = _subscription(subscription_id)
    context = _context(subscription) | {
        "ends_on": ends_on,
        "renews_on": renews_on,
        "charge_on": charge_on,
        "price": price,
        "late": late,
    }
    mail_send(
        _("%(shop)s — votre abonnement à %(title)s sera reconduit le %(date)s")
        % {
            "shop": subscription.storefront.name,
            "title": subscription.plan.publication,
            "date": date_format(renews_on, "j F Y"),
        },
        "subscriptions/email/renewal_notice.txt",
        context,
        [subscription.email],
    )


# Dunning e-mails: the first failure, the reminders, the last notice (the last retry failed),
# and a card that cannot be charged again (refused for good, expired, or none saved).
DUNNING_FIRST = "first"
DUNNING_REMINDER = "reminder"
DUNNING_LAST = "last"
DUNNING_CARD = "card"
DUNNING_NO_CARD = "no_card"


def renewal_dunning_send(
    subscription_id: int,
    *,
    stage: str,
    amount: str,
    pay_url: str,
    reason: str,
    next_attempt_on,
    last_payable_on,
) -> None:
    subscription = _subscription(subscription_id)
    context = _context(subscription) | {
        "stage": stage,
        "amount": amount,
        "pay_url": pay_url,
        "reason": reason,
        "next_attempt_on": next_attempt_on,
        "last_payable_on": last_payable_on,
    }
    subjects = {
        DUNNING_FIRST: _("%(shop)s — le paiement du renouvellement de %(title)s a échoué"),
        DUNNING_REMINDER: _("%(shop)s — rappel : renouvellement de %(title)s impayé"),
        DUNNING_LAST: _("%(shop)s — dernier avis : renouvellement de %(title)s impayé"),
        DUNNING_CARD: _("%(shop)s — mettez à jour votre carte pour renouveler %(title)s"),
        DUNNING_NO_CARD: _("%(shop)s — réglez le renouvellement de %(title)s"),
    }
    mail_send(
        subjects[stage]
        % {"shop": subscription.storefront.name, "title": subscription.plan.publication},
        "subscriptions/email/renewal_dunning.txt",
        context,
        [subscription.email],
    )


def renewal_failed_send(subscription_id: int) -> None:
    """The renewal stayed unpaid: nothing more is charged, the subscription ends with its last
    paid day."""
    subscription = _subscription(subscription_id)
    mail_send(
        _("%(shop)s — votre abonnement à %(title)s n'a pas été renouvelé")
        % {"shop": subscription.storefront.name, "title": subscription.plan.publication},
        "subscriptions/email/renewal_failed.txt",
        _context(subscription),
        [subscription.email],
    )


def withdrawal_send(subscription_id: int, *, amount: str, shipped: int, issues: int) -> None:
    """The withdrawal's confirmation: the subscription is cancelled and what is refunded."""
    subscription = _subscription(subscription_id)
    mail_send(
        _("%(shop)s — rétractation de votre abonnement à %(title)s")
        % {"shop": subscription.storefront.name, "title": subscription.plan.publication},
        "subscriptions/email/withdrawal.txt",
        _context(subscription) | {"amount": amount, "shipped": shipped, "issues": issues},
        [subscription.email],
    )
