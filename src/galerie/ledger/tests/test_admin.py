"""The ledger's back office: lists and detail pages readable, nothing addable, changeable or
deletable."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from galerie.ledger.models import Account, JournalEntry
from galerie.ledger.services import SaleSplit, ledger_post_capture


@pytest.fixture
def entry(seller_a, storefront, books):
    return ledger_post_capture(
        date=datetime.date(2026, 3, 14),
        storefront_id=storefront.pk,
        order_ref="C-77",
        splits=[SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=Decimal("30.00"),
                          commission=Decimal("3.75"), commission_vat=Decimal("0.75"))],
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["journalentry", "journalline", "account", "journal", "ledgertotal"]
)
def test_changelists_render(admin_client, entry, model):
    response = admin_client.get(reverse(f"admin:ledger_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_journal_is_searchable_and_filterable(admin_client, entry):
    url = reverse("admin:ledger_journalentry_changelist")
    found = admin_client.get(url, {"q": "C-77"})
    assert "VE000001" in found.content.decode()
    assert "VE000001" not in admin_client.get(url, {"q": "C-99"}).content.decode()
    by_month = admin_client.get(url, {"date__year": 2026, "date__month": 3})
    assert "VE000001" in by_month.content.decode()


@pytest.mark.django_db
def test_entry_detail_is_read_only(admin_client, entry):
    detail = admin_client.get(reverse("admin:ledger_journalentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert "25,50" in detail.content.decode() or "25.50" in detail.content.decode()

    assert admin_client.get(reverse("admin:ledger_journalentry_add")).status_code == 403
    delete_url = reverse("admin:ledger_journalentry_delete", args=[entry.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:ledger_journalentry_change", args=[entry.pk])
    admin_client.post(change_url, {"label": "Changé"})
    assert JournalEntry.objects.get(pk=entry.pk).label == "Encaissement commande C-77"


@pytest.mark.django_db
def test_accounts_show_balances(admin_client, entry, seller_a):
    page = admin_client.get(reverse("admin:ledger_account_changelist"), {"q": "Alpha"})
    html = page.content.decode()
    assert Account.objects.get(seller=seller_a).code in html
    assert "25,50" in html
