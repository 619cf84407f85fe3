"""Withdrawal and conformity services: periods and their edges, legal exceptions, quantities,
double submission, states, refunds through the ledger, e-mails and the overdue warning."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum

from galerie.catalog.models import WithdrawalException
from galerie.core.roles import roles_sync
from galerie.ledger.models import JournalLine
from galerie.payments.models import Refund
from galerie.returns import services
from galerie.returns.errors import ReturnError, ReturnNotAllowed, ReturnQuantity, ReturnTransition
from galerie.returns.models import ReturnKind, ReturnRequest, ReturnStatus
from galerie.returns.selectors import returns_refund_due
from galerie.testing.factories import (
    make_delivered_order,
    make_offer,
    make_product,
    make_product_type,
    make_seller,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
DELIVERED = dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)


def assert_ledger_balanced():
    totals = JournalLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]


def offer_of(exception="", *, seller=None, price="20.00", condition="new", stock=10, **kw):
    product_type = make_product_type(f"type-{exception or 'plain'}", withdrawal_exception=exception)
    return make_offer(
        make_product(product_type=product_type),
        seller=seller,
        price=price,
        stock=stock,
        condition=condition,
        **kw,
    )


def delivered(*lines, delivered_at=DELIVERED):
    order = make_delivered_order(list(lines), delivered_at=delivered_at)
    return order, list(order.lines.order_by("pk"))


def withdraw(order, line, *, quantity=1, now, **kw):
    return services.return_withdrawal_request(
        order=order, line_id=line.pk, quantity=quantity, now=now, **kw
    )


# --- the 14-day period ------------------------------------------------------------------------


def test_withdrawal_is_open_through_the_last_minute_of_day_fourteen_in_paris():
    order, [line] = delivered((offer_of(), 1))
    last_minute = dt.datetime(2026, 3, 24, 23, 59, tzinfo=PARIS)

    request = withdraw(order, line, now=last_minute)

    assert request.status == ReturnStatus.REQUESTED
    assert request.refund_due_at == last_minute + dt.timedelta(days=14)


def test_withdrawal_is_refused_from_the_first_minute_of_day_fifteen():
    order, [line] = delivered((offer_of(), 1))
    first_minute_after = dt.datetime(2026, 3, 25, 0, 0, tzinfo=PARIS)

    with pytest.raises(ReturnNotAllowed) as exc:
        withdraw(order, line, now=first_minute_after)

    assert exc.value.code == "withdrawal_period_over"
    assert "24/03/2026 à 23:59" in exc.value.message
    assert not ReturnRequest.objects.exists()


def test_an_undelivered_line_cannot_be_withdrawn_yet():
    order, [line] = delivered((offer_of(), 1))
    order.seller_orders.update(status="shipped", delivered_at=None)

    with pytest.raises(ReturnNotAllowed) as exc:
        withdraw(order, line, now=DELIVERED)

    assert exc.value.code == "not_delivered"


# --- exceptions by product class ------------------------------------------------------------


@pytest.mark.parametrize(
    ("exception", "words"),
    [
        (WithdrawalException.PERSONALISED, "personnalisé"),
        (WithdrawalException.PRESS_ISSUE, "au numéro"),
        (WithdrawalException.DATED_SERVICE, "date déterminée"),
    ],
)
def test_excluded_product_classes_are_refused_with_their_reason(exception, words):
    order, [line] = delivered((offer_of(exception), 1))

    with pytest.raises(ReturnNotAllowed) as exc:
        withdraw(order, line, now=DELIVERED)

    assert exc.value.code == "withdrawal_excluded"
    assert words in exc.value.message
    assert not ReturnRequest.objects.exists()


def test_sealed_media_needs_the_seal_statement_and_is_refused_once_unsealed():
    order, [line] = delivered((offer_of(WithdrawalException.SEALED_MEDIA), 2))

    with pytest.raises(ReturnNotAllowed) as missing:
        withdraw(order, line, now=DELIVERED)
    with pytest.raises(ReturnNotAllowed) as unsealed:
        withdraw(order, line, now=DELIVERED, seal_intact=False)
    sealed = withdraw(order, line, now=DELIVERED, seal_intact=True)

    assert missing.value.code == "seal_statement_required"
    assert unsealed.value.code == "withdrawal_excluded" and "descellé" in unsealed.value.message
    assert sealed.seal_intact is True and ReturnRequest.objects.count() == 1


def test_a_private_sellers_line_has_no_withdrawal_nor_legal_guarantee():
    seller = make_seller("Sophie L.", is_trader=False)
    order, [line] = delivered((offer_of(seller=seller), 1))

    with pytest.raises(ReturnNotAllowed) as withdrawal:
        withdraw(order, line, now=DELIVERED)
    with pytest.raises(ReturnNotAllowed) as claim:
        services.return_conformity_claim(
            order=order, line_id=line.pk, quantity=1, reason="Écran cassé", now=DELIVERED
        )

    assert withdrawal.value.code == claim.value.code == "private_seller"
    assert "garantie légale de conformité" in claim.value.message
    assert not ReturnRequest.objects.exists()


# --- quantities and double submission ---------------------------------------------------------


def test_quantity_is_bounded_by_what_is_left_of_the_line():
    order, [line] = delivered((offer_of(), 3))
    withdraw(order, line, quantity=2, now=DELIVERED)

    with pytest.raises(ReturnQuantity) as too_many:
        withdraw(order, line, quantity=2, now=DELIVERED)
    with pytest.raises(ReturnQuantity):
        withdraw(order, line, quantity=0, now=DELIVERED)
    last = withdraw(order, line, quantity=1, now=DELIVERED)
    with pytest.raises(ReturnQuantity) as none_left:
        withdraw(order, line, quantity=1, now=DELIVERED)

    assert "1 exemplaire(s) au plus" in too_many.value.message
    assert "déjà retournés" in none_left.value.message
    assert last.quantity == 1 and ReturnRequest.objects.count() == 2


def test_a_line_of_another_order_is_refused():
    order, [line] = delivered((offer_of(), 1))
    other, _lines = delivered((offer_of(), 1))

    with pytest.raises(ReturnNotAllowed):
        withdraw(other, line, now=DELIVERED)


def test_the_same_form_posted_twice_files_one_request_and_one_acknowledgement(
    django_capture_on_commit_callbacks,
):
    order, [line] = delivered((offer_of(), 2))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = withdraw(order, line, now=DELIVERED, idempotency_key="form-1")
    with django_capture_on_commit_callbacks(execute=True):
        second = withdraw(order, line, now=DELIVERED, idempotency_key="form-1")

    assert first.pk == second.pk and ReturnRequest.objects.count() == 1
    to_customer = [m for m in mail.outbox if m.to == ["client@example.fr"]]
    assert len(to_customer) == 1
    assert "Renvoyez l'article dans les 14 jours" in to_customer[0].body
    assert "24/03/2026" in to_customer[0].body  # refund due 14 days after the request


# --- receipt and refund -----------------------------------------------------------------------


def test_receipt_of_part_of_a_line_refunds_those_units_without_the_delivery_fee():
    order, [line] = delivered((offer_of(price="20.00"), 3))
    request = withdraw(order, line, quantity=1, now=DELIVERED)

    request = services.return_receive(request=request)

    assert request.status == ReturnStatus.REFUNDED and request.received_at is not None
    assert request.refund.amount == Decimal("20.00")
    line.refresh_from_db()
    assert line.refunded_quantity == 1
    assert_ledger_balanced()


def test_receipt_of_the_whole_part_refunds_the_standard_delivery_fee_too(
    django_capture_on_commit_callbacks,
):
    offer = offer_of(price="20.00", delivery_price="4.90")
    order, [line] = delivered((offer, 2))
    seller_order = order.seller_orders.get()
    assert seller_order.delivery_fee > 0
    request = withdraw(order, line, quantity=2, now=DELIVERED)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        request = services.return_receive(request=request)

    assert request.refund.amount == Decimal("40.00") + seller_order.delivery_fee
    order.refresh_from_db()
    assert order.refunded_total == order.total
    assert_ledger_balanced()
    assert any("remboursé" in m.subject for m in mail.outbox)


def test_a_return_is_received_once():
    order, [line] = delivered((offer_of(), 1))
    request = services.return_receive(request=withdraw(order, line, now=DELIVERED))

    with pytest.raises(ReturnTransition):
        services.return_receive(request=request)

    assert Refund.objects.count() == 1


def test_a_withdrawal_cannot_end_in_repair():
    order, [line] = delivered((offer_of(), 1))
    request = withdraw(order, line, now=DELIVERED)

    with pytest.raises(ReturnError):
        services.return_resolve(request=request, outcome="repair")

    request.refresh_from_db()
    assert request.status == ReturnStatus.REQUESTED


# --- legal guarantee of conformity ------------------------------------------------------------


@pytest.mark.parametrize(("condition", "applies"), [("new", True), ("used", False)])
def test_the_presumption_lasts_24_months_for_new_goods_and_12_for_used(condition, applies):
    order, [line] = delivered((offer_of(condition=condition), 1))
    eighteen_months = dt.datetime(2027, 9, 10, 12, 0, tzinfo=PARIS)

    claim = services.return_conformity_claim(
        order=order, line_id=line.pk, quantity=1, reason="Ne s'allume plus", now=eighteen_months
    )

    assert claim.kind == ReturnKind.CONFORMITY and claim.refund_due_at is None
    assert claim.presumption_applies is applies
    months = 24 if condition == "new" else 12
    assert claim.presumption_until == services.months_after(DELIVERED.date(), months)


def test_a_conformity_claim_stays_open_two_years_from_delivery():
    order, [line] = delivered((offer_of(), 2))
    last_day = dt.datetime(2028, 3, 10, 23, 59, tzinfo=PARIS)
    day_after = dt.datetime(2028, 3, 11, 0, 0, tzinfo=PARIS)

    services.return_conformity_claim(
        order=order, line_id=line.pk, quantity=1, reason="Panne", now=last_day
    )
    with pytest.raises(ReturnNotAllowed) as exc:
        services.return_conformity_claim(
            order=order, line_id=line.pk, quantity=1, reason="Panne", now=day_after
        )

    assert exc.value.code == "conformity_period_over"


def test_a_conformity_claim_needs_a_description_of_the_defect():
    order, [line] = delivered((offer_of(), 1))

    with pytest.raises(ReturnNotAllowed) as exc:
        services.return_conformity_claim(
            order=order, line_id=line.pk, quantity=1, reason="  ", now=DELIVERED
        )

    assert exc.value.field == "reason" and not ReturnRequest.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("repair", ReturnStatus.REPAIRED), ("replace", ReturnStatus.REPLACED)],
)
def test_repair_or_replacement_is_recorded_without_money(outcome, status):
    order, [line] = delivered((offer_of(), 1))
    claim = services.return_conformity_claim(
        order=order, line_id=line.pk, quantity=1, reason="Panne", now=DELIVERED
    )

    claim = services.return_resolve(request=claim, outcome=outcome, note="Carte mère changée")

    assert claim.status == status and claim.closed_at is not None and claim.refund is None
    assert not Refund.objects.exists()


def test_a_mediated_conformity_refund_posts_a_balanced_refund():
    order, [line] = delivered((offer_of(price="30.00"), 1))
    claim = services.return_conformity_claim(
        order=order, line_id=line.pk, quantity=1, reason="Panne", now=DELIVERED
    )

    claim = services.return_resolve(request=claim, outcome="refund", mediated=True)

    assert claim.status == ReturnStatus.REFUNDED and claim.mediated
    assert claim.refund.amount >= Decimal("30.00")
    assert_ledger_balanced()
    with pytest.raises(ReturnTransition):
        services.return_resolve(request=claim, outcome="refund")
    assert Refund.objects.count() == 1


def test_a_refusal_needs_its_reason():
    order, [line] = delivered((offer_of(), 1))
    claim = services.return_conformity_claim(
        order=order, line_id=line.pk, quantity=1, reason="Rayure", now=DELIVERED
    )

    with pytest.raises(ReturnError):
        services.return_resolve(request=claim, outcome="refuse", note="")
    claim = services.return_resolve(request=claim, outcome="refuse", note="Dommage d'usage")

    assert claim.status == ReturnStatus.REFUSED


# --- refunds falling due ------------------------------------------------------------------------


def test_refunds_due_within_three_days_or_overdue_are_listed_and_mailed_to_customer_service():
    roles_sync()
    order, [line] = delivered((offer_of(), 3))
    asked = dt.datetime(2026, 3, 12, 9, 0, tzinfo=PARIS)
    request = withdraw(order, line, now=asked)  # due 26/03 09:00
    refunded = services.return_receive(request=withdraw(order, line, now=asked))
    agent = get_user_model().objects.create_user("agent", "agent@galerie.example", is_staff=True)
    agent.groups.add(Group.objects.get(name="Service client"))
    get_user_model().objects.create_user("other", "other@galerie.example", is_staff=True)

    early = asked + dt.timedelta(days=10, hours=23)
    warned = asked + dt.timedelta(days=11, hours=1)
    assert list(returns_refund_due(now=early)) == []
    assert list(returns_refund_due(now=warned)) == [request]
    assert refunded.status == ReturnStatus.REFUNDED
    mail.outbox.clear()

    count = services.returns_overdue_notify(now=asked + dt.timedelta(days=15))

    assert count == 1
    [message] = mail.outbox
    assert message.to == ["agent@galerie.example"]
    assert order.number in message.body and "EN RETARD" in message.body


def test_the_returns_overdue_command_reports_how_many():
    now = dt.datetime.now(tz=PARIS)
    order, [line] = delivered((offer_of(), 1), delivered_at=now - dt.timedelta(days=20))
    withdraw(order, line, now=now - dt.timedelta(days=18))
    out = StringIO()

    call_command("returns_overdue", stdout=out)

    assert "1" in out.getvalue()
