"""Storefront pages: mall index, storefront home, category listing, product page, search.

Views parse input, call one selector and render; templates receive everything ready to show.
"""

import hashlib
import sys
from urllib.parse import urlencode

from django.http import Http404, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.catalog.models import AttributeValue
from galerie.catalog.selectors import category_id_for_slug, product_id_for_slug
from galerie.core.middleware import DATABASE_UNAVAILABLE, database_unavailable_response
from galerie.core.replica import replica_reads
from galerie.core.versions import listing_key, product_key
from galerie.media.selectors import product_gallery, product_pictures_attach
from galerie.reviews.selectors import product_review_summary
from galerie.sellers.models import Condition
from galerie.sellers.selectors import (
    CONDITION_ORDER,
    OFFER_RANKING,
    offers_for_product,
    offers_lowest_totals,
)
from galerie.storefronts.listing import (
    EXACT_PARAM,
    PAGE_PARAM,
    QUERY_PARAM,
    SORT_NEWEST,
    SORT_PARAM,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RELEVANCE,
    SORTS,
    category_by_slug,
    category_children,
    clean_query,
    mall_root_ids,
    product_listing,
    storefront_breadcrumb,
    storefront_category_tree,
    storefront_root_ids,
    storefront_search,
    storefront_search_elsewhere,
    storefront_visible_category_ids,
    visible_products,
)
from galerie.storefronts.pages import page_body_html
from galerie.storefronts.selectors import storefront_absolute_url, storefront_list, storefront_page
from galerie.subscriptions.selectors import plan_facts
from galerie.travel.cancellation import cancellation_schedule_rows
from galerie.travel.selectors import (
    departures_of_product,
    next_departures,
    options_of_product,
)
from galerie.web.caching import catalogue_page

HOME_PRODUCTS = 12


# --- what each cached page depends on (see galerie.web.caching) ---------------------------


def _storefront_listing_keys(request, *args, **kwargs) -> list[str]:
    """Home and search pages show products of the whole assortment: a summary change anywhere
    in it bumps one of the assortment's categories (listing versions go up to the ancestors)."""
    return [listing_key(pk) for pk in storefront_root_ids(request.storefront)]


def _category_keys(request, slug: str) -> list[str]:
    pk = category_id_for_slug(slug)
    return [listing_key(pk)] if pk is not None else []


def _product_keys(request, slug: str) -> list[str]:
    pk = product_id_for_slug(slug)
    return [product_key(pk)] if pk is not None else []


def _storefront(request):
    storefront = getattr(request, "storefront", None)
    if storefront is None:
        raise Http404(_("Aucune boutique à cette adresse."))
    return storefront


def _storefront_links(request) -> list[dict]:
    """Every active storefront with its URL on the port the visitor used."""
    # The port the visitor typed (Host header), not the one the server listens on behind a proxy.
    host = request.get_host()
    port = host.rsplit(":", 1)[1] if ":" in host and not host.endswith("]") else ""
    scheme = request.scheme
    default_port = {"http": "80", "https": "443"}.get(scheme)
    suffix = "" if port in (default_port, "") else f":{port}"
    links = []
    for storefront in storefront_list():
        hosts = sorted(storefront.hosts.all(), key=lambda h: (not h.is_primary, h.hostname))
        if hosts:
            url = f"{scheme}://{hosts[0].hostname}{suffix}/"
            links.append({"storefront": storefront, "url": url, "host": hosts[0].hostname})
    return links


# --- query strings ------------------------------------------------------------------------


def _query(path: str, params: list[tuple[str, str]], **changes) -> str:
    """`path` with `params`, the page dropped (a new filter starts at page 1) unless given."""
    kept = [(k, v) for k, v in params if k not in changes and k != PAGE_PARAM]
    for key, value in changes.items():
        if value not in (None, "") and not (key == PAGE_PARAM and value == 1):
            kept.append((key, str(value)))
    return f"{path}?{urlencode(kept)}" if kept else path


def _trips_decorate(products) -> None:
    """Give each trip among `products` its next departure (date, seats left, fare). Trips have no
    GTIN, so a page of books, records or phones asks nothing more."""
    soonest = next_departures(p.pk for p in products if not p.gtin)
    for product in products:
        product.next_departure = soonest.get(product.pk)


