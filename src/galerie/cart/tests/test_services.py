"""Cart rules: only purchasable offers of the storefront, never more than the stock."""

import pytest

from galerie.cart.errors import (
    CartLineNotFound,
    InvalidQuantity,
    NotEnoughStock,
    OfferNotPurchasable,
)
from galerie.cart.models import Cart, CartLine
from galerie.cart.services import (
    cart_add,
    cart_clear,
    cart_create,
    cart_merge_on_login,
    cart_remove,
    cart_update,
)
from galerie.sellers.models import SellerStatus
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    category = make_category("Livres")
    storefront = make_storefront("culture", categories=[category])
    return storefront, category


def test_add_offer_keeps_price_at_add(shop):
    storefront, category = shop
    offer = make_offer(make_product(category=category), price="12.50", stock=3)
    cart = cart_create(storefront=storefront)

    line = cart_add(cart=cart, offer_id=offer.pk, quantity=2)

    assert (line.quantity, str(line.unit_price_at_add)) == (2, "12.50")


def test_adding_same_offer_twice_adds_up_on_one_line(shop):
    storefront, category = shop
    offer = make_offer(make_product(category=category), stock=5)
    cart = cart_create(storefront=storefront)
    cart_add(cart=cart, offer_id=offer.pk, quantity=2)
    cart_add(cart=cart, offer_id=offer.pk, quantity=3)
    assert list(cart.lines.values_list("quantity", flat=True)) == [5]


def test_more_than_stock_is_refused_and_nothing_changes(shop):
    storefront, category = shop
    offer = make_offer(make_product("Le Rouge et le Noir", category=category), stock=2)
    cart = cart_create(storefront=storefront)
    cart_add(cart=cart, offer_id=offer.pk, quantity=1)

    with pytest.raises(NotEnoughStock) as error:
        cart_add(cart=cart, offer_id=offer.pk, quantity=2)

    assert "il ne reste que 2 exemplaires de « Le Rouge et le Noir »." in error.value.message
    assert "déjà 1" in error.value.message
    assert list(cart.lines.values_list("quantity", flat=True)) == [1]


def test_update_above_stock_refused(shop):
    storefront, category = shop
    offer = make_offer(make_product(category=category), stock=2)
    cart = cart_create(storefront=storefront)
    line = cart_add(cart=cart, offer_id=offer.pk, quantity=1)
    with pytest.raises(NotEnoughStock):
        cart_update(cart=cart, line_id=line.pk, quantity=3)
    line.refresh_from_db()
    assert line.quantity == 1


@pytest.mark.parametrize("quantity", [0, -1, 100, "2", 1.5, True])
def test_bad_quantities_refused(shop, quantity):
    storefront, category = shop
    offer = make_offer(make_product(category=category), stock=500)
    cart = cart_create(storefront=storefront)
    with pytest.raises(InvalidQuantity):
        cart_add(cart=cart, offer_id=offer.pk, quantity=quantity)
    assert not CartLine.objects.exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda c: make_offer(
            make_product(category=c), seller=make_seller(status=SellerStatus.APPLIED)
        ),
        lambda c: make_offer(
            make_product(category=c), seller=make_seller(status=SellerStatus.SUSPENDED)
        ),
        lambda c: make_offer(make_product(category=c), is_active=False),
        lambda c: make_offer(make_product(category=c), stock=0),
        lambda c: make_offer(make_product(category=make_category("Hors assortiment"))),
        lambda c: make_offer(make_product(category=c, is_active=False)),
    ],
    ids=["unverified", "suspended", "inactive", "sold-out", "outside-assortment", "product-off"],
)
def test_offer_not_purchasable_here_cannot_be_added(shop, make):
    storefront, category = shop
    offer = make(category)
    cart = cart_create(storefront=storefront)
    with pytest.raises(OfferNotPurchasable) as error:
        cart_add(cart=cart, offer_id=offer.pk, quantity=1)
    assert error.value.message == "Cette offre n'est pas disponible sur cette boutique."
    assert not CartLine.objects.exists()


