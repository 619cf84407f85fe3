"""Writes about reviews: a customer submits one per product from a verified purchase; the
operator publishes or rejects it (with a reason, e-mailed to the customer)."""

import re
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galerie.catalog.models import Product
from galerie.core.errors import DomainError, NotFound
from galerie.core.versions import product_key, versions_bump
from galerie.reviews import emails
from galerie.reviews.models import (
    BODY_MAX,
    BODY_MIN,
    RATING_MAX,
    RATING_MIN,
    REASON_MAX,
    TITLE_MAX,
    Review,
    ReviewStatus,
)
from galerie.reviews.selectors import review_purchases

# Control characters other than tab and newlines: PostgreSQL refuses NUL, none has a meaning here.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReviewError(DomainError):
    code = "review_invalid"
    status = 400


class ReviewNotVerified(ReviewError):
    code = "review_not_verified_buyer"
    status = 403


class ReviewAlreadyWritten(ReviewError):
    code = "review_already_written"
    status = 409


class ReviewPurchaseNotFound(NotFound):
    code = "order_line_not_found"


def _clean(value, *, name: str, low: int, high: int) -> str:
    text = _CONTROL.sub("", str(value or "")).strip()
    if not low <= len(text) <= high:
        raise ReviewError(
            _("Entre %(low)d et %(high)d caractères.") % {"low": low, "high": high}, field=name
        )
    return text


def review_fields_clean(*, rating, title, body) -> dict:
    """The shape of a review, checked once for the form, the API and the service."""
    if isinstance(rating, bool) or not isinstance(rating, int):
        try:
            rating = int(str(rating))
        except ValueError:
            rating = None
    if rating is None or not RATING_MIN <= rating <= RATING_MAX:
        raise ReviewError(
            _("La note va de %(low)d à %(high)d étoiles.")
            % {"low": RATING_MIN, "high": RATING_MAX},
            field="rating",
        )
    return {
        "rating": rating,
        "title": _clean(title, name="title", low=1, high=TITLE_MAX),
        "body": _clean(body, name="body", low=BODY_MIN, high=BODY_MAX),
    }


def author_name_of(*, customer, order_line) -> str:
    """« Marie C. »: the first name and the initial of the last name, nothing more."""
    name = customer.get_full_name().strip()
    if not name and order_line is not None:
        name = str((order_line.order.billing_address or {}).get("name", "")).strip()
    parts = name.split()
    if not parts:
        return _("Client vérifié")
    if len(parts) == 1:
        return parts[0][:60]
    return f"{parts[0][:60]} {parts[-1][:1].upper()}."


def review_submit(
    *, customer, product: Product, rating, title, body, order_line_id: int | None = None
) -> Review:
    """Record a customer's review, pending moderation. Refused (nothing written): a customer with
    no shipped or delivered purchase of the product (or naming an order line not theirs, or not
    of this product), a second review of the same product, a rating or text out of bounds."""
    fields = review_fields_clean(rating=rating, title=title, body=body)
    purchases = review_purchases(customer=customer, product_id=product.pk)
    if order_line_id is not None:
        line = purchases.filter(pk=order_line_id).first()
        if line is None:
            raise ReviewPurchaseNotFound(_("Cette ligne de commande est introuvable."))
    else:
        line = purchases.first()
        if line is None:
            raise ReviewNotVerified(
                _("Seuls les acheteurs de ce produit (commande expédiée) peuvent le noter.")
            )
    if Review.objects.filter(product=product, customer=customer).exists():
        raise ReviewAlreadyWritten(_("Vous avez déjà donné votre avis sur ce produit."))
    order = line.order
    purchased = order.paid_at or order.created_at
    try:
        with transaction.atomic():
            return Review.objects.create(
                product=product,
                order_line=line,
                customer=customer,
                author_name=author_name_of(customer=customer, order_line=line),
                purchased_on=timezone.localdate(purchased),
                **fields,
            )
    except IntegrityError as exc:  # the same customer's second request, committed first
        raise ReviewAlreadyWritten(_("Vous avez déjà donné votre avis sur ce produit.")) from exc


def _moderate(*, review: Review, actor, status: str, reason: str) -> Review:
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if current.status == status:
            raise ReviewError(_("Cet avis a déjà ce statut."), code="review_unchanged")
        current.status = status
        current.moderation_reason = reason
        current.moderated_at = timezone.now()
        current.moderated_by = actor
        current.published_at = current.moderated_at if status == ReviewStatus.PUBLISHED else None
        current.save()
        # The product page shows the published reviews: it is cached per product version.
        versions_bump([product_key(current.product_id)])
        if status == ReviewStatus.REJECTED:
            transaction.on_commit(partial(emails.review_rejected_send, current.pk))
    return current


def review_publish(*, review: Review, actor=None) -> Review:
    """Publish a review (pending, or rejected then reconsidered)."""
    return _moderate(review=review, actor=actor, status=ReviewStatus.PUBLISHED, reason="")


def review_reject(*, review: Review, actor=None, reason: str) -> Review:
    """Reject a review (pending, or published then taken down) for a reason that the customer
    receives by e-mail."""
    reason = _CONTROL.sub("", str(reason or "")).strip()
    if not reason or len(reason) > REASON_MAX:
        raise ReviewError(
            _("Indiquez le motif du refus (%(max)d caractères au plus).") % {"max": REASON_MAX},
            field="reason",
        )
    return _moderate(review=review, actor=actor, status=ReviewStatus.REJECTED, reason=reason)


def reviews_author_anonymise(*, customer, name: str) -> int:
    """Sign `customer`'s reviews with `name` (their erasure, RGPD art. 17): the opinion stays,
    the person behind it goes. Returns how many reviews were re-signed; their product pages,
    cached per product version, follow on commit."""
    reviews = Review.objects.filter(customer=customer)
    product_ids = list(reviews.values_list("product_id", flat=True).distinct())
    count = reviews.update(author_name=name)
    if product_ids:
        versions_bump([product_key(pk) for pk in product_ids])
    return count
