"""Telling a sold storefront's customers that their data passes to a new controller.

The GDPR (art. 13, 14 and 21) requires that people learn of a change of controller before their
data moves, with who the new controller is, when, and how to object or have their data erased.
`storefront_customers_notify` records one `TransferNotice` per distinct e-mail that ever ordered
on the storefront (guest orders included) and queues the task that sends them; the archive's
`transfer_notices` file carries who was told when to the buyer.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from galerie.carveout.models import TransferNotice
from galerie.carveout.tasks import transfer_notices_send_task
from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.core.outbox import task_enqueue_on_commit
from galerie.orders.models import Order
from galerie.storefronts.models import Storefront

# Time for customers to object before their data moves, when no transfer date is given.
DEFAULT_NOTICE_DAYS = 30


class NoticeError(DomainError):
    code = "notice_refused"


@dataclass
class NotifyResult:
    customers: int  # distinct e-mails that ordered on the storefront
    queued: int  # notices recorded by this call
    already: int  # notices recorded by an earlier call
    pending: int  # notices not sent yet (this call's and earlier unsent ones)


def privacy_contact() -> str:
    """Where customers exercise their rights with the current controller."""
    return getattr(settings, "GALERIE_PRIVACY_CONTACT", "") or settings.DEFAULT_FROM_EMAIL


def storefront_customer_emails(storefront: Storefront) -> dict[str, int | None]:
    """Each distinct e-mail that ordered on the storefront → its account (None: guest only)."""
    rows = (
        Order.objects.filter(storefront=storefront)
        .values("email")
        .annotate(user_id=Max("user_id"))
        .order_by("email")
    )
    customers: dict[str, int | None] = {}
    for row in rows:
        email = (row["email"] or "").strip().lower()
        if email:
            customers[email] = customers.get(email) or row["user_id"]
    return customers


def storefront_customers_notify(
    *,
    storefront: Storefront,
    new_owner: str,
    transfer_date: datetime.date | None = None,
    contact: str | None = None,
) -> NotifyResult:
    """Record a notice for every customer not told yet and queue their sending (on commit).
    Idempotent per (storefront, e-mail): a customer already told is not told again."""
    new_owner = (new_owner or "").strip()
    if not new_owner:
        raise NoticeError(_("Indiquez le repreneur (--new-owner)."), field="new_owner")
    today = clock.localdate()
    transfer_date = transfer_date or today + datetime.timedelta(days=DEFAULT_NOTICE_DAYS)
    if transfer_date < today:
        raise NoticeError(
            _("Le transfert (%(date)s) doit être annoncé avant d'avoir lieu.")
            % {"date": transfer_date.isoformat()},
            field="transfer_date",
        )
    customers = storefront_customer_emails(storefront)
    now = clock.now()
    with transaction.atomic():
        known = set(
            TransferNotice.objects.filter(storefront=storefront).values_list("email", flat=True)
        )
        new = [
            TransferNotice(
                storefront=storefront,
                email=email,
                user_id=user_id,
                new_owner=new_owner[:200],
                transfer_date=transfer_date,
                contact=(contact or privacy_contact())[:254],
                queued_at=now,
            )
            for email, user_id in customers.items()
            if email not in known
        ]
        TransferNotice.objects.bulk_create(new, ignore_conflicts=True)
        pending = TransferNotice.objects.filter(storefront=storefront, sent_at__isnull=True)
        pending_count = pending.count()
        if pending_count:
            task_enqueue_on_commit(transfer_notices_send_task, storefront_id=storefront.pk)
    return NotifyResult(
        customers=len(customers),
        queued=len(new),
        already=len(known & set(customers)),
        pending=pending_count,
    )
