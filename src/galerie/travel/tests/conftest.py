from galerie.orders.tests.conftest import address, storefront  # noqa: F401
