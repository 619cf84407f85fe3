"""Read-only catalogue API: storefronts, their categories, products with offers, search.

Every list goes through `galerie.storefronts.listing`, the selector the storefront pages use, so the
API and the pages always show the same products, facets and counts.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from galerie.api.errors import ErrorOut
from galerie.catalog.models import AttributeValue, Category
from galerie.core.replica import replica_reads
from galerie.sellers.selectors import offers_for_product
from galerie.storefronts.errors import StorefrontDetached, storefront_detached_message
from galerie.storefronts.listing import (
    Listing,
    category_map,
    clean_query,
    product_listing,
    storefront_search,
    storefront_visible_category_ids,
    strip_control,
    visible_products,
)
from galerie.storefronts.models import Storefront
from galerie.travel.selectors import departures_of_product, options_of_product

router = Router(tags=["catalogue"])

# Parameters of the listing that are not facets; anything else in the query string is offered
# to the selector as a facet filter (attribute facets are data-driven).
_NON_FACET_PARAMS = {"page", "per_page", "tri", "category", "q", "exact"}


class StorefrontOut(Schema):
    slug: str
    name: str
    tagline: str
    language: str
    currency: str
    logo_text: str
    primary_color: str
    accent_color: str
    hosts: list[str]


class CategoryOut(Schema):
    slug: str
    name: str
    parent: str | None
    depth: int


class ProductSummary(Schema):
    slug: str
    title: str
    gtin: str | None
    category: str
    image_urls: list[str]
    best_price: Decimal | None = Field(
        description="Prix de l'offre achetable la moins chère, tous états, hors frais de port."
    )
    offer_count: int
    in_stock: bool
    price_new: Decimal | None = Field(
        None, description="Prix de l'offre neuve achetable la moins chère, hors frais de port."
    )
    price_refurbished: Decimal | None = Field(
        None, description="Prix de l'offre reconditionnée la moins chère, hors frais de port."
    )
    price_used: Decimal | None = Field(
        None, description="Prix de l'offre d'occasion la moins chère, hors frais de port."
    )


class FacetOptionOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    param: str
    label: str
    options: list[FacetOptionOut]
    estimated: bool = Field(
        False,
        description=(
            "Vrai : les nombres sont estimés d'après un échantillon des produits correspondants "
            "(grands ensembles filtrés), et non comptés un à un."
        ),
    )


class ProductPage(Schema):
    total: int
    total_exact: bool = Field(
        True,
        description=(
            "Faux : `total` est un minimum (au moins ce nombre de produits), compté jusqu'à une "
            "limite ; les pages vont jusque-là. Affinez les filtres pour un total exact."
        ),
    )
    page: int
    num_pages: int
    per_page: int
    sort: str
    filters: dict[str, list[str]]
    facets: list[FacetOut]
    items: list[ProductSummary]


class SearchPage(ProductPage):
    correction: str | None = Field(
        None,
        description=(
            "La requête corrigée d'après le catalogue quand `q` ne trouve rien (« ipohne » → "
            "« iphone ») : les produits sont les siens. Absent avec `exact=true`."
        ),
    )


class SellerOut(Schema):
    slug: str
    name: str
    legal_name: str
    address: str
    is_trader: bool
    is_operator: bool
    kind: Literal["trader", "private"] = Field(
        description="trader : vendeur professionnel ; private : particulier (voir notice)."
    )
    notice: str = Field(
        description=(
            "Ce qu'un achat à ce vendeur ne donne pas (particulier : ni garantie légale de "
            "conformité ni droit de rétractation) ; vide pour un professionnel."
        )
    )


class ProductOfferOut(Schema):
    id: int
    seller: SellerOut
    price: Decimal
    delivery_price: Decimal
    total_price: Decimal
    condition: str
    condition_note: str
    lead_time_days: int
    stock: int
    is_sponsored: bool = Field(
        description=(
            "Offre sponsorisée (à afficher « Sponsorisé ») ; ne change jamais son rang : "
            "voir /classement/#sponsorise."
        )
    )


class AttributeOut(Schema):
    code: str
    name: str
    value: str
    unit: str


class TravelOptionOut(Schema):
    code: str
    label: str
    price: Decimal
    per_traveller: bool


class DepartureOut(Schema):
    offer_id: int = Field(description="L'offre à ajouter au panier pour réserver ce départ.")
    starts_on: date
    duration_days: int
    seats_left: int
    adult_price: Decimal
    child_price: Decimal | None = Field(description="Vide : pas d'enfants sur ce départ.")
    seller: str


class ProductDetail(ProductSummary):
    description: str
    product_type: str
    created_at: datetime
    attributes: list[AttributeOut]
    buy_box: ProductOfferOut | None = Field(
        description="L'offre mise en avant : la première du classement (voir /classement/)."
    )
    offers: list[ProductOfferOut] = Field(
        description=(
            "Toutes les offres achetables, dans l'ordre de la fiche produit (critères décrits "
            "sur la page /classement/ de la boutique) : la première est l'offre mise en avant."
        )
    )
    departures: list[DepartureOut] = Field(
        default_factory=list,
        description="Un voyage : ses prochains départs réservables (vide pour un autre produit).",
    )
    travel_options: list[TravelOptionOut] = Field(
        default_factory=list, description="Un voyage : ses options (codes à passer au panier)."
    )


class ListingParams(Schema):
    page: int = Field(1, ge=1, description="Numéro de page (1 par défaut).")
    per_page: int = Field(24, ge=1, le=100)
    tri: str | None = Field(
        None, description="pertinence, prix-croissant, prix-decroissant ou nouveautes."
    )
    prix: list[str] = Field(default_factory=list, description="Tranches de prix, ex. 10-20.")
    etat: list[str] = Field(default_factory=list, description="new, used, refurbished.")
    vendeur: list[str] = Field(default_factory=list, description="Identifiants de vendeurs.")


def _storefront(slug: str) -> Storefront:
    slug = strip_control(slug)
    storefront = Storefront.objects.filter(slug=slug).first()
    if storefront is not None and storefront.is_detached:
        raise StorefrontDetached(
            storefront_detached_message(
                name=storefront.name, successor_name=storefront.successor_name
            )
        )
    if storefront is None or not storefront.is_active:
        raise Http404(f"Boutique « {slug} » introuvable.")
    return storefront


def _facet_filters(request) -> dict[str, list[str]]:
    return {k: request.GET.getlist(k) for k in request.GET if k not in _NON_FACET_PARAMS}


def _page(listing: Listing, category_slugs: dict[int, str]) -> dict:
    return {
        "total": listing.total,
        "total_exact": listing.total_exact,
        "page": listing.page,
        "num_pages": listing.num_pages,
        "per_page": listing.per_page,
        "sort": listing.sort,
        "filters": listing.filters,
        "facets": listing.facets,
        "items": [_summary(p, category_slugs) for p in listing.products],
    }


def _summary(product, category_slugs: dict[int, str]) -> dict:
    return {
        "slug": product.slug,
        "title": product.title,
        "gtin": product.gtin,
        "category": category_slugs.get(product.category_id, ""),
        "image_urls": product.image_urls or [],
        "best_price": product.best_price,
        "offer_count": product.offer_count,
        "in_stock": product.in_stock,
        "price_new": product.price_new,
        "price_refurbished": product.price_refurbished,
        "price_used": product.price_used,
    }


def _category_slugs(products) -> dict[int, str]:
    categories = category_map()
    return {
        p.category_id: categories[p.category_id].slug if p.category_id in categories else ""
        for p in products
    }


def _offer(offer, storefront) -> dict:
    seller = offer.seller
    return {
        "id": offer.pk,
        "seller": {
            "slug": seller.slug,
            "name": seller.display_name(storefront),
            "legal_name": seller.legal_name or seller.name,
            "address": seller.address,
            "is_trader": seller.is_trader,
            "is_operator": seller.is_operator,
            "kind": seller.kind,
            "notice": seller.consumer_law_notice,
        },
        "price": offer.price,
        "delivery_price": offer.delivery_price,
        "total_price": offer.total_price,
        "condition": offer.condition,
        "condition_note": offer.condition_note,
        "lead_time_days": offer.lead_time_days,
        "stock": offer.stock,
        "is_sponsored": offer.is_sponsored,
    }


@router.get("", response=list[StorefrontOut], summary="Toutes les boutiques actives")
def storefronts(request):
    rows = Storefront.objects.filter(is_active=True).prefetch_related("hosts")
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "tagline": s.tagline,
            "language": s.language,
            "currency": s.currency,
            "logo_text": s.logo_text,
            "primary_color": s.primary_color,
            "accent_color": s.accent_color,
            "hosts": [h.hostname for h in s.hosts.all()],
        }
        for s in rows
    ]


@router.get(
    "/{slug}/categories",
    response={200: list[CategoryOut], 404: ErrorOut},
    summary="Catégories de l'assortiment d'une boutique",
)
def categories(request, slug: str):
    storefront = _storefront(slug)
    ids = storefront_visible_category_ids(storefront)
    rows = Category.objects.filter(pk__in=ids).select_related("parent").order_by("path")
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "parent": c.parent.slug if c.parent_id in ids else None,
            "depth": c.depth,
        }
        for c in rows
    ]


@router.get(
    "/{slug}/products",
    response={200: ProductPage, 404: ErrorOut},
    summary="Produits visibles, filtrés, triés et paginés, avec facettes",
    description=(
        "Mêmes filtres que la page catégorie : prix, etat, vendeur, et chaque attribut filtrable "
        "par son identifiant (ex. auteur=Victor Hugo), répétables. Valeurs inconnues ignorées."
    ),
)
@replica_reads()
def products(request, slug: str, params: Query[ListingParams], category: str | None = None):
    storefront = _storefront(slug)
    node = None
    if category:
        node = Category.objects.filter(slug=strip_control(category)).first()
        if node is None or node.pk not in storefront_visible_category_ids(storefront):
            raise Http404(f"Catégorie « {category} » absente de cette boutique.")
    listing = product_listing(
        storefront=storefront,
        category=node,
        filters=_facet_filters(request),
        sort=params.tri,
        page=params.page,
        per_page=params.per_page,
    )
    return _page(listing, _category_slugs(listing.products))


@router.get(
    "/{slug}/products/{product_slug}",
    response={200: ProductDetail, 404: ErrorOut},
    summary="Fiche produit avec toutes les offres achetables, l'offre mise en avant d'abord",
)
def product(request, slug: str, product_slug: str):
    storefront = _storefront(slug)
    item = get_object_or_404(
        visible_products(storefront).select_related("category", "product_type", "travel"),
        slug=strip_control(product_slug),
    )
    is_trip = getattr(item, "travel", None) is not None
    offers = [] if is_trip else offers_for_product(item.pk)
    values = (
        AttributeValue.objects.filter(product=item)
        .exclude(facet_value="")
        .select_related("attribute")
        .order_by("attribute__position", "attribute__name")
    )
    data = _summary(item, {item.category_id: item.category.slug})
    data.update(
        description=item.description,
        product_type=item.product_type.name,
        created_at=item.created_at,
        attributes=[
            {
                "code": v.attribute.code,
                "name": v.attribute.name,
                "value": v.facet_value,
                "unit": v.attribute.unit,
            }
            for v in values
        ],
        buy_box=_offer(offers[0], storefront) if offers else None,
        offers=[_offer(o, storefront) for o in offers],
    )
    if is_trip:
        data.update(
            departures=[
                {
                    "offer_id": d.offer_id,
                    "starts_on": d.starts_on,
                    "duration_days": d.duration_days,
                    "seats_left": d.offer.stock,
                    "adult_price": d.offer.price,
                    "child_price": d.child_price,
                    "seller": d.offer.seller.display_name(storefront),
                }
                for d in departures_of_product(item.pk)
            ],
            travel_options=[
                {
                    "code": o.code,
                    "label": o.label,
                    "price": o.price,
                    "per_traveller": o.per_traveller,
                }
                for o in options_of_product(item.pk)
            ],
        )
    return data


@router.get(
    "/{slug}/search",
    response={200: SearchPage, 404: ErrorOut},
    summary="Recherche plein texte dans l'assortiment de la boutique, avec facettes",
)
@replica_reads()
def search(request, slug: str, params: Query[ListingParams], q: str = "", exact: bool = False):
    storefront = _storefront(slug)
    query = clean_query(q)
    if not query:
        return _page(Listing([], 0, 1, 1, params.per_page, "pertinence", {}), {})
    listing = storefront_search(
        storefront=storefront,
        query=query,
        filters=_facet_filters(request),
        sort=params.tri,
        page=params.page,
        per_page=params.per_page,
        exact=exact,
    )
    return {**_page(listing, _category_slugs(listing.products)), "correction": listing.correction}
