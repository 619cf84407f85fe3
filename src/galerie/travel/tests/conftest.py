import datetime as dt

import pytest

from galerie.core import clock
from galerie.orders.tests.conftest import address, place, storefront  # noqa: F401
from galerie.testing.factories import make_seller, make_trip


@pytest.fixture
def operator(db):
    return make_seller("Galerie", is_operator=True, slug="galerie-operateur")


@pytest.fixture
def trip(operator):
    """A departure in 60 days sold by the operator: 1 000 € adult, 600 € child, costs 700/400,
    a single-room option at 250 € per booking."""
    return make_trip(seller=operator)


def travellers(adults=2, children=0, *, on=None):
    """Travellers whose birth dates make `adults` adults and `children` children on `on`."""
    on = on or clock.localdate()
    people = [
        {
            "kind": "adult",
            "first_name": f"Adulte{i}",
            "last_name": "Martin",
            "birth_date": dt.date(on.year - 40, 1, 15).isoformat(),
        }
        for i in range(adults)
    ]
    people += [
        {
            "kind": "child",
            "first_name": f"Enfant{i}",
            "last_name": "Martin",
            "birth_date": dt.date(on.year - 6, 1, 15).isoformat(),
        }
        for i in range(children)
    ]
    return people
