"""Writes of notice and action (DSA art. 16, 17, 20): a notice received, the operator's decision
and its effect, a seller's complaint and its outcome, an unsafe product's buyers told.

Effects go through the owners' services: offers are (de)activated by `offer_update`, so product
summaries and cached pages follow; sellers are suspended and reinstated by the onboarding's
status services, with their audit trail. E-mails leave once the transaction commits.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from galerie.catalog.models import Product
from galerie.core import clock
from galerie.core.errors import DomainError, NotFound
from galerie.moderation import emails
from galerie.moderation.errors import ComplaintRefused, DecisionRefused, NoticeInvalid
from galerie.moderation.limits import (
    COMPLAINT_MAX,
    COMPLAINT_MONTHS,
    EXPLANATION_MAX,
    FACTS_MAX,
    GROUND_MAX,
    NAME_MAX,
)
from galerie.moderation.locks import (
    complaint_lock,
    decision_lock,
    notice_lock,
    seller_decision_lock,
)
from galerie.moderation.models import (
    ANONYMOUS_CATEGORIES,
    Complaint,
    ComplaintStatus,
    Decision,
    DecisionKind,
    DecisionOffer,
    GroundKind,
    Notice,
    NoticeCategory,
    NoticeStatus,
    RecallNotification,
)
from galerie.orders.models import OrderLine
from galerie.sellers import onboarding
from galerie.sellers.models import Offer, Seller, SellerStatus
from galerie.sellers.services import offer_update


def _text(value: str, *, limit: int, field: str, error: type[DomainError], message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise error(message, field=field)
    if len(value) > limit:
        raise error(
            _("%(limit)d caractères au plus (%(count)d saisis).")
            % {"limit": limit, "count": len(value)},
            field=field,
        )
    return value


# --- Notices (art. 16) ------------------------------------------------------------------------


@transaction.atomic
def notice_submit(
    *,
    product: Product,
    offer: Offer | None,
    storefront,
    category: str,
    explanation: str,
    reporter_name: str,
    reporter_email: str,
    good_faith: bool,
) -> Notice:
    """Record a visitor's notice of illegal content on a product or one of its offers, and
    acknowledge it by e-mail (art. 16(4)) when the reporter gave an address."""
    if category not in NoticeCategory.values:
        raise NoticeInvalid(_("Choisissez une catégorie."), field="category")
    if offer is not None and offer.product_id != product.pk:
        raise NotFound(_("Cette offre ne concerne pas ce produit."))
    explanation = _text(
        explanation,
        limit=EXPLANATION_MAX,
        field="explanation",
        error=NoticeInvalid,
        message=_("Expliquez pourquoi ce contenu est illicite."),
    )
    reporter_name = " ".join((reporter_name or "").split())
    reporter_email = (reporter_email or "").strip()
    if category not in ANONYMOUS_CATEGORIES:
        if not reporter_name:
            raise NoticeInvalid(_("Indiquez votre nom."), field="reporter_name")
        if not reporter_email:
            raise NoticeInvalid(_("Indiquez votre adresse e-mail."), field="reporter_email")
    if len(reporter_name) > NAME_MAX:
        raise NoticeInvalid(
            _("%(limit)d caractères au plus.") % {"limit": NAME_MAX}, field="reporter_name"
        )
    if reporter_email:
        try:
            validate_email(reporter_email)
        except ValidationError:
            raise NoticeInvalid(_("Adresse e-mail invalide."), field="reporter_email") from None
    if not good_faith:
        raise NoticeInvalid(
            _("Confirmez que votre signalement est exact et fait de bonne foi."),
            field="good_faith",
        )
    notice = Notice.objects.create(
        storefront=storefront,
        product=product,
        offer=offer,
        category=category,
        explanation=explanation,
        reporter_name=reporter_name,
        reporter_email=reporter_email,
        good_faith=True,
    )
    if reporter_email:
        transaction.on_commit(partial(emails.notice_received_send, notice.pk), robust=True)
    return notice


# --- Decisions (art. 17) ------------------------------------------------------------------------


def _deactivate(decision: Decision, offers) -> None:
    for offer in offers:
        offer_update(offer=offer, is_active=False)
        DecisionOffer.objects.create(decision=decision, offer=offer)


@transaction.atomic
def notice_decide(
    *,
    notice: Notice,
    kind: str,
    facts: str,
    ground_kind: str,
    ground: str,
    automated: bool,
    actor,
) -> list[Decision]:
    """Decide on an open notice and apply the decision: one Decision per seller concerned, each
    with its statement of reasons, sent to the seller; the reporter is told the outcome. An
    unsafe product's withdrawal also tells its recent buyers (`notice_recall_notify`)."""
    notice = notice_lock(notice.pk)
    if notice.status != NoticeStatus.OPEN:
        raise DecisionRefused(_("Ce signalement a déjà été traité."), code="notice_decided")
    if kind not in DecisionKind.values:
        raise DecisionRefused(_("Décision inconnue."), field="kind")
    if ground_kind not in GroundKind.values:
        raise DecisionRefused(_("Choisissez le fondement de la décision."), field="ground_kind")
    facts = _text(
        facts,
        limit=FACTS_MAX,
        field="facts",
        error=DecisionRefused,
        message=_("Exposez les faits et circonstances de la décision."),
    )
    ground = _text(
        ground,
        limit=GROUND_MAX,
        field="ground",
        error=DecisionRefused,
        message=_("Citez la disposition légale ou la clause des conditions appliquée."),
    )
    statement = {
        "notice": notice,
        "kind": kind,
        "facts": facts,
        "ground_kind": ground_kind,
        "ground": ground,
        "automated": automated,
        "decided_by": actor if getattr(actor, "pk", None) else None,
    }
    offer = notice.offer
    if kind in (DecisionKind.WITHDRAW_OFFER, DecisionKind.SUSPEND_SELLER) and offer is None:
        raise DecisionRefused(
            _("Ce signalement vise le produit, pas une offre : aucun vendeur n'est désigné."),
            field="kind",
        )
    decisions: list[Decision] = []
    if kind == DecisionKind.NO_ACTION:
        decisions.append(
            Decision.objects.create(seller=offer.seller if offer else None, **statement)
        )
    elif kind == DecisionKind.WITHDRAW_OFFER:
        decision = Decision.objects.create(seller=offer.seller, **statement)
        _deactivate(decision, [offer] if offer.is_active else [])
        decisions.append(decision)
    elif kind in (DecisionKind.WITHDRAW_PRODUCT, DecisionKind.WITHDRAW_UNSAFE):
        by_seller: dict[int, list[Offer]] = {}
        active = Offer.objects.filter(product_id=notice.product_id, is_active=True)
        for each in active.select_related("seller").order_by("seller_id", "pk"):
            by_seller.setdefault(each.seller_id, []).append(each)
        for offers in by_seller.values():
            decision = Decision.objects.create(seller=offers[0].seller, **statement)
            _deactivate(decision, offers)
            decisions.append(decision)
        if not decisions:  # nothing on sale any more: the decision still stands (and recalls)
            decisions.append(Decision.objects.create(seller=None, **statement))
    else:  # SUSPEND_SELLER
        try:
            onboarding.seller_suspend(
                seller=offer.seller, actor=statement["decided_by"], reason=_reason(notice, ground)
            )
        except DomainError as exc:
            raise DecisionRefused(exc.message, code="suspension_refused") from exc
        decisions.append(Decision.objects.create(seller=offer.seller, **statement))
    notice.status = NoticeStatus.DECIDED
    notice.decided_at = clock.now()
    notice.save(update_fields=["status", "decided_at", "updated_at"])
    for decision in decisions:
        if decision.seller_id is not None and decision.is_restriction:
            transaction.on_commit(partial(emails.decision_seller_send, decision.pk), robust=True)
    if notice.reporter_email:
        transaction.on_commit(partial(emails.decision_reporter_send, notice.pk), robust=True)
    if kind == DecisionKind.WITHDRAW_UNSAFE:
        notice_recall_notify(notice=notice)
    return decisions


