"""Reviews API: a product's published reviews (public), and a customer's review of a product
they bought (session login, CSRF-checked as the cart). The same services as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from galerie.api.cart import csrf_check
from galerie.api.catalog import _storefront
from galerie.api.errors import ErrorOut
from galerie.api.headers import CSRF_TOKEN, headers_read
from galerie.api.schemas import In
from galerie.api.subscriptions import Unauthenticated
from galerie.reviews.models import BODY_MAX, BODY_MIN, RATING_MAX, RATING_MIN, TITLE_MAX
from galerie.reviews.selectors import MODERATION_DAYS, product_review_summary, reviews_published
from galerie.reviews.services import review_submit
from galerie.storefronts.listing import strip_control, visible_products

router = Router(tags=["avis"])

POLICY = (
    "Avis d'acheteurs vérifiés (commande expédiée ou livrée), un par produit et par client, "
    f"relus avant publication (sous {MODERATION_DAYS} jours), jamais rémunérés ; un avis refusé "
    "l'est pour un motif envoyé à son auteur. Politique complète : /avis/politique/."
)


class ReviewOut(Schema):
    id: int
    rating: int
    title: str
    body: str
    author: str = Field(description="Prénom et initiale du nom de l'auteur.")
    purchased_on: date = Field(description="Date de l'achat vérifié (« Achat vérifié le … »).")
    published_at: datetime | None


class ReviewPage(Schema):
    count: int
    average: Decimal | None = Field(description="Moyenne des avis publiés, à 0,1 près.")
    policy: str = Field(description="La politique des avis, à afficher à côté des avis.")
    policy_url: str
    items: list[ReviewOut]


class ReviewIn(In):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=RATING_MIN, le=RATING_MAX)
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field(min_length=BODY_MIN, max_length=BODY_MAX)
    order_line_id: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="La ligne de commande de l'achat (facultatif : le premier achat expédié).",
    )


class ReviewCreatedOut(Schema):
    id: int
    status: str = Field(description="pending : publié après modération.")


class ReviewsParams(Schema):
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(24, ge=1, le=100)


def _product(slug: str, product_slug: str):
    item = visible_products(_storefront(slug)).filter(slug=strip_control(product_slug)).first()
    if item is None:
        raise Http404(f"Produit « {product_slug} » introuvable.")
    return item


def _review(review) -> dict:
    return {
        "id": review.pk,
        "rating": review.rating,
        "title": review.title,
        "body": review.body,
        "author": review.author_name,
        "purchased_on": review.purchased_on,
        "published_at": review.published_at,
    }


@router.get(
    "/{slug}/products/{product_slug}/reviews",
    response={200: ReviewPage, 404: ErrorOut},
    summary="Les avis publiés d'un produit, les plus récents d'abord, avec la politique des avis",
)
def review_list(request, slug: str, product_slug: str, params: Query[ReviewsParams]):
    item = _product(slug, product_slug)
    summary = product_review_summary(item.pk, limit=1)
    start = (params.page - 1) * params.per_page
    rows = reviews_published(item.pk)[start : start + params.per_page]
    return {
        "count": summary.count,
        "average": summary.average,
        "policy": POLICY,
        "policy_url": "/avis/politique/",
        "items": [_review(r) for r in rows],
    }


@router.post(
    "/{slug}/products/{product_slug}/reviews",
    response={
        201: ReviewCreatedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Donner son avis sur un produit acheté (client connecté, achat expédié)",
    openapi_extra=headers_read(CSRF_TOKEN),
)
def review_create(request, slug: str, product_slug: str, payload: ReviewIn):
    csrf_check(request)  # a change made with the session cookie, as the cart's
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise Unauthenticated("Connectez-vous pour donner votre avis.")
    item = _product(slug, product_slug)
    review = review_submit(
        customer=user,
        product=item,
        rating=payload.rating,
        title=payload.title,
        body=payload.body,
        order_line_id=payload.order_line_id,
    )
    return 201, {"id": review.pk, "status": review.status}
