"""Each back-office role reaches what its work needs, and nothing else (through the admin)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from galerie.core.roles import ROLES, roles_sync

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles():
    # Groups come from `migrate`; a transactional test's flush earlier in the run removes them.
    roles_sync()


PAGES = {
    "catalogue": "/admin/catalog/product/",
    "categories": "/admin/catalog/category/",
    "sellers": "/admin/sellers/seller/",
    "orders": "/admin/orders/order/",
    "journal": "/admin/ledger/journalentry/",
    "commissions": "/admin/sellers/commissionrule/",
    "users": "/admin/auth/user/",
    "groups": "/admin/auth/group/",
    "payouts": "/admin/payouts/payout/",
    "pilotage": "/admin/pilotage/",
}

# role → pages it may open; every other page of PAGES must answer 403.
EXPECTED = {
    "Gestion du catalogue": {"catalogue", "categories", "sellers"},
    "Gestion des vendeurs": {"catalogue", "sellers", "commissions"},
    "Service client": {"catalogue", "sellers", "orders", "users"},
    "Finance": {"sellers", "orders", "journal", "commissions", "payouts", "pilotage"},
}


def _staff(client, group_name=None):
    user = get_user_model().objects.create_user(
        f"staff-{group_name or 'none'}", password="pw-123456789", is_staff=True
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    client.force_login(user)
    return user


def test_migrate_creates_every_role(django_db_blocker):
    from django.core.management import call_command

    Group.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_sees_only_its_pages(client, role):
    _staff(client, role)
    for name, url in PAGES.items():
        status = client.get(url, HTTP_HOST="localhost").status_code
        assert status == (200 if name in EXPECTED[role] else 403), (role, name, status)


def test_staff_without_a_role_sees_nothing(client):
    _staff(client)
    for url in PAGES.values():
        assert client.get(url, HTTP_HOST="localhost").status_code == 403


def test_catalogue_managers_cannot_delete_products_nor_change_sellers(client):
    user = _staff(client, "Gestion du catalogue")
    assert user.has_perm("catalog.change_product")
    assert not user.has_perm("catalog.delete_product")
    assert not user.has_perm("sellers.change_seller")
    assert not user.has_perm("ledger.view_journalentry")


def test_sync_restores_a_role_edited_by_hand():
    finance = Group.objects.get(name="Finance")
    expected = set(finance.permissions.values_list("pk", flat=True))
    finance.permissions.clear()
    roles_sync()
    assert set(finance.permissions.values_list("pk", flat=True)) == expected


def test_every_granted_permission_exists():
    """A misspelt action or custom codename in ROLES would grant nothing, silently."""
    from galerie.core.roles import _permissions_for

    for role, grants in ROLES.items():
        for label, actions in grants.items():
            assert _permissions_for({label: actions}).count() == len(actions), (role, label)


@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        ("Service client", {"orders.cancel", "orders.refund"}, {"payments.confirm_transfer"}),
        ("Finance", {"payments.confirm_transfer"}, {"orders.cancel", "orders.refund"}),
        ("Gestion des vendeurs", {"sellers.verify"}, {"orders.refund"}),
        ("Gestion du catalogue", set(), {"sellers.verify", "imports.delete_importjob"}),
    ],
)
def test_custom_rights_go_to_the_roles_that_need_them(client, role, granted, refused):
    user = _staff(client, role)
    assert all(user.has_perm(p) for p in granted)
    assert not any(user.has_perm(p) for p in refused)
