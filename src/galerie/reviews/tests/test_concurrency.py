"""A review double-submitted at the same instant (two tabs, a retried request) is written once,
on PostgreSQL with real threads: the unique constraint decides, the loser gets a clear 409."""

import pytest

from galerie.reviews.models import Review
from galerie.reviews.services import ReviewAlreadyWritten, review_submit
from galerie.testing.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _tax_rates():
    from galerie.pricing.services import tax_rates_ensure

    tax_rates_ensure()


def test_a_double_submitted_review_is_written_once(shop):
    shop.buy(shop.marie)

    results = race(
        6,
        lambda i: review_submit(
            customer=shop.marie, product=shop.germinal, rating=1 + i % 5, title="Bien",
            body="Conforme à la description.",
        ),
    )  # fmt: skip

    written = [r for r in results if isinstance(r, Review)]
    refused = [r for r in results if isinstance(r, ReviewAlreadyWritten)]
    assert len(written) == 1 and len(refused) == 5, results
    assert Review.objects.count() == 1
