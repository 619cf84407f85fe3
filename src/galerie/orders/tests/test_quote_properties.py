"""Property tests over real baskets: totals are sums of lines, the book-shipping floor holds."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galerie.orders.selectors import order_quote
from galerie.pricing.models import DeliveryMethod
from galerie.testing.factories import (
    make_book_type,
    make_offer,
    make_product,
    make_product_type,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db

item = st.tuples(
    st.sampled_from(["standard", "intermediate", "reduced", "super_reduced", "book", "used_book"]),
    st.decimals(min_value=Decimal("0.50"), max_value=Decimal("80.00"), places=2),
    st.integers(1, 4),
    st.integers(0, 2),  # seller index
)
seller_setup = st.tuples(
    st.sampled_from(["none", "flat", "free_above", "pickup"]),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("9.99"), places=2),
)


@given(
    items=st.lists(item, min_size=1, max_size=7),
    sellers=st.lists(seller_setup, min_size=3, max_size=3),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_totals_are_sums_of_lines_and_book_floor_holds(items, sellers):
    with transaction.atomic():
        storefront = make_storefront()
        seller_rows = []
        for kind, fee in sellers:
            seller = make_seller()
            if kind != "none":
                DeliveryMethod.objects.create(
                    seller=seller, name=kind, kind=kind, fee=fee, free_above=Decimal("0")
                )
            seller_rows.append(seller)
        lines = []
        for kind, price, qty, seller_index in items:
            if kind in ("book", "used_book"):
                product = make_product(product_type=make_book_type(), publisher_price=price)
            else:
                product = make_product(product_type=make_product_type(f"t-{kind}", tax_class=kind))
            offer = make_offer(
                product,
                seller=seller_rows[seller_index],
                price=price,
                stock=10,
                condition="used" if kind == "used_book" else "new",
            )
            lines.append((offer.pk, qty))
        quote = order_quote(storefront=storefront, lines=lines)

        assert quote.can_order
        assert quote.total == quote.items_total + quote.delivery_total
        assert sum(r.ttc for r in quote.vat_breakdown) == quote.total
        assert sum(r.vat for r in quote.vat_breakdown) == quote.vat_total
        every_line = [ln.line_total for g in quote.groups for ln in g.lines]
        every_line += [part for g in quote.groups for _r, part, _v in g.delivery_vat]
        assert sum(every_line) == quote.total
        for group in quote.groups:
            assert group.total == group.subtotal + group.delivery_fee
            books = sum((ln.line_total for ln in group.lines if ln.is_new_book), Decimal("0"))
            for option in group.delivery_options:
                if option.kind == "pickup" or books == 0:
                    continue
                floor = Decimal("3.00") if books < Decimal("35") else Decimal("0.01")
                assert option.fee >= floor
        transaction.set_rollback(True)
