from galerie.orders.tests.conftest import address, book_offer, place, storefront  # noqa: F401
