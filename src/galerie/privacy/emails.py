"""Personal-data e-mails, sent after the transaction commits (`transaction.on_commit`)."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from galerie.core.mail import mail_send
from galerie.privacy.models import NOTICE_DAYS, InactivityNotice
from galerie.storefronts.selectors import storefront_absolute_url


def inactivity_notice_send(notice_id: int) -> None:
    """Tells a customer inactive for three years that the account closes in 30 days unless
    they log in (the notice of the CNIL's recommendation on retention periods)."""
    notice = InactivityNotice.objects.select_related("user").get(pk=notice_id)
    if not notice.user.is_active:
        return
    mail_send(
        _("Votre compte sera supprimé dans %(days)d jours") % {"days": NOTICE_DAYS},
        "privacy/email/inactivity_notice.txt",
        {
            "days": NOTICE_DAYS,
            "closes_on": date_format(
                (notice.sent_at + dt.timedelta(days=NOTICE_DAYS)).date(), "j F Y"
            ),
            "login_url": storefront_absolute_url(storefront=None, path="/compte/connexion/"),
        },
        [notice.user.email],
    )
