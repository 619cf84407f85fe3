import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galerie.inventory.errors import InventoryError, OutOfStock
from galerie.inventory.models import StockMovement
from galerie.inventory.services import stock_adjust, stock_release, stock_reserve, stock_ship
from galerie.sellers.models import Offer
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db


def _stock(offer):
    return Offer.objects.get(pk=offer.pk).stock


def test_reserve_is_all_or_nothing():
    a, b = make_offer(stock=5), make_offer(stock=1)
    with pytest.raises(OutOfStock) as err:
        stock_reserve(items=[(a.pk, 2), (b.pk, 2)], reference="o1")
    assert err.value.code == "out_of_stock" and err.value.available == 1
    assert (_stock(a), _stock(b)) == (5, 1)
    assert not StockMovement.objects.exists()


def test_reserve_and_release_write_movements_and_refresh_summary():
    offer = make_offer(stock=1)
    stock_reserve(items=[(offer.pk, 1)], reference="o1")
    offer.product.refresh_from_db()
    assert _stock(offer) == 0 and offer.product.in_stock is False
    stock_release(items=[(offer.pk, 1)], reference="o1", reason="Paiement refusé")
    offer.product.refresh_from_db()
    assert offer.product.in_stock is True
    moves = list(StockMovement.objects.order_by("pk").values_list("kind", "delta", "stock_after"))
    assert moves == [("reserve", -1, 0), ("release", 1, 1)]


def test_adjust_needs_a_reason_and_never_goes_negative():
    offer = make_offer(stock=2)
    with pytest.raises(InventoryError):
        stock_adjust(offer=offer, delta=-1, reason=" ")
    with pytest.raises(OutOfStock):
        stock_adjust(offer=offer, delta=-3, reason="casse")
    assert _stock(offer) == 2
    stock_adjust(offer=offer, delta=-2, reason="casse")
    assert _stock(offer) == 0
    assert StockMovement.objects.get().reason == "casse"


def test_bad_quantities_are_refused():
    offer = make_offer(stock=2)
    for qty in (0, -1):
        with pytest.raises(InventoryError):
            stock_reserve(items=[(offer.pk, qty)], reference="x")
    assert _stock(offer) == 2


def test_database_refuses_negative_stock_even_without_services():
    offer = make_offer(stock=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(stock=-1)


operations = st.lists(
    st.tuples(st.sampled_from(["reserve", "release", "ship", "cancel"]), st.integers(1, 4)),
    max_size=25,
)


@given(initial=st.integers(0, 6), ops=operations)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_stock_never_negative_under_any_sequence(initial, ops):
    """Reservations are only released or shipped once; stock stays ≥ 0 and is fully explained."""
    with transaction.atomic():
        offer = make_offer(stock=initial)
        reservations: list[int] = []  # outstanding reserved quantities
        shipped = 0
        for op, qty in ops:
            if op == "reserve":
                try:
                    stock_reserve(items=[(offer.pk, qty)], reference="r")
                    reservations.append(qty)
                except OutOfStock:
                    pass
            elif reservations:
                held = reservations.pop(0)
                if op == "ship":
                    stock_ship(items=[(offer.pk, held)], reference="r")
                    shipped += held
                else:
                    kind = "cancel" if op == "cancel" else "release"
                    stock_release(items=[(offer.pk, held)], reference="r", reason=op, kind=kind)
            current = _stock(offer)
            assert current >= 0
            assert current == initial - sum(reservations) - shipped
        moves = StockMovement.objects.filter(offer=offer)
        assert initial + sum(m.delta for m in moves) == _stock(offer)
        transaction.set_rollback(True)
