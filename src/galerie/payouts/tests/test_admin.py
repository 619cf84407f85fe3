"""Finance in the back office: run payouts, download the SEPA file and the statements."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from galerie.payouts.models import Payout, PayoutRun


@pytest.fixture
def delivered_a(mall, place, pay, deliver):
    order = place([(mall["offer_a"].pk, 1)])
    pay(order)
    return deliver(order.seller_orders.get(), days_ago=20)


@pytest.fixture
def finance(db):
    user = get_user_model().objects.create_superuser("finance", "f@example.fr", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_finance_runs_payouts_and_downloads_sepa_and_statements(finance, delivered_a, mall):
    url = reverse("admin:payouts_payoutrun_run")
    assert finance.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    response = finance.post(url, {"as_of": today, "holdback_percent": "0"})
    run = PayoutRun.objects.get()
    assert response.status_code == 302 and str(run.pk) in response["Location"]
    payout = Payout.objects.get()
    assert payout.amount == Decimal("20.00") - Decimal("2.50") + delivered_a.delivery_fee
    # posting again for the same day pays nobody twice
    finance.post(url, {"as_of": today, "holdback_percent": "0"})
    assert Payout.objects.count() == 1

    listing = finance.get(reverse("admin:payouts_payoutrun_changelist"))
    assert listing.status_code == 200 and "pain.001" in listing.content.decode()
    assert finance.get(reverse("admin:payouts_payoutrun_change", args=[run.pk])).status_code == 200
    sepa = finance.get(reverse("admin:payouts_payoutrun_sepa", args=[run.pk]))
    assert sepa.status_code == 200 and mall["a"].iban.encode() in sepa.content
    csv = finance.get(reverse("admin:payouts_payout_statement", args=[payout.pk, "csv"]))
    assert csv.status_code == 200 and str(payout.amount) in csv.content.decode()
    pdf = finance.get(reverse("admin:payouts_payout_statement", args=[payout.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert finance.get(reverse("admin:payouts_payout_changelist")).status_code == 200


def test_bad_holdback_is_a_form_error_and_runs_nothing(finance, delivered_a):
    url = reverse("admin:payouts_payoutrun_run")
    response = finance.post(url, {"as_of": "2026-13-01", "holdback_percent": "150"})
    assert response.status_code == 200
    assert not PayoutRun.objects.exists()


def test_staff_without_payout_permission_cannot_run(delivered_a):
    user = get_user_model().objects.create_user("cs", "cs@example.fr", "pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_payoutrun"))
    client = Client()
    client.force_login(user)
    url = reverse("admin:payouts_payoutrun_run")
    assert client.post(url, {"as_of": "2026-01-01", "holdback_percent": "0"}).status_code == 403
    assert not PayoutRun.objects.exists()


def test_finance_role_runs_payouts_and_reads_statements(delivered_a):
    from django.contrib.auth.models import Group

    from galerie.core.roles import roles_sync

    roles_sync()
    user = get_user_model().objects.create_user("compta", "c@example.fr", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Finance"))
    client = Client()
    client.force_login(user)
    url = reverse("admin:payouts_payoutrun_run")
    response = client.post(
        url, {"as_of": timezone.localdate().isoformat(), "holdback_percent": "0"}
    )
    assert response.status_code == 302
    payout = Payout.objects.get()
    page = client.get(reverse("admin:payouts_payout_change", args=[payout.pk]))
    assert page.status_code == 200
    assert f"Commande {delivered_a.order.number}" in page.content.decode()
    csv = client.get(reverse("admin:payouts_payout_statement", args=[payout.pk, "csv"]))
    assert csv.status_code == 200
