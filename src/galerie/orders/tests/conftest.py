import pytest

from galerie.testing.factories import make_book_type, make_offer, make_product, make_storefront

ADDRESS = {
    "name": "Camille Martin",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country": "FR",
}


@pytest.fixture
def storefront():
    return make_storefront("culture")


@pytest.fixture
def address():
    return dict(ADDRESS)


@pytest.fixture
def place(storefront, address):
    """Place an order with sensible defaults; keyword arguments override them."""
    from galerie.orders.services import order_place

    counter = iter(range(1, 10_000))

    def _place(lines, **kw):
        kw.setdefault("storefront", storefront)
        kw.setdefault("email", "client@example.fr")
        kw.setdefault("delivery_choices", {})
        kw.setdefault("shipping_address", address)
        kw.setdefault("billing_address", address)
        kw.setdefault("idempotency_key", f"key-{next(counter)}")
        return order_place(lines=lines, **kw)

    return _place


@pytest.fixture
def book_offer():
    def _make(price="19.00", publisher_price="20.00", **kw):
        book = make_product(product_type=make_book_type(), publisher_price=publisher_price)
        return make_offer(book, price=price, **kw)

    return _make
