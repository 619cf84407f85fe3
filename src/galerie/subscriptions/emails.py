"""Subscription e-mails, sent after the transaction commits (`transaction.on_commit`)."""

from django.utils.translation import gettext as _

from galerie.core.mail import mail_send
from galerie.storefronts.selectors import storefront_absolute_url
from galerie.subscriptions.models import Subscription


def _context(subscription: Subscription) -> dict:
    storefront = subscription.storefront
    return {
        "subscription": subscription,
        "plan": subscription.plan,
        "shop": storefront.name,
        "account_url": storefront_absolute_url(storefront=storefront, path="/compte/abonnements/"),
    }


def termination_send(subscription_id: int) -> None:
    """The confirmation of a termination, on a durable medium (Code de la consommation L215-1-1)."""
    subscription = Subscription.objects.select_related("plan", "storefront").get(pk=subscription_id)
    mail_send(
        _("%(shop)s — confirmation de la résiliation de votre abonnement à %(title)s")
        % {"shop": subscription.storefront.name, "title": subscription.plan.publication},
        "subscriptions/email/termination.txt",
        _context(subscription),
        [subscription.email],
    )
