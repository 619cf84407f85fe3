import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from galerie.cart.models import Cart
from galerie.cart.services import cart_create
from galerie.testing.factories import make_storefront

pytestmark = pytest.mark.django_db


def test_purge_deletes_only_stale_guest_carts(django_user_model, capsys):
    storefront = make_storefront()
    user = django_user_model.objects.create_user("u@example.fr")
    old_guest, fresh_guest = cart_create(storefront=storefront), cart_create(storefront=storefront)
    old_customer = cart_create(storefront=storefront, user=user)
    long_ago = timezone.now() - dt.timedelta(days=31)
    Cart.objects.filter(pk__in=[old_guest.pk, old_customer.pk]).update(updated_at=long_ago)

    call_command("cart_purge")

    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh_guest.pk, old_customer.pk}
    assert "1 panier(s)" in capsys.readouterr().out


def test_purge_refuses_zero_days():
    with pytest.raises(CommandError, match="au moins un jour"):
        call_command("cart_purge", "--days", "0")