def _reason(notice: Notice, ground: str) -> str:
    return _("Signalement %(ref)s : %(ground)s") % {"ref": notice.reference, "ground": ground}


@transaction.atomic
def notice_recall_notify(*, notice: Notice) -> int:
    """Tell each buyer who paid for the product in the last GALERIE_RECALL_MONTHS months that it
    was withdrawn as unsafe (GPSR art. 36), once per buyer whatever the number of calls or
    orders. Returns how many buyers are told now."""
    notice = notice_lock(notice.pk)  # one caller at a time
    since = clock.months_add(clock.now(), -settings.GALERIE_RECALL_MONTHS)
    buyers = {
        email.strip().lower()
        for email in OrderLine.objects.filter(
            product_id=notice.product_id, order__paid_at__gte=since
        ).values_list("order__email", flat=True)
        if email
    }
    told = set(notice.recalls.values_list("email", flat=True))
    new = sorted(buyers - told)
    RecallNotification.objects.bulk_create(
        [RecallNotification(notice=notice, email=email) for email in new]
    )
    for email in new:
        transaction.on_commit(partial(emails.recall_send, notice.pk, email), robust=True)
    return len(new)


# --- Complaints (art. 20) -----------------------------------------------------------------------


def complaint_deadline(decision: Decision):
    return clock.months_add(decision.created_at, COMPLAINT_MONTHS)


