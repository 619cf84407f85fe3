import pytest

from galerie.cart.services import cart_add, cart_create
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db


def test_customer_service_sees_carts_and_addresses(admin_client):
    category = make_category()
    cart = cart_create(storefront=make_storefront(categories=[category]))
    cart_add(cart=cart, offer_id=make_offer(make_product("Germinal", category=category)).pk)

    assert admin_client.get("/admin/cart/cart/").status_code == 200
    detail = admin_client.get(f"/admin/cart/cart/{cart.pk}/change/")
    assert detail.status_code == 200 and "Germinal" in detail.content.decode()
    assert admin_client.get("/admin/accounts/address/").status_code == 200
