"""Reads about reviews: who may review a product (a verified purchase), and what the product page
and the API show (published reviews, their count and average, in one query)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, QuerySet, Window

from galerie.orders.models import OrderLine, SellerOrderStatus
from galerie.reviews.models import Review, ReviewStatus

# A purchase counts once the seller has shipped it (or it was delivered): the customer has paid
# and the product is on its way or in hand. A paid part not yet shipped does not count (nothing
# to judge yet), nor a cancelled one, nor a line refunded in full.
REVIEWABLE_STATUSES = (SellerOrderStatus.SHIPPED, SellerOrderStatus.DELIVERED)
# How many published reviews the product page shows (the API pages through all of them).
PRODUCT_PAGE_REVIEWS = 5
# Stated in the review policy shown next to the reviews.
MODERATION_DAYS = 5


def review_purchases(
    *, customer, product_id: int | None = None, order_id: int | None = None
) -> QuerySet[OrderLine]:
    """The customer's order lines that make a review a verified one (of `product_id`, or in
    `order_id`), the earliest purchase first."""
    if customer is None or not customer.is_authenticated:
        return OrderLine.objects.none()
    lines = OrderLine.objects.filter(
        order__user=customer,
        product__isnull=False,
        seller_order__status__in=REVIEWABLE_STATUSES,
        refunded_quantity__lt=F("quantity"),
    )
    if product_id is not None:
        lines = lines.filter(product_id=product_id)
    if order_id is not None:
        lines = lines.filter(order_id=order_id)
    return lines.select_related("order").order_by("order__paid_at", "order__created_at", "pk")


def review_of_customer(*, customer, product_id: int) -> Review | None:
    if customer is None or not customer.is_authenticated:
        return None
    return Review.objects.filter(customer=customer, product_id=product_id).first()


@dataclass
class ReviewSummary:
    count: int = 0
    average: Decimal | None = None  # one decimal, None without reviews
    reviews: list[Review] = field(default_factory=list)
    moderation_days: int = MODERATION_DAYS


def reviews_published(product_id: int) -> QuerySet[Review]:
    return Review.objects.filter(product_id=product_id, status=ReviewStatus.PUBLISHED).order_by(
        "-published_at", "-pk"
    )


def product_review_summary(product_id: int, *, limit: int = PRODUCT_PAGE_REVIEWS) -> ReviewSummary:
    """The latest `limit` published reviews with the count and average of all of them, in one
    query (window aggregates are computed over every published review before the LIMIT)."""
    rows = list(
        reviews_published(product_id).annotate(
            total=Window(Count("pk")), mean=Window(Avg("rating"))
        )[:limit]
    )
    if not rows:
        return ReviewSummary()
    average = Decimal(str(rows[0].mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return ReviewSummary(count=rows[0].total, average=average, reviews=rows)


def reviews_pending() -> QuerySet[Review]:
    """The moderation queue, oldest first."""
    return Review.objects.filter(status=ReviewStatus.PENDING).order_by("created_at", "pk")
