"""Erasure of a customer's account (RGPD art. 17) and the retention job that closes accounts left
unused for three years (art. 5.1.e).

Erasure anonymises the person and keeps the accounting records: orders, their lines, payments,
refunds and ledger entries stay, with their amounts, for the ten years of art. L123-22 of the
Code de commerce. On a paid order the billing name and postal address stay too (they are the
invoice's buyer identity, art. 242 nonies A annexe II CGI); everything else that names or reaches
the person is replaced or deleted. docs/consumer-law.md lists each field and why.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import DateTimeField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from galerie.cart.models import Cart
from galerie.cart.services import cart_clear
from galerie.core import clock
from galerie.orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    SellerOrderStatus,
)
from galerie.payments.models import SavedCard
from galerie.payments.services import saved_card_deactivate
from galerie.privacy import emails
from galerie.privacy.errors import ErasureRefused
from galerie.privacy.models import (
    INACTIVITY_YEARS,
    NOTICE_DAYS,
    Erasure,
    ErasureReason,
    InactivityNotice,
)
from galerie.reviews.services import reviews_author_anonymise
from galerie.sellers.models import SellerMember
from galerie.subscriptions.errors import NotTerminable
from galerie.subscriptions.models import Subscription, SubscriptionStatus
from galerie.subscriptions.services import subscription_terminate
from galerie.travel.models import Booking, BookingStatus, Traveller

ANONYMOUS_NAME = "Client anonymisé"
# A seller's part still on its way: the customer may still need to be reached, or to be refunded.
OPEN_SELLER_ORDER = (SellerOrderStatus.PAID, SellerOrderStatus.ACCEPTED, SellerOrderStatus.SHIPPED)


def anonymous_email(user_id: int) -> str:
    """A per-account placeholder (Order.email must stay a valid address): `.invalid` is a domain
    reserved never to resolve (RFC 2606), so no mail can ever leave for it."""
    return f"client-{user_id}@anonyme.invalid"


def customer_erase_blockers(*, user: User) -> list[str]:
    """Why `user` cannot be erased now, as sentences for the customer (empty: it can be).

    Refused while an order is awaiting payment or still being delivered, or a trip is booked that
    has not ended: the seller must still reach the customer, and a withdrawal or a refund still
    needs their account. Staff and sellers' members are not customer accounts."""
    if user.is_staff or user.is_superuser:
        return [_("Un compte du back office ne se supprime pas ici.")]
    if SellerMember.objects.filter(user=user).exists():
        return [_("Ce compte gère une boutique de vendeur : contactez le service vendeurs.")]
    reasons = []
    today = clock.localdate()
    # A press subscription's or a trip's part stays "paid" while its issues are served or until
    # departure: those are judged below (subscriptions are terminated, trips must be over).
    goods_on_their_way = OrderLine.objects.filter(
        order=OuterRef("pk"),
        seller_order__status__in=OPEN_SELLER_ORDER,
        subscription_term__isnull=True,
        booking__isnull=True,
    )
    open_orders = (
        Order.objects.filter(user=user)
        .filter(
            Q(status=OrderStatus.PENDING_PAYMENT)
            | Q(status=OrderStatus.PAID) & Exists(goods_on_their_way)
        )
        .order_by("pk")
    )
    numbers = [order.number for order in open_orders[:10]]
    if numbers:
        reasons.append(
            _(
                "Des commandes sont encore en cours (%(numbers)s) : vous pourrez supprimer votre "
                "compte une fois qu'elles seront livrées ou annulées."
            )
            % {"numbers": ", ".join(numbers)}
        )
    bookings = Booking.objects.filter(
        order_line__order__user=user,
        status=BookingStatus.CONFIRMED,
        departure__starts_on__gte=today - dt.timedelta(days=366),
    ).select_related("departure", "order_line__order")
    unfinished = [
        booking.order_line.order.number
        for booking in bookings.order_by("pk")
        if booking.departure.starts_on + dt.timedelta(days=booking.departure.duration_days) >= today
    ]
    if unfinished:
        reasons.append(
            _(
                "Un voyage réservé n'a pas encore eu lieu (%(numbers)s) : vous pourrez supprimer "
                "votre compte après votre retour, ou après l'annulation du voyage."
            )
            % {"numbers": ", ".join(dict.fromkeys(unfinished))}
        )
    return reasons


def _subscriptions_over_anonymise(subscriptions) -> int:
    """Anonymise the subscriptions among `subscriptions` that are over (ended or cancelled)."""
    count = 0
    for subscription in subscriptions.filter(
        status__in=(SubscriptionStatus.ENDED, SubscriptionStatus.CANCELLED)
    ).exclude(email__endswith="@anonyme.invalid"):
        Subscription.objects.filter(pk=subscription.pk).update(
            email=anonymous_email(subscription.user_id),
            delivery_address={"name": ANONYMOUS_NAME},
        )
        count += 1
    return count


def _order_anonymise(order: Order, *, user_id: int) -> None:
    shipping = order.shipping_address or {}
    # The destination country decides the VAT charged (distance sales, art. 258 A CGI): it stays.
    order.shipping_address = {"name": ANONYMOUS_NAME, "country": shipping.get("country", "")}
    if order.paid_at is not None:
        # An invoice was issued: its buyer's name and address are kept (not the phone number).
        billing = {k: v for k, v in (order.billing_address or {}).items() if k != "phone"}
    else:
        # Never paid, no invoice: nothing is legally kept.
        billing = {"name": ANONYMOUS_NAME, "country": (order.billing_address or {}).get("country")}
    order.billing_address = billing
    order.email = anonymous_email(user_id)
    order.save(update_fields=["shipping_address", "billing_address", "email", "updated_at"])


