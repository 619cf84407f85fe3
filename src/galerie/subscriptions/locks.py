"""Row locks of the subscriptions domain."""

from galerie.subscriptions.models import Subscription


def subscription_lock(pk: int) -> Subscription:
    return Subscription.objects.select_for_update().select_related("plan").get(pk=pk)