def complaint_open_to(decision: Decision) -> bool:
    """Whether the seller may still contest `decision` (a restriction, not yet contested, within
    six months)."""
    return (
        decision.is_restriction
        and decision.reversed_at is None
        and not hasattr(decision, "complaint")
        and clock.now() <= complaint_deadline(decision)
    )


@transaction.atomic
def complaint_submit(*, decision: Decision, seller: Seller, text: str, user) -> Complaint:
    """The seller contests a decision concerning it (DSA art. 20). Another seller's decision is
    not found."""
    decision = seller_decision_lock(pk=decision.pk, seller=seller)
    if decision is None:
        raise NotFound(_("Décision introuvable."))
    if not decision.is_restriction:
        raise ComplaintRefused(_("Cette décision ne vous impose aucune mesure."))
    if Complaint.objects.filter(decision=decision).exists():
        raise ComplaintRefused(
            _("Une réclamation a déjà été déposée contre cette décision."), code="complaint_exists"
        )
    if decision.reversed_at is not None:
        raise ComplaintRefused(_("Cette décision a déjà été annulée."))
    if clock.now() > complaint_deadline(decision):
        raise ComplaintRefused(
            _("Le délai de réclamation de %(months)d mois est écoulé.")
            % {"months": COMPLAINT_MONTHS},
            code="complaint_late",
        )
    text = _text(
        text,
        limit=COMPLAINT_MAX,
        field="text",
        error=ComplaintRefused,
        message=_("Expliquez pourquoi la décision devrait être revue."),
    )
    return Complaint.objects.create(
        decision=decision, text=text, submitted_by=user if getattr(user, "pk", None) else None
    )


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, reverse: bool, reason: str, actor) -> Complaint:
    """The operator reviews a complaint: uphold the decision, or reverse it (the offers it
    withdrew are put back on sale, a suspended seller is reinstated). The seller is told."""
    complaint = complaint_lock(complaint.pk)
    if complaint.status != ComplaintStatus.OPEN:
        raise ComplaintRefused(_("Cette réclamation a déjà été traitée."), code="complaint_closed")
    reason = _text(
        reason,
        limit=FACTS_MAX,
        field="reason",
        error=ComplaintRefused,
        message=_("Motivez l'issue de la réclamation."),
    )
    actor = actor if getattr(actor, "pk", None) else None
    if reverse:
        _decision_reverse(decision=complaint.decision, actor=actor, reason=reason)
    complaint.status = ComplaintStatus.REVERSED if reverse else ComplaintStatus.UPHELD
    complaint.outcome_reason = reason
    complaint.resolved_at = clock.now()
    complaint.resolved_by = actor
    complaint.save(
        update_fields=["status", "outcome_reason", "resolved_at", "resolved_by", "updated_at"]
    )
    transaction.on_commit(partial(emails.complaint_outcome_send, complaint.pk), robust=True)
    return complaint


def _decision_reverse(*, decision: Decision, actor, reason: str) -> None:
    decision = decision_lock(decision.pk)
    for row in decision.offers.select_related("offer"):
        if not row.offer.is_active:
            offer_update(offer=row.offer, is_active=True)
    if (
        decision.kind == DecisionKind.SUSPEND_SELLER
        and decision.seller.status == SellerStatus.SUSPENDED
    ):
        try:
            onboarding.seller_verify(
                seller=decision.seller, actor=actor, reason=_reason(decision.notice, reason)
            )
        except DomainError as exc:
            raise ComplaintRefused(exc.message, code="reinstatement_refused") from exc
    decision.reversed_at = clock.now()
    decision.save(update_fields=["reversed_at", "updated_at"])