def test_subcategory_offer_is_in_assortment(shop):
    storefront, category = shop
    child = make_category("Romans", parent=category)
    offer = make_offer(make_product(category=child))
    cart = cart_create(storefront=storefront)
    assert cart_add(cart=cart, offer_id=offer.pk, quantity=1).offer_id == offer.pk


def test_unknown_offer_id_refused(shop):
    storefront, _category = shop
    cart = cart_create(storefront=storefront)
    with pytest.raises(OfferNotPurchasable):
        cart_add(cart=cart, offer_id=999999, quantity=1)


def test_foreign_line_cannot_be_touched(shop):
    storefront, category = shop
    offer = make_offer(make_product(category=category))
    mine, theirs = cart_create(storefront=storefront), cart_create(storefront=storefront)
    their_line = cart_add(cart=theirs, offer_id=offer.pk, quantity=1)
    with pytest.raises(CartLineNotFound):
        cart_update(cart=mine, line_id=their_line.pk, quantity=2)
    with pytest.raises(CartLineNotFound):
        cart_remove(cart=mine, line_id=their_line.pk)
    their_line.refresh_from_db()
    assert their_line.quantity == 1


def test_update_to_zero_removes_and_lowering_works_even_if_offer_gone(shop):
    storefront, category = shop
    offer = make_offer(make_product(category=category), stock=5)
    cart = cart_create(storefront=storefront)
    line = cart_add(cart=cart, offer_id=offer.pk, quantity=3)
    offer.is_active = False
    offer.save()
    assert cart_update(cart=cart, line_id=line.pk, quantity=1).quantity == 1
    assert cart_update(cart=cart, line_id=line.pk, quantity=0) is None
    assert not cart.lines.exists()


def test_remove_and_clear(shop):
    storefront, category = shop
    a = make_offer(make_product(category=category))
    b = make_offer(make_product(category=category))
    cart = cart_create(storefront=storefront)
    line = cart_add(cart=cart, offer_id=a.pk, quantity=1)
    cart_add(cart=cart, offer_id=b.pk, quantity=1)
    cart_remove(cart=cart, line_id=line.pk)
    assert list(cart.lines.values_list("offer_id", flat=True)) == [b.pk]
    cart_clear(cart=cart)
    assert not cart.lines.exists()


def test_merge_on_login_adds_up_caps_at_stock_and_adopts_other_storefronts(shop, django_user_model):
    storefront, category = shop
    other_category = make_category("Musique")
    other_shop = make_storefront("musique", categories=[other_category])
    user = django_user_model.objects.create_user("a@example.fr", "a@example.fr", "x")
    a = make_offer(make_product("A", category=category), stock=3)
    b = make_offer(make_product("B", category=category), stock=3)
    mine = cart_create(storefront=storefront, user=user)
    cart_add(cart=mine, offer_id=a.pk, quantity=2)
    guest = cart_create(storefront=storefront)
    cart_add(cart=guest, offer_id=a.pk, quantity=2)
    cart_add(cart=guest, offer_id=b.pk, quantity=1)
    guest_other = cart_create(storefront=other_shop)
    c = make_offer(make_product("C", category=other_category))
    cart_add(cart=guest_other, offer_id=c.pk, quantity=1)

    notices = cart_merge_on_login(user=user, guest_tokens=[guest.token, guest_other.token])

    assert dict(mine.lines.values_list("offer_id", "quantity")) == {a.pk: 3, b.pk: 1}
    assert notices == ["Quantité de « A » ramenée à 3 (stock disponible)."]
    assert not Cart.objects.filter(pk=guest.pk).exists()
    guest_other.refresh_from_db()
    assert guest_other.user == user


def test_merge_ignores_other_users_carts(shop, django_user_model):
    storefront, category = shop
    thief = django_user_model.objects.create_user("t@example.fr", "t@example.fr", "x")
    victim = django_user_model.objects.create_user("v@example.fr", "v@example.fr", "x")
    victim_cart = cart_create(storefront=storefront, user=victim)
    cart_add(cart=victim_cart, offer_id=make_offer(make_product(category=category)).pk, quantity=1)
    cart_merge_on_login(user=thief, guest_tokens=[victim_cart.token])
    victim_cart.refresh_from_db()
    assert victim_cart.user == victim and victim_cart.lines.count() == 1
