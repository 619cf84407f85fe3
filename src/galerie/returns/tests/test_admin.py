"""The back office's returns list: Service client opens it, and the « remboursement » filter
shows the withdrawals whose refund falls due within 3 days or is overdue."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from galerie.core import clock
from galerie.core.roles import roles_sync
from galerie.returns.services import return_withdrawal_request
from galerie.testing.factories import make_delivered_order, make_offer, make_product

pytestmark = pytest.mark.django_db


def withdrawal(title, *, asked_days_ago):
    now = clock.now()
    order = make_delivered_order(
        [(make_offer(make_product(title)), 1)],
        delivered_at=now - dt.timedelta(days=asked_days_ago + 1),
    )
    return return_withdrawal_request(
        order=order,
        line_id=order.lines.get().pk,
        quantity=1,
        now=now - dt.timedelta(days=asked_days_ago),
    )


def test_customer_service_filters_the_refunds_falling_due():
    roles_sync()
    user = get_user_model().objects.create_user("agent", is_staff=True)
    user.groups.add(Group.objects.get(name="Service client"))
    client = Client()
    client.force_login(user)
    withdrawal("Fraîchement demandé", asked_days_ago=1)
    withdrawal("Bientôt dû", asked_days_ago=12)
    withdrawal("En retard", asked_days_ago=16)

    soon = client.get("/admin/returns/returnrequest/?remboursement=bientot").content.decode()
    late = client.get("/admin/returns/returnrequest/?remboursement=retard").content.decode()

    assert "Bientôt dû" in soon and "En retard" in soon and "Fraîchement" not in soon
    assert "En retard" in late and "Bientôt dû" not in late
