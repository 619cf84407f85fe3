"""Notice and action services: each decision's effect, the statement of reasons sent, a reversed
complaint undoing the effect, and an unsafe product's buyers told once."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings

from galerie.catalog.models import Product
from galerie.core import clock
from galerie.core.errors import NotFound
from galerie.moderation.errors import ComplaintRefused, DecisionRefused, NoticeInvalid
from galerie.moderation.models import (
    ComplaintStatus,
    Decision,
    DecisionKind,
    Notice,
    NoticeCategory,
    NoticeStatus,
    RecallNotification,
)
from galerie.moderation.services import (
    complaint_resolve,
    complaint_submit,
    notice_decide,
    notice_recall_notify,
    notice_submit,
)
from galerie.orders.models import Order
from galerie.sellers.models import SellerStatus
from galerie.testing.factories import make_notice, make_offer, make_product, make_seller

pytestmark = pytest.mark.django_db

STATEMENT = {
    "facts": "Le signalant a fourni la preuve d'un dépôt de marque.",
    "ground_kind": "legal",
    "ground": "Code de la propriété intellectuelle, art. L716-4",
    "automated": False,
    "actor": None,
}


def _submit(**changes):
    product = make_product("Montre")
    values = {
        "product": product,
        "offer": None,
        "storefront": None,
        "category": NoticeCategory.COUNTERFEIT,
        "explanation": "Copie d'une montre de marque.",
        "reporter_name": "Marie Curie",
        "reporter_email": "marie@example.fr",
        "good_faith": True,
    }
    values.update(changes)
    return notice_submit(**values)


def _product_active(pk):
    return Product.objects.get(pk=pk)


# --- notices --------------------------------------------------------------------------------


def test_a_notice_is_recorded_and_acknowledged_with_its_reference(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = _submit()

    assert notice.status == NoticeStatus.OPEN
    assert [m.to for m in mail.outbox] == [["marie@example.fr"]]
    assert notice.reference in mail.outbox[0].subject
    assert notice.reference in mail.outbox[0].body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"explanation": "   "}, "explanation"),
        ({"explanation": "x" * 5001}, "explanation"),
        ({"reporter_email": ""}, "reporter_email"),
        ({"reporter_email": "pas-une-adresse"}, "reporter_email"),
        ({"reporter_name": ""}, "reporter_name"),
        ({"good_faith": False}, "good_faith"),
        ({"category": "rumeur"}, "category"),
    ],
)
def test_a_bad_notice_names_its_field_and_writes_nothing(changes, field):
    with pytest.raises(NoticeInvalid) as error:
        _submit(**changes)

    assert error.value.field == field
    assert not Notice.objects.exists()


def test_a_child_abuse_notice_may_be_anonymous(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = _submit(category=NoticeCategory.CHILD_ABUSE, reporter_name="", reporter_email="")

    assert notice.pk and notice.reporter_email == ""
    assert mail.outbox == []  # nobody to acknowledge


def test_an_offer_of_another_product_is_not_found():
    other = make_offer()
    with pytest.raises(NotFound):
        _submit(offer=other)
    assert not Notice.objects.exists()


# --- decisions --------------------------------------------------------------------------------


def test_no_action_changes_nothing_and_tells_the_reporter(django_capture_on_commit_callbacks):
    offer = make_offer(seller=make_seller(email="vendeur@example.fr"))
    notice = make_notice(offer=offer)

    with django_capture_on_commit_callbacks(execute=True):
        (decision,) = notice_decide(notice=notice, kind=DecisionKind.NO_ACTION, **STATEMENT)

    offer.refresh_from_db()
    notice.refresh_from_db()
    assert offer.is_active and decision.seller == offer.seller
    assert notice.status == NoticeStatus.DECIDED and notice.decided_at is not None
    assert [m.to for m in mail.outbox] == [["marie@example.fr"]]  # no restriction: no statement
    assert "Aucune mesure" in mail.outbox[0].body


def test_withdrawing_an_offer_deactivates_it_and_sends_the_statement_of_reasons(
    django_capture_on_commit_callbacks,
):
    seller = make_seller(email="vendeur@example.fr")
    offer = make_offer(seller=seller)
    other = make_offer(offer.product)
    notice = make_notice(offer=offer)

    with django_capture_on_commit_callbacks(execute=True):
        (decision,) = notice_decide(notice=notice, kind=DecisionKind.WITHDRAW_OFFER, **STATEMENT)

    offer.refresh_from_db()
    other.refresh_from_db()
    assert not offer.is_active and other.is_active
    assert _product_active(offer.product_id).offer_count == 1  # the summary followed
    to_seller = next(m for m in mail.outbox if m.to == ["vendeur@example.fr"])
    for part in (STATEMENT["facts"], STATEMENT["ground"], "sans moyen automatisé", "6 mois"):
        assert part in to_seller.body
    assert "extrajudiciaire" in to_seller.body and "juridictions" in to_seller.body
    assert any(m.to == ["marie@example.fr"] for m in mail.outbox)
    assert list(decision.offers.values_list("offer_id", flat=True)) == [offer.pk]


def test_withdrawing_a_product_makes_one_decision_per_seller_and_clears_its_offers():
    product = make_product()
    a, b = make_seller(email="a@example.fr"), make_seller(email="b@example.fr")
    offers = [
        make_offer(product, seller=a),
        make_offer(product, seller=a),
        make_offer(product, seller=b),
    ]
    notice = make_notice(product)

    decisions = notice_decide(notice=notice, kind=DecisionKind.WITHDRAW_PRODUCT, **STATEMENT)

    assert sorted(d.seller_id for d in decisions) == sorted([a.pk, b.pk])
    assert not any(type(o).objects.get(pk=o.pk).is_active for o in offers)
    product.refresh_from_db()
    assert product.offer_count == 0 and not product.in_stock


def test_suspending_the_seller_goes_through_the_sellers_service():
    offer = make_offer()
    notice = make_notice(offer=offer)

    (decision,) = notice_decide(notice=notice, kind=DecisionKind.SUSPEND_SELLER, **STATEMENT)

    seller = type(offer.seller).objects.get(pk=offer.seller_id)
    assert seller.status == SellerStatus.SUSPENDED
    assert notice.reference in seller.status_events.latest("pk").reason
    assert decision.seller == seller


def test_a_seller_level_decision_on_a_product_notice_is_refused():
    notice = make_notice(make_offer().product)

    with pytest.raises(DecisionRefused):
        notice_decide(notice=notice, kind=DecisionKind.SUSPEND_SELLER, **STATEMENT)

    assert not Decision.objects.exists()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.OPEN


def test_a_notice_is_decided_once_and_a_statement_needs_its_facts():
    notice = make_notice(make_product())
    with pytest.raises(DecisionRefused) as error:
        notice_decide(notice=notice, kind=DecisionKind.NO_ACTION, **{**STATEMENT, "facts": " "})
    assert error.value.field == "facts"

    notice_decide(notice=notice, kind=DecisionKind.NO_ACTION, **STATEMENT)
    with pytest.raises(DecisionRefused):
        notice_decide(notice=notice, kind=DecisionKind.WITHDRAW_PRODUCT, **STATEMENT)
    assert Decision.objects.count() == 1


# --- complaints ---------------------------------------------------------------------------------


def _withdrawn(kind=DecisionKind.WITHDRAW_OFFER):
    offer = make_offer(seller=make_seller(email="vendeur@example.fr"))
    (decision,) = notice_decide(notice=make_notice(offer=offer), kind=kind, **STATEMENT)
    return offer, decision


def test_a_reversed_complaint_puts_the_offer_back_on_sale_and_tells_the_seller(
    django_capture_on_commit_callbacks,
):
    offer, decision = _withdrawn()
    complaint = complaint_submit(
        decision=decision, seller=offer.seller, text="Facture du fabricant jointe.", user=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        complaint_resolve(complaint=complaint, reverse=True, reason="Facture probante.", actor=None)

    offer.refresh_from_db()
    decision.refresh_from_db()
    complaint.refresh_from_db()
    assert offer.is_active and decision.reversed_at is not None
    assert complaint.status == ComplaintStatus.REVERSED
    assert _product_active(offer.product_id).offer_count == 1
    assert mail.outbox[-1].to == ["vendeur@example.fr"]
    assert "Facture probante." in mail.outbox[-1].body


def test_a_reversed_suspension_reinstates_the_seller():
    offer, decision = _withdrawn(DecisionKind.SUSPEND_SELLER)
    complaint = complaint_submit(decision=decision, seller=offer.seller, text="Erreur.", user=None)

    complaint_resolve(complaint=complaint, reverse=True, reason="Homonyme.", actor=None)

    assert type(offer.seller).objects.get(pk=offer.seller_id).status == SellerStatus.VERIFIED


def test_an_upheld_complaint_changes_nothing_but_its_status():
    offer, decision = _withdrawn()
    complaint = complaint_submit(decision=decision, seller=offer.seller, text="Non.", user=None)

    complaint_resolve(complaint=complaint, reverse=False, reason="Preuve insuffisante.", actor=None)

    offer.refresh_from_db()
    assert not offer.is_active
    assert type(complaint).objects.get(pk=complaint.pk).status == ComplaintStatus.UPHELD
    with pytest.raises(ComplaintRefused):
        complaint_resolve(complaint=complaint, reverse=True, reason="Encore.", actor=None)


def test_a_complaint_is_refused_to_another_seller_twice_and_after_six_months():
    offer, decision = _withdrawn()
    with pytest.raises(NotFound):
        complaint_submit(decision=decision, seller=make_seller(), text="Moi aussi.", user=None)

    Decision.objects.filter(pk=decision.pk).update(created_at=clock.now() - dt.timedelta(days=186))
    with pytest.raises(ComplaintRefused) as late:
        complaint_submit(decision=decision, seller=offer.seller, text="Trop tard ?", user=None)
    assert late.value.code == "complaint_late"

    Decision.objects.filter(pk=decision.pk).update(created_at=clock.now())
    complaint_submit(decision=decision, seller=offer.seller, text="À temps.", user=None)
    with pytest.raises(ComplaintRefused):
        complaint_submit(decision=decision, seller=offer.seller, text="Encore.", user=None)


# --- recall ---------------------------------------------------------------------------------------


@override_settings(GALERIE_RECALL_MONTHS=12)
def test_an_unsafe_withdrawal_tells_each_recent_buyer_once(
    bought, django_capture_on_commit_callbacks
):
    offer = make_offer(stock=20)
    bought(offer, "ana@example.fr")
    bought(offer, "ana@example.fr")  # two orders, one e-mail
    bought(offer, "ben@example.fr")
    old = bought(offer, "old@example.fr")
    Order.objects.filter(pk=old.pk).update(paid_at=clock.now() - dt.timedelta(days=400))
    bought(make_offer(), "other@example.fr")  # another product
    notice = make_notice(offer=offer, category=NoticeCategory.UNSAFE)

    with django_capture_on_commit_callbacks(execute=True):
        notice_decide(notice=notice, kind=DecisionKind.WITHDRAW_UNSAFE, **STATEMENT)
    recalls = sorted(m.to[0] for m in mail.outbox if "sécurité" in m.subject)
    with django_capture_on_commit_callbacks(execute=True) as again:
        told_again = notice_recall_notify(notice=notice)

    assert recalls == ["ana@example.fr", "ben@example.fr"]
    assert told_again == 0 and again == []
    assert RecallNotification.objects.filter(notice=notice).count() == 2


@override_settings(GALERIE_RECALL_MONTHS=24)
def test_the_recall_period_is_a_setting(bought):
    offer = make_offer()
    old = bought(offer, "old@example.fr")
    Order.objects.filter(pk=old.pk).update(paid_at=clock.now() - dt.timedelta(days=400))

    assert notice_recall_notify(notice=make_notice(offer=offer)) == 1
