"""Every row lock of the cart domain."""

from galerie.cart.models import Cart


def cart_lock(*, cart_id: int) -> Cart:
    """Lock one cart row: serialises concurrent changes of the same cart (double clicks)."""
    return Cart.objects.select_for_update().get(pk=cart_id)
