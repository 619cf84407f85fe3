"""Notice-and-action e-mails, sent after the transaction commits (`transaction.on_commit`)."""

from django.conf import settings
from django.utils.translation import gettext as _

from galerie.core.mail import mail_send
from galerie.moderation.limits import COMPLAINT_MONTHS
from galerie.moderation.models import Complaint, Decision, Notice
from galerie.storefronts.selectors import storefront_absolute_url


def _notice(notice_id: int) -> Notice:
    return Notice.objects.select_related("product", "offer__seller", "storefront").get(pk=notice_id)


def _shop(notice: Notice) -> str:
    return notice.storefront.name if notice.storefront else "Galerie"


def notice_received_send(notice_id: int) -> None:
    """The acknowledgement of receipt (DSA art. 16(4)), with the notice's reference."""
    notice = _notice(notice_id)
    mail_send(
        _("%(shop)s — signalement %(ref)s reçu") % {"shop": _shop(notice), "ref": notice.reference},
        "moderation/email/notice_received.txt",
        {"notice": notice, "shop": _shop(notice)},
        [notice.reporter_email],
    )


def _redress() -> dict:
    return {
        "complaint_months": COMPLAINT_MONTHS,
        "portal_url": storefront_absolute_url(storefront=None, path="/vendeur/moderation/"),
        "mediator": settings.GALERIE_MEDIATOR_NAME,
    }


def decision_seller_send(decision_id: int) -> None:
    """The statement of reasons (DSA art. 17) to the seller the decision restricts."""
    decision = Decision.objects.select_related("notice__product", "notice__offer", "seller").get(
        pk=decision_id
    )
    mail_send(
        _("Galerie — décision de modération %(ref)s : %(kind)s")
        % {"ref": decision.notice.reference, "kind": decision.get_kind_display()},
        "moderation/email/decision_seller.txt",
        {"decision": decision, "notice": decision.notice, **_redress()},
        [decision.seller.email],
    )


def decision_reporter_send(notice_id: int) -> None:
    """The reporter is told what was decided on the notice (DSA art. 16(5))."""
    notice = _notice(notice_id)
    decision = notice.decisions.order_by("pk").first()
    mail_send(
        _("%(shop)s — suite donnée à votre signalement %(ref)s")
        % {"shop": _shop(notice), "ref": notice.reference},
        "moderation/email/decision_reporter.txt",
        {"notice": notice, "decision": decision, "shop": _shop(notice)},
        [notice.reporter_email],
    )


def complaint_outcome_send(complaint_id: int) -> None:
    """The outcome of the seller's complaint (DSA art. 20(5)), with the remaining redress."""
    complaint = Complaint.objects.select_related(
        "decision__notice__product", "decision__seller"
    ).get(pk=complaint_id)
    decision = complaint.decision
    mail_send(
        _("Galerie — réclamation sur la décision %(ref)s : %(status)s")
        % {"ref": decision.notice.reference, "status": complaint.get_status_display()},
        "moderation/email/complaint_outcome.txt",
        {"complaint": complaint, "decision": decision, **_redress()},
        [decision.seller.email],
    )


def recall_send(notice_id: int, email: str) -> None:
    """A buyer of an unsafe product is told to stop using it (GPSR art. 36)."""
    notice = _notice(notice_id)
    mail_send(
        _("%(shop)s — information de sécurité sur un produit acheté : %(title)s")
        % {"shop": _shop(notice), "title": notice.product.title},
        "moderation/email/recall.txt",
        {"notice": notice, "product": notice.product, "shop": _shop(notice)},
        [email],
    )
