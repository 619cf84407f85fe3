"""Orders (accept, ship, cancel with a reason) and money (ledger balance, monthly statements)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from galerie.orders.models import SellerOrderStatus

pytestmark = pytest.mark.django_db


def test_order_list_shows_only_own_orders(world, as_user):
    page = as_user(world.users.staff_a).get("/vendeur/commandes/").context["page"]
    assert [so.pk for so in page] == [world.order_a.pk]
    filtered = as_user(world.users.staff_a).get("/vendeur/commandes/", {"status": "shipped"})
    assert list(filtered.context["page"]) == []


def test_accept_then_ship_with_tracking(world, as_user):
    client = as_user(world.users.staff_a)
    so = world.order_a
    detail = client.get(f"/vendeur/commandes/{so.pk}/").content.decode()
    assert "Accepter la commande" in detail and "Abbey Road" in detail

    assert client.post(f"/vendeur/commandes/{so.pk}/accepter/").status_code == 302
    so.refresh_from_db()
    assert so.status == SellerOrderStatus.ACCEPTED

    missing = client.post(f"/vendeur/commandes/{so.pk}/expedier/", {"carrier": "Colissimo"})
    assert missing.status_code == 400
    assert missing.context["ship_form"].errors["tracking_number"]
    so.refresh_from_db()
    assert so.status == SellerOrderStatus.ACCEPTED

    shipped = client.post(
        f"/vendeur/commandes/{so.pk}/expedier/",
        {"carrier": "Colissimo", "tracking_number": "6A12345678901"},
    )
    assert shipped.status_code == 302
    so.refresh_from_db()
    assert (so.status, so.carrier, so.tracking_number) == ("shipped", "Colissimo", "6A12345678901")
    # a shipped order cannot be cancelled any more: the service says why, nothing changes
    late = client.post(f"/vendeur/commandes/{so.pk}/annuler/", {"reason": "Trop tard"})
    assert late.status_code == 400 and "Passage impossible" in late.content.decode()
    so.refresh_from_db()
    assert so.status == "shipped"


def test_cancel_needs_a_reason_and_refunds(world, as_user):
    client = as_user(world.users.owner_a)
    so = world.order_a
    no_reason = client.post(f"/vendeur/commandes/{so.pk}/annuler/", {"reason": ""})
    assert no_reason.status_code == 400
    so.refresh_from_db()
    assert so.status == "paid"
    ok = client.post(f"/vendeur/commandes/{so.pk}/annuler/", {"reason": "Article abîmé"})
    assert ok.status_code == 302
    so.refresh_from_db()
    assert so.status == "cancelled"
    so.order.refresh_from_db()
    assert so.order.refunded_total == so.order.total
    assert so.events.filter(to_status="cancelled", note="Article abîmé").exists()


def test_money_page_shows_the_ledger_balance_and_statements(world, as_user):
    # The world's paid order (20 € incl. VAT) was captured today through the payment services,
    # which posted seller A's share net of the commission.
    this_month = timezone.localdate().strftime("%Y-%m")
    response = as_user(world.users.owner_a).get("/vendeur/argent/")
    assert response.status_code == 200
    assert response.context["money"].balance == Decimal("17.00")
    assert [(s.key, s.credit) for s in response.context["statements"]] == [
        (this_month, Decimal("17.00"))
    ]
    assert response.context["money"].in_progress == world.order_a.total
    statement = as_user(world.users.owner_a).get(f"/vendeur/argent/releves/{this_month}/")
    assert statement.context["total_credit"] == Decimal("17.00")
    assert len(statement.context["lines"]) == 1
    # seller B sees only its own order (15 € → 12.75 € net), never A's
    other = as_user(world.users.owner_b).get("/vendeur/argent/")
    assert other.context["money"].balance == Decimal("12.75")
    b_lines = (
        as_user(world.users.owner_b).get(f"/vendeur/argent/releves/{this_month}/").context["lines"]
    )
    assert len(b_lines) == 1 and world.order_a.order.number not in str(b_lines[0].__dict__)


def test_bad_statement_month_is_404(world, as_user):
    assert as_user(world.users.owner_a).get("/vendeur/argent/releves/2026-13/").status_code == 404


def test_order_pages_do_not_query_per_order(world, as_user, django_assert_max_num_queries):
    from galerie.portal.tests.conftest import _paid_order
    from galerie.testing.factories import make_offer, make_product

    for n in range(8):
        offer = make_offer(make_product(f"Single {n}"), seller=world.seller_a, stock=3)
        _paid_order(world.storefront, offer, f"extra-{n}")
    client = as_user(world.users.owner_a)
    with django_assert_max_num_queries(13):  # + cache version, legal pages (cold)
        response = client.get("/vendeur/commandes/")
    assert len(response.context["page"].object_list) == 9
    with django_assert_max_num_queries(13):  # + the shared global cache version
        assert client.get(f"/vendeur/commandes/{world.order_a.pk}/").status_code == 200