@transaction.atomic
def customer_erase(
    *, user: User, actor: User | None = None, reason: str = ErasureReason.CUSTOMER
) -> Erasure:
    """Anonymise `user` for good; raises ErasureRefused (nothing changed) while
    `customer_erase_blockers` names a reason or the account was already erased.

    The subscriptions still in progress are terminated through their own service (their
    confirmation goes to the subscriber's address, sent after commit); they keep the delivery
    address until the paid issues are served."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if Erasure.objects.filter(user=user).exists():
        raise ErasureRefused(_("Ce compte est déjà anonymisé."), code="already_erased")
    reasons = customer_erase_blockers(user=user)
    if reasons:
        raise ErasureRefused(" ".join(reasons))

    for subscription in Subscription.objects.filter(user=user, status=SubscriptionStatus.ACTIVE):
        with contextlib.suppress(NotTerminable):  # ended meanwhile: nothing left to terminate
            subscription_terminate(subscription=subscription)
    _subscriptions_over_anonymise(Subscription.objects.filter(user=user))

    for card in SavedCard.objects.filter(user=user, is_active=True):
        saved_card_deactivate(user=user, card=card)
    # A card that paid a renewal stays as that payment's record (brand and last four digits).
    SavedCard.objects.filter(user=user, payments__isnull=True).delete()
    SavedCard.objects.filter(user=user).update(email=anonymous_email(user.pk), user=None)

    user.addresses.all().delete()
    for cart in Cart.objects.filter(user=user):
        cart_clear(cart=cart)
        cart.delete()

    for order in Order.objects.filter(user=user):
        _order_anonymise(order, user_id=user.pk)
    OrderEvent.objects.filter(actor=user).update(actor_label=ANONYMOUS_NAME)
    reviews_author_anonymise(customer=user, name=ANONYMOUS_NAME)
    for traveller in Traveller.objects.filter(booking__order_line__order__user=user):
        traveller.first_name = ANONYMOUS_NAME
        traveller.last_name = ""
        # The year alone: it still shows which price (adult or child) was charged.
        traveller.birth_date = dt.date(traveller.birth_date.year, 1, 1)
        traveller.save(update_fields=["first_name", "last_name", "birth_date"])

    user.username = f"anonyme-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    # An unusable password changes the hash every session carries (Django then refuses them),
    # and an inactive user is refused by the auth backend: every open session ends.
    user.set_unusable_password()
    user.is_active = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    InactivityNotice.objects.filter(user=user).delete()
    return Erasure.objects.create(
        user=user,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


# --- Retention -----------------------------------------------------------------------------------


def customers_with_last_activity():
    """Customer accounts (active, not staff, not a seller's member, not erased) annotated with
    `last_activity`: the latest of their last login, their last order and their registration."""
    joined = F("date_joined")
    last_order = Order.objects.filter(user=OuterRef("pk")).order_by("-created_at")
    return (
        User.objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .exclude(Exists(SellerMember.objects.filter(user=OuterRef("pk"))))
        .exclude(Exists(Erasure.objects.filter(user=OuterRef("pk"))))
        .annotate(
            last_activity=Greatest(
                Coalesce("last_login", joined),
                Coalesce(Subquery(last_order.values("created_at")[:1]), joined),
                output_field=DateTimeField(),
            )
        )
    )


def _years_before(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def customers_retention_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Daily, idempotent. Sends a notice to each customer inactive for three years who has none
    for this inactivity yet; erases those whose notice is at least 30 days old and who have not
    come back since (a login or an order after the notice makes it stale). An account that cannot
    be erased now (an open order) is left for a later run. Also anonymises the subscriptions of
    erased customers that were still served at the erasure and have ended since. Returns the
    counts."""
    now = now or clock.now()
    cutoff = _years_before(now, INACTIVITY_YEARS)
    inactive = customers_with_last_activity().filter(last_activity__lt=cutoff)
    noticed = InactivityNotice.objects.filter(
        user=OuterRef("pk"), sent_at__gt=OuterRef("last_activity")
    )
    counts = {"notified": 0, "erased": 0, "kept": 0}
    # An erased customer's subscription that was still served keeps its address until it ends.
    _subscriptions_over_anonymise(Subscription.objects.filter(user__erasure__isnull=False))
    for user in inactive.exclude(Exists(noticed)).order_by("pk"):
        with transaction.atomic():
            notice = InactivityNotice.objects.create(
                user=user, sent_at=now, last_activity_at=user.last_activity
            )
            notice_id = notice.pk
            transaction.on_commit(lambda n=notice_id: emails.inactivity_notice_send(n), robust=True)
        counts["notified"] += 1
    due = noticed.filter(sent_at__lte=now - dt.timedelta(days=NOTICE_DAYS))
    for user in inactive.filter(Exists(due)).order_by("pk"):
        try:
            customer_erase(user=user, reason=ErasureReason.RETENTION)
        except ErasureRefused:
            counts["kept"] += 1
        else:
            counts["erased"] += 1
    return counts
