"""The GDPR notice of a storefront's sale, sent by `transfer_notices_send_task`."""

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from galerie.carveout.models import TransferNotice
from galerie.core import clock
from galerie.core.mail import mail_send
from galerie.storefronts.models import Storefront


def transfer_notices_send(*, storefront_id: int) -> int:
    """Send the storefront's notices not sent yet; returns how many went out. Each notice is
    claimed (sent_at set) before it is sent, so two workers never send one twice; a send that
    fails gives the claim back for the next run."""
    storefront = Storefront.objects.get(pk=storefront_id)
    sent = 0
    pending = TransferNotice.objects.filter(storefront=storefront, sent_at__isnull=True)
    for notice in pending.order_by("pk").iterator():
        claimed = TransferNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(
            sent_at=clock.now()
        )
        if not claimed:
            continue
        try:
            transfer_notice_mail(notice=notice, storefront=storefront)
        except Exception:
            TransferNotice.objects.filter(pk=notice.pk).update(sent_at=None)
            raise
        sent += 1
    return sent


def transfer_notice_mail(*, notice: TransferNotice, storefront: Storefront) -> None:
    with translation.override(storefront.language):
        mail_send(
            _("%(shop)s — vos données passent à %(owner)s")
            % {"shop": storefront.name, "owner": notice.new_owner},
            "carveout/email/transfer_notice.txt",
            {
                "shop": storefront.name,
                "owner": notice.new_owner,
                "transfer_date": date_format(notice.transfer_date, "DATE_FORMAT"),
                "contact": notice.contact,
                "successor_url": storefront.successor_url,
            },
            [notice.email],
        )