def _listing_context(request, listing, *, extra_params: list[tuple[str, str]] = ()) -> dict:
    """Decorate a Listing with the links the page needs (toggle facets, sort, pages)."""
    _trips_decorate(listing.products)
    product_pictures_attach(listing.products)
    path = request.path
    params = list(extra_params)
    for key, values in listing.filters.items():
        params.extend((key, v) for v in values)
    if listing.sort != SORT_RELEVANCE:
        params.append((SORT_PARAM, listing.sort))

    def toggled(key: str, value: str) -> str:
        if (key, value) in params:
            rest = [p for p in params if p != (key, value)]
        else:
            rest = [*params, (key, value)]
        return _query(path, rest)

    active = []
    for facet in listing.facets:
        for option in facet.options:
            option.url = toggled(facet.param, option.value)
            # Stable across swaps (counts reorder options) so htmx can restore focus.
            digest = hashlib.blake2s(option.value.encode(), digest_size=5).hexdigest()
            option.dom_id = f"f-{facet.param}-{digest}"
            if option.selected:
                active.append({"facet": facet.label, "label": option.label, "url": option.url})
    sort_options = [
        {"value": key, "label": label, "selected": key == listing.sort}
        for key, label in SORTS.items()
    ]
    window = range(max(1, listing.page - 2), min(listing.num_pages, listing.page + 2) + 1)
    pages = [
        {"number": n, "url": _query(path, params, **{PAGE_PARAM: n}), "current": n == listing.page}
        for n in window
    ]
    return {
        "listing": listing,
        "active_filters": active,
        "clear_url": _query(path, list(extra_params)),
        "sort_options": sort_options,
        "hidden_params": [p for p in params if p[0] != SORT_PARAM],
        "pages": pages,
        "first_url": _query(path, params, **{PAGE_PARAM: 1}),
        "last_url": _query(path, params, **{PAGE_PARAM: listing.num_pages}),
        "previous_url": _query(path, params, **{PAGE_PARAM: listing.page - 1}),
        "next_url": _query(path, params, **{PAGE_PARAM: listing.page + 1}),
    }


def _render_listing_page(request, template: str, context: dict):
    # htmx swaps only the listing region; a plain request gets the whole page.
    if getattr(request, "htmx", False) and request.htmx.target == "listing":
        return render(request, "web/_listing.html", context)
    return render(request, template, context)


# --- pages --------------------------------------------------------------------------------


@catalogue_page(_storefront_listing_keys)
def home(request):
    if request.storefront is None:
        if request.is_mall_host:
            return render(request, "web/mall_index.html", {"links": _storefront_links(request)})
        return unknown_host(request)
    storefront = request.storefront
    products = list(
        visible_products(storefront)
        .filter(in_stock=True)
        .order_by("-offer_count", "-created_at", "pk")[:HOME_PRODUCTS]
    )
    _trips_decorate(products)
    product_pictures_attach(products)
    return render(
        request,
        "web/home.html",
        {"tree": storefront_category_tree(storefront), "products": products},
    )


@catalogue_page(_category_keys)
@replica_reads()
def category(request, slug: str):
    storefront = _storefront(request)
    node = category_by_slug(slug)
    if node is None or node.pk not in storefront_visible_category_ids(storefront):
        raise Http404(_("Cette catégorie n'existe pas dans cette boutique."))
    listing = product_listing(
        storefront=storefront,
        category=node,
        filters=request.GET,
        sort=request.GET.get(SORT_PARAM),
        page=request.GET.get(PAGE_PARAM, 1),
    )
    ancestors = storefront_breadcrumb(storefront, node, include_self=False)
    allowed = storefront_visible_category_ids(storefront)
    children = [c for c in category_children(node) if c.pk in allowed]
    context = {
        "category": node,
        "ancestors": ancestors,
        "children": children,
        **_listing_context(request, listing),
    }
    return _render_listing_page(request, "web/category.html", context)


@catalogue_page(_product_keys)
def product(request, slug: str):
    storefront = _storefront(request)
    item = (
        visible_products(storefront)
        .select_related("category", "product_type", "travel")
        .filter(slug=slug)
        .first()
    )
    if item is None:
        raise Http404(_("Ce produit n'est pas disponible dans cette boutique."))
    package = getattr(item, "travel", None)
    departures, options = [], []
    if package is not None:
        # A trip has departures, each booked from its own form, instead of a buy box.
        departures = departures_of_product(item.pk)
        for departure in departures:
            departure.offer.seller_label = departure.offer.seller.display_name(storefront)
            # Shown before ordering: what cancelling would cost, in dates (no query).
            departure.schedule = cancellation_schedule_rows(
                departure_on=departure.starts_on, tiers=package.cancellation_tiers
            )
        options = options_of_product(item.pk)
    offers = [] if package is not None else offers_for_product(item.pk)
    for offer in offers:
        offer.seller_label = offer.seller.display_name(storefront)
    buy_box, others = (offers[0], offers[1:]) if offers else (None, [])
    attributes = list(
        AttributeValue.objects.filter(product=item)
        .exclude(facet_value="")
        .select_related("attribute")
        .order_by("attribute__position", "attribute__name")
    )
    ancestors = storefront_breadcrumb(storefront, item.category, include_self=True)
    return render(
        request,
        "web/product.html",
        {
            "product": item,
            "pictures": product_gallery(item),
            "package": package,
            "departures": departures,
            "travel_options": options,
            "buy_box": buy_box,
            "other_offers": others,
            # Per condition, delivery included: never cheaper than the box in its condition.
            "others_from": offers_lowest_totals(others),
            "attributes": attributes,
            "ancestors": ancestors,
            # Published reviews with their count and average: one query (reviews.selectors).
            "reviews": product_review_summary(item.pk) if package is None else None,
            # A press subscription: what one term brings (the renewal choice is made here).
            "plan": plan_facts(offer=buy_box, tax_class=item.product_type.tax_class)
            if buy_box
            else None,
        },
    )


