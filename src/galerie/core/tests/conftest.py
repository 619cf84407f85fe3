"""The order fixtures, for the role matrix's actions on orders and payments."""

from galerie.orders.tests.conftest import address, place, storefront  # noqa: F401
