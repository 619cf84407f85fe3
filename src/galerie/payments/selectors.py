"""Payment reads shared by several pages: a customer's saved cards and what they pay."""

from django.db.models import QuerySet

from galerie.payments.models import SavedCard
from galerie.subscriptions.models import Subscription, SubscriptionStatus


def saved_cards_of(*, user) -> QuerySet[SavedCard]:
    """The customer's cards still usable for renewals (removed ones are kept for the records)."""
    return SavedCard.objects.filter(user=user, is_active=True).order_by("-created_at", "-pk")


def saved_card_get(*, user, pk: int) -> SavedCard | None:
    """One of the customer's active cards, or None (another customer's card included)."""
    return saved_cards_of(user=user).filter(pk=pk).first()


def saved_card_subscriptions(*, card: SavedCard) -> list[Subscription]:
    """The running subscriptions that renew on `card`."""
    return list(
        card.subscriptions.filter(
            status__in=[SubscriptionStatus.ACTIVE, SubscriptionStatus.PENDING]
        ).select_related("plan")
    )