def _search_keys(request, *args, **kwargs) -> list[str]:
    """A search that finds nothing here names what the other storefronts have: the page depends
    on every storefront's assortment (synonyms are cached per global version, always in)."""
    return [listing_key(pk) for pk in mall_root_ids()]


def _search_url(query: str, *, exact: bool = False) -> str:
    params = [(QUERY_PARAM, query)] + ([(EXACT_PARAM, "1")] if exact else [])
    return _query("/recherche/", params)


@catalogue_page(_search_keys)
@replica_reads()
def search(request):
    storefront = _storefront(request)
    query = clean_query(request.GET.get(QUERY_PARAM))
    exact = request.GET.get(EXACT_PARAM) == "1"
    context: dict = {"query": query, "exact": exact}
    if query:
        listing = storefront_search(
            storefront=storefront,
            query=query,
            filters=request.GET,
            sort=request.GET.get(SORT_PARAM),
            page=request.GET.get(PAGE_PARAM, 1),
            exact=exact,
        )
        extra = [(QUERY_PARAM, query)] + ([(EXACT_PARAM, "1")] if exact else [])
        context.update(_listing_context(request, listing, extra_params=extra))
        if listing.correction:
            context["correction"] = {
                "query": listing.correction,
                "url": _search_url(listing.correction),
                "literal_url": _search_url(query, exact=True),
                "found": bool(listing.total),
            }
        if not listing.total and not listing.filters:
            # Nothing here, filters or not: where else to look.
            searched = listing.correction or query
            context["elsewhere"] = [
                {
                    "name": found.storefront.name,
                    "count": found.count,
                    "more": found.more,
                    "query": searched,
                    "url": storefront_absolute_url(
                        storefront=found.storefront, path=_search_url(searched)
                    ),
                }
                for found in storefront_search_elsewhere(storefront=storefront, query=searched)
            ]
            context["popular_categories"] = [
                node["category"] for node in storefront_category_tree(storefront)
            ]
    return _render_listing_page(request, "web/search.html", context)


def _no_versions(request, *args, **kwargs) -> list[str]:
    """A page that shows nothing of the catalogue: the global version (storefront edits) only."""
    return []


@catalogue_page(_no_versions)
def legal_page(request, kind: str):
    """A storefront's trust page (mentions légales, CGV, contact…), in the storefront's layout:
    its own text, or the default one while it has none; its Markdown rendered sanitised."""
    storefront = _storefront(request)
    page = storefront_page(storefront, kind)
    if page is None:
        raise Http404(_("Cette page n'existe pas dans cette boutique."))
    return render(
        request, "web/legal_page.html", {"page": page, "body_html": page_body_html(page.body)}
    )


# --- errors -------------------------------------------------------------------------------


def unknown_host(request):
    response = render(
        request,
        "web/unknown_host.html",
        {"links": _storefront_links(request), "host": request.get_host()},
        status=404,
    )
    return response


def page_not_found(request, exception=None):
    if getattr(request, "storefront", None) is None and not getattr(request, "is_mall_host", True):
        return unknown_host(request)
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return HttpResponseNotFound(
        loader.render_to_string("web/404.html", {"message": message}, request)
    )


def server_error(request):
    # Called while the exception is handled: a middleware that lost the database (the storefront
    # lookup, the session) gets the same 503 as a view (core.middleware).
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable_response(request)
    # No database, no context processors: the failure may be the database itself.
    return HttpResponseServerError(loader.render_to_string("web/500.html"))


# --- how offers and products are ranked ---------------------------------------------------

# What each listing sort does (keys of storefronts.listing.SORTS, in the words of its ordering).
SORT_EXPLANATIONS = {
    SORT_RELEVANCE: gettext_lazy(
        "Tri par défaut. Dans une catégorie : ordre alphabétique des titres. Dans une "
        "recherche : les produits qui correspondent le mieux aux mots recherchés d'abord."
    ),
    SORT_PRICE_ASC: gettext_lazy(
        "Du prix le plus bas au plus élevé, d'après l'offre disponible la moins chère du "
        "produit, tous états confondus, hors frais de port."
    ),
    SORT_PRICE_DESC: gettext_lazy(
        "Du prix le plus élevé au plus bas, d'après la même offre disponible la moins chère."
    ),
    SORT_NEWEST: gettext_lazy("Les produits ajoutés le plus récemment au catalogue d'abord."),
}


def ranking(request):
    """« Comment nous classons les offres et les produits » (P2B Regulation art. 5, Code de la
    consommation L.111-7), rendered from the ranking rule's own data (OFFER_RANKING, SORTS)."""
    if getattr(request, "storefront", None) is None and not request.is_mall_host:
        return unknown_host(request)
    labels = dict(Condition.choices)
    sorts = [
        {
            "label": label,
            "explanation": SORT_EXPLANATIONS.get(key, ""),
            "default": key == SORT_RELEVANCE,
        }
        for key, label in SORTS.items()
    ]
    return render(
        request,
        "web/ranking.html",
        {
            "criteria": OFFER_RANKING,
            "condition_order": [labels[c] for c in CONDITION_ORDER],
            "sorts": sorts,
        },
    )
