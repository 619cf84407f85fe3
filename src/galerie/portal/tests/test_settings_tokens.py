"""Delivery methods (owner only), API tokens (shown once, stored hashed) and the seller switcher."""

import hashlib

import pytest
from django.test import Client

from galerie.portal.access import SESSION_KEY
from galerie.portal.models import SellerApiToken
from galerie.pricing.models import DeliveryMethod
from galerie.sellers.models import SellerMember, SellerRole

pytestmark = pytest.mark.django_db

METHOD = {
    "name": "Colissimo",
    "kind": "flat",
    "fee": "4.90",
    "fee_per_kg": "0",
    "delivery_days_min": "2",
    "delivery_days_max": "4",
    "position": "0",
    "is_active": "on",
}


def test_delivery_method_crud(world, as_user):
    client = as_user(world.users.owner_a)
    assert client.post("/vendeur/livraison/nouveau/", METHOD).status_code == 302
    method = DeliveryMethod.objects.get(seller=world.seller_a)
    assert (method.name, str(method.fee)) == ("Colissimo", "4.90")

    bad = client.post(
        f"/vendeur/livraison/{method.pk}/",
        {**METHOD, "delivery_days_min": "5", "delivery_days_max": "3"},
    )
    assert "supérieur ou égal" in " ".join(bad.context["form"].errors["delivery_days_max"])
    free = client.post(f"/vendeur/livraison/{method.pk}/", {**METHOD, "kind": "free_above"})
    assert free.context["form"].errors["free_above"]
    method.refresh_from_db()
    assert (method.delivery_days_max, method.kind) == (4, "flat")

    client.post(f"/vendeur/livraison/{method.pk}/", {**METHOD, "fee": "5.50"})
    method.refresh_from_db()
    assert str(method.fee) == "5.50"
    assert client.post(f"/vendeur/livraison/{method.pk}/supprimer/").status_code == 302
    assert not DeliveryMethod.objects.filter(pk=method.pk).exists()


def test_token_is_shown_once_and_stored_hashed(world, as_user):
    client = as_user(world.users.staff_a)
    response = client.post("/vendeur/jetons/", {"name": "Mon ERP"})
    secret = response.context["issued"].secret
    assert secret.startswith("gal_") and secret in response.content.decode()
    token = SellerApiToken.objects.get()
    assert (token.user, token.seller, token.name) == (
        world.users.staff_a,
        world.seller_a,
        "Mon ERP",
    )
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/vendeur/jetons/").content.decode()
    assert client.post(f"/vendeur/jetons/{token.pk}/revoquer/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_owner_sees_and_revokes_staff_tokens_staff_only_their_own(world, as_user):
    as_user(world.users.staff_a).post("/vendeur/jetons/", {"name": "staff"})
    as_user(world.users.owner_a).post("/vendeur/jetons/", {"name": "owner"})
    staff_view = as_user(world.users.staff_a).get("/vendeur/jetons/").context["tokens"]
    assert [t.name for t in staff_view] == ["staff"]
    owner_view = as_user(world.users.owner_a).get("/vendeur/jetons/").context["tokens"]
    assert sorted(t.name for t in owner_view) == ["owner", "staff"]
    assert not as_user(world.users.owner_b).get("/vendeur/jetons/").context["tokens"]


def test_switcher_changes_seller_and_ignores_a_tampered_session(world, as_user):
    user = world.users.owner_a
    SellerMember.objects.create(seller=world.seller_b, user=user, role=SellerRole.STAFF)
    client = as_user(user)
    first = client.get("/vendeur/commandes/").context["page"]
    # sellers are ordered by name: "Bouquins B" comes first
    assert [so.pk for so in first] == [world.order_b.pk]
    client.post("/vendeur/compte-actif/", {"seller": world.seller_a.pk})
    assert [so.pk for so in client.get("/vendeur/commandes/").context["page"]] == [world.order_a.pk]
    # membership removed: the session's seller id is no longer honoured
    SellerMember.objects.filter(seller=world.seller_a, user=user).delete()
    page = client.get("/vendeur/commandes/").context["page"]
    assert [so.pk for so in page] == [world.order_b.pk]
    assert client.session[SESSION_KEY] == world.seller_b.pk
    assert client.get(f"/vendeur/commandes/{world.order_a.pk}/").status_code == 404


def test_session_planted_with_a_foreign_seller_id_is_ignored(world, as_user):
    client = as_user(world.users.owner_b)
    session = client.session
    session[SESSION_KEY] = world.seller_a.pk
    session.save()
    page = client.get("/vendeur/commandes/").context["page"]
    assert [so.pk for so in page] == [world.order_b.pk]


def test_operator_revokes_a_token_from_the_admin(world, as_user):
    from galerie.portal.auth import api_token_create

    member = SellerMember.objects.get(user=world.users.owner_a)
    token = api_token_create(member=member, name="ERP").token
    admin_user = world.users.operator
    admin_user.is_superuser = True
    admin_user.save()
    client = Client()  # the back office answers on the mall's host, not the storefront's
    client.force_login(admin_user)
    assert client.get("/admin/portal/sellerapitoken/").status_code == 200
    response = client.post(
        "/admin/portal/sellerapitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_unpaid_seller_orders_are_not_the_sellers_business_yet(world, as_user):
    from galerie.orders.services import order_place
    from galerie.portal.tests.conftest import ADDRESS

    order = order_place(
        storefront=world.storefront,
        email="c@example.fr",
        lines=[(world.offer_a.pk, 1)],
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key="unpaid",
    )
    pending = order.seller_orders.get()
    client = as_user(world.users.owner_a)
    assert client.get(f"/vendeur/commandes/{pending.pk}/").status_code == 404
    assert pending.pk not in [so.pk for so in client.get("/vendeur/commandes/").context["page"]]
