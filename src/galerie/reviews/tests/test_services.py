"""Reviews from verified purchases only, once per product; moderation publishes or rejects."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from galerie.orders.models import SellerOrderStatus
from galerie.reviews.models import Review, ReviewStatus
from galerie.reviews.selectors import REVIEWABLE_STATUSES, product_review_summary
from galerie.reviews.services import (
    ReviewAlreadyWritten,
    ReviewError,
    ReviewNotVerified,
    ReviewPurchaseNotFound,
    review_publish,
    review_reject,
    review_submit,
)

pytestmark = pytest.mark.django_db

TEXT = {"title": "Un classique", "body": "Une lecture forte, bien imprimée."}


def submit(shop, customer, product=None, **kw):
    return review_submit(customer=customer, product=product or shop.germinal,
                         **{"rating": 4, **TEXT, **kw})  # fmt: skip


def test_a_shipped_purchase_lets_its_buyer_review_once_pending_moderation(shop):
    line = shop.buy(shop.marie)

    review = submit(shop, shop.marie)

    assert review.status == ReviewStatus.PENDING and review.order_line == line
    assert review.author_name == "Marie C."
    paid_at = type(line.order).objects.get(pk=line.order_id).paid_at
    assert review.purchased_on == timezone.localdate(paid_at)
    assert product_review_summary(shop.germinal.pk).count == 0  # not shown before moderation


def test_shipped_and_delivered_count_as_verified_purchases_paid_alone_does_not(shop):
    assert set(REVIEWABLE_STATUSES) == {SellerOrderStatus.SHIPPED, SellerOrderStatus.DELIVERED}
    shop.buy(shop.paul, status="paid")
    with pytest.raises(ReviewNotVerified):
        submit(shop, shop.paul)
    shop.buy(shop.marie, status="delivered")
    assert submit(shop, shop.marie).pk
    assert Review.objects.count() == 1


def test_a_customer_who_bought_nothing_or_another_product_cannot_review(shop):
    shop.buy(shop.paul, what=shop.nana_offer)

    with pytest.raises(ReviewNotVerified) as error:
        submit(shop, shop.paul)

    assert error.value.status == 403 and error.value.code == "review_not_verified_buyer"
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_product_is_refused(shop):
    shop.buy(shop.marie)
    submit(shop, shop.marie)

    with pytest.raises(ReviewAlreadyWritten) as error:
        submit(shop, shop.marie, rating=1)

    assert error.value.status == 409
    assert list(Review.objects.values_list("rating", flat=True)) == [4]


def test_the_database_holds_once_per_product_too(shop):
    shop.buy(shop.marie)
    review = submit(shop, shop.marie)
    review.pk = None
    with pytest.raises(IntegrityError):
        review.save()


def test_an_order_line_of_another_customer_or_product_is_not_found(shop):
    pauls = shop.buy(shop.paul)
    marie_nana = shop.buy(shop.marie, what=shop.nana_offer)
    shop.buy(shop.marie)

    for line in (pauls, marie_nana):
        with pytest.raises(ReviewPurchaseNotFound) as error:
            submit(shop, shop.marie, order_line_id=line.pk)
        assert error.value.status == 404
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("rating", {"rating": 0}),
        ("rating", {"rating": 6}),
        ("rating", {"rating": "cinq"}),
        ("title", {"title": "   "}),
        ("title", {"title": "t" * 121}),
        ("body", {"body": "court"}),
        ("body", {"body": "b" * 2001}),
    ],
)
def test_out_of_bounds_input_is_refused_with_its_field(shop, field, values):
    shop.buy(shop.marie)

    with pytest.raises(ReviewError) as error:
        submit(shop, shop.marie, **values)

    assert error.value.field == field and error.value.status == 400
    assert not Review.objects.exists()


def test_control_characters_are_dropped_from_the_text(shop):
    shop.buy(shop.marie)
    review = submit(shop, shop.marie, title="Bien\x00", body="Très bien\x00 imprimé.")
    assert review.title == "Bien" and review.body == "Très bien imprimé."


def test_publishing_shows_the_review_with_count_and_average_in_one_query(
    shop, django_assert_num_queries
):
    shop.buy(shop.marie)
    shop.buy(shop.paul)
    first = review_publish(review=submit(shop, shop.marie, rating=5))
    review_publish(review=submit(shop, shop.paul, rating=2))

    with django_assert_num_queries(1):
        summary = product_review_summary(shop.germinal.pk, limit=1)

    assert summary.count == 2 and str(summary.average) == "3.5"
    assert len(summary.reviews) == 1 and summary.reviews[0].author_name == "Paul L."
    assert first.published_at is not None


def test_rejecting_needs_a_reason_and_emails_it_to_the_author(
    shop, django_capture_on_commit_callbacks
):
    shop.buy(shop.marie)
    review = submit(shop, shop.marie)
    with pytest.raises(ReviewError):
        review_reject(review=review, reason="  ")
    assert Review.objects.get().status == ReviewStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        review_reject(review=review, reason="Données personnelles")

    rejected = Review.objects.get()
    assert rejected.status == ReviewStatus.REJECTED and rejected.published_at is None
    assert [m.to for m in mail.outbox] == [["marie@example.fr"]]
    assert "Données personnelles" in mail.outbox[0].body
    assert product_review_summary(shop.germinal.pk).count == 0


def test_a_published_review_taken_down_leaves_the_summary(shop):
    shop.buy(shop.marie)
    review = review_publish(review=submit(shop, shop.marie))
    review_reject(review=review, reason="Hors sujet")
    assert product_review_summary(shop.germinal.pk).count == 0
    with pytest.raises(ReviewError):
        review_reject(review=review, reason="Encore")


def test_a_refunded_line_does_not_count(shop):
    line = shop.buy(shop.marie)
    type(line).objects.filter(pk=line.pk).update(refunded_quantity=1)
    with pytest.raises(ReviewNotVerified):
        submit(shop, shop.marie)


def test_purchase_date_is_the_payment_date(shop):
    line = shop.buy(shop.marie)
    paid = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    type(line.order).objects.filter(pk=line.order_id).update(paid_at=paid)
    assert submit(shop, shop.marie).purchased_on == dt.date(2026, 3, 1)
